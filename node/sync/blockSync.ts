/**
 * Block sync: a node that is behind (new full node, restarted or partitioned validator) asks peers for their
 * height, fetches blocks with the commits that finalised them, and hands each to consensus, which verifies the
 * commit (+2/3 of the validator set signed this block id) and the block before applying it. It also serves
 * its own blocks to others. Consensus keeps running meanwhile; a synced block simply ends its current height.
 */
import { BlocksRequest, BlocksResponse, StatusResponse, VannaBlock, VannaCommit } from "../../src/codec/index.js";
import type { Block, Commit } from "../../src/types/block.js";
import type { P2PNetwork } from "../p2p/types.js";
import type { Logger } from "../logger.js";
import type { ConsensusState } from "../consensus/state.js";

export interface BlockSource {
  base(): bigint | undefined;
  head(): { height: bigint } | undefined;
  blockBytes(height: bigint): Uint8Array | undefined;
  commit(height: bigint): Commit | undefined;
}

export interface BlockSyncOptions {
  pollIntervalMs: number;
  requestTimeoutMs: number;
  /** Blocks per request (and the most a peer is served at once). */
  batchBlocks: number;
  /** Bytes a response may carry before it is cut short. */
  maxResponseBytes: number;
}

type SyncedBlockBytesList = Array<{ block: Uint8Array; commit: Uint8Array }>;

export const DEFAULT_BLOCK_SYNC: BlockSyncOptions = { pollIntervalMs: 500, requestTimeoutMs: 5000, batchBlocks: 50, maxResponseBytes: 8 * 1024 * 1024 };

export class BlockSync {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private bestPeerHeight = 0n;
  private syncedBlocks = 0;

  constructor(
    private readonly net: P2PNetwork,
    private readonly blocks: BlockSource,
    private readonly consensus: ConsensusState,
    private readonly log: Logger,
    private readonly opts: BlockSyncOptions = DEFAULT_BLOCK_SYNC,
  ) {}

  start(): void {
    this.net.handle("status", async () => StatusResponse.encode({ baseHeight: this.blocks.base() ?? 0n, height: this.blocks.head()?.height ?? 0n }));
    this.net.handle("blocks", async (request) => this.serveBlocks(request));
    this.net.onPeerConnected(() => void this.poll());
    this.timer = setInterval(() => void this.poll(), this.opts.pollIntervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** True while a peer is at least two blocks ahead (the `catching_up` of `status`). */
  catchingUp(): boolean {
    return this.bestPeerHeight >= this.consensus.currentHeight + 1n;
  }

  get blocksSynced(): number {
    return this.syncedBlocks;
  }

  private async serveBlocks(request: Uint8Array): Promise<Uint8Array> {
    const req = BlocksRequest.decode(request);
    const count = Math.min(Math.max(req.count, 0), this.opts.batchBlocks);
    const out: Array<{ block: Uint8Array; commit: Uint8Array }> = [];
    let bytes = 0;
    for (let h = req.fromHeight; h < req.fromHeight + BigInt(count); h++) {
      const block = this.blocks.blockBytes(h);
      const commit = this.blocks.commit(h);
      if (block === undefined || commit === undefined) break;
      const commitBytes = VannaCommit.encode(commit);
      bytes += block.length + commitBytes.length;
      if (out.length > 0 && bytes > this.opts.maxResponseBytes) break;
      out.push({ block, commit: commitBytes });
    }
    return BlocksResponse.encode({ blocks: out });
  }

  private async poll(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const best = await this.bestPeer();
      if (best === undefined) return;
      this.bestPeerHeight = best.height;
      // The peer has committed our current height: fetch it rather than wait for gossip we may have missed.
      if (best.height < this.consensus.currentHeight) return;
      await this.syncFrom(best.peerId, best.height);
    } catch (err) {
      this.log.debug("block sync round failed", { err: (err as Error).message });
    } finally {
      this.running = false;
    }
  }

  /** Applies batches from one peer up to `target`, fetching the next batch while the current one applies. */
  private async syncFrom(peerId: string, target: bigint): Promise<void> {
    let from = this.consensus.currentHeight;
    let next: Promise<SyncedBlockBytesList> = this.requestBatch(peerId, from);
    while (!this.stopped) {
      const batch = await next;
      if (batch.length === 0) return;
      const after = from + BigInt(batch.length);
      next = after <= target ? this.requestBatch(peerId, after) : Promise.resolve([]);
      // Swallow a failed prefetch here; the next poll starts over.
      next.catch(() => undefined);
      const applied = await this.applyBatch(peerId, batch);
      if (applied === 0) return;
      from = this.consensus.currentHeight;
      if (from !== after) next = from <= target ? this.requestBatch(peerId, from) : Promise.resolve([]);
    }
  }

  private async requestBatch(peerId: string, from: bigint): Promise<SyncedBlockBytesList> {
    const raw = await this.net.request(peerId, "blocks", BlocksRequest.encode({ fromHeight: from, count: this.opts.batchBlocks }), this.opts.requestTimeoutMs);
    return BlocksResponse.decode(raw).blocks;
  }

  private async bestPeer(): Promise<{ peerId: string; height: bigint } | undefined> {
    const peers = this.net.peers();
    const answers = await Promise.all(
      peers.map(async (p) => {
        try {
          const res = StatusResponse.decode(await this.net.request(p.peerId, "status", new Uint8Array(), this.opts.requestTimeoutMs));
          return { peerId: p.peerId, height: res.height };
        } catch {
          return undefined;
        }
      }),
    );
    let best: { peerId: string; height: bigint } | undefined;
    for (const a of answers) if (a !== undefined && (best === undefined || a.height > best.height)) best = a;
    return best;
  }

  /** Applies a fetched batch in order; returns how many blocks were applied. */
  private async applyBatch(peerId: string, batch: SyncedBlockBytesList): Promise<number> {
    let applied = 0;
    for (const entry of batch) {
      let block: Block;
      let commit: Commit;
      try {
        block = VannaBlock.decodeCanonical(entry.block);
        commit = VannaCommit.decodeCanonical(entry.commit);
      } catch {
        this.log.warn("peer sent an undecodable block: ignoring the batch", { peerId });
        return applied;
      }
      if (block.header.height !== this.consensus.currentHeight) {
        // Consensus already moved past it (gossip won the race), or the peer sent something out of order.
        if (block.header.height < this.consensus.currentHeight) continue;
        return applied;
      }
      await new Promise<void>((resolve, reject) => {
        this.consensus.enqueue({ kind: "synced", block, commit, done: (err) => (err === undefined ? resolve() : reject(err)) });
      });
      applied++;
      this.syncedBlocks++;
    }
    return applied;
  }
}
