/**
 * The stored order record in a fixed binary layout (not protobuf): every add, fill, cancel, margin session and
 * margin sweep reads or writes it, and a fixed layout encodes and decodes several times faster than the
 * generic proto codec. Layout (big-endian):
 *
 *   u8 version (0x01) ‖ u64 seriesId ‖ subaccount key (u8 len ‖ owner ‖ u32 number) ‖ u8 side (0 buy, 1 sell)
 *   ‖ u8 time in force (TifProto) ‖ u8 flags (1 post-only, 2 reduce-only) ‖ u64 priceTicks
 *   ‖ u64 remainingContracts ‖ u64 placedContracts ‖ u64 filledContracts ‖ u64 clientId (0: none) ‖ u64 seq
 *   ‖ u64 goodTilBlock (GTB only) ‖ u64 goodTilTimeNs (GTT only)
 *
 * The subaccount key inside is the same bytes as ClobKeys' subaccount key, so decoding hands it out as a slice.
 */
import type { Side, TimeInForce } from "./orderbook/index.js";

const VERSION = 0x01;
const TIFS: readonly TimeInForce[] = ["GTC", "IOC", "FOK", "GTB", "GTT"];
const TIF_CODE: Record<TimeInForce, number> = { GTC: 0, IOC: 1, FOK: 2, GTB: 3, GTT: 4 };
const TWO_32 = 4294967296;
const MASK_32 = 0xffffffffn;

export interface OrderRecord {
  seriesId: bigint;
  /** Subaccount key: u8 len ‖ owner ‖ u32be number. */
  sub: Uint8Array;
  side: Side;
  timeInForce: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  priceTicks: bigint;
  remainingContracts: bigint;
  placedContracts: bigint;
  filledContracts: bigint;
  clientId: bigint;
  seq: bigint;
  goodTilBlock: bigint | undefined;
  goodTilTimeNs: bigint | undefined;
}

function putU64(out: Uint8Array, at: number, v: bigint): void {
  const x = BigInt.asUintN(64, v);
  let hi: number;
  let lo: number;
  if (x < 9007199254740992n) {
    // Below 2^53 (every real id, price and size): one conversion instead of two shifts and masks.
    const n = Number(x);
    lo = n % TWO_32;
    hi = (n - lo) / TWO_32;
  } else {
    hi = Number(x >> 32n);
    lo = Number(x & MASK_32);
  }
  out[at] = hi >>> 24;
  out[at + 1] = (hi >>> 16) & 0xff;
  out[at + 2] = (hi >>> 8) & 0xff;
  out[at + 3] = hi & 0xff;
  out[at + 4] = lo >>> 24;
  out[at + 5] = (lo >>> 16) & 0xff;
  out[at + 6] = (lo >>> 8) & 0xff;
  out[at + 7] = lo & 0xff;
}

function getU64(b: Uint8Array, at: number): bigint {
  const hi = ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
  const lo = ((b[at + 4]! << 24) >>> 0) + (b[at + 5]! << 16) + (b[at + 6]! << 8) + b[at + 7]!;
  if (hi < 0x200000) return BigInt(hi * TWO_32 + lo); // exact below 2^53
  return (BigInt(hi) << 32n) | BigInt(lo);
}

export function encodeOrderRecord(o: OrderRecord): Uint8Array {
  const subLen = o.sub.length;
  const extra = o.timeInForce === "GTB" || o.timeInForce === "GTT" ? 8 : 0;
  const out = new Uint8Array(1 + 8 + subLen + 3 + 48 + extra);
  out[0] = VERSION;
  putU64(out, 1, o.seriesId);
  out.set(o.sub, 9);
  let at = 9 + subLen;
  out[at] = o.side === "buy" ? 0 : 1;
  out[at + 1] = TIF_CODE[o.timeInForce];
  out[at + 2] = (o.postOnly ? 1 : 0) | (o.reduceOnly ? 2 : 0);
  at += 3;
  putU64(out, at, o.priceTicks);
  putU64(out, at + 8, o.remainingContracts);
  putU64(out, at + 16, o.placedContracts);
  putU64(out, at + 24, o.filledContracts);
  putU64(out, at + 32, o.clientId);
  putU64(out, at + 40, o.seq);
  if (o.timeInForce === "GTB") putU64(out, at + 48, o.goodTilBlock ?? 0n);
  if (o.timeInForce === "GTT") putU64(out, at + 48, o.goodTilTimeNs ?? 0n);
  return out;
}

/** Throws on a record this code did not write (state is written only by encodeOrderRecord). */
export function decodeOrderRecord(raw: Uint8Array): OrderRecord {
  if (raw[0] !== VERSION || raw.length < 10) throw new Error("clob: unknown order record format");
  const subLen = raw[9]! + 5;
  let at = 9 + subLen;
  if (raw.length < at + 51) throw new Error("clob: truncated order record");
  const tif = TIFS[raw[at + 1]!] ?? "GTC";
  const flags = raw[at + 2]!;
  const side: Side = raw[at] === 0 ? "buy" : "sell";
  at += 3;
  return {
    seriesId: getU64(raw, 1),
    sub: raw.slice(9, 9 + subLen),
    side,
    timeInForce: tif,
    postOnly: (flags & 1) !== 0,
    reduceOnly: (flags & 2) !== 0,
    priceTicks: getU64(raw, at),
    remainingContracts: getU64(raw, at + 8),
    placedContracts: getU64(raw, at + 16),
    filledContracts: getU64(raw, at + 24),
    clientId: getU64(raw, at + 32),
    seq: getU64(raw, at + 40),
    goodTilBlock: tif === "GTB" ? getU64(raw, at + 48) : undefined,
    goodTilTimeNs: tif === "GTT" ? getU64(raw, at + 48) : undefined,
  };
}
