/** x/liquidation: the insurance fund, the BeginBlock liquidation engine and the loss waterfall (takeover, ADL). */
import type { AppModule } from "../../src/app/module.js";
import { runLiquidations } from "./engine.js";
import { defaultLiquidationGenesis, exportLiquidationGenesis, initLiquidationGenesis, parseLiquidationGenesis } from "./genesis.js";
import { liquidationInvariants } from "./invariants.js";
import { LiquidationKeeper, type LiquidationKeeperDeps } from "./keeper.js";
import { LIQUIDATION_STORE_PREFIX } from "./keys.js";
import { msgDepositInsuranceRoute, msgWithdrawInsuranceRoute } from "./msgs.js";
import { liquidationQueryRoutes } from "./queries.js";

export type LiquidationDeps = LiquidationKeeperDeps;

export function createLiquidationModule(deps: LiquidationDeps): { module: AppModule; keeper: LiquidationKeeper } {
  const keeper = new LiquidationKeeper(deps);
  const module: AppModule = {
    name: "liquidation",
    storePrefix: LIQUIDATION_STORE_PREFIX,
    msgRoutes: [msgDepositInsuranceRoute(keeper), msgWithdrawInsuranceRoute(keeper)] as AppModule["msgRoutes"],
    queryRoutes: liquidationQueryRoutes(keeper),
    defaultGenesis: defaultLiquidationGenesis,
    validateGenesis: (g) => void parseLiquidationGenesis(g),
    initGenesis: (ctx, g) => initLiquidationGenesis(ctx, keeper, g),
    exportGenesis: (ctx) => exportLiquidationGenesis(ctx, keeper),
    beginBlock: (ctx) => void runLiquidations(keeper, ctx),
    invariants: (ctx) => liquidationInvariants(ctx, keeper),
  };
  return { module, keeper };
}
