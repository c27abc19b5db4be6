/**
 * Order-book consistency (reliability matrix I5): the book is derived three independent ways and the
 * derivations must agree —
 *   A. walking the price levels and their FIFO queues,
 *   B. the order-id index,
 *   C. the per-owner lists (with client-id indices and reduce-only aggregates);
 * plus level aggregates recomputed from their orders, sorted non-empty levels, an uncrossed book, no zero-size
 * order, FIFO time priority, and an expiry entry for every good-til order. Returns the violations (empty when
 * consistent). Cost is linear in the book: for tests and test-build block hooks, not the hot path.
 */
import type { OrderBook } from "./book.js";
import type { BookSide, OrderNode } from "./level.js";
import type { OwnerIndex } from "./owners.js";

export function checkBookInvariants(book: OrderBook): string[] {
  const s = book.internals();
  const errors: string[] = [];
  const fail = (message: string) => {
    if (errors.length < 50) errors.push(message);
  };

  // A. levels
  const fromLevels = new Map<bigint, OrderNode>();
  const ownerFromLevels = new Map<string, OwnerTally>();
  const reduceOnlyCount = { buy: 0, sell: 0 };
  const walk = (side: BookSide, name: "buy" | "sell") => {
    const levels = side.levels;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      if (i > 0) {
        const prev = levels[i - 1]!.priceTicks;
        const ordered = side.isBid ? prev < level.priceTicks : prev > level.priceTicks;
        if (!ordered) fail(`${name} levels out of order at index ${i} (${prev} then ${level.priceTicks})`);
      }
      if (level.priceTicks <= 0n) fail(`${name} level at non-positive price ${level.priceTicks}`);
      let count = 0;
      let total = 0n;
      let prev: OrderNode | null = null;
      for (let n = level.head; n !== null; n = n.next) {
        count++;
        total += n.remaining;
        if (n.prev !== prev) fail(`order ${n.orderId}: broken prev link`);
        if (prev !== null && prev.seq >= n.seq) fail(`order ${n.orderId}: FIFO out of time priority (seq ${prev.seq} before ${n.seq})`);
        if (n.level !== level) fail(`order ${n.orderId}: level pointer does not match its level`);
        if (n.side !== name) fail(`order ${n.orderId}: ${n.side} order on the ${name} side`);
        if (n.priceTicks !== level.priceTicks) fail(`order ${n.orderId}: price ${n.priceTicks} in level ${level.priceTicks}`);
        if (n.remaining <= 0n) fail(`order ${n.orderId}: rests with size ${n.remaining}`);
        if (!n.live) fail(`order ${n.orderId}: in a level but not live`);
        if (n.placed < n.remaining + n.filled) fail(`order ${n.orderId}: placed ${n.placed} < open ${n.remaining} + filled ${n.filled}`);
        if (n.seq <= 0 || n.seq >= s.nextSeq) fail(`order ${n.orderId}: seq ${n.seq} outside (0, ${s.nextSeq})`);
        if (n.orderId > s.lastOrderId) fail(`order ${n.orderId}: above the last accepted id ${s.lastOrderId}`);
        if (fromLevels.has(n.orderId)) fail(`order ${n.orderId}: appears twice in the levels`);
        fromLevels.set(n.orderId, n);
        let o = ownerFromLevels.get(n.owner);
        if (o === undefined) ownerFromLevels.set(n.owner, (o = { count: 0, bids: 0, asks: 0, roBid: 0n, roAsk: 0n }));
        o.count++;
        if (n.side === "buy") {
          o.bids++;
          if (n.reduceOnly) o.roBid += n.remaining;
        } else {
          o.asks++;
          if (n.reduceOnly) o.roAsk += n.remaining;
        }
        if (n.reduceOnly) reduceOnlyCount[name]++;
        prev = n;
      }
      if (level.tail !== prev) fail(`${name} level ${level.priceTicks}: tail pointer wrong`);
      if (count === 0) fail(`${name} level ${level.priceTicks} is empty but present`);
      if (count !== level.count) fail(`${name} level ${level.priceTicks}: count ${level.count}, orders ${count}`);
      if (total !== level.total) fail(`${name} level ${level.priceTicks}: total ${level.total}, orders sum ${total}`);
    }
  };
  walk(s.bids, "buy");
  walk(s.asks, "sell");
  const bestBid = s.bids.best()?.priceTicks;
  const bestAsk = s.asks.best()?.priceTicks;
  if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) fail(`crossed book: best bid ${bestBid} >= best ask ${bestAsk}`);
  if (reduceOnlyCount.buy !== s.reduceOnlyBids || reduceOnlyCount.sell !== s.reduceOnlyAsks) {
    fail(`reduce-only counters ${s.reduceOnlyBids}/${s.reduceOnlyAsks}, levels ${reduceOnlyCount.buy}/${reduceOnlyCount.sell}`);
  }

  // B. order-id index
  if (s.byId.size !== fromLevels.size) fail(`order index holds ${s.byId.size} orders, levels ${fromLevels.size}`);
  for (const node of s.byId.values()) {
    const id = node.orderId;
    if (s.byId.get(id) !== node) fail(`order index does not find order ${id} under its id`);
    if (fromLevels.get(id) !== node) fail(`order ${id} is in the order index but not in the levels`);
  }

  // C. owner index (absent while nothing needs it: then no order may carry per-owner state or stale links)
  let clientIdCount = 0;
  for (const n of fromLevels.values()) {
    if (n.clientId !== undefined) clientIdCount++;
    if (s.byOwner === null && (n.clientId !== undefined || n.reduceOnly)) fail(`order ${n.orderId}: has a client id or is reduce-only but there is no owner index`);
    if (s.byOwner === null && (n.ownerOrders !== null || n.ownerPrev !== null || n.ownerNext !== null)) fail(`order ${n.orderId}: owner links without an owner index`);
  }
  if (clientIdCount !== s.clientIdOrders) fail(`client-id order counter ${s.clientIdOrders}, orders with a client id ${clientIdCount}`);
  if (s.byOwner !== null) checkOwnerIndex(s.byOwner, fromLevels, ownerFromLevels, fail);

  // Expiry index: exactly the good-til orders, each once, with its own deadline.
  const expiring = new Map<bigint, number>();
  for (const [heap, name] of [
    [s.gtb, "block"],
    [s.gtt, "time"],
  ] as const) {
    for (const e of heap.validEntries()) {
      const n = e.node;
      const deadline = name === "block" ? n.goodTilBlock : n.goodTilTimeNs;
      if (deadline !== e.deadline) fail(`order ${n.orderId}: ${name} expiry entry at ${e.deadline}, order says ${deadline}`);
      if (fromLevels.get(n.orderId) !== n) fail(`order ${n.orderId}: live expiry entry but not in the book`);
      expiring.set(n.orderId, (expiring.get(n.orderId) ?? 0) + 1);
    }
  }
  for (const n of fromLevels.values()) {
    const wants = n.goodTilBlock !== undefined || n.goodTilTimeNs !== undefined ? 1 : 0;
    if ((expiring.get(n.orderId) ?? 0) !== wants) fail(`order ${n.orderId}: ${expiring.get(n.orderId) ?? 0} expiry entries, expected ${wants}`);
  }
  return errors;
}

