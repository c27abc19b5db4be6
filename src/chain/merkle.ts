/**
 * RFC 6962 binary Merkle trees (as CometBFT's crypto/merkle): leaves hashed with a 0x00 prefix, inner nodes
 * with 0x01, split at the largest power of two below the leaf count. Used for data, commit, results and
 * block-part hashes; proofs let a peer check one block part against the part-set hash in a block id.
 */
import { sha256 } from "../crypto/hash.js";
import type { MerkleProof } from "../types/consensus.js";

const EMPTY_HASH = sha256(new Uint8Array());

export function leafHash(leaf: Uint8Array): Uint8Array {
  const buf = new Uint8Array(leaf.length + 1);
  buf[0] = 0;
  buf.set(leaf, 1);
  return sha256(buf);
}

function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(65);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 33);
  return sha256(buf);
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_HASH;
  return rootOfHashes(leaves.map(leafHash));
}

function rootOfHashes(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 1) return hashes[0]!;
  const k = splitPoint(hashes.length);
  return innerHash(rootOfHashes(hashes.slice(0, k)), rootOfHashes(hashes.slice(k)));
}

/** The root and one inclusion proof per leaf. */
export function merkleProofs(leaves: readonly Uint8Array[]): { root: Uint8Array; proofs: MerkleProof[] } {
  const hashes = leaves.map(leafHash);
  const aunts: Uint8Array[][] = hashes.map(() => []);
  const build = (from: number, to: number): Uint8Array => {
    if (to - from === 1) return hashes[from]!;
    const k = splitPoint(to - from);
    const left = build(from, from + k);
    const right = build(from + k, to);
    for (let i = from; i < from + k; i++) aunts[i]!.push(right);
    for (let i = from + k; i < to; i++) aunts[i]!.push(left);
    return innerHash(left, right);
  };
  const root = hashes.length === 0 ? EMPTY_HASH : build(0, hashes.length);
  const total = BigInt(leaves.length);
  return { root, proofs: hashes.map((h, i) => ({ total, index: BigInt(i), leafHash: h, aunts: aunts[i]! })) };
}

/** Checks that `leaf` is leaf `proof.index` of `proof.total` under `root`. */
export function verifyMerkleProof(root: Uint8Array, leaf: Uint8Array, proof: MerkleProof): boolean {
  if (proof.total <= 0n || proof.index < 0n || proof.index >= proof.total || proof.total > 1_000_000n) return false;
  if (proof.aunts.length > 64) return false;
  const lh = leafHash(leaf);
  if (!bytesEqual(lh, proof.leafHash)) return false;
  const computed = rootFromAunts(Number(proof.index), Number(proof.total), lh, proof.aunts);
  return computed !== undefined && bytesEqual(computed, root);
}

function rootFromAunts(index: number, total: number, leaf: Uint8Array, aunts: readonly Uint8Array[]): Uint8Array | undefined {
  if (total === 1) return aunts.length === 0 ? leaf : undefined;
  if (aunts.length === 0) return undefined;
  const k = splitPoint(total);
  const last = aunts[aunts.length - 1]!;
  const rest = aunts.slice(0, -1);
  if (index < k) {
    const left = rootFromAunts(index, k, leaf, rest);
    return left === undefined ? undefined : innerHash(left, last);
  }
  const right = rootFromAunts(index - k, total - k, leaf, rest);
  return right === undefined ? undefined : innerHash(last, right);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
