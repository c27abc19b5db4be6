/**
 * Byte helpers for the store. Inside the store, keys and values are kept as "binary strings": one UTF-16 code
 * unit per byte (0..255). V8 stores such strings one byte per char, they are immutable (no defensive copies),
 * and `<` on them is exactly bytewise (LevelDB) order. Conversions happen only at the KVStore boundary.
 */
import type { Bytes } from "./types.js";

/** Above this, `String.fromCharCode.apply` would risk exceeding the engine's argument limit. */
const CHUNK_BYTES = 8192;

/**
 * Node's native latin1 decoder (~70 ns for 40 bytes against ~220 ns for fromCharCode.apply). It is an internal
 * Buffer method, so it is looked up defensively and the portable path remains as a fallback.
 */
const latin1Slice = (
  globalThis as { Buffer?: { prototype?: { latin1Slice?: (this: Uint8Array, start: number, end: number) => string } } }
).Buffer?.prototype?.latin1Slice;

/** Bytes [from, to) as a binary string (flat, one-byte representation). */
export function bytesToBinary(bytes: Bytes, from = 0, to = bytes.length): string {
  if (latin1Slice !== undefined) return latin1Slice.call(bytes, from, to);
  return portableBytesToBinary(bytes, from, to);
}

export function portableBytesToBinary(bytes: Bytes, from = 0, to = bytes.length): string {
  if (to - from <= CHUNK_BYTES) {
    // Uint8Array is array-like; the cast only satisfies the lib typing of Function.apply.
    return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
  }
  const parts: string[] = [];
  for (let i = from; i < to; i += CHUNK_BYTES) {
    const end = i + CHUNK_BYTES < to ? i + CHUNK_BYTES : to;
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, end) as unknown as number[]));
  }
  return parts.join("");
}

/** A binary string (from `offset`) back to a fresh Uint8Array the caller may keep or mutate. */
export function binaryToBytes(str: string, offset = 0): Uint8Array {
  const out = new Uint8Array(str.length - offset);
  for (let i = offset; i < str.length; i++) out[i - offset] = str.charCodeAt(i);
  return out;
}

/** Writes a binary string into `out` at `at`; returns the offset after it. */
export function writeBinary(str: string, out: Uint8Array, at: number, offset = 0): number {
  for (let i = offset; i < str.length; i++) out[at++] = str.charCodeAt(i);
  return at;
}

export function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Bytewise comparison, the same order LevelDB and binary strings use. */
export function compareBytes(a: Bytes, b: Bytes): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function bytesEqual(a: Bytes, b: Bytes): boolean {
  return compareBytes(a, b) === 0;
}

export function concatBytes(...parts: Bytes[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Smallest binary string greater than every string that starts with `prefix`, or undefined when there is none
 * (empty prefix or all 0xff): then the prefix range is unbounded above.
 */
export function prefixEndBinary(prefix: string): string | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return undefined;
}

/** Byte form of `prefixEndBinary`. */
export function prefixEnd(prefix: Bytes): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix[i] as number;
    if (c < 0xff) {
      const out = prefix.slice(0, i + 1);
      out[i] = c + 1;
      return out;
    }
  }
  return undefined;
}

/** Number of bytes of the unsigned LEB128 varint of `n` (n < 2^53). */
export function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = (n - (n % 0x80)) / 0x80;
    size++;
  }
  return size;
}

/** Writes `n` as an unsigned LEB128 varint into `out` at `at`; returns the offset after it. */
export function writeUvarint(n: number, out: Uint8Array, at: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 0x80) | 0x80;
    n = (n - (n % 0x80)) / 0x80;
  }
  out[at++] = n;
  return at;
}

/**
 * Reads a minimal (canonical) unsigned varint of at most 7 bytes at `at`. Returns [value, next offset], or
 * undefined if it is truncated, non-minimal or too long, so that every number has exactly one encoding.
 */
export function readUvarint(buf: Bytes, at: number): [number, number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    if (at >= buf.length) return undefined;
    const b = buf[at++] as number;
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (b === 0 && i > 0) return undefined; // non-minimal: a trailing zero group
      return [value, at];
    }
    scale *= 0x80;
  }
  return undefined;
}
