/**
 * x/options: option series (listing policy and authority messages), marks and greeks from the oracle, and cash
 * settlement at expiry. BeginBlock runs after the oracle's: it records the block time, settles what expired,
 * then auto-lists.
 */
import type { AppModule } from "../../src/app/module.js";
import type { OracleKeeper, SubaccountsKeeper } from "./expectedKeepers.js";
import { defaultOptionsGenesis, exportOptionsGenesis, initOptionsGenesis, parseOptionsGenesis } from "./genesis.js";
import { optionsInvariants } from "./invariants.js";
import { OptionsKeeper } from "./keeper.js";
import { OPTIONS_STORE_PREFIX } from "./keys.js";
import { autoList } from "./listing.js";
import { msgDelistSeriesRoute, msgListSeriesRoute } from "./msgs.js";
import { optionsQueryRoutes } from "./queries.js";
import { settleDue } from "./settlement.js";

export const OPTIONS_MODULE_NAME = "options";

export interface OptionsDeps {
  oracle: OracleKeeper;
  subaccounts: SubaccountsKeeper;
}

export function createOptionsModule(deps: OptionsDeps): { module: AppModule; keeper: OptionsKeeper } {
  const keeper = new OptionsKeeper(deps);
  const module: AppModule = {
    name: OPTIONS_MODULE_NAME,
    storePrefix: OPTIONS_STORE_PREFIX,
    msgRoutes: [msgListSeriesRoute(keeper), msgDelistSeriesRoute(keeper)] as AppModule["msgRoutes"],
    queryRoutes: optionsQueryRoutes(keeper),
    defaultGenesis: defaultOptionsGenesis,
    validateGenesis: (g) => void parseOptionsGenesis(g),
    initGenesis: (ctx, g) => initOptionsGenesis(ctx, keeper, g),
    exportGenesis: (ctx) => exportOptionsGenesis(ctx, keeper),
    beginBlock: (ctx) => optionsBeginBlock(keeper, ctx),
    invariants: (ctx) => optionsInvariants(ctx, keeper),
  };
  return { module, keeper };
}

export function optionsBeginBlock(keeper: OptionsKeeper, ctx: Parameters<NonNullable<AppModule["beginBlock"]>>[0]): void {
  settleDue(keeper, ctx);
  autoList(keeper, ctx);
}
