/**
 * CLOB state keys, all under ModulePrefix.clob. A subaccount key is len(owner) ‖ owner ‖ u32be(number) (as in
 * subaccounts); ids, prices and times are u64 big-endian, so key order is numeric order and prefix scans exact.
 */
import { ModulePrefix } from "../prefixes.js";
import { concat } from "../../src/app/pagination.js";
import type { SubaccountId } from "./expectedKeepers.js";

const P: number = ModulePrefix.clob;
export const CLOB_STORE_PREFIX = P;

export { readU32be, readU64be, u32be, u64be } from "../../src/store/bigEndian.js";
import { readU32be, u32be, u64be } from "../../src/store/bigEndian.js";

const MAX_U64 = (1n << 64n) - 1n;
const TWO_32 = 4294967296;

/** Writes v (0 ≤ v < 2^64) big-endian at `at`: hot keys are built in one buffer, not concatenated from parts. */
function putU64(out: Uint8Array, at: number, n: bigint): void {
  const v = BigInt.asUintN(64, n);
  let hi: number;
  let lo: number;
  if (v < 9007199254740992n) {
    const x = Number(v);
    lo = x % TWO_32;
    hi = (x - lo) / TWO_32;
  } else {
    hi = Number(v >> 32n);
    lo = Number(v & 0xffffffffn);
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

/** [P, table] ‖ sub ‖ u64 × ids. */
function tableKey(table: number, sub: Uint8Array | undefined, ...ids: bigint[]): Uint8Array {
  const subLen = sub === undefined ? 0 : sub.length;
  const out = new Uint8Array(2 + subLen + 8 * ids.length);
  out[0] = P;
  out[1] = table;
  if (sub !== undefined) out.set(sub, 2);
  let at = 2 + subLen;
  for (const id of ids) {
    putU64(out, at, id);
    at += 8;
  }
  return out;
}
const SIDE_BYTE = { buy: 0, sell: 1 } as const;

/** len(owner) ‖ owner ‖ u32be(number). */
export function subaccountKey(id: SubaccountId): Uint8Array {
  return concat(new Uint8Array([id.owner.length]), id.owner, u32be(id.number));
}

/** The subaccount encoded at `offset`, and where it ends. */
export function decodeSubaccountKey(key: Uint8Array, offset: number): { id: SubaccountId; end: number } {
  const len = key[offset]!;
  const owner = key.slice(offset + 1, offset + 1 + len);
  return { id: { owner, number: readU32be(key, offset + 1 + len) }, end: offset + 5 + len };
}

function underlyingBytes(underlying: string): Uint8Array {
  const b = new TextEncoder().encode(underlying);
  return concat(new Uint8Array([b.length]), b);
}

export const ClobKeys = {
  params: new Uint8Array([P, 0x00]),
  /** → u64be: the next order id (ids start at 1). */
  nextOrderId: new Uint8Array([P, 0x01]),
  /** 0x02 ‖ u64 orderId → OrderState */
  orderPrefix: new Uint8Array([P, 0x02]),
  /** 0x03 ‖ subaccount ‖ u64 series ‖ u64 orderId → empty */
  bySubaccountPrefix: new Uint8Array([P, 0x03]),
  /** 0x04 ‖ subaccount ‖ u64 clientId → u64 orderId */
  clientIdPrefix: new Uint8Array([P, 0x04]),
  /** 0x05 ‖ u64 series ‖ side ‖ u64 priceKey ‖ u64 seq → u64 orderId; priceKey = price (asks), MAX-price (bids): best first. */
  bookPrefix: new Uint8Array([P, 0x05]),
  /** 0x06 ‖ u64 series → SeriesBookState */
  seriesStatePrefix: new Uint8Array([P, 0x06]),
  /** 0x07 ‖ 0x00 ‖ u64 goodTilBlock ‖ u64 orderId → u64 series; 0x07 ‖ 0x01 ‖ u64 goodTilTimeNs ‖ u64 orderId → u64 series */
  expiryPrefix: new Uint8Array([P, 0x07]),
  /** 0x08 ‖ 0x00 ‖ u64 series ‖ u32 slot → Fill; 0x08 ‖ 0x01 ‖ subaccount ‖ u32 slot → Fill (bounded rings) */
  fillRingPrefix: new Uint8Array([P, 0x08]),
  /** 0x09 ‖ ring id (as above without slot) → u64 fills ever written to the ring */
  fillHeadPrefix: new Uint8Array([P, 0x09]),
  /** → u64be: fills ever executed (sequence of the next fill). */
  fillSequence: new Uint8Array([P, 0x0a]),
  /** 0x0B ‖ subaccount ‖ len ‖ underlying → MmpConfig */
  mmpConfigPrefix: new Uint8Array([P, 0x0b]),
  /** 0x0C ‖ subaccount ‖ len ‖ underlying → MmpState */
  mmpStatePrefix: new Uint8Array([P, 0x0c]),
  /** 0x0D ‖ u64 frozenUntilNs ‖ subaccount ‖ len ‖ underlying → empty: timed freezes to lift in BeginBlock */
  mmpUnfreezePrefix: new Uint8Array([P, 0x0d]),
  /** 0x0E ‖ subaccount → u32be open orders */
  openCountPrefix: new Uint8Array([P, 0x0e]),

  order(orderId: bigint): Uint8Array {
    return tableKey(0x02, undefined, orderId);
  },
  subaccountOrdersPrefix(sub: Uint8Array): Uint8Array {
    return concat(this.bySubaccountPrefix, sub);
  },
  subaccountSeriesPrefix(sub: Uint8Array, seriesId: bigint): Uint8Array {
    return concat(this.bySubaccountPrefix, sub, u64be(seriesId));
  },
  bySubaccount(sub: Uint8Array, seriesId: bigint, orderId: bigint): Uint8Array {
    return tableKey(0x03, sub, seriesId, orderId);
  },
  clientId(sub: Uint8Array, clientId: bigint): Uint8Array {
    return tableKey(0x04, sub, clientId);
  },
  seriesBookPrefix(seriesId: bigint): Uint8Array {
    return concat(this.bookPrefix, u64be(seriesId));
  },
  bookSidePrefix(seriesId: bigint, side: "buy" | "sell"): Uint8Array {
    return concat(this.bookPrefix, u64be(seriesId), new Uint8Array([SIDE_BYTE[side]]));
  },
  bookEntry(seriesId: bigint, side: "buy" | "sell", priceTicks: bigint, seq: bigint): Uint8Array {
    const priceKey = side === "buy" ? MAX_U64 - priceTicks : priceTicks;
    const out = new Uint8Array(27);
    out[0] = P;
    out[1] = 0x05;
    putU64(out, 2, seriesId);
    out[10] = SIDE_BYTE[side];
    putU64(out, 11, priceKey);
    putU64(out, 19, seq);
    return out;
  },
  seriesState(seriesId: bigint): Uint8Array {
    return tableKey(0x06, undefined, seriesId);
  },
  expiryByBlockPrefix(): Uint8Array {
    return concat(this.expiryPrefix, new Uint8Array([0]));
  },
  expiryByTimePrefix(): Uint8Array {
    return concat(this.expiryPrefix, new Uint8Array([1]));
  },
  expiryByBlock(height: bigint, orderId: bigint): Uint8Array {
    return concat(this.expiryPrefix, new Uint8Array([0]), u64be(height), u64be(orderId));
  },
  expiryByTime(timeNs: bigint, orderId: bigint): Uint8Array {
    return concat(this.expiryPrefix, new Uint8Array([1]), u64be(timeNs), u64be(orderId));
  },
  /** Ring ids: the series ring or the subaccount ring (without the 0x08/0x09 table byte). */
  seriesRing(seriesId: bigint): Uint8Array {
    return concat(new Uint8Array([0]), u64be(seriesId));
  },
  subaccountRing(sub: Uint8Array): Uint8Array {
    return concat(new Uint8Array([1]), sub);
  },
  fillSlot(ring: Uint8Array, slot: number): Uint8Array {
    return concat(this.fillRingPrefix, ring, u32be(slot));
  },
  fillRing(ring: Uint8Array): Uint8Array {
    return concat(this.fillRingPrefix, ring);
  },
  fillHead(ring: Uint8Array): Uint8Array {
    return concat(this.fillHeadPrefix, ring);
  },
  mmpConfig(sub: Uint8Array, underlying: string): Uint8Array {
    return concat(this.mmpConfigPrefix, sub, underlyingBytes(underlying));
  },
  mmpState(sub: Uint8Array, underlying: string): Uint8Array {
    return concat(this.mmpStatePrefix, sub, underlyingBytes(underlying));
  },
  mmpUnfreeze(untilNs: bigint, sub: Uint8Array, underlying: string): Uint8Array {
    return concat(this.mmpUnfreezePrefix, u64be(untilNs), sub, underlyingBytes(underlying));
  },
  openCount(sub: Uint8Array): Uint8Array {
    return concat(this.openCountPrefix, sub);
  },
};

/** Decodes `len ‖ utf8` at offset. */
export function decodeUnderlying(key: Uint8Array, offset: number): string {
  const len = key[offset]!;
  return new TextDecoder().decode(key.subarray(offset + 1, offset + 1 + len));
}
