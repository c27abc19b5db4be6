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

export { readU32be, readU64be, u32be, u64be } from "../../src/store/bigEndian.js";
import { readU32be, u32be, u64be } from "../../src/store/bigEndian.js";

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
