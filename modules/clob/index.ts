export { createClobModule, CLOB_MODULE_NAME, type ClobDeps } from "./module.js";
export { ClobKeeper, type BatchItemResult } from "./keeper.js";
export { ClobErrors } from "./errors.js";
export { CLOB_STORE_PREFIX } from "./keys.js";
export { DEFAULT_CLOB_PARAMS, type ClobParams } from "./params.js";
export { tradingClass, type TradingClass } from "./fairness.js";
export { CLOB_MSG_TYPE_URLS, parseOrderSpec } from "./msgs.js";
export { clobInvariants } from "./invariants.js";
export type { OrderRequest } from "./trading.js";
export * as ClobCodec from "./codec.js";
export {
  FEE_POOL_MODULE_ACCOUNT,
  FILLS_KEPT,
  type ClobReader,
  type MmpConfig,
  type MmpState,
  type OpenOrder,
  type SeriesLifecycleHooks,
} from "./types.js";
export type { MarginGate, NewOrderRisk, OptionsReader, OrderMarginSession, SubaccountsKeeper as ClobSubaccountsKeeper } from "./expectedKeepers.js";
export { placeLiquidationOrderOp, liquidationEnv, type LiquidationOrderRequest, type LiquidationOrderResult } from "./liquidationOrders.js";
