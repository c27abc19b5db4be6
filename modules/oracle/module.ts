/** x/oracle: validator-voted spot prices and volatility smiles, aggregated from vote extensions. */
import type { AppModule, QueryContext } from "../../src/app/module.js";
import { OracleKeeper } from "./keeper.js";
import { ORACLE_STORE_PREFIX } from "./keys.js";
import { oracleMsgRoutes } from "./msgs.js";
import { oracleQueryRoutes } from "./queries.js";
import { defaultOracleGenesis, exportOracleGenesis, initOracleGenesis, parseOracleGenesis } from "./genesis.js";

export const ORACLE_MODULE_NAME = "oracle";

export function createOracleModule(): { module: AppModule; keeper: OracleKeeper } {
  const keeper = new OracleKeeper();
  const module: AppModule = {
    name: ORACLE_MODULE_NAME,
    storePrefix: ORACLE_STORE_PREFIX,
    msgRoutes: oracleMsgRoutes(),
    queryRoutes: oracleQueryRoutes(keeper),
    defaultGenesis: defaultOracleGenesis,
    validateGenesis: (g) => void parseOracleGenesis(g),
    initGenesis: (ctx, g) => initOracleGenesis(ctx, keeper, g),
    exportGenesis: (ctx) => exportOracleGenesis(ctx, keeper),
    beginBlock: (ctx) => void keeper.applyVotes(ctx),
    invariants: (ctx) => oracleInvariants(ctx, keeper),
  };
  return { module, keeper };
}

/** Each underlying's stored history count matches its points, within history_length, in strictly increasing time. */
export function oracleInvariants(ctx: QueryContext, keeper: OracleKeeper): string[] {
  const broken: string[] = [];
  const params = keeper.getParams(ctx.store);
  for (const u of params.underlyings) {
    let n = 0;
    let last: bigint | undefined;
    for (const pt of keeper.iterateHistory(ctx.store, u)) {
      if (last !== undefined && pt.timeNs <= last) broken.push(`oracle: ${u} history is not in time order`);
      last = pt.timeNs;
      n++;
    }
    if (n !== keeper.historyCount(ctx.store, u)) broken.push(`oracle: ${u} history count ${keeper.historyCount(ctx.store, u)} but ${n} points`);
    if (n > params.historyLength) broken.push(`oracle: ${u} keeps ${n} points, more than history_length ${params.historyLength}`);
  }
  for (const price of keeper.iteratePrices(ctx.store)) {
    if (price.priceMicroUsd <= 0n) broken.push(`oracle: non-positive price of ${price.underlying}`);
  }
  return broken;
}
