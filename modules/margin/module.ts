/** x/margin: standard or portfolio margin of subaccounts (equity, IM, MM), the order gate for clob and a per-block sweep. */
import type { AppModule } from "../../src/app/module.js";
import type { ClobReader, Lazy, OptionsReader, SpotReader, SubaccountsReader } from "./expectedKeepers.js";
import { defaultMarginGenesis, exportMarginGenesis, initMarginGenesis, parseMarginGenesis } from "./genesis.js";
import { MarginKeeper } from "./keeper.js";
import { MARGIN_STORE_PREFIX } from "./keys.js";
import { marginInvariants } from "./invariants.js";
import { marginQueryRoutes } from "./queries.js";
import { msgSetMarginModeRoute } from "./msgs.js";

export interface MarginDeps {
  options: Lazy<OptionsReader>;
  /** The oracle's price (spot fallback for series without a mark). */
  oracle: Lazy<SpotReader>;
  /** A getter when clob is built after margin (clob takes margin's gate). */
  clob: Lazy<ClobReader>;
  /** A getter when subaccounts is built after margin (subaccounts takes margin's MarginChecker). */
  subaccounts: Lazy<SubaccountsReader>;
}

export function createMarginModule(deps: MarginDeps): { module: AppModule; keeper: MarginKeeper } {
  const keeper = new MarginKeeper(deps);
  const module: AppModule = {
    name: "margin",
    storePrefix: MARGIN_STORE_PREFIX,
    msgRoutes: [msgSetMarginModeRoute(keeper)],
    queryRoutes: marginQueryRoutes(keeper, deps.options),
    defaultGenesis: defaultMarginGenesis,
    validateGenesis: (g) => void parseMarginGenesis(g),
    initGenesis: (ctx, g) => initMarginGenesis(ctx, g),
    exportGenesis: (ctx) => exportMarginGenesis(ctx),
    beginBlock: (ctx) => void keeper.sweep(ctx),
    invariants: (ctx) => marginInvariants(ctx),
  };
  return { module, keeper };
}
