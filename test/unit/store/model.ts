/** A plain sorted-map model of a KVStore, and generators, for property tests of the store layers. */
import fc from "fast-check";
import { binaryToBytes, bytesToBinary, compareBytes } from "../../../src/store/bytes.js";
import type { Bytes, KVReader } from "../../../src/store/types.js";

export type Model = Map<string, Uint8Array>;

/** Few distinct bytes, including the 0x00/0xff edges, so keys collide and share prefixes often. */
export const keyArb = fc
  .array(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff), { maxLength: 3 })
  .map((a) => Uint8Array.from(a));
export const valueArb = fc.uint8Array({ maxLength: 6 });

export function modelRange(model: Model, start?: Bytes, end?: Bytes, reverse = false): Array<[Uint8Array, Uint8Array]> {
  const out = [...model.entries()]
    .map(([k, v]): [Uint8Array, Uint8Array] => [binaryToBytes(k), v])
    .filter(([k]) => (start === undefined || compareBytes(k, start) >= 0) && (end === undefined || compareBytes(k, end) < 0))
    .sort((a, b) => compareBytes(a[0], b[0]));
  return reverse ? out.reverse() : out;
}

export function modelSet(model: Model, key: Bytes, value: Bytes): void {
  model.set(bytesToBinary(key), Uint8Array.from(value));
}

export function modelDelete(model: Model, key: Bytes): void {
  model.delete(bytesToBinary(key));
}

export function modelGet(model: Model, key: Bytes): Uint8Array | undefined {
  return model.get(bytesToBinary(key));
}

export function all(reader: KVReader, start?: Bytes, end?: Bytes, reverse = false): Array<[Uint8Array, Uint8Array]> {
  return [...reader.iterate(start, end, reverse)].map(([k, v]) => [Uint8Array.from(k), Uint8Array.from(v)]);
}
