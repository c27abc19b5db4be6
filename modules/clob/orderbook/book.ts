/**
 * The order book and matching engine of one option series: pure, synchronous, deterministic (no clock, no
 * randomness, no floats; results never depend on Map or Set iteration order).
 *
 * Structure (after dYdX's memclob): per side a sorted array of price levels, each a FIFO of orders (intrusive
 * doubly-linked list); an order-id hash table for O(1) cancel (idIndex.ts); per-owner order lists with client-id
 * indices and reduce-only aggregates, built only while something needs them (owners.ts); min-heaps by
 * good-til-block and good-til-time for expiry. Order nodes are kept small (rare fields in shared OrderTerms):
 * on a plain stream the engine is bound by memory traffic and allocation more than by instructions.
 *
 * Every operation validates completely before it changes anything, so a rejection leaves the book untouched.
 *
 * Semantics in brief:
 * - Price-time priority; fills are at the maker's price.
 * - Self-trade prevention: when an incoming order reaches a resting order of the same owner, the RESTING order
 *   is cancelled (reason "self-trade") and matching continues.
 * - Post-only: rejected if it would cross the opposite best at placement (even if the only crossing orders are
 *   the owner's own).
 * - FOK: the fillable quantity within the limit (excluding the owner's own orders, honouring reduce-only caps
 *   of makers) is computed first; if short, the order is rejected and nothing changes.
 * - Reduce-only: size is capped at |position| on the closing side minus the owner's resting reduce-only size
 *   on the same side (the excess is reported as a "reduce-only" cancellation); rejected if nothing is left.
 *   A resting reduce-only maker is re-capped at fill time by its owner's position (positionOf plus fills
 *   earlier in the same operation) when the caller passes positionOf; out-of-band position changes are applied
 *   with enforceReduceOnly.
 * - Amend keeps the order id. Size down at the same price keeps queue priority; a price change or a size
 *   increase is cancel-replace: the order goes to the back of the queue (new `seq`) and, at a crossing price,
 *   matches first like a new order (post-only: rejected instead).
 * - Good-til-block h rests through block h; good-til-time t rests while block time <= t. The caller runs
 *   expire(height, timeNs) before anything else in a block.
 */
import { ExpiryEntry, ExpiryHeap } from "./expiry.js";
import { hashOrderId, IdIndex } from "./idIndex.js";
import { BookSide, type Level, OrderNode, type OwnerOrders } from "./level.js";
import { OwnerIndex } from "./owners.js";
import {
  type AmendResult,
  type BookSnapshot,
  type Cancellation,
  type CancelReason,
  type CancelResult,
  type Fill,
  type L2Depth,
  type L2Level,
  type OrderView,
  type PlaceContext,
  type PlaceOrder,
  type PlaceResult,
  type Rejected,
  RejectCode,
  type RejectName,
  type Side,
  type TimeInForce,
} from "./types.js";

const NO_CONTEXT: PlaceContext = {};
/** The owner index is kept at least this many places after its last use (see maybeDropOwnerIndex). */
const OWNER_INDEX_MIN_IDLE_OPS = 1024;
/** The empty result list, shared (frozen) so that operations without fills or cancellations allocate none. */
const NONE: readonly never[] = Object.freeze([]);

function reject(name: RejectName, message: string): Rejected {
  return { ok: false, rejection: { code: RejectCode[name], name, message } };
}

function cancellation(node: OrderNode, sizeContracts: bigint, reason: CancelReason, removed: boolean): Cancellation {
  return { orderId: node.orderId, owner: node.owner, side: node.side, priceTicks: node.priceTicks, sizeContracts, reason, clientId: node.clientId, removed };
}

export function viewOf(node: OrderNode): OrderView {
  return {
    orderId: node.orderId,
    owner: node.owner,
    side: node.side,
    priceTicks: node.priceTicks,
    sizeContracts: node.remaining,
    placedContracts: node.placed,
    filledContracts: node.filled,
    timeInForce: node.timeInForce,
    goodTilBlock: node.goodTilBlock,
    goodTilTimeNs: node.goodTilTimeNs,
    postOnly: node.postOnly,
    reduceOnly: node.reduceOnly,
    clientId: node.clientId,
    seq: node.seq,
  };
}

function isLiveEntry(entry: ExpiryEntry): boolean {
  return entry.node.live && entry.node.expiry === entry;
}

