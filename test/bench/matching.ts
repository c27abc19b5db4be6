/**
 * Matching-engine throughput: our order book (modules/clob/orderbook) against hft-limit-order-book fed the
 * same order stream in the same process.
 *
 * The stream comes from a fixed seed: 60% passive adds near the touch (makers), 25% cancels of live orders,
 * 15% crossing orders (marketable IOC limits a few ticks through the touch, from takers who never rest, so
 * self-trade prevention never fires and both engines have identical semantics). The stream is generated once
 * with our engine (to know which orders are live for cancels), then replayed on fresh books of both engines;
 * each replay is timed whole (inputs pre-built, no per-op clock). Both books must end with the same depth
 * and have traded the same number of contracts, which checks that they did the same work.
 */
import { createRequire } from "node:module";
import { PerformanceObserver, performance, type PerformanceEntry } from "node:perf_hooks";
import type { OrderBook as HftBook } from "hft-limit-order-book/dist/types/orderbook.js";
import { OrderBook, type PlaceOrder } from "../../modules/clob/orderbook/index.js";
import { median, msSince, nowNs, round } from "./harness.js";

const OPS = Number(process.env.VANNA_BENCH_MATCHING_OPS ?? 200_000);
const REPEATS = 3;
const SEED = 0x5eed_0b0c;
const MAKERS = 1000;
const TAKERS = 100;

const hft = createRequire(import.meta.url)("hft-limit-order-book") as { OrderBook: new () => HftBook };

/** mulberry32: deterministic uniform [0, 1) from a 32-bit seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type OurOp = { place: PlaceOrder; cancel?: undefined } | { place?: undefined; cancel: bigint };
type HftOp = { limit: { id: string; side: "buy" | "sell"; size: number; price: number; timeInForce?: "IOC" }; cancel?: undefined } | { limit?: undefined; cancel: string };

interface Stream {
  ours: OurOp[];
  theirs: HftOp[];
  adds: number;
  cancels: number;
  crosses: number;
  fills: number;
  restingAtEnd: number;
  levelsAtEnd: { bids: number; asks: number };
}

/** Generates the stream by running it on our engine (which tells which orders are live, for cancels). */
function generate(n: number, crossMaxContracts: number): Stream {
  const random = rng(SEED);
  const book = new OrderBook();
  const ours: OurOp[] = [];
  const theirs: HftOp[] = [];
  // Live resting order ids, for picking cancels uniformly: array + position index (swap-remove).
  const live: bigint[] = [];
  const slot = new Map<bigint, number>();
  const drop = (id: bigint) => {
    const i = slot.get(id);
    if (i === undefined) return;
    const last = live.pop()!;
    if (last !== id) {
      live[i] = last;
      slot.set(last, i);
    }
    slot.delete(id);
  };
  let nextId = 1n;
  let adds = 0;
  let cancels = 0;
  let crosses = 0;
  let fills = 0;
  for (let k = 0; k < n; k++) {
    const r = random();
    const isBuy = random() < 0.5;
    const bestBid = book.bestBid();
    const bestAsk = book.bestAsk();
    const touch = isBuy ? bestAsk : bestBid;
    if (r < 0.25 && live.length > 0) {
      const id = live[Math.floor(random() * live.length)]!;
      book.cancel(id);
      drop(id);
      ours.push({ cancel: id });
      theirs.push({ cancel: id.toString() });
      cancels++;
    } else if (r < 0.4 && touch !== undefined) {
      // Crossing: a marketable IOC limit 0-2 ticks through the opposite touch.
      const through = BigInt(Math.floor(random() * 3));
      const price = isBuy ? touch + through : touch - through;
      const size = 1 + Math.floor(random() * random() * crossMaxContracts);
      const order: PlaceOrder = { orderId: nextId++, owner: `t${Math.floor(random() * TAKERS)}`, side: isBuy ? "buy" : "sell", priceTicks: price, sizeContracts: BigInt(size), timeInForce: "IOC" };
      const result = book.place(order);
      if (!result.ok) throw new Error(`bench stream: crossing order rejected: ${result.rejection.message}`);
      for (const f of result.fills) if (f.makerRemainingContracts === 0n) drop(f.makerOrderId);
      fills += result.fills.length;
      ours.push({ place: order });
      theirs.push({ limit: { id: order.orderId.toString(), side: order.side, size, price: Number(price), timeInForce: "IOC" } });
      crosses++;
    } else {
      // Passive add near the touch: mostly at or just behind it, sometimes deeper (cubed uniform → 0..59 ticks).
      const offset = BigInt(Math.floor(random() * random() * random() * 60));
      let price: bigint;
      if (isBuy) price = (bestAsk ?? (bestBid ?? 10_000n) + 1n) - 1n - offset;
      else price = (bestBid ?? (bestAsk ?? 10_001n) - 1n) + 1n + offset;
      if (price < 1n) price = 1n;
      const size = 1 + Math.floor(random() * 20);
      const order: PlaceOrder = { orderId: nextId++, owner: `m${Math.floor(random() * MAKERS)}`, side: isBuy ? "buy" : "sell", priceTicks: price, sizeContracts: BigInt(size) };
      const result = book.place(order);
      if (!result.ok || result.fills.length > 0) throw new Error("bench stream: a passive add crossed or was rejected");
      slot.set(order.orderId, live.length);
      live.push(order.orderId);
      ours.push({ place: order });
      theirs.push({ limit: { id: order.orderId.toString(), side: order.side, size, price: Number(price) } });
      adds++;
    }
  }
  return { ours, theirs, adds, cancels, crosses, fills, restingAtEnd: book.orderCount, levelsAtEnd: { bids: book.levelCount("buy"), asks: book.levelCount("sell") } };
}

