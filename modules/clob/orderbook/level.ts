/**
 * The book's internal structures: an order node (an element of its price level's intrusive doubly-linked FIFO),
 * a price level (FIFO + aggregated size), and one side of the book (levels in a sorted array, best level last,
 * so that taking or adding at the touch is a push/pop and a lookup is a binary search over a few hundred levels).
 *
 * Nothing here is exported from the module's index: callers see OrderView snapshots, never nodes.
 */
import type { ExpiryEntry } from "./expiry.js";
import type { Side, TimeInForce } from "./types.js";

export class OrderNode {
  /** FIFO neighbours within the level (null at the ends). */
  prev: OrderNode | null = null;
  next: OrderNode | null = null;
  /** The level the order rests in; null while not resting (taking, or removed). */
  level: Level | null = null;
  /** False once the order has left the book (filled, cancelled, expired). */
  live = false;
  /** Time priority (book-local counter). */
  seq = 0;
  filled = 0n;
  /** The order's entry in the expiry index (good-til orders only). */
  expiry: ExpiryEntry | null = null;
  /** Neighbours in the owner's list of live orders, and that list (set while the order is in the book). */
  ownerPrev: OrderNode | null = null;
  ownerNext: OrderNode | null = null;
  ownerOrders: OwnerOrders | null = null;

  constructor(
    readonly orderId: bigint,
    readonly owner: string,
    readonly side: Side,
    public priceTicks: bigint,
    /** Open size. */
    public remaining: bigint,
    /** Size accepted over the order's life. */
    public placed: bigint,
    readonly timeInForce: TimeInForce,
    readonly goodTilBlock: bigint | undefined,
    readonly goodTilTimeNs: bigint | undefined,
    readonly postOnly: boolean,
    readonly reduceOnly: boolean,
    readonly clientId: string | undefined,
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
    node.ownerOrders = this;
    node.ownerPrev = null;
    node.ownerNext = this.head;
    if (this.head !== null) this.head.ownerPrev = node;
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
    const { ownerPrev, ownerNext } = node;
    if (ownerPrev === null) this.head = ownerNext;
    else ownerPrev.ownerNext = ownerNext;
    if (ownerNext !== null) ownerNext.ownerPrev = ownerPrev;
    node.ownerPrev = null;
    node.ownerNext = null;
    node.ownerOrders = null;
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
    for (let n = this.head; n !== null; n = n.ownerNext) out.push(n);
    return out;
  }
}

export class Level {
  head: OrderNode | null = null;
  tail: OrderNode | null = null;
  count = 0;
  total = 0n;

  constructor(readonly priceTicks: bigint) {}

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
    if (this.isBid) {
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const p = levels[mid]!.priceTicks;
        if (p < price) lo = mid + 1;
        else if (p > price) hi = mid - 1;
        else return mid;
      }
    } else {
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
