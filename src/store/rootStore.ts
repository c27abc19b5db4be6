/**
 * The committed application state: every key in memory, in key order, plus the incremental commitment that
 * yields the app hash and key proofs. Blocks execute on a `branch()`; `commit` applies the branch's changes
 * once per block and hands them back for the node to persist in the block's atomic LevelDB batch.
 *
 * Only the latest version is kept: there are no historical reads or proofs. `reader()` and `branch()` see the
 * state as committed when they were made and throw once a later commit has replaced it: make new ones after
 * each commit (the mempool's CheckTx branch included). A reader is cheap: hold none across commits.
 */
import { BranchStore } from "./branchStore.js";
import { binaryToBytes, bytesToBinary, compareBytes } from "./bytes.js";
import { CommittedReader } from "./committedReader.js";
import { CommittedState } from "./committedState.js";
import { Commitment } from "./commitment.js";
import { bucketOfKey, hashBucket, keyHash32 } from "./hashing.js";
import { StateBuilder } from "./stateBuilder.js";
import type { Bytes, KVReader, StoreChange } from "./types.js";

export interface CommitOutcome {
  appHash: Uint8Array;
  /** The changes applied, in key order, without deletes of absent keys: what the node persists. */
  changes: StoreChange[];
}

export interface KeyWithProof {
  value: Uint8Array | undefined;
  /** Inclusion proof if the key is present, else absence proof; check with `verifyKeyProof`. */
  proof: Uint8Array;
}

export class RootStore {
  private state: CommittedState;
  private commitment: Commitment;
  private committedHeight: bigint;
  /** Bumped by every commit; readers remember the generation they were made for. */
  private generation = 0;

  constructor() {
    this.state = CommittedState.empty();
    this.commitment = new Commitment();
    this.committedHeight = 0n;
  }

  /** Rebuilds the state and its commitment from persisted entries (fastest when they come in key order). */
  static restore(entries: Iterable<[Uint8Array, Uint8Array]>, height: bigint): RootStore {
    const builder = new RootStoreBuilder();
    for (const [key, value] of entries) builder.add(key, value);
    return builder.finish(height);
  }

  /** Incremental form of `restore`, for entries that arrive asynchronously (a LevelDB scan). */
  static builder(): RootStoreBuilder {
    return new RootStoreBuilder();
  }

  /** @internal used by RootStoreBuilder */
  static fromParts(state: CommittedState, commitment: Commitment, height: bigint): RootStore {
    const store = new RootStore();
    store.state = state;
    store.commitment = commitment;
    store.committedHeight = height;
    return store;
  }

  /** Height of the last commit (or of the restored state). */
  get height(): bigint {
    return this.committedHeight;
  }

  /** Number of keys in the committed state. */
  get size(): number {
    return this.state.size;
  }

  /** 32-byte commitment of the committed state (a fresh copy). */
  appHash(): Uint8Array {
    return this.commitment.root();
  }

  reader(): KVReader {
    const generation = this.generation;
    return new CommittedReader(this.state, () => {
      if (this.generation !== generation) {
        throw new Error(`state reader used after a later commit (now at height ${this.committedHeight})`);
      }
    });
  }

  branch(): BranchStore {
    return new BranchStore(this.reader());
  }

  /**
   * Applies a block's changes, updates the commitment and returns the app hash and the changes to persist.
   * Changes are expected in key order without repeats (as `BranchStore.changes()` gives them); anything else
   * is sorted first, the last change of a key winning.
   */
  commit(changes: readonly StoreChange[], height: bigint): CommitOutcome {
    if (height < this.committedHeight) {
      throw new Error(`commit at height ${height} below committed height ${this.committedHeight}`);
    }
    const ordered = normalizeChanges(changes);
    const applied: StoreChange[] = [];
    for (const change of ordered) {
      const key = bytesToBinary(change.key);
      if (change.value === undefined) {
        if (!this.state.delete(key)) continue; // deleting an absent key changes nothing
      } else {
        this.state.set(key, bytesToBinary(change.value));
      }
      const hash32 = keyHash32(change.key);
      this.commitment.stage(hashBucket(hash32), hash32, key, change.key, change.value);
      applied.push(change);
    }
    this.commitment.flush();
    this.generation++;
    this.committedHeight = height;
    return { appHash: this.appHash(), changes: applied };
  }

  /** The committed value of `key` with a proof against `appHash()`. */
  prove(key: Bytes): KeyWithProof {
    const k = bytesToBinary(key);
    const value = this.state.get(k);
    const proof = this.commitment.prove(bucketOfKey(key), k, (neighbour) => {
      const v = this.state.get(neighbour);
      if (v === undefined) throw new Error("commitment and state tree disagree");
      return binaryToBytes(v);
    });
    return { value: value === undefined ? undefined : binaryToBytes(value), proof };
  }
}

/** Collects entries for a bulk restore (see StateBuilder); single use. */
export class RootStoreBuilder {
  private readonly inner = new StateBuilder();

  add(key: Bytes, value: Bytes): void {
    this.inner.add(key, value);
  }

  finish(height: bigint): RootStore {
    const { state, commitment } = this.inner.finish();
    return RootStore.fromParts(state, commitment, height);
  }
}

/** Changes in strictly ascending key order; sorts (stably, last write wins) only when needed. */
function normalizeChanges(changes: readonly StoreChange[]): readonly StoreChange[] {
  for (const c of changes) {
    if (!(c.key instanceof Uint8Array) || (c.value !== undefined && !(c.value instanceof Uint8Array))) {
      throw new Error("commit: change keys and values must be Uint8Array");
    }
  }
  let ascending = true;
  for (let i = 1; i < changes.length && ascending; i++) {
    ascending = compareBytes((changes[i - 1] as StoreChange).key, (changes[i] as StoreChange).key) < 0;
  }
  if (ascending) return changes;
  const indexed = changes.map((change, i) => ({ change, i }));
  indexed.sort((a, b) => compareBytes(a.change.key, b.change.key) || a.i - b.i);
  const out: StoreChange[] = [];
  for (const { change } of indexed) {
    const last = out[out.length - 1];
    if (last !== undefined && compareBytes(last.key, change.key) === 0) out[out.length - 1] = change;
    else out.push(change);
  }
  return out;
}
