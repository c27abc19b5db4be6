/**
 * Public types of the order book of one option series: orders in, fills / cancellations / resting remainder
 * out, and typed rejections with stable numeric codes. Everything is an integer: prices in ticks (the tick
 * size is a series parameter outside this engine), sizes in contracts (lots), order ids assigned by the caller.
 */

export type Side = "buy" | "sell";

/**
 * GTC: rests until filled or cancelled. IOC: matches what it can now, the rest is cancelled. FOK: fills
 * completely now or is rejected. GTB: rests through block `goodTilBlock` (inclusive). GTT: rests while the
 * block time is at most `goodTilTimeNs` (inclusive).
 */
export type TimeInForce = "GTC" | "IOC" | "FOK" | "GTB" | "GTT";

/** `market` is an IOC/FOK order whose `priceTicks` is the worst price the taker accepts (a bound, never rests). */
export type OrderType = "limit" | "market";

export interface PlaceOrder {
  /** Assigned by the caller and strictly increasing per book: arrival order = id order = time priority. */
  readonly orderId: bigint;
  /** Opaque subaccount key. */
  readonly owner: string;
  readonly side: Side;
  /** Default `limit`. */
  readonly type?: OrderType;
  /** Limit price; for `market`, the worst acceptable price. Must be > 0. */
  readonly priceTicks: bigint;
  /** Must be > 0. */
  readonly sizeContracts: bigint;
  /** Default GTC for limit orders, IOC for market orders. */
  readonly timeInForce?: TimeInForce;
  /** Required for GTB, not allowed otherwise. */
  readonly goodTilBlock?: bigint;
  /** Required for GTT, not allowed otherwise. */
  readonly goodTilTimeNs?: bigint;
  /** Rejected (nothing changes) if it would take liquidity at placement; only with GTC/GTB/GTT limit orders. */
  readonly postOnly?: boolean;
  /** Size is capped so that the order can only reduce the owner's position (see PlaceContext.positionOf). */
  readonly reduceOnly?: boolean;
  /** Unique among the owner's live orders in this book; a duplicate is rejected. */
  readonly clientId?: string;
}

/** What the caller knows that the book does not: positions, and the current block for good-til checks. */
export interface PlaceContext {
  /** The owner's signed position in this series (long > 0). Required for reduce-only orders (absent = 0). */
  readonly positionOf?: (owner: string) => bigint;
  /** Current block height: a GTB order with goodTilBlock < height is rejected as already expired. */
  readonly height?: bigint;
  /** Current block time: a GTT order with goodTilTimeNs < timeNs is rejected as already expired. */
  readonly timeNs?: bigint;
}

/** A read-only snapshot of an order in the book. */
export interface OrderView {
  readonly orderId: bigint;
  readonly owner: string;
  readonly side: Side;
  readonly priceTicks: bigint;
  /** Open (resting) size. */
  readonly sizeContracts: bigint;
  /** Size requested over the order's life (original size plus amend increases) = filled + open + cancelled. */
  readonly placedContracts: bigint;
  readonly filledContracts: bigint;
  readonly timeInForce: TimeInForce;
  readonly goodTilBlock: bigint | undefined;
  readonly goodTilTimeNs: bigint | undefined;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  readonly clientId: string | undefined;
  /**
   * Time priority within the book: strictly increasing in the order orders were queued. Equals arrival order
   * except after an amend that lost priority (the order keeps its id and gets a new sequence number).
   */
  readonly seq: number;
}

export interface Fill {
  readonly makerOrderId: bigint;
  readonly makerOwner: string;
  readonly takerOrderId: bigint;
  readonly takerOwner: string;
  readonly takerSide: Side;
  /** Always the maker's price. */
  readonly priceTicks: bigint;
  readonly sizeContracts: bigint;
  /** Maker's open size after this fill (0 = fully filled and removed). */
  readonly makerRemainingContracts: bigint;
}