/** Canonical order of a list of nodes: bids before asks, better price first, then time priority. */
function comparePriority(a: OrderNode, b: OrderNode): number {
  if (a.side !== b.side) return a.side === "buy" ? -1 : 1;
  if (a.priceTicks !== b.priceTicks) return (a.side === "buy" ? a.priceTicks > b.priceTicks : a.priceTicks < b.priceTicks) ? -1 : 1;
  return a.seq - b.seq;
}

function compareOrderId(a: OrderNode, b: OrderNode): number {
  return a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0;
}

const TIME_IN_FORCE: ReadonlySet<string> = new Set(["GTC", "IOC", "FOK", "GTB", "GTT"]);

/** Why a (type, time-in-force, flags) combination is invalid, or undefined if it is valid. */
function timeInForceProblem(order: PlaceOrder, type: string, tif: string): string | undefined {
  if (!TIME_IN_FORCE.has(tif)) return `unknown time in force ${String(tif)}`;
  const resting = tif === "GTC" || tif === "GTB" || tif === "GTT";
  if (type === "market" && resting) return "a market order must be IOC or FOK";
  if (order.postOnly === true && !resting) return "a post-only order must be able to rest (GTC, GTB or GTT)";
  if (tif === "GTB") {
    if (typeof order.goodTilBlock !== "bigint" || order.goodTilBlock < 0n) return "GTB needs goodTilBlock >= 0";
  } else if (order.goodTilBlock !== undefined) return "goodTilBlock is only for GTB";
  if (tif === "GTT") {
    if (typeof order.goodTilTimeNs !== "bigint" || order.goodTilTimeNs < 0n) return "GTT needs goodTilTimeNs >= 0";
  } else if (order.goodTilTimeNs !== undefined) return "goodTilTimeNs is only for GTT";
  return undefined;
}

/** Read access to the internals, for the invariant checker only. */
export interface BookInternals {
  readonly bids: BookSide;
  readonly asks: BookSide;
  readonly byId: IdIndex;
  /** Null while no order or query needs it (owners.ts). */
  readonly byOwner: OwnerIndex | null;
  readonly clientIdOrders: number;
  readonly gtb: ExpiryHeap;
  readonly gtt: ExpiryHeap;
  readonly lastOrderId: bigint;
  readonly nextSeq: number;
  readonly reduceOnlyBids: number;
  readonly reduceOnlyAsks: number;
}

export class OrderBook {
  private readonly bids = new BookSide(true);
  private readonly asks = new BookSide(false);
  private readonly byId = new IdIndex();
  /** Per-owner lists, built on demand and dropped when idle (owners.ts). */
  private byOwner: OwnerIndex | null = null;
  /** Live orders with a client id: with the reduce-only ones, they need (and keep) the owner index. */
  private clientIdOrders = 0;
  /** Places since something last needed the owner index (it is dropped after a while without a need). */
  private ownerIdleOps = 0;
  private readonly gtb = new ExpiryHeap(isLiveEntry);
  private readonly gtt = new ExpiryHeap(isLiveEntry);
  private lastOrderId = -1n;
  private nextSeq = 1;
  /** Number of resting reduce-only orders per side: when 0, matching skips reduce-only work entirely. */
  private reduceOnlyBids = 0;
  private reduceOnlyAsks = 0;
  /** Outputs of the operation in progress, allocated on first use (a passive add allocates neither). */
  private fillsOut: Fill[] | null = null;
  private cancelsOut: Cancellation[] | null = null;

  // ---------------------------------------------------------------------------------------------- operations

