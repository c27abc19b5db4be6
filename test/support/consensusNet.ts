/**
 * An in-process network of consensus nodes for deterministic tests: real ConsensusState, real BaseApp, real
 * signatures, a shared FakeClock, and an in-memory message router that can drop, filter and partition.
 * Block sync is simulated by handing a lagging node the blocks and commits another node stored.
 */
import { createVannaApp } from "../../modules/app.js";
import type { BaseApp } from "../../src/app/baseApp.js";
import { blockIdOf } from "../../src/chain/hashes.js";
import { signBytesOfVote, proposalSignBytes, voteExtensionSignBytes } from "../../src/chain/signBytes.js";
import { ValidatorSet } from "../../src/chain/validatorSet.js";
import { ed25519PublicKeyFromSeed, signEd25519 } from "../../src/crypto/ed25519.js";
import { validatorAddressFromEd25519 } from "../../src/crypto/address.js";
import type { ConsensusMessage } from "../../src/codec/index.js";
import type { Block, Commit, Validator } from "../../src/types/block.js";
import type { Proposal, Vote } from "../../src/types/consensus.js";
import type { FinalizeBlockResult } from "../../src/app/application.js";
import { ConsensusState } from "../../node/consensus/state.js";
import { commitVotes } from "../../node/consensus/blockRules.js";
import type { VoteExtensionHandler } from "../../src/app/baseApp.js";
import { createChainView } from "../../node/consensus/chainView.js";
import { EvidencePool } from "../../node/consensus/evidencePool.js";
import { FakeClock } from "../../node/consensus/ticker.js";
import { DEFAULT_TIMEOUTS, type Signer } from "../../node/consensus/types.js";
import { createLogger } from "../../node/logger.js";
import { buildAppState, devFunding } from "../../node/config/appState.js";
import { DEFAULT_CONSENSUS_PARAMS } from "../../node/config/genesis.js";
import { testAppOptions, TEST_CHAIN_ID } from "./devChain.js";

export interface TestNode {
  index: number;
  key: { seed: Uint8Array; pubKey: Uint8Array; address: Uint8Array };
  app: BaseApp;
  consensus: ConsensusState;
  blocks: Map<bigint, { block: Block; commit: Commit; result: FinalizeBlockResult }>;
  evidence: EvidencePool;
  head(): bigint;
  online: boolean;
}

/** Returns false to drop a message from `from` to `to`. */
export type LinkFilter = (msg: ConsensusMessage, from: number, to: number) => boolean;

export class InMemorySigner implements Signer {
  /** Last (height, round, step) signed, as a real private validator keeps it. */
  private last = { height: 0n, round: -1, step: 0 };
  constructor(private readonly key: { seed: Uint8Array; address: Uint8Array }) {}
  get address() {
    return this.key.address;
  }
  signVote(chainId: string, vote: Vote): Vote {
    this.guard(vote.height, vote.round, vote.type === 1 ? 2 : 3);
    const extensionSignature =
      vote.extension.length > 0 ? signEd25519(this.key.seed, voteExtensionSignBytes(chainId, vote.height, vote.round, vote.extension)) : new Uint8Array();
    return { ...vote, signature: signEd25519(this.key.seed, signBytesOfVote(chainId, vote)), extensionSignature };
  }
  signProposal(chainId: string, p: Proposal): Proposal {
    this.guard(p.height, p.round, 1);
    return { ...p, signature: signEd25519(this.key.seed, proposalSignBytes(chainId, p)) };
  }
  private guard(height: bigint, round: number, step: number) {
    const l = this.last;
    if (height < l.height || (height === l.height && (round < l.round || (round === l.round && step <= l.step)))) throw new Error("double sign refused");
    this.last = { height, round, step };
  }
}

export class ConsensusNet {
  readonly clock = new FakeClock();
  readonly nodes: TestNode[] = [];
  readonly validators: Validator[];
  filter: LinkFilter = () => true;
  /** Whether two nodes can reach each other at all (block sync uses this; messages also pass `filter`). */
  linked: (a: number, b: number) => boolean = () => true;
  delivered = 0;

