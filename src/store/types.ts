/** Keys and values are raw bytes; ordering is bytewise (the same order LevelDB uses). */
export type Bytes = Uint8Array;

export interface KVReader {
  get(key: Bytes): Bytes | undefined;
  has(key: Bytes): boolean;
  /**
   * Entries with start <= key < end in bytewise key order (descending when reverse).
   * `start`/`end` undefined mean unbounded. Writes made during iteration are not seen by it.
   */
  iterate(start?: Bytes, end?: Bytes, reverse?: boolean): IterableIterator<[Bytes, Bytes]>;
}

export interface KVStore extends KVReader {
  set(key: Bytes, value: Bytes): void;
  delete(key: Bytes): void;
}

/** A pending change: value undefined means delete. */
export interface StoreChange {
  key: Bytes;
  value: Bytes | undefined;
}