interface OwnerTally {
  count: number;
  bids: number;
  asks: number;
  roBid: bigint;
  roAsk: bigint;
}

function checkOwnerIndex(index: OwnerIndex, fromLevels: Map<bigint, OrderNode>, ownerFromLevels: Map<string, OwnerTally>, fail: (message: string) => void): void {
  let ownerTotal = 0;
  for (const oo of index.nonEmpty()) {
    const owner = oo.owner;
    if (index.lists.get(owner) !== oo) fail(`owner index does not find the list of ${owner} under its key`);
    const expected = ownerFromLevels.get(owner);
    if (expected === undefined) {
      fail(`owner ${owner} has a list but no orders in the levels`);
      continue;
    }
    const nodes = oo.nodes();
    ownerTotal += nodes.length;
    let prev: OrderNode | null = null;
    const clientIds = new Map<string, OrderNode>();
    for (const n of nodes) {
      if (n.ownerPrev !== prev) fail(`owner ${owner}: broken list link at order ${n.orderId}`);
      if (n.owner !== owner || n.ownerOrders !== oo) fail(`order ${n.orderId} of ${n.owner} in the list of ${owner}`);
      if (fromLevels.get(n.orderId) !== n) fail(`order ${n.orderId} is in the owner list of ${owner} but not in the levels`);
      if (n.clientId !== undefined) {
        if (clientIds.has(n.clientId)) fail(`owner ${owner}: two live orders with client id ${n.clientId}`);
        clientIds.set(n.clientId, n);
      }
      prev = n;
    }
    if (nodes.length !== oo.count || oo.count !== expected.count) fail(`owner ${owner}: list ${nodes.length}, count ${oo.count}, levels ${expected.count}`);
    if (oo.bidCount !== expected.bids || oo.askCount !== expected.asks) fail(`owner ${owner}: side counts ${oo.bidCount}/${oo.askCount}, levels ${expected.bids}/${expected.asks}`);
    if (oo.reduceOnlyBid !== expected.roBid || oo.reduceOnlyAsk !== expected.roAsk) {
      fail(`owner ${owner}: reduce-only sizes ${oo.reduceOnlyBid}/${oo.reduceOnlyAsk}, levels ${expected.roBid}/${expected.roAsk}`);
    }
    const byClientId = oo.byClientId ?? new Map<string, OrderNode>();
    if (byClientId.size !== clientIds.size) fail(`owner ${owner}: client-id index holds ${byClientId.size}, orders carry ${clientIds.size}`);
    for (const [cid, n] of byClientId) if (clientIds.get(cid) !== n) fail(`owner ${owner}: client id ${cid} points at the wrong order`);
  }
  if (ownerTotal !== fromLevels.size) fail(`owner lists hold ${ownerTotal} orders, levels ${fromLevels.size}`);
  for (const owner of ownerFromLevels.keys()) if (index.get(owner) === undefined) fail(`owner ${owner} has orders but no list`);
}

/** Throws if the book is inconsistent (for test builds and simulation). */
export function assertBookInvariants(book: OrderBook): void {
  const errors = checkBookInvariants(book);
  if (errors.length > 0) throw new Error(`order book invariants violated:\n  ${errors.join("\n  ")}`);
}
