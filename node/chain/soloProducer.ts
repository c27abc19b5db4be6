/**
 * Block production for a single-validator chain (`vanna dev`): every block-time it proposes a block from the
 * mempool, signs its precommit with the validator key, and applies it. Multi-validator consensus replaces this
 * with the BFT state machine; the block, commit and executor are the same.
 */
import { blockIdOf, commitHash, consensusParamsHash, dataHash, evidenceHash, resultsHash, validatorsHash } from "../../src/chain/hashes.js";
import { SignedMsgType, voteSignBytes } from "../../src/chain/signBytes.js";
import type { Application } from "../../src/app/application.js";
import { BlockIdFlag, type Block, type Commit, type Header, type Validator } from "../../src/types/block.js";
import type { BlockStore } from "../storage/blockStore.js";
import type { Mempool } from "../mempool/mempool.js";
import type { ConsensusParams } from "../config/genesis.js";
import type { ValidatorKey } from "../privval/validatorKey.js";
import type { Logger } from "../logger.js";
import { nowNs } from "../util/time.js";
import type { BlockExecutor } from "./executor.js";

export const BLOCK_PROTOCOL_VERSION = 11n;
export const APP_PROTOCOL_VERSION = 1n;

export interface SoloProducerOptions {
  chainId: string;
  initialHeight: bigint;
  blockTimeMs: number;
  consensusParams: ConsensusParams;
  validators: Validator[];
  key: ValidatorKey;
}

export class SoloProducer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly opts: SoloProducerOptions,
    private readonly deps: { app: Application; blocks: BlockStore; mempool: Mempool; executor: BlockExecutor; log: Logger; onFatal: (err: unknown) => void },
  ) {
    const self = opts.validators.find((v) => Buffer.from(v.address).equals(Buffer.from(opts.key.address)));
    if (opts.validators.length !== 1 || self === undefined) {
      throw new Error("single-validator block production needs a genesis whose only validator is this node's key");
    }
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  /** Produces and applies one block now (also used by tests and benchmarks). */
  async produceBlock(): Promise<Block> {
    const { app, blocks, mempool, executor } = this.deps;
    const head = blocks.head();
    const height = head === undefined ? this.opts.initialHeight : head.height + 1n;
    const lastCommit: Commit = head === undefined ? emptyCommit() : (blocks.commit(head.height) ?? emptyCommit());
    // Block time strictly increases even if the wall clock steps back.
    const minTimeNs = head === undefined ? 0n : head.timeNs + 1_000_000n;
    const timeNs = nowNs() > minTimeNs ? nowNs() : minTimeNs;
    const maxBytes = Number(this.opts.consensusParams.blockMaxBytes) - 10_000;
    const txs = mempool.reap(maxBytes, this.opts.consensusParams.blockMaxGas);
    const previousResults = head === undefined ? [] : (blocks.results(head.height)?.txResults ?? []);
    const vhash = validatorsHash(this.opts.validators);
    const header: Header = {
      versionBlock: BLOCK_PROTOCOL_VERSION,
      versionApp: APP_PROTOCOL_VERSION,
      chainId: this.opts.chainId,
      height,
      timeNs,
      lastBlockId: head?.blockId,
      lastCommitHash: commitHash(lastCommit),
      dataHash: dataHash(txs),
      validatorsHash: vhash,
      nextValidatorsHash: vhash,
      consensusHash: consensusParamsHash(this.opts.consensusParams),
      appHash: app.info().lastBlockAppHash,
      lastResultsHash: resultsHash(previousResults),
      evidenceHash: evidenceHash(),
      proposerAddress: this.opts.key.address,
    };
    const block: Block = { header, txs, lastCommit, evidence: [] };
    const blockId = blockIdOf(block);
    const signature = this.opts.key.sign(
      voteSignBytes({ type: SignedMsgType.Precommit, height, round: 0, blockId, timestampNs: timeNs, chainId: this.opts.chainId }),
    );
    const commit: Commit = {
      height,
      round: 0,
      blockId,
      signatures: [{ blockIdFlag: BlockIdFlag.Commit, validatorAddress: this.opts.key.address, timestampNs: timeNs, signature }],
    };
    await executor.applyBlock(block, commit);
    return block;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.produceBlock()
        .then(() => this.schedule())
        .catch((err: unknown) => this.deps.onFatal(err));
    }, this.opts.blockTimeMs);
  }
}

export function emptyCommit(): Commit {
  return { height: 0n, round: 0, blockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } }, signatures: [] };
}
