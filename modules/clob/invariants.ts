/**
 * Invariants of x/clob, over committed state:
 * - every index entry (subaccount, client id, book, expiry) points at an order record that agrees with it, and
 *   every record has each index entry it should (counts match);
 * - the open-order count per subaccount equals its orders;
 * - no book is crossed (best bid < best ask, from the book index);
 * - each series with orders has a book state whose next_seq is above its orders' seqs, and a cached in-memory
 *   book that claims the stored counter holds exactly the stored orders.
 */
import type { QueryContext } from "../../src/app/module.js";
import { prefixEnd } from "../../src/app/pagination.js";
import type { BookCache } from "./books.js";
import { readSeriesState } from "./books.js";
import { ClobKeys, readU32be, readU64be } from "./keys.js";
import { bookOrders, decodeOrder, storedFromView, type StoredOrder } from "./orderStore.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

function dumpOrder(o: StoredOrder): string {
  return JSON.stringify(o, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? hex(v) : v));
}

export function clobInvariants(ctx: QueryContext, cache: BookCache): string[] {
  const broken: string[] = [];
  const store = ctx.store;
  const records = new Map<bigint, StoredOrder>();
  for (const [key, value] of store.iterate(ClobKeys.orderPrefix, prefixEnd(ClobKeys.orderPrefix))) {
    const id = readU64be(key, ClobKeys.orderPrefix.length);
    records.set(id, decodeOrder(id, value));
  }
  const counts = new Map<string, number>();
  let withClient = 0;
  let withExpiry = 0;
  const series = new Set<bigint>();
  for (const o of records.values()) {
    const name = `order ${o.orderId}`;
    series.add(o.seriesId);
    counts.set(hex(o.sub), (counts.get(hex(o.sub)) ?? 0) + 1);
    if (o.remainingContracts <= 0n) broken.push(`clob: ${name} rests with no size`);
    if (!store.has(ClobKeys.bySubaccount(o.sub, o.seriesId, o.orderId))) broken.push(`clob: ${name} missing from the subaccount index`);
    const book = store.get(ClobKeys.bookEntry(o.seriesId, o.side, o.priceTicks, o.seq));
    if (book === undefined || readU64be(book, 0) !== o.orderId) broken.push(`clob: ${name} missing from the book index`);
    if (o.clientId !== 0n) {
      withClient++;
      const c = store.get(ClobKeys.clientId(o.sub, o.clientId));
      if (c === undefined || readU64be(c, 0) !== o.orderId) broken.push(`clob: ${name} missing from the client id index`);
    }
    if (o.goodTilBlock !== undefined || o.goodTilTimeNs !== undefined) {
      withExpiry++;
      const key = o.goodTilBlock !== undefined ? ClobKeys.expiryByBlock(o.goodTilBlock, o.orderId) : ClobKeys.expiryByTime(o.goodTilTimeNs!, o.orderId);
      if (!store.has(key)) broken.push(`clob: ${name} missing from the expiry index`);
    }
  }
  const count = (prefix: Uint8Array) => [...store.iterate(prefix, prefixEnd(prefix))].length;
  if (count(ClobKeys.bySubaccountPrefix) !== records.size) broken.push("clob: subaccount index has entries without orders");
  if (count(ClobKeys.bookPrefix) !== records.size) broken.push("clob: book index has entries without orders");
  if (count(ClobKeys.clientIdPrefix) !== withClient) broken.push("clob: client id index has entries without orders");
  if (count(ClobKeys.expiryPrefix) !== withExpiry) broken.push("clob: expiry index has entries without orders");
  let countEntries = 0;
  for (const [key, value] of store.iterate(ClobKeys.openCountPrefix, prefixEnd(ClobKeys.openCountPrefix))) {
    countEntries++;
    const k = hex(key.subarray(ClobKeys.openCountPrefix.length));
    if ((counts.get(k) ?? 0) !== readU32be(value, 0)) broken.push(`clob: open-order count of ${k} is ${readU32be(value, 0)}, orders ${counts.get(k) ?? 0}`);
  }
  if (countEntries !== counts.size) broken.push("clob: open-order counts do not match the subaccounts with orders");

  for (const seriesId of [...series].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const bid = bookOrders(store, seriesId, "buy").next();
    const ask = bookOrders(store, seriesId, "sell").next();
    if (!bid.done && !ask.done && bid.value.priceTicks >= ask.value.priceTicks) broken.push(`clob: book of series ${seriesId} is crossed`);
    const state = readSeriesState(store, seriesId);
    if (!store.has(ClobKeys.seriesState(seriesId))) broken.push(`clob: series ${seriesId} has orders but no book state`);
    for (const o of records.values()) if (o.seriesId === seriesId && o.seq >= state.nextSeq) broken.push(`clob: order ${o.orderId} has seq ${o.seq} >= next_seq ${state.nextSeq}`);
    const cached = cache.peek(seriesId);
    if (cached !== undefined && cached.counter === state.counter) {
      const mem = cached.book.snapshot().orders.map((v) => dumpOrder(storedFromView(seriesId, v)));
      const stored = [...bookOrders(store, seriesId, "buy"), ...bookOrders(store, seriesId, "sell")].map(dumpOrder);
      if (mem.join("\n") !== stored.join("\n")) broken.push(`clob: cached book of series ${seriesId} claims counter ${state.counter} but differs from the store`);
    }
  }
  return broken;
}
