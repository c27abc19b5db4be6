/**
 * Key proofs against the app hash (scheme in hashing.ts). Encoding, deterministic: for one state and key there
 * is exactly one valid proof, because varints must be minimal and nothing may trail.
 *
 *   tag            1 byte: 0x01 inclusion, 0x02 absence
 *   leafCount      uvarint: keys in the key's bucket
 *   index          uvarint: inclusion, the key's position in the bucket; absence, where it would be inserted
 *   [absence only] predecessor (if index > 0) then successor (if index < leafCount), each as
 *                  uvarint(len key) ‖ key ‖ uvarint(len value) ‖ value: the key's neighbours in the bucket
 *   otherLeaves    32 bytes each, in bucket order: every leaf hash of the bucket except the proven key's
 *                  (inclusion) or except the neighbours' (absence)
 *   siblings       4 levels x 15 hashes, from the bucket level up; at each level the 16 children in order
 *                  without the one on the path
 *
 * Absence is sound because buckets are sorted: if adjacent leaves pred < key < succ are committed, key is not.
 */
import { bytesEqual, compareBytes, concatBytes, readUvarint, uvarintSize, writeUvarint } from "./bytes.js";
import {
  ARITY,
  ARITY_BITS,
  BUCKET_PREFIX,
  HASH_BYTES,
  NODE_PREFIX,
  TREE_DEPTH,
  bucketOfKey,
  leafHash,
} from "./hashing.js";
import { sha256 } from "./sha256.js";
import type { Bytes } from "./types.js";

export const PROOF_INCLUSION = 0x01;
export const PROOF_ABSENCE = 0x02;

const SIBLING_BYTES = TREE_DEPTH * (ARITY - 1) * HASH_BYTES;

export interface ProofEntry {
  key: Bytes;
  value: Bytes;
}

export type KeyProof =
  | { kind: "inclusion"; leafCount: number; index: number; otherLeaves: Uint8Array; siblings: Uint8Array }
  | {
      kind: "absence";
      leafCount: number;
      index: number;
      predecessor: ProofEntry | undefined;
      successor: ProofEntry | undefined;
      otherLeaves: Uint8Array;
      siblings: Uint8Array;
    };

export function encodeProof(proof: KeyProof): Uint8Array {
  const head = new Uint8Array(1 + uvarintSize(proof.leafCount) + uvarintSize(proof.index));
  head[0] = proof.kind === "inclusion" ? PROOF_INCLUSION : PROOF_ABSENCE;
  writeUvarint(proof.index, head, writeUvarint(proof.leafCount, head, 1));
  const parts: Bytes[] = [head];
  if (proof.kind === "absence") {
    for (const entry of [proof.predecessor, proof.successor]) {
      if (entry === undefined) continue;
      parts.push(lengthPrefixed(entry.key), lengthPrefixed(entry.value));
    }
  }
  parts.push(proof.otherLeaves, proof.siblings);
  return concatBytes(...parts);
}

/** Parses a proof; undefined when the bytes are not exactly one well-formed proof. */
export function decodeProof(bytes: Bytes): KeyProof | undefined {
  if (bytes.length < 1) return undefined;
  const tag = bytes[0];
  if (tag !== PROOF_INCLUSION && tag !== PROOF_ABSENCE) return undefined;
  const n = readUvarint(bytes, 1);
  if (n === undefined) return undefined;
  const idx = readUvarint(bytes, n[1]);
  if (idx === undefined) return undefined;
  const [leafCount] = n;
  let [index, at] = idx;
  if (tag === PROOF_INCLUSION) {
    if (index >= leafCount) return undefined;
    const others = leafCount - 1;
    if (bytes.length - at !== others * HASH_BYTES + SIBLING_BYTES) return undefined;
    return {
      kind: "inclusion",
      leafCount,
      index,
      otherLeaves: bytes.slice(at, at + others * HASH_BYTES),
      siblings: bytes.slice(at + others * HASH_BYTES),
    };
  }
  if (index > leafCount) return undefined;
  let predecessor: ProofEntry | undefined;
  let successor: ProofEntry | undefined;
  if (index > 0) {
    const entry = readEntry(bytes, at);
    if (entry === undefined) return undefined;
    [predecessor, at] = entry;
  }
  if (index < leafCount) {
    const entry = readEntry(bytes, at);
    if (entry === undefined) return undefined;
    [successor, at] = entry;
  }
  const others = leafCount - (predecessor ? 1 : 0) - (successor ? 1 : 0);
  if (bytes.length - at !== others * HASH_BYTES + SIBLING_BYTES) return undefined;
  return {
    kind: "absence",
    leafCount,
    index,
    predecessor,
    successor,
    otherLeaves: bytes.slice(at, at + others * HASH_BYTES),
    siblings: bytes.slice(at + others * HASH_BYTES),
  };
}

