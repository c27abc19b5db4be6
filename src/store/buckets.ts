/**
 * The leaves of the commitment, by bucket: for each of the 65536 buckets, its keys in order, their fingerprints
 * and the bucket hash input 0x01 ‖ leaf hashes in key order. Buffers keep a little spare room so that a block
 * inserting or deleting keys rewrites them in place instead of allocating new ArrayBuffers (off-heap, and
 * costly to allocate and collect); a bucket is merged with its block's changes in one linear pass.
 */
import { BUCKET_COUNT, BUCKET_PREFIX, HASH_BYTES, leafHashInto } from "./hashing.js";
import { sha256Into } from "./sha256.js";
import type { Bytes } from "./types.js";

/** One change staged for a bucket: value undefined deletes. */
export interface StagedOp {
  key: string;
  fingerprint: number;
  keyBytes: Bytes;
  value: Bytes | undefined;
}

const NO_KEYS: readonly string[] = [];

/** Above this many keys a bucket finds keys by binary search rather than by scanning fingerprints. */
const SCAN_LIMIT = 64;

/** Room for `count` leaves plus 1..4 spare. */
function capacityFor(count: number): number {
  return count + 4 - (count % 4);
}

let scratchLeaves = new Uint8Array(1 + 64 * HASH_BYTES);
let scratchFps = new Uint32Array(64);

export class Buckets {
  /**
   * Per bucket: keys in ascending order (undefined when empty), the same string objects as the state's.
   * Holey on purpose: allocating 64k empty slots is ~free, filling them is not.
   */
  private readonly keys: (string[] | undefined)[] = new Array<string[] | undefined>(BUCKET_COUNT);
  /** Per bucket: fingerprints (keyHash32) parallel to `keys`; may be longer than the key count. */
  private readonly fingerprints: (Uint32Array | undefined)[] = new Array<Uint32Array | undefined>(BUCKET_COUNT);
  /** Per bucket: 0x01 ‖ leaf hashes, in a buffer that may be longer than 1 + 32 x key count. */
  private readonly leaves: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(BUCKET_COUNT);

  /**
   * All buckets at once (restore): `keys` ascend strictly; `buckets[i]` and `fingerprints[i]` belong to keys[i]
   * and `leafHashes` holds leaf(keys[i]) at 32*i. Returns the buckets and the list of non-empty ones.
   */
  static build(
    keys: readonly string[],
    buckets: Uint16Array,
    fingerprints: Uint32Array,
    leafHashes: Uint8Array,
  ): { buckets: Buckets; nonEmpty: number[] } {
    const out = new Buckets();
    const counts = new Uint32Array(BUCKET_COUNT);
    for (let i = 0; i < keys.length; i++) counts[buckets[i] as number]!++;
    const nonEmpty: number[] = [];
    for (let b = 0; b < BUCKET_COUNT; b++) {
      const n = counts[b] as number;
      if (n === 0) continue;
      nonEmpty.push(b);
      out.keys[b] = [];
      out.fingerprints[b] = new Uint32Array(capacityFor(n));
      const leaves = new Uint8Array(1 + capacityFor(n) * HASH_BYTES);
      leaves[0] = BUCKET_PREFIX;
      out.leaves[b] = leaves;
    }
    for (let i = 0; i < keys.length; i++) {
      const b = buckets[i] as number;
      const bucketKeys = out.keys[b] as string[];
      const slot = bucketKeys.length;
      bucketKeys.push(keys[i] as string);
      (out.fingerprints[b] as Uint32Array)[slot] = fingerprints[i] as number;
      const at = i * HASH_BYTES;
      (out.leaves[b] as Uint8Array).set(leafHashes.subarray(at, at + HASH_BYTES), 1 + slot * HASH_BYTES);
    }
    return { buckets: out, nonEmpty };
  }

  keysOf(b: number): readonly string[] {
    return this.keys[b] ?? NO_KEYS;
  }

