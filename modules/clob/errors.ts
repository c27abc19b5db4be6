import { ErrorKind } from "../../src/errors.js";

/** x/clob codespace. Codes are stable: clients match on them. Never renumber. */
export const ClobErrors = {
  invalidOrder: new ErrorKind("clob", 2, "invalid order"),
  unknownSeries: new ErrorKind("clob", 3, "unknown series"),
  seriesNotTradable: new ErrorKind("clob", 4, "series is settled or expired"),
  closeOnly: new ErrorKind("clob", 5, "series is close-only: only reduce-only orders and cancels are accepted"),
  invalidPrice: new ErrorKind("clob", 6, "invalid price"),
  invalidSize: new ErrorKind("clob", 7, "invalid size"),
  overflow: new ErrorKind("clob", 8, "amount overflows"),
  postOnlyWouldCross: new ErrorKind("clob", 9, "post-only order would take liquidity"),
  fokNotFillable: new ErrorKind("clob", 10, "fill-or-kill order cannot be filled completely"),
  reduceOnlyWouldIncrease: new ErrorKind("clob", 11, "reduce-only order would increase the position"),
  duplicateClientId: new ErrorKind("clob", 12, "client id is in use by a live order of this subaccount"),
  tooManyOpenOrders: new ErrorKind("clob", 13, "too many open orders for this subaccount"),
  staleUnderlying: new ErrorKind("clob", 14, "underlying price is stale: only cancels and reduce-only orders are accepted"),
  mmpFrozen: new ErrorKind("clob", 15, "market maker protection is frozen for this subaccount and underlying"),
  orderNotFound: new ErrorKind("clob", 16, "order not found"),
  notOrderOwner: new ErrorKind("clob", 17, "order belongs to another subaccount"),
  batchTooLarge: new ErrorKind("clob", 18, "too many orders in batch"),
  invalidBatch: new ErrorKind("clob", 19, "invalid batch"),
  alreadyExpired: new ErrorKind("clob", 20, "good-til block or time has already passed"),
  invalidTimeInForce: new ErrorKind("clob", 21, "invalid time in force"),
  invalidMmp: new ErrorKind("clob", 22, "invalid market maker protection config"),
  invalidAmend: new ErrorKind("clob", 23, "invalid amend"),
  invalidSubaccount: new ErrorKind("clob", 24, "invalid subaccount number"),
  unknownUnderlying: new ErrorKind("clob", 25, "unknown underlying"),
} as const;
