/**
 * Blocks, commits and block results by height, and the chain's head metadata, in the node database. Writes go
 * into the caller's batch so a block, its results, its tx index and the state it produced land atomically.
 */
import { BlockResults, VannaBlock, VannaCommit } from "../../src/codec/index.js";
import { blockIdOf } from "../../src/chain/hashes.js";
import type { FinalizeBlockResult } from "../../src/app/application.js";
import type { Block, BlockId, Commit } from "../../src/types/block.js";
import { Bucket } from "./buckets.js";
import type { NodeBatch, NodeDb } from "./db.js";

const META_HEAD = new TextEncoder().encode("head");
const META_BASE = new TextEncoder().encode("base");

/** The last committed block: what a restarted node resumes from. */
export interface ChainHead {
  height: bigint;
  blockId: BlockId;
  timeNs: bigint;
  /** App hash after executing `height` (carried by the header of height + 1). */
  appHash: Uint8Array;
}

export function heightKey(height: bigint): Uint8Array {
  const key = new Uint8Array(8);
  new DataView(key.buffer).setBigUint64(0, height);
  return key;
}

export function heightOfKey(key: Uint8Array): bigint {
  return new DataView(key.buffer, key.byteOffset, key.byteLength).getBigUint64(0);
}

export class BlockStore {
  private headCache: ChainHead | undefined;

  constructor(private readonly db: NodeDb) {
    const raw = db.getSync(Bucket.META, META_HEAD);
    this.headCache = raw === undefined ? undefined : decodeHead(raw);
  }

  head(): ChainHead | undefined {
    return this.headCache;
  }

  /** Lowest stored height (1 unless pruned), or undefined when no block is stored. */
  base(): bigint | undefined {
    const raw = this.db.getSync(Bucket.META, META_BASE);
    return raw === undefined ? undefined : heightOfKey(raw);
  }

  /** Queues the block with its own commit and results; `setHead` must follow in the same batch. */
  putBlock(batch: NodeBatch, block: Block, commit: Commit, result: FinalizeBlockResult): BlockId {
    const height = block.header.height;
    const blockId = blockIdOf(block);
    batch.put(Bucket.BLOCK, heightKey(height), VannaBlock.encode(block));
    batch.put(Bucket.BLOCK_HASH, blockId.hash, heightKey(height));
    batch.put(Bucket.COMMIT, heightKey(height), VannaCommit.encode(commit));
    batch.put(
      Bucket.BLOCK_RESULTS,
      heightKey(height),
      BlockResults.encode({
        height,
        txResults: result.txResults.map((r) => ({ ...r, events: r.events })),
        finalizeBlockEvents: result.events,
        validatorUpdates: result.validatorUpdates,
        appHash: result.appHash,
      }),
    );
    if (this.base() === undefined) batch.put(Bucket.META, META_BASE, heightKey(height));
    return blockId;
  }

  setHead(batch: NodeBatch, head: ChainHead): void {
    batch.put(Bucket.META, META_HEAD, encodeHead(head));
  }

  /** Call after the batch holding `setHead` was written. */
  headWritten(head: ChainHead): void {
    this.headCache = head;
  }

  block(height: bigint): Block | undefined {
    const raw = this.db.getSync(Bucket.BLOCK, heightKey(height));
    return raw === undefined ? undefined : VannaBlock.decode(raw);
  }

  blockBytes(height: bigint): Uint8Array | undefined {
    return this.db.getSync(Bucket.BLOCK, heightKey(height));
  }

  heightByHash(hash: Uint8Array): bigint | undefined {
    const raw = this.db.getSync(Bucket.BLOCK_HASH, hash);
    return raw === undefined ? undefined : heightOfKey(raw);
  }

  /** The +2/3 precommits that committed `height` (also carried as last_commit by height + 1). */
  commit(height: bigint): Commit | undefined {
    const raw = this.db.getSync(Bucket.COMMIT, heightKey(height));
    return raw === undefined ? undefined : VannaCommit.decode(raw);
  }

  results(height: bigint): FinalizeBlockResult | undefined {
    const raw = this.db.getSync(Bucket.BLOCK_RESULTS, heightKey(height));
    if (raw === undefined) return undefined;
    const r = BlockResults.decode(raw);
    return { txResults: r.txResults.map((t) => ({ ...t, events: t.events })), events: r.finalizeBlockEvents, appHash: r.appHash, validatorUpdates: r.validatorUpdates };
  }
}

function encodeHead(head: ChainHead): Uint8Array {
  // A small fixed layout: height(8) ‖ timeNs(8) ‖ block hash(32) ‖ parts total(4) ‖ parts hash(32) ‖ app hash.
  const out = new Uint8Array(84 + head.appHash.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, head.height);
  view.setBigInt64(8, head.timeNs);
  out.set(head.blockId.hash, 16);
  view.setUint32(48, head.blockId.partSetHeader.total);
  out.set(head.blockId.partSetHeader.hash, 52);
  out.set(head.appHash, 84);
  return out;
}

function decodeHead(raw: Uint8Array): ChainHead {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return {
    height: view.getBigUint64(0),
    timeNs: view.getBigInt64(8),
    blockId: { hash: raw.slice(16, 48), partSetHeader: { total: view.getUint32(48), hash: raw.slice(52, 84) } },
    appHash: raw.slice(84),
  };
}