  place(order: PlaceOrder, ctx: PlaceContext = NO_CONTEXT): PlaceResult {
    const { orderId, owner, side, priceTicks, sizeContracts, clientId } = order;
    // lastOrderId >= -1n, so an id above it is also non-negative: one comparison on the accepted path.
    if (typeof orderId !== "bigint" || !(orderId > this.lastOrderId)) {
      if (typeof orderId !== "bigint" || orderId < 0n) return reject("INVALID_ORDER_ID", "order id must be a non-negative integer");
      return reject("ORDER_ID_NOT_INCREASING", `order id ${orderId} is not above the last accepted id ${this.lastOrderId}`);
    }
    if (typeof owner !== "string" || owner.length === 0) return reject("INVALID_OWNER", "owner must be a non-empty string");
    if (side !== "buy" && side !== "sell") return reject("INVALID_SIDE", "side must be buy or sell");
    const type = order.type ?? "limit";
    if (type !== "limit" && type !== "market") return reject("INVALID_TYPE", "type must be limit or market");
    if (typeof priceTicks !== "bigint" || priceTicks <= 0n) return reject("INVALID_PRICE", "price must be a positive number of ticks");
    if (typeof sizeContracts !== "bigint" || sizeContracts <= 0n) return reject("INVALID_SIZE", "size must be a positive number of contracts");
    const tif: TimeInForce = order.timeInForce ?? (type === "market" ? "IOC" : "GTC");
    // Plain GTC and IOC limit orders (most of the flow) skip the combination checks.
    const plain = type === "limit" && order.goodTilBlock === undefined && order.goodTilTimeNs === undefined && (tif === "GTC" || (tif === "IOC" && order.postOnly !== true));
    if (!plain) {
      const tifProblem = timeInForceProblem(order, type, tif);
      if (tifProblem !== undefined) return reject("INVALID_TIME_IN_FORCE", tifProblem);
    }
    if (clientId !== undefined && (typeof clientId !== "string" || clientId.length === 0)) return reject("INVALID_CLIENT_ID", "client id must be a non-empty string");
    if (tif === "GTB" && ctx.height !== undefined && order.goodTilBlock! < ctx.height) return reject("ALREADY_EXPIRED", `good-til-block ${order.goodTilBlock} is before height ${ctx.height}`);
    if (tif === "GTT" && ctx.timeNs !== undefined && order.goodTilTimeNs! < ctx.timeNs) return reject("ALREADY_EXPIRED", `good-til-time ${order.goodTilTimeNs} is before block time ${ctx.timeNs}`);
    const reduceOnly = order.reduceOnly === true;
    // Only client ids and reduce-only caps need the owner's list; plain orders never look it up.
    const ownerOrders = clientId !== undefined || reduceOnly ? this.owners_().get(owner) : undefined;
    if (clientId !== undefined && ownerOrders?.byClientId?.has(clientId) === true) return reject("DUPLICATE_CLIENT_ID", `client id ${clientId} is in use by a live order`);
    const isBuy = side === "buy";
    const postOnly = order.postOnly === true;
    if (postOnly && this.crosses(isBuy, priceTicks)) return reject("POST_ONLY_WOULD_CROSS", "post-only order would take liquidity");
    let size = sizeContracts;
    let cut = 0n;
    if (reduceOnly) {
      const position = ctx.positionOf?.(owner) ?? 0n;
      const closable = isBuy ? -position : position;
      const restingReduceOnly = ownerOrders === undefined ? 0n : isBuy ? ownerOrders.reduceOnlyBid : ownerOrders.reduceOnlyAsk;
      const cap = closable - restingReduceOnly;
      if (cap <= 0n) return reject("REDUCE_ONLY_WOULD_INCREASE", `reduce-only order would increase the position (closable ${closable}, already on reduce-only orders ${restingReduceOnly})`);
      if (size > cap) {
        cut = size - cap;
        size = cap;
      }
    }
    if (tif === "FOK" && this.fillable(isBuy, priceTicks, owner, size, ctx.positionOf) < size) return reject("FOK_NOT_FILLABLE", "fill-or-kill order cannot be filled completely");

    // Accepted: from here on nothing is refused.
    this.lastOrderId = orderId;
    const node = new OrderNode(orderId, owner, side, priceTicks, size, sizeContracts, tif, order.goodTilBlock, order.goodTilTimeNs, postOnly, reduceOnly, clientId);
    if (cut > 0n) this.emitCancel(cancellation(node, cut, "reduce-only", false));
    if (!postOnly) this.match(node, ctx.positionOf);
    const remaining = node.remaining;
    if (remaining > 0n) {
      if (tif === "IOC" || tif === "FOK") {
        this.emitCancel(cancellation(node, remaining, "ioc-remainder", true));
        node.remaining = 0n;
      } else {
        this.rest(node, ownerOrders);
      }
    }
    if (this.byOwner !== null && ++this.ownerIdleOps > OWNER_INDEX_MIN_IDLE_OPS) this.maybeDropOwnerIndex();
    return { ok: true, orderId, fills: this.takeFills(), cancellations: this.takeCancels(), filledContracts: node.filled, restingContracts: node.remaining };
  }

