/**
 * The incremental app-hash commitment (scheme in hashing.ts). Per bucket it keeps the keys in order and their
 * leaf hashes back to back after the 0x01 domain byte, so a bucket hash is one SHA-256 call over one buffer.
 * The tree levels are flat byte arrays. A commit stages changed keys per bucket, merges each dirty bucket once
 * (linear in bucket size, so even a ground-out oversized bucket costs one pass per block, not one per key), then
 * rehashes only dirty buckets and their ancestors.
 *
 * This class knows keys, never values: callers hand it the bytes of each change, and a value lookup for
 * absence proofs.
 */
import { binaryToBytes } from "./bytes.js";
import {
  BUCKET_COUNT,
  BUCKET_PREFIX,
  EMPTY_HASHES,
  HASH_BYTES,
  TREE_DEPTH,
  ARITY_BITS,
  ARITY,
  leafHashInto,
  levelWidth,
  nodeHashInto,
} from "./hashing.js";
import { encodeProof, type KeyProof } from "./proof.js";
import { sha256Into } from "./sha256.js";
import type { Bytes } from "./types.js";

/** One change staged for a bucket: value undefined deletes. */
interface StagedOp {
  key: string;
  fingerprint: number;
  keyBytes: Bytes;
  value: Bytes | undefined;
}

const NO_KEYS: readonly string[] = [];

/** Above this many keys a bucket finds keys by binary search rather than by scanning fingerprints. */
const SCAN_LIMIT = 64;

/** The levels of an empty tree, copied by every new Commitment. */
const EMPTY_LEVELS: readonly Uint8Array[] = EMPTY_HASHES.map((empty, level) => {
  const width = levelWidth(level);
  const hashes = new Uint8Array(width * HASH_BYTES);
  for (let i = 0; i < width; i++) hashes.set(empty, i * HASH_BYTES);
  return hashes;
});

export class Commitment {
  /**
   * Per bucket: keys in ascending order (undefined when empty). Strings are shared with the state tree.
   * Holey on purpose: allocating 64k empty slots is ~free, filling them is not.
   */
  private readonly keys: (string[] | undefined)[] = new Array<string[] | undefined>(BUCKET_COUNT);
  /** Per bucket: the keys' fingerprints (hashing.ts), parallel to `keys`. */
  private readonly fingerprints: (Uint32Array | undefined)[] = new Array<Uint32Array | undefined>(BUCKET_COUNT);
  /** Per bucket: 0x01 ‖ leaf hashes in key order, i.e. exactly the bucket hash input. */
  private readonly leaves: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(BUCKET_COUNT);
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

  /**
   * Builds the commitment of a whole state at once (restore). `keys` ascend strictly; `buckets[i]` and
   * `fingerprints[i]` come from the digest of keys[i] and `leafHashes` holds leaf(keys[i]) at 32*i.
   */
  static build(
    keys: readonly string[],
    buckets: Uint16Array,
    fingerprints: Uint32Array,
    leafHashes: Uint8Array,
  ): Commitment {
    const c = new Commitment();
    const counts = new Uint32Array(BUCKET_COUNT);
    for (let i = 0; i < keys.length; i++) counts[buckets[i] as number]!++;
    const fill = new Uint32Array(BUCKET_COUNT);
    const nonEmpty: number[] = [];
    for (let b = 0; b < BUCKET_COUNT; b++) {
      const n = counts[b] as number;
      if (n === 0) continue;
      nonEmpty.push(b);
      c.keys[b] = new Array<string>(n);
      c.fingerprints[b] = new Uint32Array(n);
      const leaves = new Uint8Array(1 + n * HASH_BYTES);
      leaves[0] = BUCKET_PREFIX;
      c.leaves[b] = leaves;
    }
    for (let i = 0; i < keys.length; i++) {
      const b = buckets[i] as number;
      const slot = fill[b]!++;
      (c.keys[b] as string[])[slot] = keys[i] as string;
      (c.fingerprints[b] as Uint32Array)[slot] = fingerprints[i] as number;
      const at = i * HASH_BYTES;
      (c.leaves[b] as Uint8Array).set(leafHashes.subarray(at, at + HASH_BYTES), 1 + slot * HASH_BYTES);
    }
    c.rehash(nonEmpty);
    return c;
  }

  /** The 32-byte root (a copy). */
  root(): Uint8Array {
    return (this.levels[0] as Uint8Array).slice(0, HASH_BYTES);
  }

  /**
   * Stages a change of `key` (binary string; for a new key, the string object the state holds, so that they
   * share it) in `bucket`. Calls for one bucket must come in ascending key order without repeats; `flush` applies them.
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
    for (const [b, ops] of staged) this.applyBucket(b, ops);
    this.rehash([...staged.keys()]);
  }

  /** Inclusion proof when `key` is in the state, else an absence proof (encoding in proof.ts). */
  prove(bucket: number, key: string, valueOf: (key: string) => Bytes): Uint8Array {
    const keys = this.keys[bucket] ?? NO_KEYS;
    const leaves = this.leaves[bucket];
    const found = searchKeys(keys, key);
    const n = keys.length;
    const siblings = this.siblings(bucket);
    if (found >= 0) {
      const others = leaves === undefined ? new Uint8Array(0) : withoutLeaves(leaves, found, 1);
      return encodeProof({ kind: "inclusion", leafCount: n, index: found, otherLeaves: others, siblings });
    }
    const index = ~found;
    const neighbour = (i: number): { key: Uint8Array; value: Bytes } | undefined => {
      if (i < 0 || i >= n) return undefined;
      const k = keys[i] as string;
      return { key: binaryToBytes(k), value: valueOf(k) };
    };
    const first = index > 0 ? index - 1 : index;
    const count = (index > 0 ? 1 : 0) + (index < n ? 1 : 0);
    const proof: KeyProof = {
      kind: "absence",
      leafCount: n,
      index,
      predecessor: neighbour(index - 1),
      successor: neighbour(index),
      otherLeaves: leaves === undefined ? new Uint8Array(0) : withoutLeaves(leaves, first, count),
      siblings,
    };
    return encodeProof(proof);
  }

