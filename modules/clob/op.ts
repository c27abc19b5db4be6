/**
 * One keeper operation (a message, a block hook, a hook call from another module): the books it uses, the
 * counters it changes, and memos of what it reads more than once (series, underlying parameters, staleness,
 * MMP freezes). Counters (next order id, fill sequence, ring heads, open-order counts, series book states) are
 * kept in memory and written once by finish(), so a batch of 500 orders writes each of them once.
 */
import type { Context } from "../../src/app/context.js";
import { formatSubaccountId } from "../subaccounts/index.js";
import { SeriesBookState } from "./codec.js";
import type { OptionsReader, Series, SeriesMark, SubaccountId, UnderlyingParams } from "./expectedKeepers.js";
import { ClobKeys, readU32be, readU64be, u32be, u64be } from "./keys.js";
import type { BookCache, CachedBook } from "./books.js";
import { readNextOrderId, readSeriesState } from "./books.js";
import type { OrderBook } from "./orderbook/index.js";
import { ownerOf } from "./orderStore.js";
import { getClobParams, type ClobParams } from "./params.js";
import type { TradeBuffer } from "./tradeBuffer.js";

interface BookUse {
  cached: CachedBook;
  mutated: boolean;
}

export interface SeriesInfo {
  series: Series;
  params: UnderlyingParams | undefined;
}

export class ClobOp {
  private readonly books = new Map<bigint, BookUse>();
  private nextOrderId: bigint | undefined;
  private nextOrderIdDirty = false;
  private fillSeq: bigint | undefined;
  private readonly ringHeads = new Map<string, { key: Uint8Array; count: bigint; dirty: boolean }>();
  private readonly openCounts = new Map<string, { key: Uint8Array; count: number; dirty: boolean }>();
  private readonly seriesMemo = new Map<bigint, SeriesInfo | undefined>();
  private readonly staleMemo = new Map<string, boolean>();
  private readonly names = new Map<string, string>();
  private readonly markMemo = new Map<bigint, SeriesMark | undefined>();
  private readonly memos = new Map<string, unknown>();
  private paramsMemo: ClobParams | undefined;
  private tradeBuffer: TradeBuffer | undefined;

  constructor(
    readonly ctx: Context,
    private readonly cache: BookCache,
    private readonly options: OptionsReader,
  ) {}

  /** Params, read once per op (every order needs them). */
  params(): ClobParams {
    this.paramsMemo ??= getClobParams(this.ctx.store);
    return this.paramsMemo;
  }

  book(seriesId: bigint): OrderBook {
    return this.use(seriesId).cached.book;
  }

  /** Records that the series' book changed; the first change in this op bumps its counter (memory now, store at finish). */
  mutated(seriesId: bigint): void {
    const use = this.use(seriesId);
    if (!use.mutated) {
      use.mutated = true;
      use.cached.counter += 1n;
    }
  }

  private use(seriesId: bigint): BookUse {
    let use = this.books.get(seriesId);
    if (use === undefined) {
      const state = readSeriesState(this.ctx.store, seriesId);
      const lastOrderId = this.peekOrderId() - 1n;
      use = { cached: this.cache.acquire(this.ctx, seriesId, state, lastOrderId), mutated: false };
      this.books.set(seriesId, use);
    }
    return use;
  }

  peekOrderId(): bigint {
    this.nextOrderId ??= readNextOrderId(this.ctx.store);
    return this.nextOrderId;
  }

  /** Consumes the id returned by peekOrderId (call only once the engine accepted it). */
  takeOrderId(): bigint {
    const id = this.peekOrderId();
    this.nextOrderId = id + 1n;
    this.nextOrderIdDirty = true;
    return id;
  }

  nextFillSequence(): bigint {
    if (this.fillSeq === undefined) {
      const raw = this.ctx.store.get(ClobKeys.fillSequence);
      this.fillSeq = raw === undefined ? 0n : readU64be(raw, 0);
    }
    const seq = this.fillSeq;
    this.fillSeq = seq + 1n;
    return seq;
  }