  cancel(orderId: bigint): CancelResult {
    const node = this.byId.get(orderId);
    if (node === undefined) return reject("ORDER_NOT_FOUND", `order ${String(orderId)} is not in the book`);
    const c = cancellation(node, node.remaining, "user", true);
    this.remove(node);
    return { ok: true, cancellation: c };
  }

  cancelByClientId(owner: string, clientId: string): CancelResult {
    // Orders with a client id keep the owner index alive: no index, no such order.
    const node = this.byOwner?.get(owner)?.byClientId?.get(clientId);
    if (node === undefined) return reject("CLIENT_ID_NOT_FOUND", `no live order of ${owner} with client id ${clientId}`);
    const c = cancellation(node, node.remaining, "user", true);
    this.remove(node);
    return { ok: true, cancellation: c };
  }

  /** Cancels the owner's orders (those `filter` accepts, if given), in order-id order. */
  cancelAll(owner: string, filter?: (order: OrderView) => boolean): Cancellation[] {
    const ownerOrders = this.owners_().get(owner);
    if (ownerOrders === undefined) return [];
    let nodes = ownerOrders.nodes();
    if (filter !== undefined) nodes = nodes.filter((n) => filter(viewOf(n)));
    nodes.sort(compareOrderId);
    const out: Cancellation[] = [];
    for (const node of nodes) {
      out.push(cancellation(node, node.remaining, "user", true));
      this.remove(node);
    }
    return out;
  }

  /**
   * Changes an order's open size (`newSizeContracts`, the size that should rest from now on) and optionally its
   * price. The order keeps its id. Same price and size down: keeps its place in the queue. Price change or size
   * up: cancel-replace (back of the queue at the new price; crossing → matches first, post-only → rejected).
   * A reduce-only order on the cancel-replace path is capped like a new one (|position| minus the owner's other
   * reduce-only orders on that side; excess reported as a "reduce-only" cancellation, rejected if nothing is left).
   */
  amend(orderId: bigint, newSizeContracts: bigint, newPriceTicks?: bigint, ctx: PlaceContext = NO_CONTEXT): AmendResult {
    const node = this.byId.get(orderId);
    if (node === undefined) return reject("ORDER_NOT_FOUND", `order ${String(orderId)} is not in the book`);
    if (typeof newSizeContracts !== "bigint" || newSizeContracts <= 0n) return reject("INVALID_SIZE", "new size must be a positive number of contracts (use cancel to remove)");
    if (newPriceTicks !== undefined && (typeof newPriceTicks !== "bigint" || newPriceTicks <= 0n)) return reject("INVALID_PRICE", "price must be a positive number of ticks");
    const price = newPriceTicks ?? node.priceTicks;
    const priceChanged = price !== node.priceTicks;
    const old = node.remaining;
    if (!priceChanged && newSizeContracts <= old) {
      if (newSizeContracts < old) {
        this.emitCancel(cancellation(node, old - newSizeContracts, "amend", false));
        this.shrink(node, old - newSizeContracts);
      }
      return { ok: true, orderId, fills: NONE, cancellations: this.takeCancels(), filledContracts: 0n, restingContracts: node.remaining, addedContracts: 0n, lostPriority: false };
    }
    const isBuy = node.side === "buy";
    if (node.postOnly && this.crosses(isBuy, price)) return reject("POST_ONLY_WOULD_CROSS", "post-only order would take liquidity at the new price");
    // A reduce-only order re-enters like a new one: capped by the position now (it may take liquidity).
    let allowed = newSizeContracts;
    if (node.reduceOnly) {
      const position = ctx.positionOf?.(node.owner) ?? 0n;
      const closable = isBuy ? -position : position;
      const others = (isBuy ? node.ownerOrders!.reduceOnlyBid : node.ownerOrders!.reduceOnlyAsk) - old;
      allowed = closable - others;
      if (allowed <= 0n) return reject("REDUCE_ONLY_WOULD_INCREASE", `reduce-only order would increase the position (closable ${closable}, on other reduce-only orders ${others})`);
    }

    // Cancel-replace under the same id.
    let added = 0n;
    if (newSizeContracts < old) this.emitCancel(cancellation(node, old - newSizeContracts, "amend", false));
    else added = newSizeContracts - old;
    this.remove(node);
    node.placed += added;
    node.remaining = newSizeContracts;
    node.priceTicks = price;
    if (newSizeContracts > allowed) {
      this.emitCancel(cancellation(node, newSizeContracts - allowed, "reduce-only", false));
      node.remaining = allowed;
    }
    const filledBefore = node.filled;
    if (!node.postOnly) this.match(node, ctx.positionOf);
    if (node.remaining > 0n) this.rest(node);
    return { ok: true, orderId, fills: this.takeFills(), cancellations: this.takeCancels(), filledContracts: node.filled - filledBefore, restingContracts: node.remaining, addedContracts: added, lostPriority: true };
  }

