/**
 * The store layers talk to each other in binary strings (see bytes.ts) so that a read through several branches
 * converts bytes once, at the outer boundary. Any foreign KVReader still works through `asRawReader`.
 */
import { binaryToBytes, bytesToBinary } from "./bytes.js";
import type { Bytes, KVReader, KVStore } from "./types.js";

export interface RawReader {
  getRaw(key: string): string | undefined;
  /**
   * Entries with start <= key < end. Eager: what it yields is fixed when this is called (later writes to the
   * store are not seen), so callers must call it when their own iteration starts, not lazily on first next().
   */
  iterateRaw(start: string | undefined, end: string | undefined, reverse: boolean): Iterator<[string, string]>;
}

export interface RawStore extends RawReader {
  setRaw(key: string, value: string): void;
  deleteRaw(key: string): void;
}

export function isRawReader(reader: KVReader): reader is KVReader & RawReader {
  const r = reader as Partial<RawReader>;
  return typeof r.getRaw === "function" && typeof r.iterateRaw === "function";
}

export function isRawStore(reader: KVReader): reader is KVStore & RawStore {
  const r = reader as Partial<RawStore>;
  return isRawReader(reader) && typeof r.setRaw === "function" && typeof r.deleteRaw === "function";
}

/** Raw view of any KVReader: ours directly, a foreign one through byte conversions. */
export function asRawReader(reader: KVReader): RawReader {
  if (isRawReader(reader)) return reader;
  return {
    getRaw(key) {
      const value = reader.get(binaryToBytes(key));
      return value === undefined ? undefined : bytesToBinary(value);
    },
    iterateRaw(start, end, reverse) {
      const inner = reader.iterate(
        start === undefined ? undefined : binaryToBytes(start),
        end === undefined ? undefined : binaryToBytes(end),
        reverse,
      );
      return mapIterator(inner, ([k, v]) => [bytesToBinary(k), bytesToBinary(v)]);
    },
  };
}

/** Raw store view of any KVStore. */
export function asRawStore(store: KVStore): RawStore {
  if (isRawStore(store)) return store;
  const reader = asRawReader(store);
  return {
    getRaw: (key) => reader.getRaw(key),
    iterateRaw: (start, end, reverse) => reader.iterateRaw(start, end, reverse),
    setRaw: (key, value) => store.set(binaryToBytes(key), binaryToBytes(value)),
    deleteRaw: (key) => store.delete(binaryToBytes(key)),
  };
}

export function* mapIterator<A, B>(inner: Iterator<A>, f: (a: A) => B): Generator<B> {
  for (;;) {
    const r = inner.next();
    if (r.done) return;
    yield f(r.value);
  }
}

/** Raw entries as fresh byte pairs: what KVReader.iterate hands out. */
export function toBytesEntries(inner: Iterator<[string, string]>): IterableIterator<[Bytes, Bytes]> {
  return mapIterator(inner, ([k, v]): [Bytes, Bytes] => [binaryToBytes(k), binaryToBytes(v)]);
}

export function optBinary(bytes: Bytes | undefined): string | undefined {
  return bytes === undefined ? undefined : bytesToBinary(bytes);
}
