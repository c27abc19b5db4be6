/**
 * A view of the keys of a parent store that start with `prefix`, with the prefix removed: modules each get one
 * over the block's branch. Iteration ranges are translated into the parent's key space; the upper bound of the
 * whole prefix is the prefix "plus one" (prefixEndBinary), unbounded when the prefix is empty or all 0xff.
 */
import { bytesToBinary, binaryToBytes, prefixEndBinary } from "./bytes.js";
import { asRawStore, mapIterator, optBinary, type RawStore, toBytesEntries } from "./raw.js";
import type { Bytes, KVStore } from "./types.js";

export class PrefixStore implements KVStore, RawStore {
  private readonly parentRaw: RawStore;
  private readonly prefixBinary: string;
  private readonly prefixEnd: string | undefined;

  constructor(parent: KVStore, prefix: Bytes) {
    this.parentRaw = asRawStore(parent);
    this.prefixBinary = bytesToBinary(prefix);
    this.prefixEnd = prefixEndBinary(this.prefixBinary);
  }

  get prefix(): Uint8Array {
    return binaryToBytes(this.prefixBinary);
  }

  get(key: Bytes): Bytes | undefined {
    const value = this.getRaw(bytesToBinary(key));
    return value === undefined ? undefined : binaryToBytes(value);
  }

  has(key: Bytes): boolean {
    return this.getRaw(bytesToBinary(key)) !== undefined;
  }

  set(key: Bytes, value: Bytes): void {
    this.setRaw(bytesToBinary(key), bytesToBinary(value));
  }

  delete(key: Bytes): void {
    this.deleteRaw(bytesToBinary(key));
  }

  iterate(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    return toBytesEntries(this.iterateRaw(optBinary(start), optBinary(end), reverse));
  }

  getRaw(key: string): string | undefined {
    return this.parentRaw.getRaw(this.prefixBinary + key);
  }

  setRaw(key: string, value: string): void {
    this.parentRaw.setRaw(this.prefixBinary + key, value);
  }

  deleteRaw(key: string): void {
    this.parentRaw.deleteRaw(this.prefixBinary + key);
  }

  iterateRaw(start: string | undefined, end: string | undefined, reverse: boolean): Iterator<[string, string]> {
    const from = this.prefixBinary + (start ?? "");
    const to = end === undefined ? this.prefixEnd : this.prefixBinary + end;
    const strip = this.prefixBinary.length;
    return mapIterator(this.parentRaw.iterateRaw(from, to, reverse), ([k, v]): [string, string] => [k.slice(strip), v]);
  }
}