  /** Number of keys in a bucket (tests and diagnostics). */
  bucketSize(bucket: number): number {
    return this.keys[bucket]?.length ?? 0;
  }

  private applyBucket(b: number, ops: StagedOp[]): void {
    const existing = this.keys[b];
    const fps = this.fingerprints[b];
    const leaves = this.leaves[b];
    if (existing !== undefined && fps !== undefined && leaves !== undefined) {
      if (tryUpdateInPlace(existing, fps, leaves, ops)) return;
    }
    // Merge the old keys with the ops in one pass.
    const keys = existing ?? NO_KEYS;
    const n = keys.length;
    const newKeys: string[] = [];
    const newFps = new Uint32Array(n + ops.length);
    const out = new Uint8Array(1 + (n + ops.length) * HASH_BYTES);
    out[0] = BUCKET_PREFIX;
    let i = 0;
    let j = 0;
    while (i < n || j < ops.length) {
      const op = ops[j];
      const old = keys[i];
      const w = newKeys.length;
      if (op === undefined || (old !== undefined && old < op.key)) {
        const from = 1 + i * HASH_BYTES;
        out.set((leaves as Uint8Array).subarray(from, from + HASH_BYTES), 1 + w * HASH_BYTES);
        newFps[w] = (fps as Uint32Array)[i] as number;
        newKeys.push(old as string);
        i++;
        continue;
      }
      const replaces = old === op.key;
      if (op.value !== undefined) {
        leafHashInto(op.keyBytes, op.value, out, 1 + w * HASH_BYTES);
        newFps[w] = op.fingerprint;
        newKeys.push(replaces ? (old as string) : op.key);
      }
      if (replaces) i++;
      j++;
    }
    const count = newKeys.length;
    if (count === 0) {
      this.keys[b] = undefined;
      this.fingerprints[b] = undefined;
      this.leaves[b] = undefined;
      return;
    }
    const size = 1 + count * HASH_BYTES;
    this.keys[b] = newKeys;
    this.fingerprints[b] = count === newFps.length ? newFps : newFps.slice(0, count);
    this.leaves[b] = size === out.length ? out : out.slice(0, size);
  }

  private rehash(dirtyBuckets: readonly number[]): void {
    const bucketHashes = this.levels[TREE_DEPTH] as Uint8Array;
    let dirty: number[] = [];
    const parentMarks = this.dirtyMarks[TREE_DEPTH - 1] as Uint8Array;
    for (const b of dirtyBuckets) {
      const leaves = this.leaves[b];
      if (leaves === undefined) bucketHashes.set(EMPTY_HASHES[TREE_DEPTH] as Uint8Array, b * HASH_BYTES);
      else sha256Into(leaves, bucketHashes, b * HASH_BYTES);
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

/** The common case, every op overwrites an existing key: rewrite leaf hashes where they are. */
function tryUpdateInPlace(keys: readonly string[], fps: Uint32Array, leaves: Uint8Array, ops: StagedOp[]): boolean {
  const positions: number[] = [];
  for (const op of ops) {
    if (op.value === undefined) return false;
    const at = findKey(keys, fps, op.key, op.fingerprint);
    if (at < 0) return false;
    positions.push(at);
  }
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k] as StagedOp;
    leafHashInto(op.keyBytes, op.value as Bytes, leaves, 1 + (positions[k] as number) * HASH_BYTES);
  }
  return true;
}

/** Position of an existing key, or -1: fingerprints first, one string comparison per candidate. */
export function findKey(keys: readonly string[], fps: Uint32Array, key: string, fingerprint: number): number {
  const n = keys.length;
  if (n > SCAN_LIMIT) {
    const at = searchKeys(keys, key);
    return at >= 0 ? at : -1;
  }
  for (let i = 0; i < n; i++) if (fps[i] === fingerprint && keys[i] === key) return i;
  return -1;
}

/** Index of `key` in ascending `keys`, or ~(insertion point) when absent. */
export function searchKeys(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = keys[mid] as string;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return mid;
  }
  return ~lo;
}

/** The leaf hashes of a bucket buffer (after its domain byte) except `count` of them starting at `from`. */
function withoutLeaves(leaves: Uint8Array, from: number, count: number): Uint8Array {
  const body = leaves.subarray(1);
  const out = new Uint8Array(body.length - count * HASH_BYTES);
  out.set(body.subarray(0, from * HASH_BYTES), 0);
  out.set(body.subarray((from + count) * HASH_BYTES), from * HASH_BYTES);
  return out;
}