  /**
   * Removes good-til-block orders with goodTilBlock < height and good-til-time orders with goodTilTimeNs <
   * timeNs. Returns them: block-expired first, then time-expired, each by (deadline, order id).
   */
  expire(height: bigint, timeNs: bigint): Cancellation[] {
    const out: Cancellation[] = [];
    for (const heap of [this.gtb, this.gtt]) {
      for (const entry of heap.popBefore(heap === this.gtb ? height : timeNs)) {
        const node = entry.node;
        node.expiry = null;
        out.push(cancellation(node, node.remaining, "expired", true));
        this.remove(node);
      }
    }
    return out;
  }

  /**
   * Brings the owner's resting reduce-only orders in line with a position that changed outside this book's
   * matching (settlement, liquidation, transfers, fills the caller applied late): orders on the side that would
   * increase the position are cancelled; on the closing side the newest are cut first so that their total is at
   * most |position|. Cuts keep priority.
   */
  enforceReduceOnly(owner: string, positionContracts: bigint): Cancellation[] {
    // Reduce-only orders keep the owner index alive: no index, no reduce-only order to enforce.
    const ownerOrders = this.byOwner?.get(owner);
    if (ownerOrders === undefined || ownerOrders.reduceOnlyBid + ownerOrders.reduceOnlyAsk === 0n) return [];
    const closingSide: Side | undefined = positionContracts > 0n ? "sell" : positionContracts < 0n ? "buy" : undefined;
    const nodes = ownerOrders.nodes().filter((n) => n.reduceOnly);
    nodes.sort((a, b) => a.seq - b.seq);
    let allowance = positionContracts < 0n ? -positionContracts : positionContracts;
    const out: Cancellation[] = [];
    for (const node of nodes) {
      if (node.side !== closingSide || allowance === 0n) {
        out.push(cancellation(node, node.remaining, "reduce-only", true));
        this.remove(node);
      } else if (node.remaining <= allowance) {
        allowance -= node.remaining;
      } else {
        out.push(cancellation(node, node.remaining - allowance, "reduce-only", false));
        this.shrink(node, node.remaining - allowance);
        allowance = 0n;
      }
    }
    // Report in order-id order like cancelAll.
    return out.sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  }

  // ---------------------------------------------------------------------------------------------- queries

  bestBid(): bigint | undefined {
    return this.bids.best()?.priceTicks;
  }

  bestAsk(): bigint | undefined {
    return this.asks.best()?.priceTicks;
  }

  /** The time-priority sequence number the next resting order gets (persisted by the keeper with the book). */
  get nextSequence(): number {
    return this.nextSeq;
  }

  /** Highest order id ever accepted (or -1n). */
  get lastAcceptedOrderId(): bigint {
    return this.lastOrderId;
  }

  /** Number of orders resting in the book. */
  get orderCount(): number {
    return this.byId.size;
  }

  levelCount(side: Side): number {
    return (side === "buy" ? this.bids : this.asks).levels.length;
  }

  /** Aggregated levels, best first, at most `maxLevels` per side. */
  depth(maxLevels = Number.MAX_SAFE_INTEGER): L2Depth {
    const side = (s: BookSide): L2Level[] => {
      const out: L2Level[] = [];
      const levels = s.levels;
      for (let i = levels.length - 1; i >= 0 && out.length < maxLevels; i--) {
        const l = levels[i]!;
        out.push({ priceTicks: l.priceTicks, sizeContracts: l.total, orderCount: l.count });
      }
      return out;
    };
    return { bids: side(this.bids), asks: side(this.asks) };
  }

  /** Orders of one side in priority order (best price first, then time), at most `maxOrders`. */
  l3(side: Side, maxOrders = Number.MAX_SAFE_INTEGER): OrderView[] {
    const out: OrderView[] = [];
    for (const node of this.nodesInPriority(side)) {
      if (out.length >= maxOrders) break;
      out.push(viewOf(node));
    }
    return out;
  }

