/** x/subaccounts: numbered subaccounts per address holding uusdc collateral and positions, cross-margined. */
import type { AppModule } from "../../src/app/module.js";
import { SUBACCOUNTS_STORE_PREFIX } from "./keys.js";
import { SubaccountsKeeper } from "./keeper.js";
import { msgDepositRoute, msgTransferRoute, msgWithdrawRoute } from "./msgs.js";
import { subaccountsQueryRoutes } from "./queries.js";
import { defaultSubaccountsGenesis, exportSubaccountsGenesis, initSubaccountsGenesis, parseSubaccountsGenesis } from "./genesis.js";
import { subaccountsInvariants } from "./invariants.js";
import type { AccountKeeper, BankKeeper, MarginChecker } from "./expectedKeepers.js";
import type { SubaccountId } from "./types.js";

export interface SubaccountsDeps {
  accounts: AccountKeeper;
  bank: BankKeeper;
  /** Equity and initial margin; defaults to "equity = collateral, no requirement" until the margin module exists. */
  margin?: MarginChecker;
  /**
   * The one subaccount that may hold negative collateral without positions: the insurance fund's, which carries
   * bad debt that no one could absorb until deposits repay it (liquidation's waterfall). Invariants only.
   */
  mayCarryDebt?: (id: SubaccountId) => boolean;
}

export function createSubaccountsModule(deps: SubaccountsDeps): { module: AppModule; keeper: SubaccountsKeeper } {
  const keeper = new SubaccountsKeeper({ bank: deps.bank, margin: deps.margin });
  const module: AppModule = {
    name: "subaccounts",
    storePrefix: SUBACCOUNTS_STORE_PREFIX,
    msgRoutes: [msgDepositRoute(keeper), msgWithdrawRoute(keeper), msgTransferRoute(keeper)] as AppModule["msgRoutes"],
    queryRoutes: subaccountsQueryRoutes(keeper),
    defaultGenesis: defaultSubaccountsGenesis,
    validateGenesis: (g) => void parseSubaccountsGenesis(g),
    initGenesis: (ctx, g) => initSubaccountsGenesis(ctx, keeper, deps.accounts, g),
    exportGenesis: (ctx) => exportSubaccountsGenesis(ctx, keeper),
    invariants: (ctx) => subaccountsInvariants(ctx, keeper, deps.mayCarryDebt),
  };
  return { module, keeper };
}
