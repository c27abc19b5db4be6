/**
 * Persistence of the application state in the STATE bucket: the node writes each block's state changes into
 * the same atomic batch as the block (putStateChanges + putStateHeight), and at startup rebuilds the RootStore
 * from a full scan (loadRootStore). LevelDB returns keys in order, so the rebuild is one bulk load.
 */
import { RootStore, type StoreChange } from "../../src/store/index.js";
import { Bucket } from "./buckets.js";
import type { NodeBatch, NodeDb } from "./db.js";

/** META key holding the height of the state in the STATE bucket (8-byte big-endian). */
export const META_STATE_HEIGHT = new TextEncoder().encode("stateHeight");

/** Queues one block's state changes (from RootStore.commit) into `batch`. */
export function putStateChanges(batch: NodeBatch, changes: readonly StoreChange[]): void {
  for (const { key, value } of changes) {
    if (value === undefined) batch.del(Bucket.STATE, key);
    else batch.put(Bucket.STATE, key, value);
  }
}

/** Records, in the same batch, the height the STATE bucket now corresponds to. */
export function putStateHeight(batch: NodeBatch, height: bigint): void {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, height);
  batch.put(Bucket.META, META_STATE_HEIGHT, out);
}

/** Height of the persisted state; 0 when nothing was committed yet. */
export function getStateHeight(db: NodeDb): bigint {
  const raw = db.getSync(Bucket.META, META_STATE_HEIGHT);
  if (raw === undefined) return 0n;
  if (raw.length !== 8) throw new Error(`corrupt state height in node database at ${db.dir}`);
  return new DataView(raw.buffer, raw.byteOffset, 8).getBigUint64(0);
}

/** All state entries in key order (holds them all at once; prefer loadRootStore for large states). */
export async function loadState(db: NodeDb): Promise<Array<[Uint8Array, Uint8Array]>> {
  const out: Array<[Uint8Array, Uint8Array]> = [];
  for await (const chunk of db.iterateChunks(Bucket.STATE)) for (const entry of chunk) out.push(entry);
  return out;
}

/** Rebuilds the committed state, streaming entries into the bulk builder (no intermediate array). */
export async function loadRootStore(db: NodeDb): Promise<RootStore> {
  const height = getStateHeight(db);
  const builder = RootStore.builder();
  for await (const chunk of db.iterateChunks(Bucket.STATE)) {
    for (const [key, value] of chunk) builder.add(key, value);
  }
  return builder.finish(height);
}