export type CancelReason =
  /** cancel, cancelByClientId, cancelAll */
  | "user"
  /** Resting order of the same owner that an incoming order would have matched (self-trade prevention). */
  | "self-trade"
  /** Unfilled part of an IOC or market order. */
  | "ioc-remainder"
  /** Part of a reduce-only order above the owner's closable position, cut at placement or by enforceReduceOnly. */
  | "reduce-only"
  /** Good-til-block / good-til-time passed. */
  | "expired"
  /** Size taken away by amend. */
  | "amend";

/** Size removed from an order without trading. `sizeContracts` is the amount removed, not the order's size. */
export interface Cancellation {
  readonly orderId: bigint;
  readonly owner: string;
  readonly side: Side;
  readonly priceTicks: bigint;
  readonly sizeContracts: bigint;
  readonly reason: CancelReason;
  readonly clientId: string | undefined;
  /** True if the order is no longer in the book after this cancellation. */
  readonly removed: boolean;
}

/**
 * Stable rejection codes (clients match on the number). A rejected operation changes nothing.
 * Never renumber; retire codes instead of reusing them.
 */
export const RejectCode = {
  INVALID_ORDER_ID: 1,
  ORDER_ID_NOT_INCREASING: 2,
  INVALID_OWNER: 3,
  INVALID_SIDE: 4,
  INVALID_TYPE: 5,
  INVALID_PRICE: 6,
  INVALID_SIZE: 7,
  INVALID_TIME_IN_FORCE: 8,
  INVALID_CLIENT_ID: 9,
  ALREADY_EXPIRED: 10,
  DUPLICATE_CLIENT_ID: 11,
  POST_ONLY_WOULD_CROSS: 12,
  FOK_NOT_FILLABLE: 13,
  REDUCE_ONLY_WOULD_INCREASE: 14,
  ORDER_NOT_FOUND: 15,
  CLIENT_ID_NOT_FOUND: 16,
} as const;

export type RejectName = keyof typeof RejectCode;
export type RejectCodeValue = (typeof RejectCode)[RejectName];

export interface Rejection {
  readonly code: RejectCodeValue;
  readonly name: RejectName;
  readonly message: string;
}

export interface Rejected {
  readonly ok: false;
  readonly rejection: Rejection;
}

export interface PlaceAccepted {
  readonly ok: true;
  readonly orderId: bigint;
  /** In execution order (price-time priority of the makers). */
  readonly fills: readonly Fill[];
  /**
   * In the order they happened: a reduce-only cap first, then self-trade / reduce-only cancellations of resting
   * orders as matching met them, then the IOC remainder.
   */
  readonly cancellations: readonly Cancellation[];
  /** Filled by this operation. */
  readonly filledContracts: bigint;
  /**
   * Open size resting in the book under `orderId` afterwards (0n: nothing rests). The full order is
   * `getOrder(orderId)`; it is not copied into every result because that copy was a third of the cost of a
   * passive add.
   */
  readonly restingContracts: bigint;
}

export type PlaceResult = PlaceAccepted | Rejected;

export interface AmendAccepted extends PlaceAccepted {
  /** Size added to the order (size increased); 0 otherwise. Reductions appear in `cancellations` (reason amend). */
  readonly addedContracts: bigint;
  /** False if the order kept its place in the queue (size down or no change). */
  readonly lostPriority: boolean;
}

export type AmendResult = AmendAccepted | Rejected;

export type CancelResult = { readonly ok: true; readonly cancellation: Cancellation } | Rejected;

/** One aggregated price level. */
export interface L2Level {
  readonly priceTicks: bigint;
  readonly sizeContracts: bigint;
  readonly orderCount: number;
}

export interface L2Depth {
  /** Best (highest) first. */
  readonly bids: L2Level[];
  /** Best (lowest) first. */
  readonly asks: L2Level[];
}

/** Everything needed to rebuild a book exactly (for persistence by the keeper). */
export interface BookSnapshot {
  /** Highest order id ever accepted (or -1n); the next place must use a larger id. */
  readonly lastOrderId: bigint;
  readonly nextSeq: number;
  /** Bids then asks, each in priority order (best price first, then seq). */
  readonly orders: OrderView[];
}
