/**
 * The pure order book and matching engine of one option series (no store, no I/O). See book.ts for the
 * semantics of every operation and types.ts for the shapes in and out.
 */
export { OrderBook } from "./book.js";
export { assertBookInvariants, checkBookInvariants } from "./invariants.js";
export { RejectCode } from "./types.js";
export type {
  AmendAccepted,
  AmendResult,
  BookSnapshot,
  Cancellation,
  CancelReason,
  CancelResult,
  Fill,
  L2Depth,
  L2Level,
  OrderType,
  OrderView,
  PlaceAccepted,
  PlaceContext,
  PlaceOrder,
  PlaceResult,
  Rejected,
  Rejection,
  RejectCodeValue,
  RejectName,
  Side,
  TimeInForce,
} from "./types.js";
