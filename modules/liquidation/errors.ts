import { ErrorKind } from "../../src/errors.js";

/** x/liquidation codespace. Codes are stable: clients match on them. */
export const LiquidationErrors = {
  unauthorized: new ErrorKind("liquidation", 2, "only the liquidation params authority may withdraw from the insurance fund"),
  invalidDenom: new ErrorKind("liquidation", 3, "invalid denom; the insurance fund holds only uusdc"),
  insufficientFund: new ErrorKind("liquidation", 4, "insurance fund balance too small"),
  invalidParams: new ErrorKind("liquidation", 5, "invalid liquidation params"),
  blockedRecipient: new ErrorKind("liquidation", 6, "recipient may not receive funds"),
} as const;
