/**
 * The CLOB's bookkeeping in genesis, so export → import rebuilds the module's state byte for byte (and the app
 * hash): per-series book counters (mutation counter, next time-priority sequence), the global fill sequence, the
 * recent-fill rings (every slot and each ring's head count) and MMP window states (timed freezes re-indexed from
 * them). All optional on import: a genesis without them starts with empty history, as before.
 */
import type { KVReader, KVStore } from "../../src/store/types.js";
import { arr, bool, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { ACCOUNT_PREFIX, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import { MAX_SUBACCOUNT_NUMBER } from "../subaccounts/index.js";
import { FillProto, MmpStateProto, SeriesBookState } from "./codec.js";
import { ClobKeys, decodeSubaccountKey, decodeUnderlying, readU32be, readU64be, subaccountKey, u64be } from "./keys.js";
import { FILLS_KEPT } from "./types.js";

export interface SeriesBookGenesis {
  seriesId: bigint;
  mutationCounter: bigint;
  nextSeq: bigint;
}

export interface FillRingGenesis {
  /** Ring id as in ClobKeys.seriesRing / subaccountRing. */
  ring: Uint8Array;
  /** Fills ever appended to the ring (the head). */
  count: bigint;
  fills: Array<{ slot: number; fill: FillProto }>;
}

export interface MmpStateGenesis {
  sub: Uint8Array;
  underlying: string;
  state: MmpStateProto;
}

export interface ClobHistoryGenesis {
  seriesBooks: SeriesBookGenesis[];
  fillSequence: bigint;
  fillRings: FillRingGenesis[];
  mmpStates: MmpStateGenesis[];
}

const U64_MAX = (1n << 64n) - 1n;
const SIGNED = /^-?(0|[1-9][0-9]*)$/;

function u64(v: unknown, path: string, fallback?: bigint): bigint {
  const n = uint(v, path, fallback);
  if (n > U64_MAX) throw new GenesisError(`${path}: above uint64`);
  return n;
}

function u32(v: unknown, path: string, fallback?: bigint): number {
  const n = uint(v, path, fallback);
  if (n > 0xffffffffn) throw new GenesisError(`${path}: above uint32`);
  return Number(n);
}

function signed(v: unknown, path: string): string {
  const s = v === undefined ? "0" : str(v, path);
  if (!SIGNED.test(s) || s === "-0") throw new GenesisError(`${path}: expected an integer string`);
  return s;
}

function subFrom(o: JsonObject, path: string): Uint8Array {
  const owner = parseBech32Address(str(o.owner, `${path}.owner`), ACCOUNT_PREFIX);
  const number = u32(o.subaccount_number, `${path}.subaccount_number`, 0n);
  if (number > MAX_SUBACCOUNT_NUMBER) throw new GenesisError(`${path}.subaccount_number: above ${MAX_SUBACCOUNT_NUMBER}`);
  return subaccountKey({ owner, number });
}

function subToJson(sub: Uint8Array): JsonObject {
  const { id } = decodeSubaccountKey(sub, 0);
  return { owner: toBech32Address(ACCOUNT_PREFIX, id.owner), subaccount_number: id.number };
}

function fillFromJson(o: JsonObject, path: string): FillProto {
  const address = (v: unknown, p: string) => {
    const s = str(v, p);
    parseBech32Address(s, ACCOUNT_PREFIX);
    return s;
  };
  const amount = (v: unknown, p: string) => uint(v, p).toString();
  const side = u32(o.taker_side, `${path}.taker_side`);
  if (side !== 1 && side !== 2) throw new GenesisError(`${path}.taker_side: 1 (buy) or 2 (sell)`);
  const height = uint(o.height, `${path}.height`);
  if (height > (1n << 63n) - 1n) throw new GenesisError(`${path}.height: above int64`);
  return {
    sequence: u64(o.sequence, `${path}.sequence`),
    seriesId: u64(o.series_id, `${path}.series_id`),
    makerOrderId: u64(o.maker_order_id, `${path}.maker_order_id`),
    takerOrderId: u64(o.taker_order_id, `${path}.taker_order_id`),
    maker: address(o.maker, `${path}.maker`),
    makerNumber: u32(o.maker_number, `${path}.maker_number`),
    taker: address(o.taker, `${path}.taker`),
    takerNumber: u32(o.taker_number, `${path}.taker_number`),
    takerSide: side,
    priceTicks: u64(o.price_ticks, `${path}.price_ticks`),
    sizeContracts: u64(o.size_contracts, `${path}.size_contracts`),
    premiumMicroUsdc: amount(o.premium_micro_usdc, `${path}.premium_micro_usdc`),
    makerFeeMicroUsdc: amount(o.maker_fee_micro_usdc, `${path}.maker_fee_micro_usdc`),
    takerFeeMicroUsdc: amount(o.taker_fee_micro_usdc, `${path}.taker_fee_micro_usdc`),
    height,
    timeNs: u64(o.time_ns, `${path}.time_ns`),
  };
}

function fillToJson(slot: number, f: FillProto): JsonObject {
  return {
    slot,
    sequence: f.sequence.toString(),
    series_id: f.seriesId.toString(),
    maker_order_id: f.makerOrderId.toString(),
    taker_order_id: f.takerOrderId.toString(),
    maker: f.maker,
    maker_number: f.makerNumber,
    taker: f.taker,
    taker_number: f.takerNumber,
    taker_side: f.takerSide,
    price_ticks: f.priceTicks.toString(),
    size_contracts: f.sizeContracts.toString(),
    premium_micro_usdc: f.premiumMicroUsdc,
    maker_fee_micro_usdc: f.makerFeeMicroUsdc,
    taker_fee_micro_usdc: f.takerFeeMicroUsdc,
    height: f.height.toString(),
    time_ns: f.timeNs.toString(),
  };
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex");

function unique(seen: Set<string>, key: string, what: string): void {
  if (seen.has(key)) throw new GenesisError(`${what}: listed twice`);
  seen.add(key);
}

export function parseClobHistory(g: JsonObject): ClobHistoryGenesis {
  const booksSeen = new Set<string>();
  const seriesBooks = arr(g.series_books, "clob.series_books").map((x, i): SeriesBookGenesis => {
    const path = `clob.series_books[${i}]`;
    const o = obj(x, path);
    const b = { seriesId: u64(o.series_id, `${path}.series_id`), mutationCounter: u64(o.mutation_counter, `${path}.mutation_counter`), nextSeq: u64(o.next_seq, `${path}.next_seq`) };
    unique(booksSeen, b.seriesId.toString(), `${path} (series ${b.seriesId})`);
    return b;
  });
  const fillSequence = u64(g.fill_sequence, "clob.fill_sequence", 0n);
  const ringsSeen = new Set<string>();
  const fillRings = arr(g.fill_rings, "clob.fill_rings").map((x, i): FillRingGenesis => {
    const path = `clob.fill_rings[${i}]`;
    const o = obj(x, path);
    const kind = str(o.kind, `${path}.kind`);
    if (kind !== "series" && kind !== "subaccount") throw new GenesisError(`${path}.kind: series or subaccount`);
    const ring = kind === "series" ? ClobKeys.seriesRing(u64(o.series_id, `${path}.series_id`)) : ClobKeys.subaccountRing(subFrom(o, path));
    unique(ringsSeen, hexOf(ring), path);
    const count = u64(o.count, `${path}.count`);
    const slots = new Set<string>();
    const fills = arr(o.fills, `${path}.fills`).map((y, j) => {
      const fp = `${path}.fills[${j}]`;
      const f = obj(y, fp);
      const slot = u32(f.slot, `${fp}.slot`);
      if (slot >= FILLS_KEPT) throw new GenesisError(`${fp}.slot: must be below ${FILLS_KEPT}`);
      unique(slots, String(slot), `${fp} (slot ${slot})`);
      const fill = fillFromJson(f, fp);
      if (fill.sequence >= fillSequence) throw new GenesisError(`${fp}.sequence: must be below clob.fill_sequence`);
      return { slot, fill };
    });
    if (BigInt(fills.length) > count) throw new GenesisError(`${path}: more fills than its count`);
    return { ring, count, fills };
  });
  const mmpSeen = new Set<string>();
  const mmpStates = arr(g.mmp_states, "clob.mmp_states").map((x, i): MmpStateGenesis => {
    const path = `clob.mmp_states[${i}]`;
    const o = obj(x, path);
    const sub = subFrom(o, path);
    const underlying = str(o.underlying, `${path}.underlying`);
    if (underlying.length === 0 || new TextEncoder().encode(underlying).length > 255) throw new GenesisError(`${path}.underlying: 1 to 255 bytes`);
    unique(mmpSeen, `${hexOf(sub)}|${underlying}`, path);
    const state: MmpStateProto = {
      windowStartNs: u64(o.window_start_ns, `${path}.window_start_ns`, 0n),
      contracts: u64(o.contracts, `${path}.contracts`, 0n),
      deltaMicroUnits: signed(o.delta_micro_units, `${path}.delta_micro_units`),
      vegaMicroUsdc: signed(o.vega_micro_usdc, `${path}.vega_micro_usdc`),
      frozen: bool(o.frozen, `${path}.frozen`, false),
      frozenUntilNs: u64(o.frozen_until_ns, `${path}.frozen_until_ns`, 0n),
    };
    return { sub, underlying, state };
  });
  return { seriesBooks, fillSequence, fillRings, mmpStates };
}

/** Writes the history; book counters of series listed here replace the ones derived from the orders. */
export function initClobHistory(store: KVStore, h: ClobHistoryGenesis): void {
  for (const b of h.seriesBooks) store.set(ClobKeys.seriesState(b.seriesId), SeriesBookState.encode({ mutationCounter: b.mutationCounter, nextSeq: b.nextSeq }));
  if (h.fillSequence > 0n) store.set(ClobKeys.fillSequence, u64be(h.fillSequence));
  for (const r of h.fillRings) {
    if (r.count > 0n) store.set(ClobKeys.fillHead(r.ring), u64be(r.count));
    for (const f of r.fills) store.set(ClobKeys.fillSlot(r.ring, f.slot), FillProto.encode(f.fill));
  }
  for (const m of h.mmpStates) {
    store.set(ClobKeys.mmpState(m.sub, m.underlying), MmpStateProto.encode(m.state));
    if (m.state.frozen && m.state.frozenUntilNs > 0n) store.set(ClobKeys.mmpUnfreeze(m.state.frozenUntilNs, m.sub, m.underlying), new Uint8Array(0));
  }
}

function ringToJson(ring: Uint8Array): JsonObject {
  return ring[0] === 0 ? { kind: "series", series_id: readU64be(ring, 1).toString() } : { kind: "subaccount", ...subToJson(ring.subarray(1)) };
}

export function exportClobHistory(store: KVReader): JsonObject {
  const seriesBooks: JsonObject[] = [];
  const sp = ClobKeys.seriesStatePrefix;
  for (const [key, value] of store.iterate(sp, prefixEnd(sp))) {
    const s = SeriesBookState.decode(value);
    seriesBooks.push({ series_id: readU64be(key, sp.length).toString(), mutation_counter: s.mutationCounter.toString(), next_seq: s.nextSeq.toString() });
  }
  const rawSeq = store.get(ClobKeys.fillSequence);
  // Rings by id (key order of the heads); a ring's slots in slot order.
  const rings = new Map<string, { ring: Uint8Array; count: bigint; fills: JsonObject[] }>();
  const hp = ClobKeys.fillHeadPrefix;
  for (const [key, value] of store.iterate(hp, prefixEnd(hp))) {
    const ring = key.slice(hp.length);
    rings.set(hexOf(ring), { ring, count: readU64be(value, 0), fills: [] });
  }
  const fp = ClobKeys.fillRingPrefix;
  for (const [key, value] of store.iterate(fp, prefixEnd(fp))) {
    const ring = key.slice(fp.length, key.length - 4);
    let r = rings.get(hexOf(ring));
    if (r === undefined) {
      r = { ring, count: 0n, fills: [] }; // unreachable: every slot write advances its head
      rings.set(hexOf(ring), r);
    }
    r.fills.push(fillToJson(readU32be(key, key.length - 4), FillProto.decode(value)));
  }
  const fillRings = [...rings.values()].map((r) => ({ ...ringToJson(r.ring), count: r.count.toString(), fills: r.fills }));
  const mmpStates: JsonObject[] = [];
  const mp = ClobKeys.mmpStatePrefix;
  for (const [key, value] of store.iterate(mp, prefixEnd(mp))) {
    const { end } = decodeSubaccountKey(key, mp.length);
    const s = MmpStateProto.decode(value);
    mmpStates.push({
      ...subToJson(key.slice(mp.length, end)),
      underlying: decodeUnderlying(key, end),
      window_start_ns: s.windowStartNs.toString(),
      contracts: s.contracts.toString(),
      delta_micro_units: s.deltaMicroUnits || "0",
      vega_micro_usdc: s.vegaMicroUsdc || "0",
      frozen: s.frozen,
      frozen_until_ns: s.frozenUntilNs.toString(),
    });
  }
  return { series_books: seriesBooks, fill_sequence: (rawSeq === undefined ? 0n : readU64be(rawSeq, 0)).toString(), fill_rings: fillRings, mmp_states: mmpStates };
}
