/**
 * How the committed tree stores a value: a binary string of 2 chars holding the key's bucket (big-endian)
 * followed by the value bytes. Caching the bucket saves a SHA-256 of the key on every update or delete of an
 * existing key; built in one `fromCharCode` call so the string is flat (no rope), ~2 bytes per entry.
 */
import { binaryToBytes, bytesToBinary } from "./bytes.js";
import type { Bytes } from "./types.js";

export const ENTRY_HEADER_CHARS = 2;

let scratch = new Uint8Array(256);

export function makeEntry(bucket: number, value: Bytes): string {
  const size = ENTRY_HEADER_CHARS + value.length;
  if (size > scratch.length) scratch = new Uint8Array(size * 2);
  scratch[0] = bucket >> 8;
  scratch[1] = bucket & 0xff;
  scratch.set(value, ENTRY_HEADER_CHARS);
  return bytesToBinary(scratch, 0, size);
}

export function entryBucket(entry: string): number {
  return (entry.charCodeAt(0) << 8) | entry.charCodeAt(1);
}

export function entryValue(entry: string): Uint8Array {
  return binaryToBytes(entry, ENTRY_HEADER_CHARS);
}

/** The value as a binary string (a cheap slice of the entry). */
export function entryValueBinary(entry: string): string {
  return entry.slice(ENTRY_HEADER_CHARS);
}
