/**
 * The in-memory order books, a cache of the stored books, and the rule that keeps the cache honest.
 *
 * Every message that changes a series' book bumps the series' mutation counter in state (SeriesBookState). The
 * cached book remembers the counter it reflects; before use it is compared with the stored counter and reloaded
 * from the store when they differ. A failed tx discards its store writes (counter included) but not memory, so
 * the next user sees a mismatch and reloads; the happy path never reloads. Only "deliver" and "block" contexts
 * (one linear history) share the cache; every other mode (check, simulate, genesis) loads a private book.
 *
 * Loads read the store without gas: whether a node's cache is warm must not change gas used (consensus data).
 */
import type { Context } from "../../src/app/context.js";
import { unmeteredStore } from "../../src/app/gas.js";
import type { KVReader } from "../../src/store/types.js";
import { SeriesBookState } from "./codec.js";
import { ClobKeys, readU64be } from "./keys.js";
import { OrderBook, type OrderView } from "./orderbook/index.js";
import { bookOrders, viewFromStored } from "./orderStore.js";

export interface CachedBook {
  book: OrderBook;
  /** The stored mutation counter this book reflects. */
  counter: bigint;
}

export interface SeriesState {
  counter: bigint;
  nextSeq: bigint;
}

export function readSeriesState(store: KVReader, seriesId: bigint): SeriesState {
  const raw = store.get(ClobKeys.seriesState(seriesId));
  if (raw === undefined) return { counter: 0n, nextSeq: 1n };
  const s = SeriesBookState.decode(raw);
  return { counter: s.mutationCounter, nextSeq: s.nextSeq === 0n ? 1n : s.nextSeq };
}

export function readNextOrderId(store: KVReader): bigint {
  const raw = store.get(ClobKeys.nextOrderId);
  return raw === undefined ? 1n : readU64be(raw, 0);
}

/** The store under the gas meter, for cache loads: a warm or cold cache must cost the same gas. */
export function unmetered(store: KVReader): KVReader {
  return unmeteredStore(store);
}

/** Rebuilds a series' book from the store (priority order = book index order). */
export function loadBook(store: KVReader, seriesId: bigint, state: SeriesState, lastOrderId: bigint): OrderBook {
  const orders: OrderView[] = [];
  let maxId = lastOrderId;
  for (const side of ["buy", "sell"] as const) {
    for (const o of bookOrders(store, seriesId, side)) {
      orders.push(viewFromStored(o));
      if (o.orderId > maxId) maxId = o.orderId;
    }
  }
  return OrderBook.restore({ lastOrderId: maxId, nextSeq: Number(state.nextSeq), orders });
}

export function sharesCache(ctx: Context): boolean {
  return ctx.mode === "deliver" || ctx.mode === "block";
}

/** The cache shared by deliver/block contexts: series id → book. */
export class BookCache {
  private readonly books = new Map<bigint, CachedBook>();
  /** Loads of a series not cached yet, and reloads of a cached book that fell behind the store (a failed tx). */
  loads = 0;
  reloads = 0;

  /** The up-to-date book for `state` (the stored state read through the metered store by the caller). */
  acquire(ctx: Context, seriesId: bigint, state: SeriesState, lastOrderId: bigint): CachedBook {
    if (!sharesCache(ctx)) return { book: loadBook(unmetered(ctx.store), seriesId, state, lastOrderId), counter: state.counter };
    const cached = this.books.get(seriesId);
    if (cached !== undefined && cached.counter === state.counter) return cached;
    if (cached === undefined) this.loads++;
    else this.reloads++;
    const fresh: CachedBook = { book: loadBook(unmetered(ctx.store), seriesId, state, lastOrderId), counter: state.counter };
    this.books.set(seriesId, fresh);
    return fresh;
  }

  /** For invariants and tests: the cached book and the counter it reflects, if any. */
  peek(seriesId: bigint): CachedBook | undefined {
    return this.books.get(seriesId);
  }

  /** Drops a series (settled: its book is empty and will not be used again). */
  drop(seriesId: bigint): void {
    this.books.delete(seriesId);
  }

  clear(): void {
    this.books.clear();
  }
}
