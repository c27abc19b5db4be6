/**
 * The book's internal structures: an order node (an element of its price level's intrusive doubly-linked FIFO),
 * a price level (FIFO + aggregated size), and one side of the book (levels in a sorted array, best level last, so that taking or adding at the touch is
 * a push/pop and a lookup is a binary search over a few hundred levels).
 *
 * Nothing here is exported from the module's index: callers see OrderView snapshots, never nodes.
 */
import type { ExpiryEntry } from "./expiry.js";
import type { Side, TimeInForce } from "./types.js";

/**
 * Fields are declared (not initialised by class-field semantics) and assigned once in the constructor, hot ones
 * first, so that a node is built in one pass and what cancel and matching read sits in its first cache lines.
 */
export class OrderNode {
  /** The level the order rests in; null while not resting (taking, or removed). */
  declare level: Level | null;
  /** FIFO neighbours within the level (null at the ends). */
  declare prev: OrderNode | null;
  declare next: OrderNode | null;
  /** Open size. */
  declare remaining: bigint;
  declare readonly orderId: bigint;
  declare readonly owner: string;
  declare priceTicks: bigint;
  /** hashOrderId(orderId), set when the order rests (its slot in the order-id index). */
  declare idHash: number;
  /** Side, time in force, good-til fields, flags, client id, expiry entry: shared by plain orders (termsFor). */
  declare readonly terms: OrderTerms;
  declare filled: bigint;
  /** Time priority (book-local counter). */
  declare seq: number;
  /** Size accepted over the order's life. */
  declare placed: bigint;
  /** The order's place in its owner's list, while the owner index holds it (allocated only then). */
  declare owned: OwnerLink | null;

  constructor(
    orderId: bigint,
    owner: string,
    side: Side,
    priceTicks: bigint,
    remaining: bigint,
    placed: bigint,
    timeInForce: TimeInForce,
    goodTilBlock: bigint | undefined,
    goodTilTimeNs: bigint | undefined,
    postOnly: boolean,
    reduceOnly: boolean,
    clientId: string | undefined,
  ) {
    this.level = null;
    this.prev = null;
    this.next = null;
    this.remaining = remaining;
    this.orderId = orderId;
    this.owner = owner;
    this.priceTicks = priceTicks;
    this.idHash = 0;
    this.terms = termsFor(side, timeInForce, goodTilBlock, goodTilTimeNs, postOnly, reduceOnly, clientId);
    this.filled = 0n;
    this.seq = 0;
    this.placed = placed;
    this.owned = null;
  }

  /** True while the order rests in the book (it has a level); false while taking and once it has left. */
  get live(): boolean {
    return this.level !== null;
  }

  get side(): Side {
    return this.terms.side;
  }

  get timeInForce(): TimeInForce {
    return this.terms.timeInForce;
  }

  get goodTilBlock(): bigint | undefined {
    return this.terms.goodTilBlock;
  }

  get goodTilTimeNs(): bigint | undefined {
    return this.terms.goodTilTimeNs;
  }

  get postOnly(): boolean {
    return this.terms.postOnly;
  }

  get reduceOnly(): boolean {
    return this.terms.reduceOnly;
  }

  get clientId(): string | undefined {
    return this.terms.clientId;
  }

  /** Neighbours in the owner's list and that list (null while the owner index does not hold the order). */
  get ownerPrev(): OrderNode | null {
    return this.owned === null ? null : this.owned.prev;
  }

  get ownerNext(): OrderNode | null {
    return this.owned === null ? null : this.owned.next;
  }

  get ownerOrders(): OwnerOrders | null {
    return this.owned === null ? null : this.owned.list;
  }

  /** The order's entry in the expiry index (good-til orders only, which never share their terms). */
  get expiry(): ExpiryEntry | null {
    return this.terms.expiry;
  }

  set expiry(entry: ExpiryEntry | null) {
    this.terms.expiry = entry;
  }
}

