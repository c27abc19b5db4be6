/**
 * Oracle state layout. Underlyings are length-prefixed so that a prefix scan over "BTC" never matches "BTCX";
 * times and expiries are 8-byte big-endian, so key order is time (expiry) order.
 */
import { concat } from "../../src/app/pagination.js";
import { ModulePrefix } from "../prefixes.js";

/**
 * The oracle's first key byte: 0x03, reserved for the oracle in modules/prefixes.ts. (When `oracle: 0x03` is
 * added to ModulePrefix, this may read `ModulePrefix.oracle`; the value must stay 0x03.)
 */
export const ORACLE_STORE_PREFIX = ModulePrefix.oracle;
const P = ORACLE_STORE_PREFIX;
const utf8 = new TextEncoder();

function underlyingKey(underlying: string): Uint8Array {
  const bytes = utf8.encode(underlying);
  if (bytes.length === 0 || bytes.length > 255) throw new Error(`invalid underlying key "${underlying.slice(0, 40)}"`);
  return concat(new Uint8Array([bytes.length]), bytes);
}

/** 8-byte big-endian encoding of a non-negative 64-bit integer (times in ns, expiries in s); out of range is a RangeError. */
export { readU64be, u64beChecked as u64be } from "../../src/store/bigEndian.js";
import { u64beChecked as u64be } from "../../src/store/bigEndian.js";

export const OracleKeys = {
  /** → Params */
  params: new Uint8Array([P, 0x00]),
  /** 0x01 ‖ len ‖ underlying → Price */
  pricePrefix: new Uint8Array([P, 0x01]),
  /** 0x02 ‖ len ‖ underlying ‖ expiry (u64 BE, seconds) → Smile */
  smilePrefix: new Uint8Array([P, 0x02]),
  /** 0x03 ‖ len ‖ underlying ‖ time (u64 BE, ns) → PricePoint */
  historyPrefix: new Uint8Array([P, 0x03]),
  /** 0x04 ‖ len ‖ underlying → number of history points (decimal string) */
  historyCountPrefix: new Uint8Array([P, 0x04]),

  price(underlying: string): Uint8Array {
    return concat(this.pricePrefix, underlyingKey(underlying));
  },
  smilesOf(underlying: string): Uint8Array {
    return concat(this.smilePrefix, underlyingKey(underlying));
  },
  smile(underlying: string, expiryUnixS: bigint): Uint8Array {
    return concat(this.smilesOf(underlying), u64be(expiryUnixS));
  },
  historyOf(underlying: string): Uint8Array {
    return concat(this.historyPrefix, underlyingKey(underlying));
  },
  historyPoint(underlying: string, timeNs: bigint): Uint8Array {
    return concat(this.historyOf(underlying), u64be(timeNs));
  },
  historyCount(underlying: string): Uint8Array {
    return concat(this.historyCountPrefix, underlyingKey(underlying));
  },
};
