/**
 * Options state keys, all under ModulePrefix.options (0x04). Underlyings are length-prefixed (a scan over "BTC"
 * never matches "BTCX"); ids, expiries and strikes are 8-byte big-endian, so key order is numeric order.
 */
import { concat } from "../../src/app/pagination.js";
import { ModulePrefix } from "../prefixes.js";
import type { OptionKind } from "./types.js";

export const OPTIONS_STORE_PREFIX: number = ModulePrefix.options;
const P = OPTIONS_STORE_PREFIX;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

// Keys take only in-range values: a bad one is a RangeError, never a wrapped key.
export { readU32be, readU64be, u32be, u64beChecked as u64be } from "../../src/store/bigEndian.js";
import { u32be, u64beChecked as u64be } from "../../src/store/bigEndian.js";

export function underlyingKey(symbol: string): Uint8Array {
  const bytes = utf8.encode(symbol);
  if (bytes.length === 0 || bytes.length > 255) throw new RangeError(`invalid underlying key "${symbol.slice(0, 40)}"`);
  return concat(new Uint8Array([bytes.length]), bytes);
}

export const KIND_BYTE: Record<OptionKind, number> = { call: 1, put: 2 };

export function encodeU64Value(v: bigint): Uint8Array {
  return utf8.encode(v.toString());
}

export function decodeIntValue(raw: Uint8Array): bigint {
  return BigInt(fromUtf8.decode(raw));
}

export const OptionsKeys = {
  params: new Uint8Array([P, 0x00]),
  /** → next series id (decimal string); absent: 1. */
  nextSeriesId: new Uint8Array([P, 0x01]),
  /** 0x02 ‖ u64(id) → Series */
  seriesPrefix: new Uint8Array([P, 0x02]),
  /** 0x03 ‖ len ‖ underlying ‖ u64(expiry) ‖ u64(strike) ‖ kind → u64(id): uniqueness and per-expiry scans. */
  contractPrefix: new Uint8Array([P, 0x03]),
  /** 0x04 ‖ len ‖ underlying ‖ u64(expiry) → number of unsettled series at that expiry (decimal string). */
  liveExpiryPrefix: new Uint8Array([P, 0x04]),
  /** 0x05 ‖ u64(expiry) ‖ u64(id) → empty: unsettled series in expiry order (what BeginBlock settles). */
  expiryQueuePrefix: new Uint8Array([P, 0x05]),
  /** 0x06 ‖ u64(id) → Settlement */
  settlementPrefix: new Uint8Array([P, 0x06]),
  /** 0x07 ‖ u64(series) ‖ len ‖ owner ‖ u32(number) → ShortfallClaim */
  claimPrefix: new Uint8Array([P, 0x07]),
  /** → u64 time of the block being executed (ns). */
  // 0x08 (the last block time) is retired: time is passed explicitly, so an idle block changes no state.
  /** 0x09 ‖ u64(id) → empty: expired series whose closing hook ran, settlement waiting for a price. */
  expiredPrefix: new Uint8Array([P, 0x09]),
  /** 0x0a ‖ len ‖ underlying → number of unsettled series (decimal string). */
  liveCountPrefix: new Uint8Array([P, 0x0a]),

  series(id: bigint): Uint8Array {
    return concat(this.seriesPrefix, u64be(id));
  },
  contractsOf(underlying: string): Uint8Array {
    return concat(this.contractPrefix, underlyingKey(underlying));
  },
  contractsAt(underlying: string, expiryUnixS: bigint): Uint8Array {
    return concat(this.contractsOf(underlying), u64be(expiryUnixS));
  },
  contract(underlying: string, expiryUnixS: bigint, strikeMicroUsd: bigint, kind: OptionKind): Uint8Array {
    return concat(this.contractsAt(underlying, expiryUnixS), u64be(strikeMicroUsd), new Uint8Array([KIND_BYTE[kind]]));
  },
  liveExpiriesOf(underlying: string): Uint8Array {
    return concat(this.liveExpiryPrefix, underlyingKey(underlying));
  },
  liveExpiry(underlying: string, expiryUnixS: bigint): Uint8Array {
    return concat(this.liveExpiriesOf(underlying), u64be(expiryUnixS));
  },
  queued(expiryUnixS: bigint, id: bigint): Uint8Array {
    return concat(this.expiryQueuePrefix, u64be(expiryUnixS), u64be(id));
  },
  settlement(id: bigint): Uint8Array {
    return concat(this.settlementPrefix, u64be(id));
  },
  claim(seriesId: bigint, owner: Uint8Array, number: number): Uint8Array {
    return concat(this.claimPrefix, u64be(seriesId), new Uint8Array([owner.length]), owner, u32be(number));
  },
  expired(id: bigint): Uint8Array {
    return concat(this.expiredPrefix, u64be(id));
  },
  liveCount(underlying: string): Uint8Array {
    return concat(this.liveCountPrefix, underlyingKey(underlying));
  },
};
