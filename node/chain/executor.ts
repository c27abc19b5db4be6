/**
 * Applies a decided block: executes it in the application, then writes the block, its commit, results, tx
 * index and the state it produced as ONE synced LevelDB batch, and only then announces it (RPC head, events,
 * mempool). A crash at any point leaves either the previous block or this one on disk, never half of one.
 */
import type { Application, CommitVote, FinalizeBlockResult } from "../../src/app/application.js";
import type { Block, BlockId, Commit } from "../../src/types/block.js";
import type { NodeDb } from "../storage/db.js";
import type { BlockStore } from "../storage/blockStore.js";
import type { TxIndex } from "../storage/txIndex.js";
import { putStateChanges } from "../storage/stateStore.js";
import { Bucket } from "../storage/buckets.js";
import type { Mempool } from "../mempool/mempool.js";
import type { NodeEventBus } from "../events.js";
import type { Logger } from "../logger.js";

export interface ExecutorDeps {
  app: Application;
  db: NodeDb;
  blocks: BlockStore;
  txIndex: TxIndex;
  mempool: Mempool;
  events: NodeEventBus;
  log: Logger;
  /** When set (`--check-invariants`), run after every block; a broken invariant halts the node. */
  checkInvariants?: () => string[];
  /** Keys under which the block's committed evidence is remembered (so it is never committed twice). */
  evidenceKeys?: (block: Block) => Uint8Array[];
  /** Called after a block is durable, before it is announced. */
  onCommitted?: (block: Block) => void;
  /** The block's last commit as the app sees it (validator powers and vote extensions). */
  commitVotes?: (block: Block) => CommitVote[];
}

export class InvariantBrokenError extends Error {
  override readonly name = "InvariantBrokenError";
}

export class BlockExecutor {
  /** Set from the moment a block starts executing until its batch is on disk. */
  private persisting: Promise<unknown> | undefined;

  constructor(private readonly deps: ExecutorDeps) {}

  /**
   * Resolves once no block is between execution and durability. Queries wait on it, so they never answer from
   * state that a crash could still take back (the app applies a block in memory before the node writes it).
   */
  async durable(): Promise<void> {
    while (this.persisting !== undefined) await this.persisting.catch(() => undefined);
  }

  /**
   * `sync: false` skips the fsync (block sync replaying many blocks: a lost tail is simply fetched again);
   * LevelDB still writes each batch atomically and in order.
   */
  applyBlock(block: Block, commit: Commit, opts: { sync?: boolean } = {}): Promise<{ blockId: BlockId; result: FinalizeBlockResult }> {
    const run = this.execute(block, commit, opts);
    this.persisting = run;
    const clear = () => {
      if (this.persisting === run) this.persisting = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  private async execute(block: Block, commit: Commit, opts: { sync?: boolean }): Promise<{ blockId: BlockId; result: FinalizeBlockResult }> {
    const { app, db, blocks, txIndex, mempool, events, log } = this.deps;
    const height = block.header.height;
    const startedMs = performance.now();
    const result = app.finalizeBlock({ header: block.header, txs: block.txs, lastCommitVotes: this.deps.commitVotes?.(block) ?? [] });
    const committed = app.commit();
    // Update the mempool in the same synchronous step as the commit that reset the check state: a tx arriving
    // while the batch is written must be checked against a mempool that no longer holds this block's txs,
    // or a recheck would count its sequence twice and silently evict it.
    const { removed, evicted } = mempool.update(block.txs);
    const executedMs = performance.now();

    const batch = db.batch();
    putStateChanges(batch, committed.changes);
    const blockId = blocks.putBlock(batch, block, commit, result);
    txIndex.indexBlock(batch, height, block.txs, result.txResults);
    for (const key of this.deps.evidenceKeys?.(block) ?? []) batch.put(Bucket.EVIDENCE, key, new Uint8Array([1]));
    const head = { height, blockId, timeNs: block.header.timeNs, appHash: result.appHash };
    blocks.setHead(batch, head);
    await batch.write({ sync: opts.sync ?? true });
    blocks.headWritten(head);
    this.deps.onCommitted?.(block);

    const broken = this.deps.checkInvariants?.() ?? [];
    if (broken.length > 0) {
      log.error("invariant broken: halting", { height, broken: broken.join("; ") });
      throw new InvariantBrokenError(`invariants broken at height ${height}: ${broken.join("; ")}`);
    }

    events.publish({ type: "NewBlock", block, blockId, result });
    block.txs.forEach((tx, index) => events.publish({ type: "Tx", height, index, tx, result: result.txResults[index]! }));
    log.info("committed block", {
      height,
      txs: block.txs.length,
      appHash: result.appHash,
      execMs: Math.round(executedMs - startedMs),
      totalMs: Math.round(performance.now() - startedMs),
      mempool: mempool.size,
      ...(evicted > 0 ? { evicted } : {}),
      ...(removed !== block.txs.length ? { removedFromMempool: removed } : {}),
    });
    return { blockId, result };
  }
}
