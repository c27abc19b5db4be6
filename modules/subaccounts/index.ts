export { createSubaccountsModule, type SubaccountsDeps } from "./module.js";
export { SubaccountsKeeper, formatSubaccountId, type OpenInterest } from "./keeper.js";
export { SubaccountsErrors } from "./errors.js";
export { subaccountsInvariants } from "./invariants.js";
export { COLLATERAL_ONLY_MARGIN, type MarginChecker } from "./expectedKeepers.js";
export { DEFAULT_SUBACCOUNTS_PARAMS, type SubaccountsParams } from "./params.js";
export { SUBACCOUNTS_STORE_PREFIX } from "./keys.js";
export * as SubaccountsCodec from "./codec.js";
export {
  COLLATERAL_DENOM,
  MAX_SUBACCOUNT_NUMBER,
  SUBACCOUNTS_MODULE_ACCOUNT,
  type ApplyOptions,
  type CanApplyResult,
  type Position,
  type PositionDelta,
  type Subaccount,
  type SubaccountId,
  type SubaccountUpdate,
  type UpdateKind,
  type UpdateResult,
} from "./types.js";
