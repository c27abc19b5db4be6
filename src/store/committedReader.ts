/**
 * Read access to the committed state tree. A reader from `RootStore.reader()` reads the live tree and refuses
 * to work once a later commit has changed it (a loud error instead of silently mixing two heights); a reader
 * over a clone (`RootStore.snapshot()`) stays valid forever.
 */
import { type BTree, treeRange } from "./btree.js";
import { binaryToBytes, bytesToBinary } from "./bytes.js";
import { optBinary, type RawReader } from "./raw.js";
import { ENTRY_HEADER_CHARS, entryValueBinary } from "./stateEntry.js";
import type { Bytes, KVReader } from "./types.js";

export class CommittedReader implements KVReader, RawReader {
  /** `assertCurrent` throws when the tree this reader was made for is no longer the committed one. */
  constructor(
    private readonly tree: BTree<string>,
    private readonly assertCurrent: () => void,
  ) {}

  get(key: Bytes): Bytes | undefined {
    this.assertCurrent();
    const entry = this.tree.get(bytesToBinary(key));
    return entry === undefined ? undefined : binaryToBytes(entry, ENTRY_HEADER_CHARS);
  }

  has(key: Bytes): boolean {
    this.assertCurrent();
    return this.tree.has(bytesToBinary(key));
  }

  iterate(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    this.assertCurrent();
    return this.entries(optBinary(start), optBinary(end), reverse);
  }

  getRaw(key: string): string | undefined {
    this.assertCurrent();
    const entry = this.tree.get(key);
    return entry === undefined ? undefined : entryValueBinary(entry);
  }

  iterateRaw(start: string | undefined, end: string | undefined, reverse: boolean): Iterator<[string, string]> {
    this.assertCurrent();
    return this.rawEntries(start, end, reverse);
  }

  private *entries(start: string | undefined, end: string | undefined, reverse: boolean): Generator<[Bytes, Bytes]> {
    const it = treeRange(this.tree, start, end, reverse);
    for (;;) {
      this.assertCurrent(); // before advancing: the tree under a stale iterator may have changed shape
      const r = it.next();
      if (r.done) return;
      yield [binaryToBytes(r.value[0]), binaryToBytes(r.value[1], ENTRY_HEADER_CHARS)];
    }
  }

  private *rawEntries(start: string | undefined, end: string | undefined, reverse: boolean): Generator<[string, string]> {
    const it = treeRange(this.tree, start, end, reverse);
    for (;;) {
      this.assertCurrent();
      const r = it.next();
      if (r.done) return;
      yield [r.value[0], entryValueBinary(r.value[1])];
    }
  }
}
