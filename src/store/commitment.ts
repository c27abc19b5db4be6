/**
 * The incremental app-hash commitment (scheme in hashing.ts): the buckets (buckets.ts) plus the 16-ary tree
 * over their hashes, kept as one flat byte array per level. A commit stages changed keys per bucket, applies
 * each dirty bucket once, then rehashes only dirty buckets and their ancestors.
 *
 * This class knows keys, never values: callers hand it the bytes of each change, and a value lookup for
 * absence proofs.
 */
import { Buckets, type StagedOp, searchKeys } from "./buckets.js";
import { binaryToBytes } from "./bytes.js";
import { ARITY, ARITY_BITS, EMPTY_HASHES, HASH_BYTES, TREE_DEPTH, levelWidth, nodeHashInto } from "./hashing.js";
import { encodeProof } from "./proof.js";
import type { Bytes } from "./types.js";

/** The levels of an empty tree, copied by every new Commitment. */
const EMPTY_LEVELS: readonly Uint8Array[] = EMPTY_HASHES.map((empty, level) => {
  const width = levelWidth(level);
  const hashes = new Uint8Array(width * HASH_BYTES);
  for (let i = 0; i < width; i++) hashes.set(empty, i * HASH_BYTES);
  return hashes;
});

export class Commitment {
  private buckets = new Buckets();
  /** levels[L]: the hashes at tree level L, 32 bytes each (L = TREE_DEPTH: bucket hashes). */
  private readonly levels: Uint8Array[] = [];
  private readonly dirtyMarks: Uint8Array[] = [];
  /** Changes staged since the last flush, per bucket, in staging order. */
  private staged = new Map<number, StagedOp[]>();

  constructor() {
    for (let level = 0; level <= TREE_DEPTH; level++) {
      this.levels.push((EMPTY_LEVELS[level] as Uint8Array).slice());
      this.dirtyMarks.push(new Uint8Array(levelWidth(level)));
    }
  }

  /** The commitment of a whole state at once (restore); arguments as for Buckets.build. */
  static build(
    keys: readonly string[],
    buckets: Uint16Array,
    fingerprints: Uint32Array,
    leafHashes: Uint8Array,
  ): Commitment {
    const c = new Commitment();
    const built = Buckets.build(keys, buckets, fingerprints, leafHashes);
    c.buckets = built.buckets;
    c.rehash(built.nonEmpty);
    return c;
  }

  /** The 32-byte root (a copy). */
  root(): Uint8Array {
    return (this.levels[0] as Uint8Array).slice(0, HASH_BYTES);
  }

  /**
   * Stages a change of `key` (binary string; for a new key, the string object the state holds, so that they
   * share it) in `bucket`. Calls for one bucket must come in ascending key order without repeats.
   */
  stage(bucket: number, fingerprint: number, key: string, keyBytes: Bytes, value: Bytes | undefined): void {
    const op: StagedOp = { key, fingerprint, keyBytes, value };
    const ops = this.staged.get(bucket);
    if (ops === undefined) this.staged.set(bucket, [op]);
    else ops.push(op);
  }

  /** Applies the staged changes and rehashes what they touched. */
  flush(): void {
    const staged = this.staged;
    this.staged = new Map();
    for (const [b, ops] of staged) this.buckets.apply(b, ops);
    this.rehash([...staged.keys()]);
  }

  /** Inclusion proof when `key` is in the state, else an absence proof (encoding in proof.ts). */
  prove(bucket: number, key: string, valueOf: (key: string) => Bytes): Uint8Array {
    const keys = this.buckets.keysOf(bucket);
    const n = keys.length;
    const found = searchKeys(keys, key);
    const siblings = this.siblings(bucket);
    if (found >= 0) {
      const otherLeaves = this.buckets.leafHashesExcept(bucket, found, 1);
      return encodeProof({ kind: "inclusion", leafCount: n, index: found, otherLeaves, siblings });
    }
    const index = ~found;
    const neighbour = (i: number): { key: Uint8Array; value: Bytes } | undefined => {
      if (i < 0 || i >= n) return undefined;
      const k = keys[i] as string;
      return { key: binaryToBytes(k), value: valueOf(k) };
    };
    const first = index > 0 ? index - 1 : index;
    const count = (index > 0 ? 1 : 0) + (index < n ? 1 : 0);
    return encodeProof({
      kind: "absence",
      leafCount: n,
      index,
      predecessor: neighbour(index - 1),
      successor: neighbour(index),
      otherLeaves: this.buckets.leafHashesExcept(bucket, first, count),
      siblings,
    });
  }

  /** Number of keys in a bucket (tests and diagnostics). */
  bucketSize(bucket: number): number {
    return this.buckets.keysOf(bucket).length;
  }

  private rehash(dirtyBuckets: readonly number[]): void {
    const bucketHashes = this.levels[TREE_DEPTH] as Uint8Array;
    let dirty: number[] = [];
    const parentMarks = this.dirtyMarks[TREE_DEPTH - 1] as Uint8Array;
    for (const b of dirtyBuckets) {
      this.buckets.hashInto(b, bucketHashes, b * HASH_BYTES);
      const parent = b >> ARITY_BITS;
      if (parentMarks[parent] === 0) {
        parentMarks[parent] = 1;
        dirty.push(parent);
      }
    }
    for (let level = TREE_DEPTH - 1; level >= 0; level--) {
      const below = this.levels[level + 1] as Uint8Array;
      const hashes = this.levels[level] as Uint8Array;
      const marks = this.dirtyMarks[level] as Uint8Array;
      const upMarks = level > 0 ? (this.dirtyMarks[level - 1] as Uint8Array) : undefined;
      const next: number[] = [];
      for (const i of dirty) {
        marks[i] = 0;
        nodeHashInto(below, i * ARITY * HASH_BYTES, hashes, i * HASH_BYTES);
        if (upMarks !== undefined && upMarks[i >> ARITY_BITS] === 0) {
          upMarks[i >> ARITY_BITS] = 1;
          next.push(i >> ARITY_BITS);
        }
      }
      dirty = next;
    }
  }

  /** The 15 siblings at each level from the bucket level up, each level in child order without the path child. */
  private siblings(bucket: number): Uint8Array {
    const out = new Uint8Array(TREE_DEPTH * (ARITY - 1) * HASH_BYTES);
    let at = 0;
    let index = bucket;
    for (let level = TREE_DEPTH; level >= 1; level--) {
      const hashes = this.levels[level] as Uint8Array;
      const first = index - (index % ARITY);
      for (let c = first; c < first + ARITY; c++) {
        if (c === index) continue;
        out.set(hashes.subarray(c * HASH_BYTES, (c + 1) * HASH_BYTES), at);
        at += HASH_BYTES;
      }
      index >>= ARITY_BITS;
    }
    return out;
  }
}
