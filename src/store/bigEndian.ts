/**
 * Fixed-width big-endian integers for state keys and records: 4- and 8-byte unsigned, so byte order of a key is
 * numeric order. One implementation for every module (they run on every key of the order path, so the writers
 * use byte arithmetic rather than a DataView per call).
 */

const TWO_32 = 4294967296;

export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4);
  out[0] = n >>> 24;
  out[1] = (n >>> 16) & 0xff;
  out[2] = (n >>> 8) & 0xff;
  out[3] = n & 0xff;
  return out;
}

/** 8 bytes of n modulo 2^64 (as DataView.setBigUint64 does); see `u64beChecked` for a range check. */
export function u64be(n: bigint): Uint8Array {
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

/** As `u64be`, but a value outside [0, 2^64) is a RangeError instead of wrapping. */
export function u64beChecked(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`key value ${value} is out of uint64 range`);
  return u64be(value);
}

export function readU32be(bytes: Uint8Array, offset = 0): number {
  if (offset < 0 || offset + 4 > bytes.length) throw new RangeError("readU32be: offset out of range");
  return ((bytes[offset]! << 24) >>> 0) + (bytes[offset + 1]! << 16) + (bytes[offset + 2]! << 8) + bytes[offset + 3]!;
}

export function readU64be(bytes: Uint8Array, offset = 0): bigint {
  const hi = readU32be(bytes, offset);
  const lo = readU32be(bytes, offset + 4);
  if (hi < 0x200000) return BigInt(hi * TWO_32 + lo); // exact below 2^53
  return (BigInt(hi) << 32n) | BigInt(lo);
}