/** The rarely-set part of an order, kept out of OrderNode so that nodes stay small. */
export class OrderTerms {
  /** Set only on a good-til order's own terms. */
  expiry: ExpiryEntry | null = null;

  constructor(
    readonly side: Side,
    readonly timeInForce: TimeInForce,
    readonly goodTilBlock: bigint | undefined,
    readonly goodTilTimeNs: bigint | undefined,
    readonly postOnly: boolean,
    readonly reduceOnly: boolean,
    readonly clientId: string | undefined,
  ) {}
}

const plainTerms = (side: Side, timeInForce: TimeInForce) => new OrderTerms(side, timeInForce, undefined, undefined, false, false, undefined);
const BUY_GTC = plainTerms("buy", "GTC");
const BUY_IOC = plainTerms("buy", "IOC");
const BUY_FOK = plainTerms("buy", "FOK");
const SELL_GTC = plainTerms("sell", "GTC");
const SELL_IOC = plainTerms("sell", "IOC");
const SELL_FOK = plainTerms("sell", "FOK");

/** Shared terms for orders with nothing but a plain time in force (no expiry entry is ever set on those). */
function termsFor(
  side: Side,
  timeInForce: TimeInForce,
  goodTilBlock: bigint | undefined,
  goodTilTimeNs: bigint | undefined,
  postOnly: boolean,
  reduceOnly: boolean,
  clientId: string | undefined,
): OrderTerms {
  if (goodTilBlock === undefined && goodTilTimeNs === undefined && !postOnly && !reduceOnly && clientId === undefined) {
    if (timeInForce === "GTC") return side === "buy" ? BUY_GTC : SELL_GTC;
    if (timeInForce === "IOC") return side === "buy" ? BUY_IOC : SELL_IOC;
    if (timeInForce === "FOK") return side === "buy" ? BUY_FOK : SELL_FOK;
  }
  return new OrderTerms(side, timeInForce, goodTilBlock, goodTilTimeNs, postOnly, reduceOnly, clientId);
}

/** An order's links in its owner's list. */
export class OwnerLink {
  prev: OrderNode | null = null;

  constructor(
    readonly list: OwnerOrders,
    public next: OrderNode | null,
  ) {}
}

/** One owner's live orders in this book: an intrusive list (unordered), client ids, per-side aggregates. */
export class OwnerOrders {
  head: OrderNode | null = null;
  count = 0;
  bidCount = 0;
  askCount = 0;
  /** Open size of the owner's resting reduce-only orders per side. */
  reduceOnlyBid = 0n;
  reduceOnlyAsk = 0n;
  /** Created on first use: most owners never use client ids. */
  byClientId: Map<string, OrderNode> | null = null;

  constructor(readonly owner: string) {}

  link(node: OrderNode): void {
    node.owned = new OwnerLink(this, this.head);
    if (this.head !== null) this.head.owned!.prev = node;
    this.head = node;
    this.count++;
    if (node.side === "buy") {
      this.bidCount++;
      if (node.reduceOnly) this.reduceOnlyBid += node.remaining;
    } else {
      this.askCount++;
      if (node.reduceOnly) this.reduceOnlyAsk += node.remaining;
    }
    if (node.clientId !== undefined) (this.byClientId ??= new Map()).set(node.clientId, node);
  }

  unlink(node: OrderNode): void {
    const { prev, next } = node.owned!;
    if (prev === null) this.head = next;
    else prev.owned!.next = next;
    if (next !== null) next.owned!.prev = prev;
    node.owned = null;
    this.count--;
    if (node.side === "buy") {
      this.bidCount--;
      if (node.reduceOnly) this.reduceOnlyBid -= node.remaining;
    } else {
      this.askCount--;
      if (node.reduceOnly) this.reduceOnlyAsk -= node.remaining;
    }
    if (node.clientId !== undefined) this.byClientId!.delete(node.clientId);
  }

