/**
 * Persistence of resting orders: the record by id and every index (subaccount, client id, book position,
 * expiry). The store is the source of truth; the in-memory books (books.ts) are a cache of it. Writes here are
 * a pure function of the engine's results, so every node writes (and is charged gas for) exactly the same keys.
 */
import { prefixEnd } from "../../src/app/pagination.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { SideProto, TifProto } from "./codec.js";
import type { SubaccountId } from "./expectedKeepers.js";
import { ClobKeys, decodeSubaccountKey, readU32be, readU64be, u64be } from "./keys.js";
import { decodeOrderRecord, encodeOrderRecord } from "./orderCodec.js";
import type { OrderView, Side, TimeInForce } from "./orderbook/index.js";

const EMPTY = new Uint8Array(0);

export interface StoredOrder {
  orderId: bigint;
  seriesId: bigint;
  subaccount: SubaccountId;
  /** The subaccount key bytes (also the engine's owner string, as latin1). */
  sub: Uint8Array;
  side: Side;
  priceTicks: bigint;
  remainingContracts: bigint;
  placedContracts: bigint;
  filledContracts: bigint;
  timeInForce: TimeInForce;
  goodTilBlock: bigint | undefined;
  goodTilTimeNs: bigint | undefined;
  postOnly: boolean;
  reduceOnly: boolean;
  /** 0n: none. */
  clientId: bigint;
  seq: bigint;
}

const TIF_TO_PROTO: Record<TimeInForce, number> = { GTC: TifProto.GTC, IOC: TifProto.IOC, FOK: TifProto.FOK, GTB: TifProto.GTB, GTT: TifProto.GTT };
const TIF_FROM_PROTO: readonly TimeInForce[] = ["GTC", "IOC", "FOK", "GTB", "GTT"];

export function tifFromProto(n: number): TimeInForce | undefined {
  return TIF_FROM_PROTO[n];
}

export function tifToProto(t: TimeInForce): number {
  return TIF_TO_PROTO[t];
}

export function sideFromProto(n: number): Side | undefined {
  return n === SideProto.BUY ? "buy" : n === SideProto.SELL ? "sell" : undefined;
}

export function sideToProto(s: Side): number {
  return s === "buy" ? SideProto.BUY : SideProto.SELL;
}

/** Engine owner string ⇄ subaccount key bytes (latin1 keeps byte order = code-unit order). */
const ownerMemo = new WeakMap<Uint8Array, string>();

export function ownerOf(sub: Uint8Array): string {
  // Subaccount keys are built once per message and looked up many times (a batch of 500 orders).
  let owner = ownerMemo.get(sub);
  if (owner === undefined) {
    owner = Buffer.from(sub.buffer, sub.byteOffset, sub.byteLength).toString("latin1");
    ownerMemo.set(sub, owner);
  }
  return owner;
}

/** Owner strings seen recently → their key bytes (shared: callers never mutate them), so ownerOf hits its memo. */
const subMemo = new Map<string, Uint8Array>();

export function subOf(owner: string): Uint8Array {
  let sub = subMemo.get(owner);
  if (sub === undefined) {
    sub = new Uint8Array(Buffer.from(owner, "latin1"));
    if (subMemo.size >= 100_000) subMemo.clear();
    subMemo.set(owner, sub);
    ownerMemo.set(sub, owner);
  }
  return sub;
}

export function encodeOrder(o: StoredOrder): Uint8Array {
  return encodeOrderRecord(o);
}

export function decodeOrder(orderId: bigint, raw: Uint8Array): StoredOrder {
  const r = decodeOrderRecord(raw);
  const len = r.sub[0]!;
  const subaccount = { owner: r.sub.slice(1, 1 + len), number: readU32be(r.sub, 1 + len) };
  return {
    orderId,
    seriesId: r.seriesId,
    subaccount,
    sub: r.sub,
    side: r.side,
    priceTicks: r.priceTicks,
    remainingContracts: r.remainingContracts,
    placedContracts: r.placedContracts,
    filledContracts: r.filledContracts,
    timeInForce: r.timeInForce,
    goodTilBlock: r.goodTilBlock,
    goodTilTimeNs: r.goodTilTimeNs,
    postOnly: r.postOnly,
    reduceOnly: r.reduceOnly,
    clientId: r.clientId,
    seq: r.seq,
  };
}

