export { createLiquidationModule, type LiquidationDeps } from "./module.js";
export { LiquidationKeeper, type LiquidationKeeperDeps } from "./keeper.js";
export { runLiquidations } from "./engine.js";
export { runWaterfall, rankCounterparties, splitProRata, type RankedHolder, type WaterfallResult } from "./waterfall.js";
export { LiquidationErrors } from "./errors.js";
export { liquidationInvariants } from "./invariants.js";
export { LIQUIDATION_STORE_PREFIX } from "./keys.js";
export { LIQUIDATION_QUERY_SERVICE } from "./queries.js";
export { DEFAULT_LIQUIDATION_PARAMS, validateLiquidationParams, getLiquidationParams, setLiquidationParams, type LiquidationParams } from "./params.js";
export { parseLiquidationGenesis, defaultLiquidationGenesis, type LiquidationGenesis } from "./genesis.js";
export { iterateEntries, iterateRecords } from "./ledger.js";
export * as LiquidationCodec from "./codec.js";
export {
  INSURANCE_FUND_MODULE_ACCOUNT,
  INSURANCE_FUND_SUBACCOUNT_NUMBER,
  type InsuranceEntry,
  type InsuranceEntryKind,
  type LiquidationBlockResult,
  type LiquidationKind,
  type LiquidationRecord,
} from "./types.js";
export type {
  BankKeeper as LiquidationBankKeeper,
  ClobKeeper as LiquidationClobKeeper,
  MarginKeeper as LiquidationMarginKeeper,
  OptionsKeeper as LiquidationOptionsKeeper,
  SubaccountsKeeper as LiquidationSubaccountsKeeper,
} from "./expectedKeepers.js";