  /** Writes the bucket hash, SHA-256(0x01 ‖ leaf hashes), into `out` at `at`. */
  hashInto(b: number, out: Uint8Array, at: number): void {
    sha256Into(this.hashInput(b), out, at);
  }

  /** The bucket's leaf hashes except `count` of them from position `from`, back to back (for proofs). */
  leafHashesExcept(b: number, from: number, count: number): Uint8Array {
    const body = this.hashInput(b).subarray(1);
    const out = new Uint8Array(body.length - count * HASH_BYTES);
    out.set(body.subarray(0, from * HASH_BYTES), 0);
    out.set(body.subarray((from + count) * HASH_BYTES), from * HASH_BYTES);
    return out;
  }

  /** Applies a bucket's changes (ascending keys, no repeats). */
  apply(b: number, ops: readonly StagedOp[]): void {
    const keys = this.keys[b];
    const fps = this.fingerprints[b];
    const leaves = this.leaves[b];
    if (keys !== undefined && fps !== undefined && leaves !== undefined && tryUpdateInPlace(keys, fps, leaves, ops)) {
      return;
    }
    this.merge(b, keys ?? NO_KEYS, ops);
  }

  private hashInput(b: number): Uint8Array {
    const leaves = this.leaves[b];
    if (leaves === undefined) return Uint8Array.of(BUCKET_PREFIX);
    const size = 1 + (this.keys[b] as string[]).length * HASH_BYTES;
    return size === leaves.length ? leaves : leaves.subarray(0, size);
  }

  /** Merges the old keys with the ops in one pass, through scratch buffers, then stores the result. */
  private merge(b: number, keys: readonly string[], ops: readonly StagedOp[]): void {
    const n = keys.length;
    const maxCount = n + ops.length;
    if (scratchFps.length < maxCount) {
      scratchFps = new Uint32Array(maxCount * 2);
      scratchLeaves = new Uint8Array(1 + maxCount * 2 * HASH_BYTES);
    }
    const oldFps = this.fingerprints[b];
    const oldLeaves = this.leaves[b];
    const newKeys: string[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < ops.length) {
      const op = ops[j];
      const old = keys[i];
      const w = newKeys.length;
      if (op === undefined || (old !== undefined && old < op.key)) {
        scratchLeaves.set((oldLeaves as Uint8Array).subarray(1 + i * HASH_BYTES, 1 + (i + 1) * HASH_BYTES), 1 + w * HASH_BYTES);
        scratchFps[w] = (oldFps as Uint32Array)[i] as number;
        newKeys.push(old as string);
        i++;
        continue;
      }
      const replaces = old === op.key;
      if (op.value !== undefined) {
        leafHashInto(op.keyBytes, op.value, scratchLeaves, 1 + w * HASH_BYTES);
        scratchFps[w] = op.fingerprint;
        newKeys.push(replaces ? (old as string) : op.key); // an existing key keeps the string the state holds
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
    let leaves = oldLeaves;
    let fps = oldFps;
    const capacity = fps === undefined ? 0 : fps.length;
    if (leaves === undefined || fps === undefined || count > capacity || capacity - count > 8) {
      fps = new Uint32Array(capacityFor(count));
      leaves = new Uint8Array(1 + fps.length * HASH_BYTES);
      leaves[0] = BUCKET_PREFIX;
    }
    leaves.set(scratchLeaves.subarray(1, 1 + count * HASH_BYTES), 1);
    fps.set(scratchFps.subarray(0, count));
    this.keys[b] = newKeys;
    this.fingerprints[b] = fps;
    this.leaves[b] = leaves;
  }
}

/** The common case, every op overwrites an existing key: rewrite leaf hashes where they are. */
function tryUpdateInPlace(keys: readonly string[], fps: Uint32Array, leaves: Uint8Array, ops: readonly StagedOp[]): boolean {
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
