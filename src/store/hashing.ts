/**
 * The app-hash commitment scheme, shared by the prover (commitment.ts) and the verifier (proof.ts).
 *
 *   leaf(k, v)   = SHA-256(0x00 ‖ uvarint(len k) ‖ k ‖ uvarint(len v) ‖ v)
 *   bucket(k)    = top 16 bits of MurmurHash3_x86_32(k, seed 0)                 (65536 buckets)
 *   bucketHash   = SHA-256(0x01 ‖ leaf hashes of the bucket's keys in key order)  (empty: SHA-256(0x01))
 *   node         = SHA-256(0x02 ‖ the 16 child hashes in order)
 *   app hash     = root of the complete 16-ary tree over the bucket hashes (4 levels of nodes):
 *                  bucket b sits under root child b>>12, then (b>>8)&15, (b>>4)&15, b&15.
 *
 * The hash depends only on the set of (key, value) pairs, never on write order or history. uvarint is unsigned
 * LEB128. A 16-ary tree rather than a binary one: a commit of 10k keys over 1M rehashes ~4k nodes instead of
 * ~30k, and a SHA-256 call costs ~0.4 µs of fixed overhead against ~1 ns per byte; proofs grow to 4 x 15
 * sibling hashes (1920 bytes), still small. Only SHA-256 is security-relevant (see keyHash32).
 */
import { sha256, sha256Into } from "./sha256.js";
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

/**
 * MurmurHash3 x86 32-bit, seed 0, of the key. It only spreads keys over buckets and gives them a fingerprint;
 * no security property rests on it (the commitment's binding rests on SHA-256 alone, and 16 bucket bits can be
 * ground out for any hash), so a hash ~10x cheaper than SHA-256 is used: it is computed for every changed key.
 */
export function keyHash32(key: Bytes): number {
  const n = key.length;
  const blocks = n - (n % 4);
  let h = 0;
  for (let i = 0; i < blocks; i += 4) {
    let k =
      (key[i] as number) | ((key[i + 1] as number) << 8) | ((key[i + 2] as number) << 16) | ((key[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = n - blocks;
  if (rest > 0) {
    let k = key[blocks] as number;
    if (rest > 1) k |= (key[blocks + 1] as number) << 8;
    if (rest > 2) k |= (key[blocks + 2] as number) << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The key's bucket: the top 16 bits of keyHash32. */
export function bucketOfKey(key: Bytes): number {
  return keyHash32(key) >>> (32 - BUCKET_BITS);
}

/** keyHash32 packs a key's bucket (top bits) and its fingerprint (all 32 bits). */
export function hashBucket(hash32: number): number {
  return hash32 >>> (32 - BUCKET_BITS);
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