  constructor(count: number, opts: { addresses: string[]; powers?: bigint[]; emptyBlockIntervalMs?: number; voteExtensions?: (index: number) => VoteExtensionHandler }) {
    const keys = Array.from({ length: count }, (_, i) => {
      const seed = new Uint8Array(32).fill(i + 1);
      const pubKey = ed25519PublicKeyFromSeed(seed);
      return { seed, pubKey, address: validatorAddressFromEd25519(pubKey) };
    });
    this.validators = keys.map((k, i) => ({ address: k.address, pubKeyEd25519: k.pubKey, votingPower: opts.powers?.[i] ?? 10n, proposerPriority: 0n }));
    const set = new ValidatorSet(this.validators);
    const genesisTimeNs = this.clock.nowNs();
    keys.forEach((key, index) => {
      const ext = opts.voteExtensions?.(index);
      const app = createVannaApp({ ...testAppOptions(), ...(ext === undefined ? {} : { voteExtensions: ext }) });
      app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs, initialHeight: 1n, appState: buildAppState(devFunding(opts.addresses)), validators: [] });
      app.commit();
      const blocks = new Map<bigint, { block: Block; commit: Commit; result: FinalizeBlockResult }>();
      let headHeight = 0n;
      const store = {
        head: () => {
          const b = blocks.get(headHeight);
          return b === undefined ? undefined : { height: headHeight, blockId: blockIdOf(b.block), timeNs: b.block.header.timeNs, appHash: b.result.appHash };
        },
        commit: (h: bigint) => blocks.get(h)?.commit,
        results: (h: bigint) => blocks.get(h)?.result,
        block: (h: bigint) => blocks.get(h)?.block,
      };
      const committedEvidence = new Set<string>();
      const evidenceStore = { isCommitted: (k: Uint8Array) => committedEvidence.has(Buffer.from(k).toString("hex")) };
      const pool = new EvidencePool(TEST_CHAIN_ID, set, 100_000n, evidenceStore);
      const node: TestNode = {
        index,
        key,
        app,
        blocks,
        evidence: pool,
        head: () => headHeight,
        online: true,
        consensus: undefined as unknown as ConsensusState,
      };
      node.consensus = new ConsensusState({
        rules: { chainId: TEST_CHAIN_ID, initialHeight: 1n, genesisTimeNs, params: DEFAULT_CONSENSUS_PARAMS, validators: set, app, evidence: pool },
        chain: createChainView(store, app, 1n, genesisTimeNs),
        sink: {
          applyBlock: async (block, commit) => {
            const result = app.finalizeBlock({ header: block.header, txs: block.txs, lastCommitVotes: commitVotes(set, block.lastCommit) });
            app.commit();
            blocks.set(block.header.height, { block, commit, result });
            headHeight = block.header.height;
            for (const e of block.evidence) committedEvidence.add(Buffer.from(EvidencePool.keyOf(e)).toString("hex"));
            pool.markCommitted(block.evidence);
          },
        },
        txs: { reap: () => [], size: 0 },
        ticker: this.clock.ticker(),
        clockNs: () => this.clock.nowNs(),
        broadcast: (msg) => this.route(msg, index),
        timeouts: { ...DEFAULT_TIMEOUTS, emptyBlockIntervalMs: opts.emptyBlockIntervalMs ?? 0 },
        log: createLogger({ level: "error", module: `node${index}` }),
        signer: new InMemorySigner(key),
        maxBlockBytes: 1_000_000,
        maxBlockGas: -1n,
        onFatal: (err) => {
          throw err;
        },
      });
      this.nodes.push(node);
    });
  }

  start(): void {
    for (const n of this.nodes) n.consensus.start();
  }

  /** Delivers a message to every other online node the filter lets through. */
  route(msg: ConsensusMessage, from: number): void {
    if (!this.nodes[from]!.online) return;
    for (const to of this.nodes) {
      if (to.index === from || !to.online || !this.linked(from, to.index) || !this.filter(msg, from, to.index)) continue;
      this.delivered++;
      to.consensus.enqueue({ kind: "message", message: msg, from: `node${from}` });
    }
  }

  /** Re-gossips every node's own messages of its current height (what the p2p reactor does periodically). */
  regossip(): void {
    for (const n of this.nodes) for (const m of n.consensus.ownMessages()) this.route(m, n.index);
  }

  /** Lets a node that is behind fetch committed blocks from the most advanced online peer it can reach. */
  blockSync(): void {
    for (const n of this.nodes) {
      if (!n.online) continue;
      const peer = this.nodes.filter((p) => p.online && p !== n && this.linked(p.index, n.index)).sort((a, b) => Number(b.head() - a.head()))[0];
      if (peer === undefined || peer.head() <= n.head()) continue;
      const next = peer.blocks.get(n.consensus.currentHeight);
      if (next !== undefined) n.consensus.enqueue({ kind: "synced", block: next.block, commit: next.commit, done: () => undefined });
    }
  }

  async settle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setImmediate(r));
      await Promise.all(this.nodes.map((n) => n.consensus.idle()));
      await new Promise((r) => setImmediate(r));
      const busy = await Promise.all(this.nodes.map(async (n) => (await Promise.race([n.consensus.idle().then(() => false), Promise.resolve(true)]))));
      if (!busy.some(Boolean)) return;
    }
  }

  /** Runs virtual time forward in steps, re-gossiping and syncing like the real node's reactor does. */
  async run(ms: number, stepMs = 100): Promise<void> {
    for (let t = 0; t < ms; t += stepMs) {
      await this.clock.advance(stepMs, () => this.settle());
      if (Math.floor((t + stepMs) / 500) !== Math.floor(t / 500)) {
        this.regossip();
        this.blockSync();
      }
    }
  }

  stop(): void {
    for (const n of this.nodes) n.consensus.stop();
  }
}
