/**
 * The committed key/value pairs, held twice over the same key strings: a Map for point reads and writes and a
 * B+tree of keys for ordered ranges. Updating an existing key (the bulk of a block) is one Map write; only
 * inserts and deletes touch the tree. On a 1M-key state a Map write costs ~0.9 µs against ~1.8 µs for a B+tree
 * descent (mostly cache misses on key strings). The Map is never iterated, so its insertion order cannot leak
 * into anything hashed or returned.
 */
import { type BTree, bulkTree, newTree, treeRange } from "./btree.js";

export class CommittedState {
  private constructor(
    private readonly values: Map<string, string>,
    private readonly order: BTree<undefined>,
  ) {}

  static empty(): CommittedState {
    return new CommittedState(new Map(), newTree<undefined>());
  }

  /** From keys in strictly ascending order and their values. */
  static build(keys: string[], values: readonly string[]): CommittedState {
    const map = new Map<string, string>();
    for (let i = 0; i < keys.length; i++) map.set(keys[i] as string, values[i] as string);
    return new CommittedState(map, bulkTree<undefined>(keys, new Array<undefined>(keys.length)));
  }

  get size(): number {
    return this.values.size;
  }

  get(key: string): string | undefined {
    return this.values.get(key);
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Sets a value; a new key's string is kept by both indexes, an existing key keeps its old string. */
  set(key: string, value: string): void {
    const before = this.values.size;
    this.values.set(key, value);
    if (this.values.size !== before) this.order.set(key, undefined);
  }

  /** Deletes a key; false if it was absent. */
  delete(key: string): boolean {
    if (!this.values.delete(key)) return false;
    this.order.delete(key);
    return true;
  }

  /**
   * Entries with start <= key < end, ascending or descending. Only valid while the state is not modified:
   * callers (CommittedReader) check that no commit happened before every step.
   */
  *range(start: string | undefined, end: string | undefined, reverse: boolean): Generator<[string, string]> {
    for (const [key] of treeRange(this.order, start, end, reverse)) yield [key, this.values.get(key) as string];
  }
}