function runOurs(ops: readonly OurOp[]): { book: OrderBook; traded: bigint } {
  const book = new OrderBook();
  let traded = 0n;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.cancel !== undefined) book.cancel(op.cancel);
    else {
      const r = book.place(op.place);
      if (r.ok) traded += r.filledContracts;
    }
  }
  return { book, traded };
}

function runTheirs(ops: readonly HftOp[]): { book: HftBook; traded: number } {
  const book = new hft.OrderBook();
  let traded = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.cancel !== undefined) book.cancel(op.cancel);
    else {
      const r = book.limit(op.limit as never);
      traded += op.limit.size - r.quantityLeft;
    }
  }
  return { book, traded };
}

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = nowNs();
  const value = fn();
  return { value, ms: msSince(start) };
}

/** Whether both books hold the same aggregated levels (hft's depth() lists each side best first, as ours). */
function sameDepth(ours: OrderBook, theirs: HftBook): boolean {
  const [theirAsks, theirBids] = theirs.depth();
  const d = ours.depth();
  const bids = d.bids.map((l) => [Number(l.priceTicks), Number(l.sizeContracts)]);
  const asks = d.asks.map((l) => [Number(l.priceTicks), Number(l.sizeContracts)]);
  return JSON.stringify(bids) === JSON.stringify(theirBids) && JSON.stringify(asks) === JSON.stringify(theirAsks);
}

/** Sums the GC pause time (ms) that fell inside the given [start, end) windows of performance.now(). */
async function gcMsWithin(entries: PerformanceEntry[], windows: Array<[number, number]>): Promise<number[]> {
  // GC entries are delivered on a later timer turn, not on the next immediate.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return windows.map(([from, to]) => entries.filter((e) => e.startTime >= from && e.startTime < to).reduce((a, e) => a + e.duration, 0));
}

async function scenario(name: string, crossMaxContracts: number): Promise<Record<string, unknown>> {
  const gen = timed(() => generate(OPS, crossMaxContracts));
  const stream = gen.value;

  // Warm both engines' code paths on a prefix (separate books), then time whole replays on fresh books.
  runOurs(stream.ours.slice(0, 20_000));
  runTheirs(stream.theirs.slice(0, 20_000));

  const gcEntries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gcEntries.push(...list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  const oursWindows: Array<[number, number]> = [];
  let last: { ours: ReturnType<typeof runOurs>; theirs: ReturnType<typeof runTheirs> } | undefined;
  for (let r = 0; r < REPEATS; r++) {
    const from = performance.now();
    const o = timed(() => runOurs(stream.ours));
    oursWindows.push([from, performance.now()]);
    const t = timed(() => runTheirs(stream.theirs));
    oursMs.push(o.ms);
    theirsMs.push(t.ms);
    last = { ours: o.value, theirs: t.value };
  }
  const oursGcMs = await gcMsWithin(gcEntries, oursWindows);
  observer.disconnect();
  const oursOpsPerSec = (OPS * 1000) / median(oursMs);
  const theirsOpsPerSec = (OPS * 1000) / median(theirsMs);
  return {
    scenario: name,
    mix: { adds: stream.adds, cancels: stream.cancels, crossing: stream.crosses, crossMaxContracts },
    fillsInStream: stream.fills,
    tradedContracts: { ours: Number(last!.ours.traded), hftLimitOrderBook: last!.theirs.traded },
    bookAtEnd: { restingOrders: stream.restingAtEnd, levels: stream.levelsAtEnd },
    sameFinalDepth: sameDepth(last!.ours.book, last!.theirs.book),
    oursMs: oursMs.map((v) => round(v, 1)),
    oursGcShare: round(oursGcMs.reduce((a, b) => a + b, 0) / oursMs.reduce((a, b) => a + b, 0), 2),
    hftLimitOrderBookMs: theirsMs.map((v) => round(v, 1)),
    oursOpsPerSec: Math.round(oursOpsPerSec),
    oursNsPerOp: Math.round(1e9 / oursOpsPerSec),
    hftLimitOrderBookOpsPerSec: Math.round(theirsOpsPerSec),
    ratio: round(oursOpsPerSec / theirsOpsPerSec, 1),
    streamGenerationMs: round(gen.ms),
  };
}

/**
 * Two books from the same 60/25/15 mix that differ only in taker size: "deepBook" (crossing orders up to 60
 * contracts) lets resting liquidity pile up (~28k orders, ~500 per level by the end), "steadyBook" (up to 120)
 * keeps a few thousand resting orders. hft-limit-order-book's cancel is linear in its level's queue, so the
 * ratio depends on queue depth: both are reported, and the target is judged on the steady (less flattering) one.
 */
export async function run(): Promise<Record<string, unknown>> {
  const target = 20;
  const deep = await scenario("deepBook", 60);
  const steady = await scenario("steadyBook", 120);
  const equal = deep.sameFinalDepth === true && steady.sameFinalDepth === true;
  if (!equal) throw new Error("the two engines ended with different books: the comparison is not like for like");
  return {
    ops: OPS,
    oursOpsPerSec: steady.oursOpsPerSec,
    hftLimitOrderBookOpsPerSec: steady.hftLimitOrderBookOpsPerSec,
    ratio: steady.ratio,
    ratioDeepBook: deep.ratio,
    targetRatio: target,
    meetsTarget: (steady.ratio as number) >= target,
    steadyBook: steady,
    deepBook: deep,
  };
}

// Standalone: node dist/test/bench/matching.js
if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
