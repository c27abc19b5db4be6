/**
 * A write buffer over a parent store: reads fall through to the parent, writes and deletes stay here (in key
 * order) until `write()` flushes them into the parent or `discard()` drops them. Blocks, txs and CheckTx each run
 * on one; nesting gives the Cosmos "branch, run, write only on success" pattern.
 *
 * Iteration: `iterate` captures this branch's buffer (an O(1) copy-on-write clone) and starts the parent's
 * iteration when it is called, so writes made while iterating are never seen by that iterator and cannot break
 * it. Seeing them is deliberately not supported.
 *
 * The buffer is a Map (point reads and writes, the bulk of a tx) plus a sorted tree built only for iteration:
 * built from the Map at the first iteration, then kept in step lazily (keys written since are inserted at the
 * next iteration). A branch nobody iterates never pays for ordering until `changes()` sorts once.
 */
import { type BTree, bulkTree, treeRange } from "./btree.js";
import { binaryToBytes, bytesToBinary } from "./bytes.js";
import { asRawReader, isRawStore, optBinary, type RawReader, type RawStore, toBytesEntries } from "./raw.js";
import type { Bytes, KVReader, KVStore, StoreChange } from "./types.js";

/** A buffered write: the new value, or null for a delete (a tombstone that hides the parent's key). */
type Pending = string | null;

export class BranchStore implements KVStore, RawStore {
  private writes = new Map<string, Pending>();
  /** The buffer in key order, for iteration; undefined until first needed. */
  private tree: BTree<Pending> | undefined;
  /** Keys written since the tree was last brought in step (may repeat). */
  private unsynced: string[] = [];
  private readonly parentRaw: RawReader;

  constructor(private readonly parent: KVReader) {
    this.parentRaw = asRawReader(parent);
  }

  /** Number of buffered writes and deletes. */
  get pendingCount(): number {
    return this.writes.size;
  }

  get(key: Bytes): Bytes | undefined {
    const value = this.getRaw(bytesToBinary(key));
    return value === undefined ? undefined : binaryToBytes(value);
  }

  has(key: Bytes): boolean {
    return this.getRaw(bytesToBinary(key)) !== undefined;
  }

  set(key: Bytes, value: Bytes): void {
    this.put(bytesToBinary(key), bytesToBinary(value));
  }

  delete(key: Bytes): void {
    this.put(bytesToBinary(key), null);
  }

  private put(key: string, value: Pending): void {
    this.writes.set(key, value);
    if (this.tree !== undefined) this.unsynced.push(key);
  }

  /** The buffer in key order, brought in step with the Map. */
  private sortedWrites(): BTree<Pending> {
    if (this.tree === undefined) {
      const keys = [...this.writes.keys()].sort();
      this.tree = bulkTree<Pending>(keys, keys.map((k) => this.writes.get(k) as Pending));
    } else {
      for (const key of this.unsynced) this.tree.set(key, this.writes.get(key) as Pending);
    }
    this.unsynced = [];
    return this.tree;
  }

  /** Buffered keys in ascending order. */
  private sortedKeys(): string[] {
    return this.tree !== undefined ? [...this.sortedWrites().keys()] : [...this.writes.keys()].sort();
  }

  iterate(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    return toBytesEntries(this.iterateRaw(optBinary(start), optBinary(end), reverse));
  }

  /** A nested branch over this one. */
  branch(): BranchStore {
    return new BranchStore(this);
  }

  /** Flushes the buffered changes into the parent (which must be writable) and empties this branch. */
  write(): void {
    if (this.writes.size === 0) return;
    const parent = this.parent;
    if (parent instanceof BranchStore) {
      // Fast path: tombstones stay tombstones, so no parent lookups are needed; a Map takes them in any order.
      for (const [key, value] of this.writes) parent.put(key, value);
    } else if (isRawStore(parent)) {
      for (const key of this.sortedKeys()) {
        const value = this.writes.get(key) as Pending;
        if (value === null) parent.deleteRaw(key);
        else parent.setRaw(key, value);
      }
    } else if (isKVStore(parent)) {
      for (const key of this.sortedKeys()) {
        const value = this.writes.get(key) as Pending;
        if (value === null) parent.delete(binaryToBytes(key));
        else parent.set(binaryToBytes(key), binaryToBytes(value));
      }
    } else {
      throw new Error("BranchStore.write: the parent store is read-only; commit changes() instead");
    }
    this.discard();
  }

  /** Buffered changes in key order (fresh byte arrays); deletes have value undefined. */
  changes(): StoreChange[] {
    const out: StoreChange[] = [];
    for (const key of this.sortedKeys()) {
      const value = this.writes.get(key) as Pending;
      out.push({ key: binaryToBytes(key), value: value === null ? undefined : binaryToBytes(value) });
    }
    return out;
  }

  /** Drops every buffered change. */
  discard(): void {
    this.writes = new Map();
    this.tree = undefined;
    this.unsynced = [];
  }

  getRaw(key: string): string | undefined {
    const pending = this.writes.get(key);
    if (pending !== undefined) return pending === null ? undefined : pending;
    return this.parentRaw.getRaw(key);
  }

  setRaw(key: string, value: string): void {
    this.put(key, value);
  }

  deleteRaw(key: string): void {
    this.put(key, null);
  }

  iterateRaw(start: string | undefined, end: string | undefined, reverse: boolean): Iterator<[string, string]> {
    const parentIt = this.parentRaw.iterateRaw(start, end, reverse);
    if (this.writes.size === 0) return parentIt;
    const own = treeRange(this.sortedWrites().clone(), start, end, reverse);
    return mergeRaw(parentIt, own, reverse);
  }
}

function isKVStore(reader: KVReader): reader is KVStore {
  const s = reader as Partial<KVStore>;
  return typeof s.set === "function" && typeof s.delete === "function";
}

/** Merges the parent's entries with buffered ones; on equal keys the buffer wins and tombstones hide both. */
function* mergeRaw(
  parent: Iterator<[string, string]>,
  own: Iterator<[string, Pending]>,
  reverse: boolean,
): Generator<[string, string]> {
  let p = parent.next();
  let o = own.next();
  while (!p.done || !o.done) {
    if (o.done) {
      yield (p as IteratorYieldResult<[string, string]>).value;
      p = parent.next();
      continue;
    }
    const [ownKey, ownValue] = o.value;
    if (!p.done) {
      const parentKey = p.value[0];
      const parentFirst = reverse ? parentKey > ownKey : parentKey < ownKey;
      if (parentFirst) {
        yield p.value;
        p = parent.next();
        continue;
      }
      if (parentKey === ownKey) p = parent.next();
    }
    if (ownValue !== null) yield [ownKey, ownValue];
    o = own.next();
  }
}

const EMPTY_READER: KVReader & RawReader = {
  get: () => undefined,
  has: () => false,
  iterate: () => [][Symbol.iterator](),
  getRaw: () => undefined,
  iterateRaw: () => [][Symbol.iterator](),
};

/** A standalone in-memory KVStore (a branch over nothing), for tests and scratch state. */
export function memoryStore(): BranchStore {
  return new BranchStore(EMPTY_READER);
}
