/**
 * RFC 6962 binary Merkle root (as CometBFT's crypto/merkle): leaves hashed with a 0x00 prefix, inner nodes
 * with 0x01, split at the largest power of two below the leaf count. Used for data, commit and results hashes.
 */
import { sha256 } from "../crypto/hash.js";

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