  nodes(): OrderNode[] {
    const out: OrderNode[] = [];
    for (let n = this.head; n !== null; n = n.owned!.next) out.push(n);
    return out;
  }
}

/** One price level: a FIFO of orders (intrusive doubly-linked list, oldest first) and its aggregates. */
export class Level {
  declare head: OrderNode | null;
  declare tail: OrderNode | null;
  declare count: number;
  declare total: bigint;
  declare readonly priceTicks: bigint;

  constructor(priceTicks: bigint) {
    this.head = null;
    this.tail = null;
    this.count = 0;
    this.total = 0n;
    this.priceTicks = priceTicks;
  }

  /** Appends at the back of the queue (lowest time priority at this price). */
  push(node: OrderNode): void {
    node.level = this;
    node.prev = this.tail;
    node.next = null;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.count++;
    this.total += node.remaining;
  }

  /** Unlinks a node from the queue; the caller removes the level if it becomes empty. */
  unlink(node: OrderNode): void {
    const { prev, next } = node;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    node.level = null;
    this.count--;
    this.total -= node.remaining;
  }
}

/** Levels next to the touch that a lookup checks one by one before bisecting. */
const NEAR_TOUCH_LEVELS = 4;

/**
 * One side's levels in a sorted array with the best level LAST: bids ascending by price, asks descending.
 * Orders cluster near the touch, so inserting or removing a level is a short splice at the end of the array.
 */
export class BookSide {
  readonly levels: Level[] = [];

  constructor(readonly isBid: boolean) {}

  best(): Level | undefined {
    const levels = this.levels;
    return levels[levels.length - 1];
  }

  /**
   * Index of the level at `price` if present, else -(insertion index) - 1. "Before" in array order means worse
   * for the side: lower price for bids, higher for asks.
   */
  search(price: bigint): number {
    const levels = this.levels;
    let lo = 0;
    let hi = levels.length - 1;
    // Most lookups are within a few levels of the touch: walk those from the best end, then bisect the rest.
    const stop = hi - NEAR_TOUCH_LEVELS;
    if (this.isBid) {
      for (; hi >= 0 && hi > stop; hi--) {
        const p = levels[hi]!.priceTicks;
        if (p === price) return hi;
        if (p < price) return -(hi + 1) - 1;
      }
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = levels[mid]!.priceTicks;
        if (p < price) lo = mid + 1;
        else if (p > price) hi = mid - 1;
        else return mid;
      }
    } else {
      for (; hi >= 0 && hi > stop; hi--) {
        const p = levels[hi]!.priceTicks;
        if (p === price) return hi;
        if (p > price) return -(hi + 1) - 1;
      }
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = levels[mid]!.priceTicks;
        if (p > price) lo = mid + 1;
        else if (p < price) hi = mid - 1;
        else return mid;
      }
    }
    return -lo - 1;
  }

  /** The level at `price`, created (and inserted in order) if absent. */
  levelFor(price: bigint): Level {
    const levels = this.levels;
    const n = levels.length;
    if (n > 0) {
      const best = levels[n - 1]!;
      if (best.priceTicks === price) return best;
      // Fast path: a new best level (price improves on the touch).
      if (this.isBid ? price > best.priceTicks : price < best.priceTicks) {
        const level = new Level(price);
        levels.push(level);
        return level;
      }
    } else {
      const level = new Level(price);
      levels.push(level);
      return level;
    }
    const i = this.search(price);
    if (i >= 0) return levels[i]!;
    const level = new Level(price);
    levels.splice(-i - 1, 0, level);
    return level;
  }

  /** Removes an (empty) level. */
  remove(level: Level): void {
    const levels = this.levels;
    if (levels[levels.length - 1] === level) {
      levels.pop();
      return;
    }
    const i = this.search(level.priceTicks);
    if (i >= 0 && levels[i] === level) levels.splice(i, 1);
  }
}
