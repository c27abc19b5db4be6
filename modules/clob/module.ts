/**
 * x/clob: a central limit order book per option series, matched synchronously inside DeliverTx.
 *
 * Fairness rule (see fairness.ts): within a block, every tx whose CLOB messages are all "maker" (cancels,
 * cancel-all, size-down amends with new_price_ticks 0, post-only places, batches of only those, MMP config)
 * precedes every tx with a "taker" message; non-CLOB txs are neutral. The lead's PrepareProposal stable-
 * partitions txs that way and ProcessProposal rejects blocks that break it; `tradingClass` is the classifier.
 *
 * Fees round up (ceil) to the micro-USDC and go to the "clob_fee_pool" module account.
 */
import type { AppModule } from "../../src/app/module.js";
import type { AccountKeeper, MarginGate, OptionsReader, SubaccountsKeeper } from "./expectedKeepers.js";
import { defaultClobGenesis, exportClobGenesis, initClobGenesis, parseClobGenesis } from "./genesis.js";
import { clobInvariants } from "./invariants.js";
import { ClobKeeper } from "./keeper.js";
import { CLOB_STORE_PREFIX } from "./keys.js";
import { clobMsgRoutes } from "./msgs.js";
import { clobQueryRoutes } from "./queries.js";

export const CLOB_MODULE_NAME = "clob";

export interface ClobDeps {
  accounts: AccountKeeper;
  options: OptionsReader;
  subaccounts: SubaccountsKeeper;
  /** Defaults to accepting every order (no margin module wired). */
  margin?: MarginGate;
}

export function createClobModule(deps: ClobDeps): { module: AppModule; keeper: ClobKeeper } {
  const keeper = new ClobKeeper({ options: deps.options, subaccounts: deps.subaccounts, ...(deps.margin ? { margin: deps.margin } : {}) });
  const module: AppModule = {
    name: CLOB_MODULE_NAME,
    storePrefix: CLOB_STORE_PREFIX,
    msgRoutes: clobMsgRoutes(keeper),
    queryRoutes: clobQueryRoutes(),
    defaultGenesis: defaultClobGenesis,
    validateGenesis: (g) => void parseClobGenesis(g),
    initGenesis: (ctx, g) => {
      keeper.cache.clear();
      initClobGenesis(ctx, deps.accounts, g);
    },
    exportGenesis: (ctx) => exportClobGenesis(ctx),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
    invariants: (ctx) => clobInvariants(ctx, keeper.cache),
  };
  return { module, keeper };
}
