/**
 * Bulk construction of the committed state and its commitment (restore at startup): hashes each entry as it
 * arrives, so the caller's byte arrays can be dropped at once, then builds the Map, the key tree and the
 * commitment in one pass each. Entries from LevelDB arrive in key order; anything else is sorted at the end.
 */
import { bytesToBinary, compareBinary } from "./bytes.js";
import { Commitment } from "./commitment.js";
import { CommittedState } from "./committedState.js";
import { HASH_BYTES, hashBucket, keyHash32, leafHashInto } from "./hashing.js";
import type { Bytes } from "./types.js";

export class StateBuilder {
  private keys: string[] = [];
  private values: string[] = [];
  private buckets = new Uint16Array(1024);
  private fingerprints = new Uint32Array(1024);
  private leafHashes = new Uint8Array(1024 * HASH_BYTES);
  private ascending = true;
  private finished = false;

  add(key: Bytes, value: Bytes): void {
    if (this.finished) throw new Error("state builder already finished");
    const i = this.keys.length;
    const k = bytesToBinary(key);
    if (i > 0 && !((this.keys[i - 1] as string) < k)) this.ascending = false;
    if (i === this.buckets.length) this.grow();
    const hash32 = keyHash32(key);
    this.buckets[i] = hashBucket(hash32);
    this.fingerprints[i] = hash32;
    leafHashInto(key, value, this.leafHashes, i * HASH_BYTES);
    this.keys.push(k);
    this.values.push(bytesToBinary(value));
  }

  finish(): { state: CommittedState; commitment: Commitment } {
    if (this.finished) throw new Error("state builder already finished");
    this.finished = true;
    const n = this.keys.length;
    if (!this.ascending) this.sortInPlace();
    const state = CommittedState.build(this.keys, this.values);
    const commitment = Commitment.build(
      this.keys,
      this.buckets.subarray(0, n),
      this.fingerprints.subarray(0, n),
      this.leafHashes.subarray(0, n * HASH_BYTES),
    );
    // Drop the staging arrays (tens of MB for a large state) as soon as the state is built.
    this.keys = [];
    this.values = [];
    this.buckets = new Uint16Array(0);
    this.fingerprints = new Uint32Array(0);
    this.leafHashes = new Uint8Array(0);
    return { state, commitment };
  }

  private grow(): void {
    const buckets = new Uint16Array(this.buckets.length * 2);
    buckets.set(this.buckets);
    this.buckets = buckets;
    const fingerprints = new Uint32Array(this.fingerprints.length * 2);
    fingerprints.set(this.fingerprints);
    this.fingerprints = fingerprints;
    const leafHashes = new Uint8Array(this.leafHashes.length * 2);
    leafHashes.set(this.leafHashes);
    this.leafHashes = leafHashes;
  }

  /** Input not in key order: sort everything by key; a key given twice is corrupt input. */
  private sortInPlace(): void {
    const n = this.keys.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const keys = this.keys;
    order.sort((a, b) => compareBinary(keys[a] as string, keys[b] as string));
    const sortedKeys: string[] = new Array<string>(n);
    const sortedValues: string[] = new Array<string>(n);
    const buckets = new Uint16Array(n);
    const fingerprints = new Uint32Array(n);
    const leafHashes = new Uint8Array(n * HASH_BYTES);
    for (let j = 0; j < n; j++) {
      const i = order[j] as number;
      sortedKeys[j] = keys[i] as string;
      if (j > 0 && sortedKeys[j - 1] === sortedKeys[j]) throw new Error("restore: duplicate key in state entries");
      sortedValues[j] = this.values[i] as string;
      buckets[j] = this.buckets[i] as number;
      fingerprints[j] = this.fingerprints[i] as number;
      leafHashes.set(this.leafHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), j * HASH_BYTES);
    }
    this.keys = sortedKeys;
    this.values = sortedValues;
    this.buckets = buckets;
    this.fingerprints = fingerprints;
    this.leafHashes = leafHashes;
  }
}
