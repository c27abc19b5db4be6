/**
 * Applies a decided block: executes it in the application, then writes the block, its commit, results, tx
 * index and the state it produced as ONE synced LevelDB batch, and only then announces it (RPC head, events,
 * mempool). A crash at any point leaves either the previous block or this one on disk, never half of one.
 */
import type { Application, FinalizeBlockResult } from "../../src/app/application.js";
import type { Block, BlockId, Commit } from "../../src/types/block.js";
import type { NodeDb } from "../storage/db.js";
import type { BlockStore } from "../storage/blockStore.js";
import type { TxIndex } from "../storage/txIndex.js";
import { putStateChanges } from "../storage/stateStore.js";
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
}

export class InvariantBrokenError extends Error {
  override readonly name = "InvariantBrokenError";
}

export class BlockExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async applyBlock(block: Block, commit: Commit): Promise<{ blockId: BlockId; result: FinalizeBlockResult }> {
    const { app, db, blocks, txIndex, mempool, events, log } = this.deps;
    const height = block.header.height;
    const startedMs = performance.now();
    const result = app.finalizeBlock({ header: block.header, txs: block.txs });
    const committed = app.commit();
    const executedMs = performance.now();

    const batch = db.batch();
    putStateChanges(batch, committed.changes);
    const blockId = blocks.putBlock(batch, block, commit, result);
    txIndex.indexBlock(batch, height, block.txs, result.txResults);
    const head = { height, blockId, timeNs: block.header.timeNs, appHash: result.appHash };
    blocks.setHead(batch, head);
    await batch.write({ sync: true });
    blocks.headWritten(head);

    const broken = this.deps.checkInvariants?.() ?? [];
    if (broken.length > 0) {
      log.error("invariant broken: halting", { height, broken: broken.join("; ") });
      throw new InvariantBrokenError(`invariants broken at height ${height}: ${broken.join("; ")}`);
    }

    const { removed, evicted } = mempool.update(block.txs);
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