/** The stored order for an engine view (the engine's owner string is the subaccount key). */
export function storedFromView(seriesId: bigint, view: OrderView): StoredOrder {
  const sub = subOf(view.owner);
  return {
    orderId: view.orderId,
    seriesId,
    subaccount: decodeSubaccountKey(sub, 0).id,
    sub,
    side: view.side,
    priceTicks: view.priceTicks,
    remainingContracts: view.sizeContracts,
    placedContracts: view.placedContracts,
    filledContracts: view.filledContracts,
    timeInForce: view.timeInForce,
    goodTilBlock: view.goodTilBlock,
    goodTilTimeNs: view.goodTilTimeNs,
    postOnly: view.postOnly,
    reduceOnly: view.reduceOnly,
    clientId: view.clientId === undefined ? 0n : BigInt(view.clientId),
    seq: BigInt(view.seq),
  };
}

/** The engine view of a stored order. */
export function viewFromStored(o: StoredOrder): OrderView {
  return {
    orderId: o.orderId,
    owner: ownerOf(o.sub),
    side: o.side,
    priceTicks: o.priceTicks,
    sizeContracts: o.remainingContracts,
    placedContracts: o.placedContracts,
    filledContracts: o.filledContracts,
    timeInForce: o.timeInForce,
    goodTilBlock: o.goodTilBlock,
    goodTilTimeNs: o.goodTilTimeNs,
    postOnly: o.postOnly,
    reduceOnly: o.reduceOnly,
    clientId: o.clientId === 0n ? undefined : o.clientId.toString(),
    seq: Number(o.seq),
  };
}

export function readOrder(store: KVReader, orderId: bigint): StoredOrder | undefined {
  const raw = store.get(ClobKeys.order(orderId));
  return raw === undefined ? undefined : decodeOrder(orderId, raw);
}

export function orderIdByClientId(store: KVReader, sub: Uint8Array, clientId: bigint): bigint | undefined {
  const raw = store.get(ClobKeys.clientId(sub, clientId));
  return raw === undefined ? undefined : readU64be(raw, 0);
}

/** A new resting order: its record and every index. */
export function writeNewOrder(store: KVStore, o: StoredOrder): void {
  store.set(ClobKeys.order(o.orderId), encodeOrder(o));
  store.set(ClobKeys.bySubaccount(o.sub, o.seriesId, o.orderId), EMPTY);
  store.set(ClobKeys.bookEntry(o.seriesId, o.side, o.priceTicks, o.seq), u64be(o.orderId));
  if (o.clientId !== 0n) store.set(ClobKeys.clientId(o.sub, o.clientId), u64be(o.orderId));
  if (o.goodTilBlock !== undefined) store.set(ClobKeys.expiryByBlock(o.goodTilBlock, o.orderId), u64be(o.seriesId));
  if (o.goodTilTimeNs !== undefined) store.set(ClobKeys.expiryByTime(o.goodTilTimeNs, o.orderId), u64be(o.seriesId));
}

/** An order left the book: the record and every index go. */
export function deleteOrder(store: KVStore, o: StoredOrder): void {
  store.delete(ClobKeys.order(o.orderId));
  store.delete(ClobKeys.bySubaccount(o.sub, o.seriesId, o.orderId));
  store.delete(ClobKeys.bookEntry(o.seriesId, o.side, o.priceTicks, o.seq));
  if (o.clientId !== 0n) store.delete(ClobKeys.clientId(o.sub, o.clientId));
  if (o.goodTilBlock !== undefined) store.delete(ClobKeys.expiryByBlock(o.goodTilBlock, o.orderId));
  if (o.goodTilTimeNs !== undefined) store.delete(ClobKeys.expiryByTime(o.goodTilTimeNs, o.orderId));
}

/**
 * Brings a stored order in line with the engine after an operation touched it: gone → deleted; moved in the
 * queue (amend that lost priority) → book entry re-keyed; always the record rewritten.
 * Returns true when the order was deleted.
 */
export function syncOrder(store: KVStore, stored: StoredOrder, view: OrderView | undefined): boolean {
  if (view === undefined) {
    deleteOrder(store, stored);
    return true;
  }
  const next = storedFromView(stored.seriesId, view);
  if (next.seq !== stored.seq || next.priceTicks !== stored.priceTicks) {
    store.delete(ClobKeys.bookEntry(stored.seriesId, stored.side, stored.priceTicks, stored.seq));
    store.set(ClobKeys.bookEntry(next.seriesId, next.side, next.priceTicks, next.seq), u64be(next.orderId));
  }
  store.set(ClobKeys.order(next.orderId), encodeOrder(next));
  return false;
}

/** The orders of one series in book priority order (bids best first, then asks best first), from the store. */
export function* bookOrders(store: KVReader, seriesId: bigint, side: Side): IterableIterator<StoredOrder> {
  const prefix = ClobKeys.bookSidePrefix(seriesId, side);
  const end = prefixEnd(prefix);
  for (const [, value] of store.iterate(prefix, end)) {
    const orderId = readU64be(value, 0);
    const o = readOrder(store, orderId);
    if (o !== undefined) yield o;
  }
}
