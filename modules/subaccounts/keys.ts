/**
 * Subaccounts state keys, all under ModulePrefix.subaccounts. Owners are length-prefixed (so one owner's
 * prefix never matches a longer owner's), numbers are 4-byte and instrument ids 8-byte big-endian, so key order
 * is (owner length, owner, number, instrument) order and prefix scans are exact.
 */
import { ModulePrefix } from "../prefixes.js";
import { concat } from "../../src/app/pagination.js";
import type { SubaccountId } from "./types.js";

const P: number = ModulePrefix.subaccounts;
export const SUBACCOUNTS_STORE_PREFIX = P;

export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

export function u64be(n: bigint): Uint8Array {
  // Two 32-bit halves: on the hot path (every key) this beats a DataView's setBigUint64 several times over.
  const v = BigInt.asUintN(64, n);
  const hi = Number(v >> 32n);
  const lo = Number(v & 0xffffffffn);
  const out = new Uint8Array(8);
  out[0] = hi >>> 24;
  out[1] = (hi >>> 16) & 0xff;
  out[2] = (hi >>> 8) & 0xff;
  out[3] = hi & 0xff;
  out[4] = lo >>> 24;
  out[5] = (lo >>> 16) & 0xff;
  out[6] = (lo >>> 8) & 0xff;
  out[7] = lo & 0xff;
  return out;
}

export function readU32be(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

export function readU64be(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, false);
}

export const SubaccountsKeys = {
  params: new Uint8Array([P, 0x00]),
  /** 0x01 ‖ len(owner) ‖ owner ‖ u32be(number) → collateral (signed decimal string); present iff non-empty. */
  subaccountPrefix: new Uint8Array([P, 0x01]),
  /** 0x02 ‖ len(owner) ‖ owner ‖ u32be(number) ‖ u64be(instrument) → PositionState */
  positionPrefix: new Uint8Array([P, 0x02]),
  /** 0x03 ‖ u64be(instrument) → OpenInterest */
  openInterestPrefix: new Uint8Array([P, 0x03]),
  /** 0x04 ‖ u64be(instrument) ‖ len(owner) ‖ owner ‖ u32be(number) → empty: who holds an instrument (settlement). */
  holderPrefix: new Uint8Array([P, 0x04]),

  ownerSubaccountsPrefix(owner: Uint8Array): Uint8Array {
    return concat(this.subaccountPrefix, new Uint8Array([owner.length]), owner);
  },
  subaccount(id: SubaccountId): Uint8Array {
    return concat(this.subaccountPrefix, new Uint8Array([id.owner.length]), id.owner, u32be(id.number));
  },
  subaccountPositionsPrefix(id: SubaccountId): Uint8Array {
    return concat(this.positionPrefix, new Uint8Array([id.owner.length]), id.owner, u32be(id.number));
  },
  position(id: SubaccountId, instrumentId: bigint): Uint8Array {
    return concat(this.subaccountPositionsPrefix(id), u64be(instrumentId));
  },
  instrumentHoldersPrefix(instrumentId: bigint): Uint8Array {
    return concat(this.holderPrefix, u64be(instrumentId));
  },
  holder(instrumentId: bigint, id: SubaccountId): Uint8Array {
    return concat(this.holderPrefix, u64be(instrumentId), new Uint8Array([id.owner.length]), id.owner, u32be(id.number));
  },
  openInterest(instrumentId: bigint): Uint8Array {
    return concat(this.openInterestPrefix, u64be(instrumentId));
  },
};

/** The subaccount id encoded after a 2-byte table prefix (0x01 or 0x02 key); returns the id and its end offset. */
export function decodeIdAfterPrefix(key: Uint8Array, tablePrefixLength = 2): { id: SubaccountId; end: number } {
  const len = key[tablePrefixLength]!;
  const ownerStart = tablePrefixLength + 1;
  const owner = key.slice(ownerStart, ownerStart + len);
  const number = readU32be(key, ownerStart + len);
  return { id: { owner, number }, end: ownerStart + len + 4 };
}