/**
 * True iff `proofBytes` proves that, in the state committed to by `rootHash`, `key` maps to `value`
 * (value undefined: `key` is absent). Pure; never throws.
 */
export function verifyKeyProof(rootHash: Bytes, key: Bytes, value: Bytes | undefined, proofBytes: Bytes): boolean {
  try {
    if (rootHash.length !== HASH_BYTES) return false;
    const proof = decodeProof(proofBytes);
    if (proof === undefined) return false;
    const bucket = bucketOfKey(key);
    let bucketInput: Uint8Array;
    if (proof.kind === "inclusion") {
      if (value === undefined) return false;
      bucketInput = spliceLeaves(proof.otherLeaves, proof.index, [leafHash(key, value)]);
    } else {
      if (value !== undefined) return false;
      const { predecessor: pred, successor: succ } = proof;
      const inserted: Uint8Array[] = [];
      if (pred !== undefined) {
        if (compareBytes(pred.key, key) >= 0 || bucketOfKey(pred.key) !== bucket) return false;
        inserted.push(leafHash(pred.key, pred.value));
      }
      if (succ !== undefined) {
        if (compareBytes(key, succ.key) >= 0 || bucketOfKey(succ.key) !== bucket) return false;
        inserted.push(leafHash(succ.key, succ.value));
      }
      bucketInput = spliceLeaves(proof.otherLeaves, pred !== undefined ? proof.index - 1 : proof.index, inserted);
    }
    let hash = sha256(bucketInput);
    let index = bucket;
    const nodeInput = new Uint8Array(1 + ARITY * HASH_BYTES);
    nodeInput[0] = NODE_PREFIX;
    for (let level = 0; level < TREE_DEPTH; level++) {
      const slot = index % ARITY;
      const sib = proof.siblings.subarray(level * (ARITY - 1) * HASH_BYTES, (level + 1) * (ARITY - 1) * HASH_BYTES);
      nodeInput.set(sib.subarray(0, slot * HASH_BYTES), 1);
      nodeInput.set(hash, 1 + slot * HASH_BYTES);
      nodeInput.set(sib.subarray(slot * HASH_BYTES), 1 + (slot + 1) * HASH_BYTES);
      hash = sha256(nodeInput);
      index >>= ARITY_BITS;
    }
    return bytesEqual(hash, rootHash);
  } catch {
    return false;
  }
}

/** 0x01 ‖ others[0..at) ‖ inserted ‖ others[at..]: the bucket hash input. */
function spliceLeaves(others: Uint8Array, at: number, inserted: Uint8Array[]): Uint8Array {
  const cut = at * HASH_BYTES;
  return concatBytes(Uint8Array.of(BUCKET_PREFIX), others.subarray(0, cut), ...inserted, others.subarray(cut));
}

function lengthPrefixed(bytes: Bytes): Uint8Array {
  const out = new Uint8Array(uvarintSize(bytes.length) + bytes.length);
  out.set(bytes, writeUvarint(bytes.length, out, 0));
  return out;
}

function readEntry(bytes: Bytes, at: number): [ProofEntry, number] | undefined {
  const key = readLengthPrefixed(bytes, at);
  if (key === undefined) return undefined;
  const value = readLengthPrefixed(bytes, key[1]);
  if (value === undefined) return undefined;
  return [{ key: key[0], value: value[0] }, value[1]];
}

function readLengthPrefixed(bytes: Bytes, at: number): [Uint8Array, number] | undefined {
  const len = readUvarint(bytes, at);
  if (len === undefined || len[1] + len[0] > bytes.length) return undefined;
  return [bytes.slice(len[1], len[1] + len[0]), len[1] + len[0]];
}