  getOrder(orderId: bigint): OrderView | undefined {
    const node = this.byId.get(orderId);
    return node === undefined ? undefined : viewOf(node);
  }

  getByClientId(owner: string, clientId: string): OrderView | undefined {
    const node = this.byOwner?.get(owner)?.byClientId?.get(clientId);
    return node === undefined ? undefined : viewOf(node);
  }

  /** The owner's orders: bids then asks, each best price first, then time priority. */
  ordersOf(owner: string): OrderView[] {
    const nodes = this.owners_().get(owner)?.nodes() ?? [];
    return nodes.sort(comparePriority).map(viewOf);
  }

  /** Owners with live orders, sorted (code-unit order, locale independent). */
  owners(): string[] {
    return this.owners_().owners();
  }

  snapshot(): BookSnapshot {
    const orders: OrderView[] = [];
    for (const side of ["buy", "sell"] as const) for (const node of this.nodesInPriority(side)) orders.push(viewOf(node));
    return { lastOrderId: this.lastOrderId, nextSeq: this.nextSeq, orders };
  }

  /** Rebuilds a book from a snapshot; throws if the snapshot is inconsistent (corrupt state is a bug). */
  static restore(snapshot: BookSnapshot): OrderBook {
    const book = new OrderBook();
    book.lastOrderId = snapshot.lastOrderId;
    for (const v of snapshot.orders) {
      if (book.byId.has(v.orderId) || v.orderId > snapshot.lastOrderId) throw new Error(`snapshot: bad order id ${v.orderId}`);
      if (v.sizeContracts <= 0n || v.priceTicks <= 0n || v.placedContracts < v.sizeContracts + v.filledContracts) throw new Error(`snapshot: bad sizes on order ${v.orderId}`);
      if (!Number.isSafeInteger(v.seq) || v.seq <= 0 || v.seq >= snapshot.nextSeq) throw new Error(`snapshot: bad seq on order ${v.orderId}`);
      const node = new OrderNode(v.orderId, v.owner, v.side, v.priceTicks, v.sizeContracts, v.placedContracts, v.timeInForce, v.goodTilBlock, v.goodTilTimeNs, v.postOnly, v.reduceOnly, v.clientId);
      node.filled = v.filledContracts;
      const tail = (v.side === "buy" ? book.bids : book.asks).levelFor(v.priceTicks).tail;
      if (tail !== null && tail.seq >= v.seq) throw new Error(`snapshot: orders out of priority order at ${v.orderId}`);
      if (v.clientId !== undefined && book.byOwner?.get(v.owner)?.byClientId?.has(v.clientId) === true) throw new Error(`snapshot: duplicate client id ${v.clientId}`);
      book.nextSeq = v.seq;
      book.rest(node);
    }
    book.nextSeq = snapshot.nextSeq;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid !== undefined && ask !== undefined && bid >= ask) throw new Error("snapshot: crossed book");
    return book;
  }

  /** @internal For the invariant checker (invariants.ts); not part of the API. */
  internals(): BookInternals {
    return {
      bids: this.bids,
      asks: this.asks,
      byId: this.byId,
      byOwner: this.byOwner,
      clientIdOrders: this.clientIdOrders,
      gtb: this.gtb,
      gtt: this.gtt,
      lastOrderId: this.lastOrderId,
      nextSeq: this.nextSeq,
      reduceOnlyBids: this.reduceOnlyBids,
      reduceOnlyAsks: this.reduceOnlyAsks,
    };
  }

  // ---------------------------------------------------------------------------------------------- internals

  private *nodesInPriority(side: Side): Generator<OrderNode> {
    const levels = (side === "buy" ? this.bids : this.asks).levels;
    for (let i = levels.length - 1; i >= 0; i--) for (let n = levels[i]!.head; n !== null; n = n.next) yield n;
  }

  /** The owner index, built now if absent; resets its idle count (something needs it). */
  private owners_(): OwnerIndex {
    this.ownerIdleOps = 0;
    return (this.byOwner ??= OwnerIndex.build(this.bids, this.asks));
  }

  /**
   * Drops the owner index once nothing has needed it for more operations than it holds orders (so that
   * rebuilding it later costs less than maintaining it did) and no live order keeps per-owner state.
   */
  private maybeDropOwnerIndex(): void {
    if (this.ownerIdleOps <= 2 * this.byId.size || this.clientIdOrders > 0 || this.reduceOnlyBids + this.reduceOnlyAsks > 0) return;
    OwnerIndex.clearLinks(this.bids, this.asks);
    this.byOwner = null;
  }

  /** Whether a `isBuy` order at `price` would cross the opposite best. */
  private crosses(isBuy: boolean, price: bigint): boolean {
    const best = (isBuy ? this.asks : this.bids).best();
    return best !== undefined && (isBuy ? best.priceTicks <= price : best.priceTicks >= price);
  }

  /**
   * How much of `needed` an order of `owner` limited at `limit` would fill now: the same walk as match()
   * without changing anything (skips the owner's own orders, caps reduce-only makers by position).
   */
  private fillable(isBuy: boolean, limit: bigint, owner: string, needed: bigint, positionOf: ((owner: string) => bigint) | undefined): bigint {
    const levels = (isBuy ? this.asks : this.bids).levels;
    // Without the owner index the owner's own orders are unknown: walk the orders (FOK only, bounded by `needed`).
    const ownerOrders = this.byOwner?.get(owner);
    const selfOpposite = this.byOwner === null ? 1 : ownerOrders === undefined ? 0 : isBuy ? ownerOrders.askCount : ownerOrders.bidCount;
    const reduceOnlyOpposite = positionOf === undefined ? 0 : isBuy ? this.reduceOnlyAsks : this.reduceOnlyBids;
    let deltas: Map<string, bigint> | undefined;
    let acc = 0n;
    for (let i = levels.length - 1; i >= 0 && acc < needed; i--) {
      const level = levels[i]!;
      if (isBuy ? level.priceTicks > limit : level.priceTicks < limit) break;
      if (selfOpposite === 0 && reduceOnlyOpposite === 0) {
        acc += level.total;
        continue;
      }
      for (let n = level.head; n !== null && acc < needed; n = n.next) {
        if (n.owner === owner) continue;
        const want = needed - acc;
        let q = n.remaining < want ? n.remaining : want;
        if (reduceOnlyOpposite > 0) {
          deltas ??= new Map();
          const delta = deltas.get(n.owner) ?? 0n;
          if (n.reduceOnly) {
            const position = positionOf!(n.owner) + delta;
            const closable = n.side === "buy" ? -position : position;
            if (closable <= 0n) continue;
            if (q > closable) q = closable;
          }
          deltas.set(n.owner, delta + (n.side === "buy" ? q : -q));
        }
        acc += q;
      }
    }
    return acc;
  }

  /** Matches `taker` (not resting) against the opposite side; updates taker.remaining / taker.filled. */
  private match(taker: OrderNode, positionOf: ((owner: string) => bigint) | undefined): void {
    const isBuy = taker.side === "buy";
    const opposite = isBuy ? this.asks : this.bids;
    const limit = taker.priceTicks;
    const owner = taker.owner;
    const takerOrderId = taker.orderId;
    const takerSide = taker.side;
    // Nothing to take (most limit orders): leave before any bookkeeping.
    const top = opposite.best();
    if (top === undefined || (isBuy ? top.priceTicks > limit : top.priceTicks < limit)) return;
    // Position deltas of makers' owners within this operation, kept only if reduce-only makers may be met.
    const deltas: Map<string, bigint> | undefined = positionOf !== undefined && (isBuy ? this.reduceOnlyAsks : this.reduceOnlyBids) > 0 ? new Map() : undefined;
    const initial = taker.remaining;
    let remaining = initial;
    while (remaining > 0n) {
      const level = opposite.best();
      if (level === undefined) break;
      const price = level.priceTicks;
      if (isBuy ? price > limit : price < limit) break;
      let maker = level.head;
      while (maker !== null && remaining > 0n) {
        const next = maker.next;
        if (maker.owner === owner) {
          this.emitCancel(cancellation(maker, maker.remaining, "self-trade", true));
          this.removeFromLevel(maker, level);
          maker = next;
          continue;
        }
        if (deltas !== undefined && maker.reduceOnly) {
          const position = positionOf!(maker.owner) + (deltas.get(maker.owner) ?? 0n);
          const closable = maker.side === "buy" ? -position : position;
          if (closable <= 0n) {
            this.emitCancel(cancellation(maker, maker.remaining, "reduce-only", true));
            this.removeFromLevel(maker, level);
            maker = next;
            continue;
          }
          if (maker.remaining > closable) {
            this.emitCancel(cancellation(maker, maker.remaining - closable, "reduce-only", false));
            this.shrink(maker, maker.remaining - closable);
          }
        }
        const makerRemaining = maker.remaining;
        const q = makerRemaining < remaining ? makerRemaining : remaining;
        const left = makerRemaining - q;
        remaining -= q;
        const fill: Fill = { makerOrderId: maker.orderId, makerOwner: maker.owner, takerOrderId, takerOwner: owner, takerSide, priceTicks: price, sizeContracts: q, makerRemainingContracts: left };
        if (this.fillsOut === null) this.fillsOut = [fill];
        else this.fillsOut.push(fill);
        maker.filled += q;
        if (deltas !== undefined) deltas.set(maker.owner, (deltas.get(maker.owner) ?? 0n) + (isBuy ? -q : q));
        if (left === 0n) {
          this.removeFromLevel(maker, level);
          maker.remaining = 0n;
        } else {
          this.shrink(maker, q);
        }
        maker = next;
      }
      if (level.count === 0) opposite.remove(level);
    }
    if (remaining !== initial) {
      taker.filled += initial - remaining;
      taker.remaining = remaining;
    }
  }

  private emitCancel(c: Cancellation): void {
    if (this.cancelsOut === null) this.cancelsOut = [c];
    else this.cancelsOut.push(c);
  }

  /** Hands out the fills collected by the current operation (the shared empty array if none). */
  private takeFills(): readonly Fill[] {
    const out = this.fillsOut;
    this.fillsOut = null;
    return out ?? NONE;
  }

  private takeCancels(): readonly Cancellation[] {
    const out = this.cancelsOut;
    this.cancelsOut = null;
    return out ?? NONE;
  }

  /** Takes `by` contracts off a resting order without changing its place in the queue. */
  private shrink(node: OrderNode, by: bigint): void {
    node.remaining -= by;
    node.level!.total -= by;
    if (node.reduceOnly) {
      if (node.side === "buy") node.ownerOrders!.reduceOnlyBid -= by;
      else node.ownerOrders!.reduceOnlyAsk -= by;
    }
  }

  /**
   * Puts an order at the back of its price level's queue and into every index. `known` is the owner's list if
   * the caller already looked it up before matching (matching may have emptied and dropped it since).
   */
  private rest(node: OrderNode, known?: OwnerOrders): void {
    node.seq = this.nextSeq++;
    const isBuy = node.side === "buy";
    (isBuy ? this.bids : this.asks).levelFor(node.priceTicks).push(node);
    node.idHash = hashOrderId(node.orderId);
    this.byId.add(node);
    const owners = this.byOwner;
    if (owners !== null) {
      if (known !== undefined && known.count > 0) known.link(node);
      else owners.link(node);
    } else if (node.clientId !== undefined || node.reduceOnly) {
      this.owners_(); // builds the index from the levels, this order included
    }
    if (node.clientId !== undefined) this.clientIdOrders++;
    if (node.reduceOnly) {
      if (isBuy) this.reduceOnlyBids++;
      else this.reduceOnlyAsks++;
    }
    if (node.goodTilBlock !== undefined) {
      node.expiry = new ExpiryEntry(node.goodTilBlock, node);
      this.gtb.push(node.expiry);
    } else if (node.goodTilTimeNs !== undefined) {
      node.expiry = new ExpiryEntry(node.goodTilTimeNs, node);
      this.gtt.push(node.expiry);
    }
  }

  /** Takes a resting order out of the book entirely (level, and its level if it empties, and every index). */
  private remove(node: OrderNode): void {
    const level = node.level!;
    this.removeFromLevel(node, level);
    if (level.count === 0) (node.side === "buy" ? this.bids : this.asks).remove(level);
  }

  /** Unlinks a resting order from its level (which the caller removes if empty) and from every index. */
  private removeFromLevel(node: OrderNode, level: Level): void {
    level.unlink(node);
    this.byId.remove(node);
    if (this.byOwner !== null) this.byOwner.unlink(node);
    if (node.clientId !== undefined) this.clientIdOrders--;
    if (node.reduceOnly) {
      if (node.side === "buy") this.reduceOnlyBids--;
      else this.reduceOnlyAsks--;
    }
    if (node.expiry !== null) {
      node.expiry = null;
      (node.goodTilBlock !== undefined ? this.gtb : this.gtt).markStale();
    }
  }
}
