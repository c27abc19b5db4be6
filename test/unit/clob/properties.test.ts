/**
 * Property tests over random operation sequences (fast-check). After EVERY operation:
 * - the book's invariants hold (three derivations agree, level totals, sorted levels, never crossed, no
 *   zero-size order, FIFO time priority, expiry index) — checkBookInvariants;
 * - a rejection changed nothing (snapshot identical);
 * - quantity is conserved for every order ever accepted: placed = filled + open + cancelled (from the results
 *   alone, compared with the book's own view of each order);
 * - fills respect price-time priority: makers are consumed in the pre-operation L3 order, every order ahead of
 *   a filled maker was consumed (filled or cancelled by STP / reduce-only) in the same operation, only the last
 *   maker may be left partially filled, prices never worsen, all within the taker's limit, at the maker's price,
 *   never between the same owner;
 * - an IOC/market remainder leaves nothing crossable behind; an accepted FOK fills completely; post-only never
 *   takes; reduce-only fills never increase (or flip) a position; after a reduce-only placement or
 *   enforceReduceOnly the owner's reduce-only orders on a side fit in the position.
 * And globally: identical sequences give identical results, also across a snapshot/restore at a random point.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkBookInvariants, OrderBook, type Cancellation, type Fill, type OrderView, type PlaceOrder, type Side, type TimeInForce } from "../../../modules/clob/orderbook/index.js";
import { dump } from "./helpers.js";

type Op =
  | { kind: "place"; owner: number; side: Side; market: boolean; price: number; size: number; tif: TimeInForce; postOnly: boolean; reduceOnly: boolean; clientId: number | null; deadlineOffset: number }
  | { kind: "cancel"; pick: number }
  | { kind: "cancelClient"; owner: number; clientId: number }
  | { kind: "cancelAll"; owner: number; side: Side | null }
  | { kind: "amend"; pick: number; size: number; priceDelta: number | null }
  | { kind: "expire"; blocks: number; timeNs: number }
  | { kind: "enforce"; owner: number };

const OWNERS = ["o0", "o1", "o2", "o3"];
const side = fc.constantFrom<Side>("buy", "sell");
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 55,
    arbitrary: fc.record({
      kind: fc.constant("place" as const),
      owner: fc.integer({ min: 0, max: 3 }),
      side,
      market: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      price: fc.integer({ min: 96, max: 104 }),
      size: fc.integer({ min: 1, max: 8 }),
      tif: fc.constantFrom<TimeInForce>("GTC", "GTC", "GTC", "IOC", "FOK", "GTB", "GTT"),
      postOnly: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
      reduceOnly: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      clientId: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 3 }),
      deadlineOffset: fc.integer({ min: -1, max: 4 }),
    }),
  },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("cancelClient" as const), owner: fc.integer({ min: 0, max: 3 }), clientId: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("cancelAll" as const), owner: fc.integer({ min: 0, max: 3 }), side: fc.option(side) }) },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("amend" as const), pick: fc.nat(), size: fc.integer({ min: 0, max: 9 }), priceDelta: fc.option(fc.integer({ min: -6, max: 6 })) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("expire" as const), blocks: fc.integer({ min: 0, max: 2 }), timeNs: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("enforce" as const), owner: fc.integer({ min: 0, max: 3 }) }) },
);

interface Ledger {
  placed: bigint;
  filled: bigint;
  cancelled: bigint;
  reduceOnly: boolean;
}

/** Runs a sequence, checking every property after every op; returns the dump of every result (for determinism). */
function run(ops: Op[], restoreAt = -1): string[] {
  let book = new OrderBook();
  const log: string[] = [];
  const ledger = new Map<bigint, Ledger>();
  const ids: bigint[] = [];
  const positions = new Map<string, bigint>();
  const positionOf = (owner: string) => positions.get(owner) ?? 0n;
  let nextId = 1n;
  let height = 1n;
  let timeNs = 1_000n;

  /** Mostly a live order (3 in 4), otherwise any id ever accepted (usually gone: exercises ORDER_NOT_FOUND). */
  const pick = (n: number): bigint => {
    const live = n % 4 === 0 ? ids : ids.filter((id) => book.getOrder(id) !== undefined);
    return live.length === 0 ? 0n : live[(n >> 2) % live.length]!;
  };
  const fail = (i: number, op: Op, message: string): never => {
    throw new Error(`op #${i} ${dump(op)}: ${message}`);
  };

  ops.forEach((op, i) => {
    if (i === restoreAt) book = OrderBook.restore(book.snapshot());
    const before = dump(book.snapshot());
    const ctx = { positionOf, height, timeNs };
    let fills: readonly Fill[] = [];
    let cancellations: readonly Cancellation[] = [];
    let taker: { orderId: bigint; owner: string; side: Side; limit: bigint; opposite: OrderView[] } | undefined;
    let result: { ok: boolean };

    switch (op.kind) {
      case "place": {
        const orderId = nextId++;
        const deadline = op.tif === "GTB" ? { goodTilBlock: height + BigInt(op.deadlineOffset) } : op.tif === "GTT" ? { goodTilTimeNs: timeNs + BigInt(op.deadlineOffset * 500) } : {};
        const tif = op.market && (op.tif === "GTC" || op.tif === "GTB" || op.tif === "GTT") ? "IOC" : op.tif;
        const order: PlaceOrder = {
          orderId,
          owner: OWNERS[op.owner]!,
          side: op.side,
          type: op.market ? "market" : "limit",
          priceTicks: BigInt(op.price),
          sizeContracts: BigInt(op.size),
          timeInForce: tif,
          ...(tif === op.tif ? deadline : {}),
          postOnly: op.postOnly,
          reduceOnly: op.reduceOnly,
          ...(op.clientId === null ? {} : { clientId: `c${op.clientId}` }),
        };
        taker = { orderId, owner: order.owner, side: order.side, limit: order.priceTicks, opposite: book.l3(order.side === "buy" ? "sell" : "buy") };
        const r = book.place(order, ctx);
        result = r;
        if (r.ok) {
          ids.push(orderId);
          ledger.set(orderId, { placed: order.sizeContracts, filled: 0n, cancelled: 0n, reduceOnly: op.reduceOnly });
          fills = r.fills;
          cancellations = r.cancellations;
          const cut = r.cancellations.filter((c) => c.orderId === orderId && c.reason === "reduce-only").reduce((a, c) => a + c.sizeContracts, 0n);
          if (tif === "FOK" && r.filledContracts !== order.sizeContracts - cut) fail(i, op, `FOK filled ${r.filledContracts} of ${order.sizeContracts - cut}`);
          if (op.postOnly && r.fills.length > 0) fail(i, op, "post-only order took liquidity");
          if ((tif === "IOC" || tif === "FOK") && (r.restingContracts !== 0n || book.getOrder(orderId) !== undefined)) fail(i, op, "IOC/FOK order rests");
          if (r.restingContracts !== (book.getOrder(orderId)?.sizeContracts ?? 0n)) fail(i, op, "restingContracts disagrees with the book");
        }
        break;
      }
      case "cancel": {
        const id = pick(op.pick);
        const r = book.cancel(id);
        result = r;
        if (r.ok) cancellations = [r.cancellation];
        break;
      }
      case "cancelClient": {
        const r = book.cancelByClientId(OWNERS[op.owner]!, `c${op.clientId}`);
        result = r;
        if (r.ok) cancellations = [r.cancellation];
        break;
      }
      case "cancelAll": {
        cancellations = book.cancelAll(OWNERS[op.owner]!, op.side === null ? undefined : (o) => o.side === op.side);
        result = { ok: true };
        break;
      }
      case "amend": {
        const id = pick(op.pick);
        const current = book.getOrder(id);
        const newPrice = current === undefined || op.priceDelta === null ? undefined : current.priceTicks + BigInt(op.priceDelta);
        if (current !== undefined) taker = { orderId: id, owner: current.owner, side: current.side, limit: newPrice ?? current.priceTicks, opposite: book.l3(current.side === "buy" ? "sell" : "buy") };
        const r = book.amend(id, BigInt(op.size), newPrice, ctx);
        result = r;
        if (r.ok) {
          ledger.get(id)!.placed += r.addedContracts;
          if (r.restingContracts !== (book.getOrder(id)?.sizeContracts ?? 0n)) fail(i, op, "restingContracts disagrees with the book");
          fills = r.fills;
          cancellations = r.cancellations;
        }
        break;
      }
      case "expire": {
        height += BigInt(op.blocks);
        timeNs += BigInt(op.timeNs * 500);
        cancellations = book.expire(height, timeNs);
        result = { ok: true };
        break;
      }
      case "enforce": {
        const owner = OWNERS[op.owner]!;
        cancellations = book.enforceReduceOnly(owner, positionOf(owner));
        result = { ok: true };
        break;
      }
    }
    log.push(dump(result));

    // Invariants, and rejections change nothing.
    const errors = checkBookInvariants(book);
    if (errors.length > 0) fail(i, op, errors.join("; "));
    if (!result.ok && dump(book.snapshot()) !== before) fail(i, op, "a rejected operation changed the book");

    // Fills: priority, prices, self-trade, reduce-only.
    if (fills.length > 0) {
      if (taker === undefined) return fail(i, op, "fills without a taker");
      const isBuy = taker.side === "buy";
      const position = (o: string) => positions.get(o) ?? 0n;
      let lastIndex = -1;
      fills.forEach((f, k) => {
        if (f.takerOrderId !== taker!.orderId || f.takerOwner !== taker!.owner || f.takerSide !== taker!.side) fail(i, op, "fill names the wrong taker");
        if (f.makerOwner === f.takerOwner) fail(i, op, "self-trade");
        if (isBuy ? f.priceTicks > taker!.limit : f.priceTicks < taker!.limit) fail(i, op, `fill at ${f.priceTicks} beyond limit ${taker!.limit}`);
        if (k > 0 && (isBuy ? f.priceTicks < fills[k - 1]!.priceTicks : f.priceTicks > fills[k - 1]!.priceTicks)) fail(i, op, "fill prices improve over time (priority broken)");
        if (f.sizeContracts <= 0n) fail(i, op, "empty fill");
        if (k < fills.length - 1 && f.makerRemainingContracts !== 0n) fail(i, op, "a maker other than the last was left partially filled");
        const index = taker!.opposite.findIndex((o) => o.orderId === f.makerOrderId);
        if (index < 0) fail(i, op, `maker ${f.makerOrderId} was not in the book`);
        if (index <= lastIndex) fail(i, op, `maker ${f.makerOrderId} out of priority order`);
        const maker = taker!.opposite[index]!;
        if (maker.priceTicks !== f.priceTicks) fail(i, op, "fill not at the maker's price");
        for (let j = lastIndex + 1; j < index; j++) {
          const skipped = taker!.opposite[j]!;
          const consumed = cancellations.some((c) => c.orderId === skipped.orderId && c.removed) || fills.some((g) => g.makerOrderId === skipped.orderId && g.makerRemainingContracts === 0n);
          if (!consumed) fail(i, op, `maker ${f.makerOrderId} filled ahead of ${skipped.orderId}`);
        }
        lastIndex = index;
        // Positions move; reduce-only orders must only reduce.
        const takerBefore = position(f.takerOwner);
        const makerBefore = position(f.makerOwner);
        const takerAfter = takerBefore + (isBuy ? f.sizeContracts : -f.sizeContracts);
        const makerAfter = makerBefore + (isBuy ? -f.sizeContracts : f.sizeContracts);
        const reduces = (b: bigint, a: bigint) => (b > 0n ? a >= 0n && a < b : b < 0n ? a <= 0n && a > b : false);
        if (ledger.get(f.makerOrderId)!.reduceOnly && !reduces(makerBefore, makerAfter)) fail(i, op, `reduce-only maker ${f.makerOrderId} moved position ${makerBefore} -> ${makerAfter}`);
        if (ledger.get(f.takerOrderId)!.reduceOnly && !reduces(takerBefore, takerAfter)) fail(i, op, `reduce-only taker moved position ${takerBefore} -> ${takerAfter}`);
        positions.set(f.takerOwner, takerAfter);
        positions.set(f.makerOwner, makerAfter);
        ledger.get(f.makerOrderId)!.filled += f.sizeContracts;
        ledger.get(f.takerOrderId)!.filled += f.sizeContracts;
      });
    }
    for (const c of cancellations) {
      if (c.sizeContracts <= 0n) fail(i, op, "empty cancellation");
      ledger.get(c.orderId)!.cancelled += c.sizeContracts;
      if (c.removed && book.getOrder(c.orderId) !== undefined) fail(i, op, `cancellation says ${c.orderId} was removed but it rests`);
    }
    // An IOC remainder means nothing crossable was left behind.
    if (taker !== undefined && cancellations.some((c) => c.orderId === taker!.orderId && c.reason === "ioc-remainder")) {
      const best = taker.side === "buy" ? book.bestAsk() : book.bestBid();
      if (best !== undefined && (taker.side === "buy" ? best <= taker.limit : best >= taker.limit)) fail(i, op, "IOC remainder cancelled while the book still crosses its limit");
    }

    // Reduce-only orders resting on a side never exceed what the owner can close, right after the owner placed
    // one on that side or had them enforced (later position changes are handled at fill time, checked above).
    const reduceOnlyOwner = op.kind === "enforce" ? OWNERS[op.owner]! : op.kind === "place" && op.reduceOnly && result.ok ? OWNERS[op.owner]! : undefined;
    if (reduceOnlyOwner !== undefined) {
      const p = positions.get(reduceOnlyOwner) ?? 0n;
      const sides = op.kind === "place" ? [op.side] : (["buy", "sell"] as const);
      for (const s of sides) {
        const total = book.ordersOf(reduceOnlyOwner).filter((o) => o.reduceOnly && o.side === s).reduce((a, o) => a + o.sizeContracts, 0n);
        const closable = s === "buy" ? -p : p;
        if (total > (closable > 0n ? closable : 0n)) fail(i, op, `${reduceOnlyOwner} rests ${total} reduce-only on ${s} with position ${p}`);
      }
    }

    // Conservation, from the results alone, against the book's own view.
    for (const [id, l] of ledger) {
      const view = book.getOrder(id);
      const open = view?.sizeContracts ?? 0n;
      if (l.placed !== l.filled + open + l.cancelled) fail(i, op, `order ${id}: placed ${l.placed} != filled ${l.filled} + open ${open} + cancelled ${l.cancelled}`);
      if (view !== undefined && (view.filledContracts !== l.filled || view.placedContracts !== l.placed)) fail(i, op, `order ${id}: view says placed ${view.placedContracts} filled ${view.filledContracts}`);
    }
  });
  return log;
}

describe("order book properties", () => {
  it("holds every invariant after every operation of random sequences", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 150, size: "max" }), (ops) => {
        run(ops);
      }),
      { numRuns: 1000 },
    );
  });

  it("is deterministic, including across a snapshot/restore at any point", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 80, size: "max" }), fc.nat(), (ops, k) => {
        const a = run(ops);
        expect(run(ops)).toEqual(a);
        expect(run(ops, k % ops.length)).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it("stays consistent in a long dense run (many levels, deep queues, lots of STP)", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1500, maxLength: 2000, size: "max" }), (ops) => {
        run(ops);
      }),
      { numRuns: 3 },
    );
  });
});
