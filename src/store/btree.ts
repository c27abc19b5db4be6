/**
 * The ordered map used by every store layer: sorted-btree keyed by binary strings (see bytes.ts).
 * sorted-btree is CommonJS with `exports.default`; under nodenext the default import is the module object.
 */
import btreeModule from "sorted-btree";
import { bulkLoad } from "sorted-btree/extended/bulkLoad.js";
import { compareBinary } from "./bytes.js";

export type BTree<V> = btreeModule.default<string, V>;

type BTreeConstructor = typeof btreeModule.default;
// Node's ESM loader hands over the CommonJS exports object; vitest's interop hands over exports.default itself.
const BTreeClass: BTreeConstructor =
  typeof (btreeModule as unknown) === "function" ? (btreeModule as unknown as BTreeConstructor) : btreeModule.default;

/** Wider nodes than the default 32: fewer node objects per entry for the 1M-key committed state. */
const MAX_NODE_SIZE = 64;
/** Leaves a little room in bulk-loaded leaves so the first inserts after a restore do not all split. */
const BULK_LOAD_FACTOR = 0.9;

export function newTree<V>(): BTree<V> {
  return new BTreeClass<string, V>(undefined, compareBinary, MAX_NODE_SIZE);
}

/** O(n) build from keys in strictly ascending order (throws otherwise). */
export function bulkTree<V>(keys: string[], values: V[]): BTree<V> {
  return bulkLoad<string, V>(keys, values, MAX_NODE_SIZE, compareBinary, BULK_LOAD_FACTOR);
}

/**
 * Entries with start <= key < end of a tree, ascending or descending. The caller passes a tree nobody mutates
 * while this runs (a clone(), or the committed tree guarded by its generation check).
 */
export function* treeRange<V>(
  tree: BTree<V>,
  start: string | undefined,
  end: string | undefined,
  reverse: boolean,
): Generator<[string, V]> {
  if (!reverse) {
    for (const pair of tree.entries(start)) {
      if (end !== undefined && pair[0] >= end) return;
      yield pair;
    }
    return;
  }
  const it = end === undefined ? tree.entriesReversed() : tree.entriesReversed(end, undefined, true);
  for (const pair of it) {
    if (start !== undefined && pair[0] < start) return;
    yield pair;
  }
}