  /** Slot count of a fill ring before this append; advances it. `k`: a string naming the ring (ringKey). */
  ringAppend(ring: Uint8Array, k: string): bigint {
    let head = this.ringHeads.get(k);
    if (head === undefined) {
      const key = ClobKeys.fillHead(ring);
      const raw = this.ctx.store.get(key);
      head = { key, count: raw === undefined ? 0n : readU64be(raw, 0), dirty: false };
      this.ringHeads.set(k, head);
    }
    const at = head.count;
    head.count = at + 1n;
    head.dirty = true;
    return at;
  }

  openCount(sub: Uint8Array): number {
    return this.countEntry(sub).count;
  }

  addOpenCount(sub: Uint8Array, delta: number): void {
    const e = this.countEntry(sub);
    e.count += delta;
    e.dirty = true;
  }

  private countEntry(sub: Uint8Array) {
    const k = ownerOf(sub);
    let e = this.openCounts.get(k);
    if (e === undefined) {
      const key = ClobKeys.openCount(sub);
      const raw = this.ctx.store.get(key);
      e = { key, count: raw === undefined ? 0 : readU32be(raw, 0), dirty: false };
      this.openCounts.set(k, e);
    }
    return e;
  }

  seriesInfo(seriesId: bigint): SeriesInfo | undefined {
    if (this.seriesMemo.has(seriesId)) return this.seriesMemo.get(seriesId);
    const series = this.options.series(this.ctx.store, seriesId);
    const info = series === undefined ? undefined : { series, params: this.options.underlying(this.ctx.store, series.underlying) };
    this.seriesMemo.set(seriesId, info);
    return info;
  }

  mark(seriesId: bigint): SeriesMark | undefined {
    if (this.markMemo.has(seriesId)) return this.markMemo.get(seriesId);
    const mark = this.options.mark(this.ctx.store, seriesId, this.ctx.blockTimeNs);
    this.markMemo.set(seriesId, mark);
    return mark;
  }

  /** A per-op memo for other parts of the keeper (MMP freezes). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  forget(key: string): void {
    this.memos.delete(key);
  }

  isStale(underlying: string): boolean {
    let stale = this.staleMemo.get(underlying);
    if (stale === undefined) {
      stale = this.options.isStale(this.ctx.store, underlying, this.ctx.blockTimeNs);
      this.staleMemo.set(underlying, stale);
    }
    return stale;
  }

  /** "bech32/number" of a subaccount key, memoized (events name both sides of every fill). */
  name(sub: Uint8Array, id: SubaccountId): string {
    const k = ownerOf(sub);
    let n = this.names.get(k);
    if (n === undefined) {
      n = formatSubaccountId(id);
      this.names.set(k, n);
    }
    return n;
  }

  /** The op's fill settlement buffer (tradeBuffer.ts), created by `create` at first use; flushed by finish(). */
  trades(create: () => TradeBuffer): TradeBuffer {
    this.tradeBuffer ??= create();
    return this.tradeBuffer;
  }

  /** A position as fills so far in this op left it: the buffered value, else undefined (read the store). */
  bufferedPosition(sub: Uint8Array, seriesId: bigint): bigint | undefined {
    return this.tradeBuffer?.position(sub, seriesId);
  }

  /** Applies the op's folded fills and writes every counter this op changed. Call once, after the last change. */
  finish(): void {
    this.tradeBuffer?.flush();
    const store = this.ctx.store;
    for (const [seriesId, use] of [...this.books.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!use.mutated) continue;
      store.set(ClobKeys.seriesState(seriesId), SeriesBookState.encode({ mutationCounter: use.cached.counter, nextSeq: BigInt(use.cached.book.nextSequence) }));
    }
    if (this.nextOrderIdDirty) store.set(ClobKeys.nextOrderId, u64be(this.nextOrderId!));
    if (this.fillSeq !== undefined) store.set(ClobKeys.fillSequence, u64be(this.fillSeq));
    for (const k of [...this.ringHeads.keys()].sort()) {
      const h = this.ringHeads.get(k)!;
      if (h.dirty) store.set(h.key, u64be(h.count));
    }
    for (const k of [...this.openCounts.keys()].sort()) {
      const e = this.openCounts.get(k)!;
      if (!e.dirty) continue;
      if (e.count <= 0) store.delete(e.key);
      else store.set(e.key, u32be(e.count));
    }
  }
}
