/**
 * The app-hash commitment scheme, shared by the prover (commitment.ts) and the verifier (proof.ts).
 *
 *   leaf(k, v)   = SHA-256(0x00 ‖ uvarint(len k) ‖ k ‖ uvarint(len v) ‖ v)
 *   bucket(k)    = big-endian uint16 of the first 2 bytes of SHA-256(k)          (65536 buckets)
 *   bucketHash   = SHA-256(0x01 ‖ leaf hashes of the bucket's keys in key order)  (empty: SHA-256(0x01))
 *   node         = SHA-256(0x02 ‖ the 16 child hashes in order)
 *   app hash     = root of the complete 16-ary tree over the bucket hashes (4 levels of nodes):
 *                  bucket b sits under root child b>>12, then (b>>8)&15, (b>>4)&15, b&15.
 *
 * The hash depends only on the set of (key, value) pairs, never on write order or history. A 16-ary tree
 * rather than a binary one: a commit of 10k keys rehashes ~4k nodes instead of ~30k, and each hash call costs
 * ~1 µs of overhead whatever the input length; proofs grow to 4 x 15 sibling hashes (1920 bytes), still small.
 */
import { sha256, sha256Binary, sha256Into } from "./sha256.js";
import { uvarintSize, writeUvarint } from "./bytes.js";
import type { Bytes } from "./types.js";

export const LEAF_PREFIX = 0x00;
export const BUCKET_PREFIX = 0x01;
export const NODE_PREFIX = 0x02;

export const HASH_BYTES = 32;
export const BUCKET_BITS = 16;
export const BUCKET_COUNT = 1 << BUCKET_BITS;
export const ARITY_BITS = 4;
export const ARITY = 1 << ARITY_BITS;
/** Levels of inner nodes above the buckets; level 0 is the root, level TREE_DEPTH holds the bucket hashes. */
export const TREE_DEPTH = BUCKET_BITS / ARITY_BITS;

/** Number of hashes at `level` (0 = root .. TREE_DEPTH = buckets). */
export function levelWidth(level: number): number {
  return 1 << (ARITY_BITS * level);
}

export function bucketOfKey(key: Bytes): number {
  return digestBucket(keyDigest(key));
}

/** SHA-256 of a key as a binary string: its first 2 bytes pick the bucket, the next 4 are its fingerprint. */
export function keyDigest(key: Bytes): string {
  return sha256Binary(key);
}

export function digestBucket(digest: string): number {
  return (digest.charCodeAt(0) << 8) | digest.charCodeAt(1);
}

/**
 * Bytes 2..5 of the key digest: lets a bucket find an existing key by scanning small numbers instead of
 * comparing key strings scattered over the heap. Not part of the commitment (no hash depends on it).
 */
export function digestFingerprint(digest: string): number {
  return (
    ((digest.charCodeAt(2) << 24) | (digest.charCodeAt(3) << 16) | (digest.charCodeAt(4) << 8) | digest.charCodeAt(5)) >>>
    0
  );
}

/** Leaf inputs by exact size, reused: hashing a subarray view would allocate one per leaf. */
const leafScratch: Uint8Array[] = [];

/** Writes leaf(key, value) into `out` at `at`. */
export function leafHashInto(key: Bytes, value: Bytes, out: Uint8Array, at: number): void {
  const size = 1 + uvarintSize(key.length) + key.length + uvarintSize(value.length) + value.length;
  let buf = leafScratch[size];
  if (buf === undefined) {
    buf = new Uint8Array(size);
    if (size <= MAX_CACHED_LEAF_INPUT) leafScratch[size] = buf;
  }
  buf[0] = LEAF_PREFIX;
  let p = writeUvarint(key.length, buf, 1);
  buf.set(key, p);
  p = writeUvarint(value.length, buf, p + key.length);
  buf.set(value, p);
  sha256Into(buf, out, at);
}

const MAX_CACHED_LEAF_INPUT = 1024;

export function leafHash(key: Bytes, value: Bytes): Uint8Array {
  const out = new Uint8Array(HASH_BYTES);
  leafHashInto(key, value, out, 0);
  return out;
}

/** Writes the hash of a node into `out` at `outAt`, from its 16 child hashes laid out in `children` from `at`. */
export function nodeHashInto(children: Uint8Array, at: number, out: Uint8Array, outAt: number): void {
  nodeScratch.set(children.subarray(at, at + ARITY * HASH_BYTES), 1);
  sha256Into(nodeScratch, out, outAt);
}

export function nodeHash(children: Uint8Array, at: number): Uint8Array {
  const out = new Uint8Array(HASH_BYTES);
  nodeHashInto(children, at, out, 0);
  return out;
}

const nodeScratch = (() => {
  const buf = new Uint8Array(1 + ARITY * HASH_BYTES);
  buf[0] = NODE_PREFIX;
  return buf;
})();

/** EMPTY_HASHES[level]: the hash of an all-empty subtree rooted at that level (TREE_DEPTH: an empty bucket). */
export const EMPTY_HASHES: readonly Uint8Array[] = (() => {
  const out: Uint8Array[] = new Array<Uint8Array>(TREE_DEPTH + 1);
  out[TREE_DEPTH] = sha256(Uint8Array.of(BUCKET_PREFIX));
  for (let level = TREE_DEPTH - 1; level >= 0; level--) {
    const below = out[level + 1] as Uint8Array;
    const children = new Uint8Array(ARITY * HASH_BYTES);
    for (let i = 0; i < ARITY; i++) children.set(below, i * HASH_BYTES);
    out[level] = nodeHash(children, 0);
  }
  return out;
})();
