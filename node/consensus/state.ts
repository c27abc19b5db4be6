/**
 * The Tendermint consensus state machine ("The latest gossip on BFT consensus"; CometBFT's consensus/state.go).
 * One serialized queue takes every input: peer messages, this node's own messages and timeouts, and blocks
 * fetched by block sync. Step functions ignore stale height, round or step, so input order races are harmless.
 * The clock and the ticker are injected: tests drive rounds deterministically with a fake clock.
 */
import { VannaBlock, type ConsensusMessage } from "../../src/codec/index.js";
import { blockIdKey, blockIdOf, blockIdsEqual } from "../../src/chain/hashes.js";
import { PartSetBuilder, splitIntoParts } from "../../src/chain/partSet.js";
import { proposalSignBytes, signBytesOfVote } from "../../src/chain/signBytes.js";
import { verifyEd25519 } from "../../src/crypto/ed25519.js";
import type { Block, BlockId, Commit } from "../../src/types/block.js";
import { VoteType, type Part, type Proposal, type Vote } from "../../src/types/consensus.js";
import type { Logger } from "../logger.js";
import { createBlock, MAX_EVIDENCE_PER_BLOCK, validateBlock, type ChainRules } from "./blockRules.js";
import { checkExtension, HeightVoteSet } from "./voteSet.js";
import { Step, timeoutFor, type BlockSink, type Broadcast, type ChainView, type ConsensusTimeouts, type Signer, type TimeoutInfo, type TimeoutTicker, type TxSource } from "./types.js";

export type ConsensusInput =
  | { kind: "message"; message: ConsensusMessage; from: string }
  | { kind: "timeout"; timeout: TimeoutInfo }
  | { kind: "synced"; block: Block; commit: Commit; done: (err?: Error) => void }
  | { kind: "txsAvailable" };

export interface ConsensusDeps {
  rules: ChainRules;
  chain: ChainView;
  sink: BlockSink;
  txs: TxSource;
  ticker: TimeoutTicker;
  /** Nanoseconds since the Unix epoch (the only clock consensus reads). */
  clockNs: () => bigint;
  broadcast: Broadcast;
  timeouts: ConsensusTimeouts;
  log: Logger;
  /** Absent on full nodes, which follow consensus without voting. */
  signer?: Signer;
  /** Durable log of inputs; own messages are synced before they are sent. */
  wal?: { write(input: ConsensusInput): void; writeSync(input: ConsensusInput): Promise<void>; endHeight(height: bigint, sync: boolean): Promise<void> };
  /** Largest block a proposer builds (bytes). */
  maxBlockBytes: number;
  maxBlockGas: bigint;
  /** Called on an unrecoverable error (a block that cannot be persisted). */
  onFatal: (err: unknown) => void;
}

/** The state of the current height, as `dump_consensus_state` shows it. */
export interface RoundStateView {
  height: bigint;
  round: number;
  step: Step;
  proposal: Proposal | undefined;
  proposalBlockId: BlockId | undefined;
  lockedRound: number;
  lockedBlockId: BlockId | undefined;
  validRound: number;
  validBlockId: BlockId | undefined;
  votes: Array<{ round: number; prevotes: Array<Vote | undefined>; precommits: Array<Vote | undefined> }>;
}

export class ConsensusState {
  private height = 0n;
  private round = 0;
  private step = Step.NewHeight;
  private proposal: Proposal | undefined;
  private proposalBlock: Block | undefined;
  private proposalParts: PartSetBuilder | undefined;
  private lockedRound = -1;
  private lockedBlock: Block | undefined;
  private validRound = -1;
  private validBlock: Block | undefined;
  private votes!: HeightVoteSet;
  private commitRound = -1;
  private triggeredPrecommitTimeout = false;
  /** validateBlock results of this height, by block id (validation verifies signatures and runs the app). */
  private validation = new Map<string, string | undefined>();

  private readonly queue: ConsensusInput[] = [];
  /**
   * Messages for the next height that arrive while this node still finishes the current one (peers that already
   * committed move on at once). Gossip delivers a message once, so dropping them would cost a re-gossip period.
   */
  private nextHeight: ConsensusInput[] = [];
  static readonly MAX_NEXT_HEIGHT_MESSAGES = 5000;
  private readonly internal: ConsensusInput[] = [];
  private draining: Promise<void> | undefined;
  private stopped = false;
  private readonly heightListeners = new Set<(height: bigint) => void>();

  constructor(private readonly d: ConsensusDeps) {}

  /** Starts at the height after the chain head; `replay` are WAL inputs of that height, processed first. */
  start(replay: readonly ConsensusInput[] = []): void {
    this.resetToNextHeight();
    for (const input of replay) this.queue.push(input);
    this.scheduleNewHeight(0);
  }

  stop(): void {
    this.stopped = true;
    this.d.ticker.stop();
  }

  /** Feeds one input; inputs are handled strictly one at a time, in arrival order (own messages first). */
  enqueue(input: ConsensusInput): void {
    if (this.stopped) return;
    this.queue.push(input);
    this.kick();
  }

  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  get currentHeight(): bigint {
    return this.height;
  }

  onNewHeight(listener: (height: bigint) => void): () => void {
    this.heightListeners.add(listener);
    return () => this.heightListeners.delete(listener);
  }

  roundState(): RoundStateView {
    return {
      height: this.height,
      round: this.round,
      step: this.step,
      proposal: this.proposal,
      proposalBlockId: this.proposalBlock === undefined ? undefined : blockIdOf(this.proposalBlock),
      lockedRound: this.lockedRound,
      lockedBlockId: this.lockedBlock === undefined ? undefined : blockIdOf(this.lockedBlock),
      validRound: this.validRound,
      validBlockId: this.validBlock === undefined ? undefined : blockIdOf(this.validBlock),
      votes: this.votes.roundsWithVotes().map((r) => ({
        round: r,
        prevotes: this.d.rules.validators.validators.map((_, i) => this.votes.prevotes(r).voteOf(i)),
        precommits: this.d.rules.validators.validators.map((_, i) => this.votes.precommits(r).voteOf(i)),
      })),
    };
  }

  /**
   * A cheap, synchronous check of a gossiped message for the p2p validator: "reject" proves the sender sent
   * garbage (bad signature, not a validator, impossible round), "ignore" is merely useless now (stale or far
   * future), "accept" is worth handling and forwarding.
   */
  checkMessage(msg: ConsensusMessage): "accept" | "ignore" | "reject" {
    const set = this.d.rules.validators;
    switch (msg.kind) {
      case "vote": {
        const v = msg.vote;
        if (v.round < 0 || (v.type !== VoteType.Prevote && v.type !== VoteType.Precommit)) return "reject";
        const validator = set.byIndex(v.validatorIndex);
        if (validator === undefined || !sameBytes(validator.address, v.validatorAddress)) return "reject";
        if (v.height !== this.height && v.height !== this.height + 1n) return "ignore";
        if (v.height === this.height && !this.votes.accepts(v.round, this.round)) return "ignore";
        if (v.height !== this.height && v.round > HeightVoteSet.MAX_ROUNDS_AHEAD) return "ignore";
        if (!verifyEd25519(validator.pubKeyEd25519, signBytesOfVote(this.d.rules.chainId, v), v.signature)) return "reject";
        return checkExtension(this.d.rules.chainId, v, validator.pubKeyEd25519, (e) => this.d.rules.app.verifyVoteExtension(e)) === undefined ? "accept" : "reject";
      }
      case "proposal": {
        const p = msg.proposal;
        if (p.round < 0 || p.polRound < -1 || p.polRound >= p.round) return "reject";
        if (p.height !== this.height && p.height !== this.height + 1n) return "ignore";
        if (p.round > this.round + HeightVoteSet.MAX_ROUNDS_AHEAD) return "ignore";
        const set = p.height === this.height ? this.proposerSet() : this.d.rules.validators.advanced(Number(p.height - this.d.rules.initialHeight + 1n));
        const proposer = set.proposer(p.round);
        return verifyEd25519(proposer.pubKeyEd25519, proposalSignBytes(this.d.rules.chainId, p), p.signature) ? "accept" : "reject";
      }
      case "blockPart":
        if (msg.part.index < 0 || msg.part.bytes.length > 65_536) return "reject";
        return msg.height === this.height || msg.height === this.height + 1n ? "accept" : "ignore";
    }
  }

  /** This node's own latest messages of the current height, for re-gossip (gossipsub does not resend). */
  ownMessages(): ConsensusMessage[] {
    const out: ConsensusMessage[] = [];
    const signer = this.d.signer;
    if (signer === undefined) return out;
    const index = this.d.rules.validators.indexOf(signer.address);
    if (this.proposal !== undefined && this.proposalBlock !== undefined && this.isProposer(this.proposal.round)) {
      out.push({ kind: "proposal", proposal: this.proposal });
      const { parts } = splitIntoParts(VannaBlock.encode(this.proposalBlock));
      for (const part of parts) out.push({ kind: "blockPart", height: this.height, round: this.proposal.round, part });
    }
    if (index !== undefined) {
      for (const r of this.votes.roundsWithVotes()) {
        for (const v of [this.votes.prevotes(r).voteOf(index), this.votes.precommits(r).voteOf(index)]) if (v !== undefined) out.push({ kind: "vote", vote: v });
      }
    }
    return out;
  }

  private kick(): void {
    if (this.draining !== undefined) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if ((this.queue.length > 0 || this.internal.length > 0) && !this.stopped) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const input = this.internal.shift() ?? this.queue.shift();
      if (input === undefined || this.stopped) return;
      try {
        await this.handle(input);
      } catch (err) {
        this.d.log.error("consensus input failed", { kind: input.kind }, err);
        if (input.kind === "synced") input.done(err instanceof Error ? err : new Error(String(err)));
        if (err instanceof FatalConsensusError) {
          this.stopped = true;
          this.d.onFatal(err);
          return;
        }
      }
    }
  }

  private async handle(input: ConsensusInput): Promise<void> {
    switch (input.kind) {
      case "message":
        if (heightOf(input.message) === this.height + 1n) {
          if (this.nextHeight.length < ConsensusState.MAX_NEXT_HEIGHT_MESSAGES) this.nextHeight.push(input);
          return;
        }
        if (input.from !== "self") this.d.wal?.write(input);
        this.handleMessage(input.message, input.from);
        break;
      case "timeout":
        this.d.wal?.write(input);
        this.handleTimeout(input.timeout);
        break;
      case "txsAvailable":
        if (this.step === Step.NewRound && this.round === 0) this.enterPropose(this.height, 0);
        break;
      case "synced":
        await this.handleSynced(input.block, input.commit);
        input.done();
        return;
    }
    await this.commitIfDecided();
  }

  // ---- messages ----------------------------------------------------------------------------------------

  private handleMessage(msg: ConsensusMessage, from: string): void {
    switch (msg.kind) {
      case "proposal":
        this.setProposal(msg.proposal);
        break;
      case "blockPart":
        this.addProposalBlockPart(msg.height, msg.part, from);
        break;
      case "vote":
        this.tryAddVote(msg.vote, from);
        break;
    }
  }

  private setProposal(p: Proposal): void {
    if (this.proposal !== undefined || p.height !== this.height || p.round !== this.round) return;
    if (p.polRound < -1 || (p.polRound >= 0 && p.polRound >= p.round)) return;
    const proposer = this.proposerSet().proposer(p.round);
    if (!verifyEd25519(proposer.pubKeyEd25519, proposalSignBytes(this.d.rules.chainId, p), p.signature)) {
      this.d.log.debug("proposal with a bad signature ignored", { height: p.height, round: p.round });
      return;
    }
    if (p.blockId.partSetHeader.total < 1) return;
    this.proposal = p;
    // We may already hold the block (we locked on it, or learnt it from a +2/3 prevote).
    for (const candidate of [this.proposalBlock, this.lockedBlock, this.validBlock]) {
      if (candidate !== undefined && blockIdsEqual(blockIdOf(candidate), p.blockId)) {
        this.proposalBlock = candidate;
        this.handleCompleteProposal();
        return;
      }
    }
    if (this.proposalParts === undefined || !sameHeader(this.proposalParts.header, p.blockId.partSetHeader)) {
      this.proposalBlock = undefined;
      this.proposalParts = new PartSetBuilder(p.blockId.partSetHeader);
    }
  }

  private addProposalBlockPart(height: bigint, part: Part, from: string): void {
    if (height !== this.height || this.proposalParts === undefined || this.proposalBlock !== undefined) return;
    let added: boolean;
    try {
      added = this.proposalParts.add(part);
    } catch (err) {
      this.d.log.debug("invalid block part", { from, err: (err as Error).message });
      return;
    }
    if (!added || !this.proposalParts.complete) return;
    let block: Block;
    try {
      block = VannaBlock.decodeCanonical(this.proposalParts.assemble());
    } catch {
      this.d.log.warn("proposal block does not decode", { height: this.height });
      this.proposalParts = undefined;
      return;
    }
    const id = blockIdOf(block);
    if (!sameHeader(id.partSetHeader, this.proposalParts.header)) {
      this.proposalParts = undefined;
      return;
    }
    this.proposalBlock = block;
    // A block for which we saw +2/3 prevotes in this round becomes the valid block (the paper's validValue).
    const maj = this.votes.prevotes(this.round).twoThirdsMajority();
    if (maj?.blockId !== undefined && blockIdsEqual(maj.blockId, id) && this.validRound < this.round) {
      this.validRound = this.round;
      this.validBlock = block;
    }
    this.handleCompleteProposal();
  }

  private handleCompleteProposal(): void {
    if (this.step <= Step.Propose && this.isProposalComplete()) {
      this.enterPrevote(this.height, this.round);
      const maj = this.votes.prevotes(this.round).twoThirdsMajority();
      if (maj !== undefined) this.enterPrecommit(this.height, this.round);
    } else if (this.step === Step.Commit) {
      // Commit waits for the block; commitIfDecided picks it up.
    }
  }

  private isProposalComplete(): boolean {
    if (this.proposal === undefined || this.proposalBlock === undefined) return false;
    if (!blockIdsEqual(blockIdOf(this.proposalBlock), this.proposal.blockId)) return false;
    if (this.proposal.polRound < 0) return true;
    return this.votes.prevotes(this.proposal.polRound).twoThirdsMajority() !== undefined;
  }

  private tryAddVote(vote: Vote, from: string): void {
    if (vote.height !== this.height) return;
    if (!this.votes.accepts(vote.round, this.round)) return;
    const set = this.votes.votes(vote.round, vote.type);
    const result = set.add(vote);
    if (result.status === "conflict") {
      const validator = this.d.rules.validators.byIndex(vote.validatorIndex)!;
      this.d.log.warn("conflicting votes: evidence recorded", { validator: validator.address, height: vote.height, round: vote.round, from });
      this.d.rules.evidence.report({
        voteA: result.existing,
        voteB: vote,
        totalVotingPower: this.d.rules.validators.totalPower,
        validatorPower: validator.votingPower,
        timestampNs: this.d.chain.lastBlockTimeNs(),
      });
      return;
    }
    if (result.status !== "added") return;
    if (vote.type === VoteType.Prevote) this.onPrevoteAdded(vote);
    else this.onPrecommitAdded(vote);
  }

  private onPrevoteAdded(vote: Vote): void {
    const prevotes = this.votes.prevotes(vote.round);
    const maj = prevotes.twoThirdsMajority();
    if (maj?.blockId !== undefined && vote.round === this.round && this.validRound < vote.round) {
      if (this.proposalBlock !== undefined && blockIdsEqual(blockIdOf(this.proposalBlock), maj.blockId)) {
        this.validRound = vote.round;
        this.validBlock = this.proposalBlock;
      } else {
        // +2/3 prevoted a block we do not have: fetch its parts.
        this.proposalBlock = undefined;
        if (this.proposalParts === undefined || !sameHeader(this.proposalParts.header, maj.blockId.partSetHeader)) {
          this.proposalParts = new PartSetBuilder(maj.blockId.partSetHeader);
        }
      }
    }
    if (this.round < vote.round && prevotes.hasTwoThirdsAny()) {
      this.enterNewRound(this.height, vote.round);
    } else if (this.round === vote.round && this.step >= Step.Prevote) {
      if (maj !== undefined && (this.isProposalComplete() || maj.blockId === undefined)) this.enterPrecommit(this.height, vote.round);
      else if (prevotes.hasTwoThirdsAny()) this.enterPrevoteWait(this.height, vote.round);
    }
    // A proposal that re-proposes with a proof of lock in this round can now be prevoted.
    if (this.proposal !== undefined && this.proposal.polRound === vote.round && this.isProposalComplete()) this.enterPrevote(this.height, this.round);
  }

  private onPrecommitAdded(vote: Vote): void {
    const precommits = this.votes.precommits(vote.round);
    const maj = precommits.twoThirdsMajority();
    if (maj !== undefined) {
      this.enterNewRound(this.height, vote.round);
      this.enterPrecommit(this.height, vote.round);
      if (maj.blockId !== undefined) this.enterCommit(this.height, vote.round);
      else this.enterPrecommitWait(this.height, vote.round);
    } else if (this.round <= vote.round && precommits.hasTwoThirdsAny()) {
      this.enterNewRound(this.height, vote.round);
      this.enterPrecommitWait(this.height, vote.round);
    }
  }

  // ---- steps ---------------------------------------------------------------------------------------------

  private enterNewRound(height: bigint, round: number): void {
    if (height !== this.height || round < this.round || (round === this.round && this.step !== Step.NewHeight)) return;
    this.round = round;
    this.step = Step.NewRound;
    this.d.log.debug("enter new round", { height, round });
    if (round > 0) {
      // A new round starts without a proposal; locked and valid blocks carry over.
      this.proposal = undefined;
      this.proposalBlock = undefined;
      this.proposalParts = undefined;
    }
    this.triggeredPrecommitTimeout = false;
    const waitForTxs = round === 0 && this.d.timeouts.emptyBlockIntervalMs > 0 && this.d.txs.size === 0 && !this.d.chain.needProofBlock();
    if (waitForTxs) {
      this.schedule(Step.NewRound, this.d.timeouts.emptyBlockIntervalMs);
      return;
    }
    this.enterPropose(height, round);
  }

  private enterPropose(height: bigint, round: number): void {
    if (height !== this.height || round < this.round || (round === this.round && this.step >= Step.Propose)) return;
    this.round = round;
    this.step = Step.Propose;
    this.d.log.debug("enter propose", { height, round, proposer: this.isProposer(round) });
    this.schedule(Step.Propose, timeoutFor(this.d.timeouts, "propose", round));
    if (this.isProposer(round)) this.decideProposal(height, round);
    if (this.isProposalComplete()) this.enterPrevote(height, round);
  }

  private decideProposal(height: bigint, round: number): void {
    const signer = this.d.signer!;
    let block: Block;
    let polRound: number;
    if (this.validBlock !== undefined) {
      block = this.validBlock;
      polRound = this.validRound;
    } else {
      const txs = this.d.rules.app.prepareProposal(this.d.txs.reap(this.d.maxBlockBytes, this.d.maxBlockGas));
      block = createBlock(this.d.rules, this.d.chain, height, txs, this.d.rules.evidence.pending(MAX_EVIDENCE_PER_BLOCK), signer.address);
      polRound = -1;
    }
    const blockId = blockIdOf(block);
    let proposal: Proposal;
    try {
      proposal = signer.signProposal(this.d.rules.chainId, { height, round, polRound, blockId, timestampNs: this.voteTimeNs(), signature: new Uint8Array() });
    } catch (err) {
      // After a restart the private validator may hold a proposal for this round with another block: stay silent.
      this.d.log.error("refused to sign proposal", { height, round }, err);
      this.moveOnAfterRefusal();
      return;
    }
    const { parts } = splitIntoParts(VannaBlock.encode(block));
    this.sendOwn({ kind: "proposal", proposal });
    for (const part of parts) this.sendOwn({ kind: "blockPart", height, round, part });
  }

  private enterPrevote(height: bigint, round: number): void {
    if (height !== this.height || round < this.round || (round === this.round && this.step >= Step.Prevote)) return;
    this.round = round;
    this.step = Step.Prevote;
    this.d.log.debug("enter prevote", { height, round });
    this.signAndSendVote(VoteType.Prevote, this.prevoteTarget(round));
  }

  /** The paper's prevote rule, with POL: prevote the proposal unless we are locked on something else. */
  private prevoteTarget(round: number): BlockId | undefined {
    const p = this.proposal;
    const block = this.proposalBlock;
    if (p === undefined || block === undefined || !this.isProposalComplete()) return undefined;
    const id = blockIdOf(block);
    const invalid = this.invalidReason(block);
    if (invalid !== undefined) {
      this.d.log.warn("prevoting nil: invalid proposal", { height: this.height, round, reason: invalid });
      return undefined;
    }
    const lockedOnIt = this.lockedBlock !== undefined && blockIdsEqual(blockIdOf(this.lockedBlock), id);
    if (p.polRound === -1) return this.lockedRound === -1 || lockedOnIt ? id : undefined;
    const pol = this.votes.prevotes(p.polRound).twoThirdsMajority();
    if (pol?.blockId !== undefined && blockIdsEqual(pol.blockId, id) && (this.lockedRound <= p.polRound || lockedOnIt)) return id;
    return undefined;
  }

  private enterPrevoteWait(height: bigint, round: number): void {
    if (height !== this.height || round < this.round || (round === this.round && this.step >= Step.PrevoteWait)) return;
    if (!this.votes.prevotes(round).hasTwoThirdsAny()) return;
    this.round = round;
    this.step = Step.PrevoteWait;
    this.schedule(Step.PrevoteWait, timeoutFor(this.d.timeouts, "prevote", round));
  }

  private enterPrecommit(height: bigint, round: number): void {
    if (height !== this.height || round < this.round || (round === this.round && this.step >= Step.Precommit)) return;
    this.round = round;
    this.step = Step.Precommit;
    this.d.log.debug("enter precommit", { height, round });
    const maj = this.votes.prevotes(round).twoThirdsMajority();
    if (maj === undefined || maj.blockId === undefined) {
      // No polka, or a polka for nil: precommit nil (locks are kept, as in the paper).
      this.signAndSendVote(VoteType.Precommit, undefined);
      return;
    }
    const target = maj.blockId;
    if (this.lockedBlock !== undefined && blockIdsEqual(blockIdOf(this.lockedBlock), target)) {
      this.lockedRound = round;
      this.signAndSendVote(VoteType.Precommit, target);
      return;
    }
    if (this.proposalBlock !== undefined && blockIdsEqual(blockIdOf(this.proposalBlock), target)) {
      if (this.invalidReason(this.proposalBlock) !== undefined) {
        this.signAndSendVote(VoteType.Precommit, undefined);
        return;
      }
      this.lockedRound = round;
      this.lockedBlock = this.proposalBlock;
      this.signAndSendVote(VoteType.Precommit, target);
      return;
    }
    // +2/3 prevoted a block we do not have: fetch it, precommit nil.
    this.proposalBlock = undefined;
    if (this.proposalParts === undefined || !sameHeader(this.proposalParts.header, target.partSetHeader)) this.proposalParts = new PartSetBuilder(target.partSetHeader);
    this.signAndSendVote(VoteType.Precommit, undefined);
  }

  private enterPrecommitWait(height: bigint, round: number): void {
    if (height !== this.height || round < this.round || (round === this.round && this.triggeredPrecommitTimeout)) return;
    if (!this.votes.precommits(round).hasTwoThirdsAny()) return;
    this.round = round;
    this.step = Step.PrecommitWait;
    this.triggeredPrecommitTimeout = true;
    this.schedule(Step.PrecommitWait, timeoutFor(this.d.timeouts, "precommit", round));
  }

  private enterCommit(height: bigint, commitRound: number): void {
    if (height !== this.height || this.step >= Step.Commit) return;
    this.step = Step.Commit;
    this.commitRound = commitRound;
    this.d.log.debug("enter commit", { height, commitRound });
    const maj = this.votes.precommits(commitRound).twoThirdsMajority();
    const target = maj?.blockId;
    if (target === undefined) return;
    if (this.lockedBlock !== undefined && blockIdsEqual(blockIdOf(this.lockedBlock), target)) this.proposalBlock = this.lockedBlock;
    if (this.proposalBlock === undefined || !blockIdsEqual(blockIdOf(this.proposalBlock), target)) {
      this.proposalBlock = undefined;
      if (this.proposalParts === undefined || !sameHeader(this.proposalParts.header, target.partSetHeader)) this.proposalParts = new PartSetBuilder(target.partSetHeader);
    }
  }

  /** Once in the commit step with the decided block in hand, execute, persist and move to the next height. */
  private async commitIfDecided(): Promise<void> {
    if (this.step !== Step.Commit || this.proposalBlock === undefined) return;
    const maj = this.votes.precommits(this.commitRound).twoThirdsMajority();
    if (maj?.blockId === undefined || !blockIdsEqual(blockIdOf(this.proposalBlock), maj.blockId)) return;
    const block = this.proposalBlock;
    const invalid = this.invalidReason(block);
    if (invalid !== undefined) {
      // +2/3 committed a block we consider invalid: our state diverged from the network. Stop rather than fork.
      throw new FatalConsensusError(`+2/3 committed block ${block.header.height} that this node finds invalid: ${invalid}`);
    }
    await this.finalize(block, this.votes.precommits(this.commitRound).makeCommit());
  }

  private async handleSynced(block: Block, commit: Commit): Promise<void> {
    if (block.header.height !== this.height) return;
    const err = this.d.rules.validators.verifyCommit(this.d.rules.chainId, blockIdOf(block), this.height, commit);
    if (err !== undefined) throw new Error(`synced block ${this.height}: ${err}`);
    const invalid = validateBlock(this.d.rules, this.d.chain, block);
    if (invalid !== undefined) throw new Error(`synced block ${this.height} is invalid: ${invalid}`);
    await this.finalize(block, commit, false);
  }

  /**
   * `syncEndHeight`: a height decided by this node's own votes is marked durably in the WAL; one fetched by block
   * sync need not be (after a crash it is simply in the block store, or fetched again).
   */
  private async finalize(block: Block, commit: Commit, syncEndHeight = true): Promise<void> {
    try {
      await this.d.sink.applyBlock(block, commit);
    } catch (err) {
      throw new FatalConsensusError(`cannot apply block ${block.header.height}: ${(err as Error).message}`);
    }
    await this.d.wal?.endHeight(block.header.height, syncEndHeight);
    this.resetToNextHeight();
    for (const l of this.heightListeners) l(this.height);
    this.scheduleNewHeight(this.d.timeouts.commitMs);
  }

  // ---- timeouts ------------------------------------------------------------------------------------------

  private handleTimeout(ti: TimeoutInfo): void {
    if (ti.height !== this.height || ti.round < this.round || (ti.round === this.round && ti.step < this.step)) return;
    switch (ti.step) {
      case Step.NewHeight:
        this.enterNewRound(ti.height, 0);
        break;
      case Step.NewRound:
        this.enterPropose(ti.height, 0);
        break;
      case Step.Propose:
        this.enterPrevote(ti.height, ti.round);
        break;
      case Step.PrevoteWait:
        this.enterPrecommit(ti.height, ti.round);
        break;
      case Step.PrecommitWait:
        this.enterPrecommit(ti.height, ti.round);
        this.enterNewRound(ti.height, ti.round + 1);
        break;
      default:
        break;
    }
  }

  private schedule(step: Step, durationMs: number): void {
    const ti: TimeoutInfo = { height: this.height, round: this.round, step, durationMs };
    this.d.ticker.schedule(ti, (fired) => this.enqueue({ kind: "timeout", timeout: fired }));
  }

  private scheduleNewHeight(delayMs: number): void {
    this.d.ticker.schedule({ height: this.height, round: 0, step: Step.NewHeight, durationMs: delayMs }, (fired) => this.enqueue({ kind: "timeout", timeout: fired }));
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  private resetToNextHeight(): void {
    this.height = this.d.chain.lastHeight() + 1n;
    this.round = 0;
    this.step = Step.NewHeight;
    this.proposal = undefined;
    this.proposalBlock = undefined;
    this.proposalParts = undefined;
    this.lockedRound = -1;
    this.lockedBlock = undefined;
    this.validRound = -1;
    this.validBlock = undefined;
    this.commitRound = -1;
    this.triggeredPrecommitTimeout = false;
    this.votes = new HeightVoteSet(this.d.rules.chainId, this.height, this.d.rules.validators, (e) => this.d.rules.app.verifyVoteExtension(e));
    this.proposerSetCache = undefined;
    this.validation = new Map();
    const buffered = this.nextHeight.filter((i) => i.kind === "message" && heightOf(i.message) === this.height);
    this.nextHeight = [];
    this.queue.unshift(...buffered);
  }

  private proposerSetCache: { height: bigint; set: ReturnType<ChainRules["validators"]["advanced"]> } | undefined;

  /** The validator set with proposer priorities as of this height (round 0). */
  private proposerSet() {
    if (this.proposerSetCache?.height !== this.height) {
      const steps = Number(this.height - this.d.rules.initialHeight + 1n);
      this.proposerSetCache = { height: this.height, set: this.d.rules.validators.advanced(steps) };
    }
    return this.proposerSetCache.set;
  }

  private invalidReason(block: Block): string | undefined {
    const key = blockIdKey(blockIdOf(block));
    if (!this.validation.has(key)) this.validation.set(key, validateBlock(this.d.rules, this.d.chain, block));
    return this.validation.get(key);
  }

  private isProposer(round: number): boolean {
    const signer = this.d.signer;
    if (signer === undefined) return false;
    return sameBytes(this.proposerSet().proposer(round).address, signer.address);
  }

  /** Vote time: now, but always after the last block's time, so BFT time increases. */
  private voteTimeNs(): bigint {
    const now = this.d.clockNs();
    const min = this.d.chain.lastBlockTimeNs() + 1_000_000n;
    return now > min ? now : min;
  }

  private signAndSendVote(type: VoteType, blockId: BlockId | undefined): void {
    const signer = this.d.signer;
    if (signer === undefined) return;
    const index = this.d.rules.validators.indexOf(signer.address);
    if (index === undefined) return;
    // A precommit for a block carries this validator's vote extension (its oracle observation).
    let extension: Uint8Array = new Uint8Array();
    if (type === VoteType.Precommit && blockId !== undefined) {
      try {
        extension = this.d.rules.app.extendVote({ height: this.height, round: this.round, blockHash: blockId.hash });
      } catch (err) {
        this.d.log.warn("vote extension failed: precommitting without one", { height: this.height, err: (err as Error).message });
      }
    }
    const unsigned: Vote = {
      type,
      height: this.height,
      round: this.round,
      blockId,
      timestampNs: this.voteTimeNs(),
      validatorAddress: signer.address,
      validatorIndex: index,
      signature: new Uint8Array(),
      extension,
      extensionSignature: new Uint8Array(),
    };
    let vote: Vote;
    try {
      vote = signer.signVote(this.d.rules.chainId, unsigned);
    } catch (err) {
      // The private validator refused (it signed something conflicting before a crash): stay silent here.
      this.d.log.error("refused to sign vote", { height: this.height, round: this.round, type }, err);
      this.moveOnAfterRefusal();
      return;
    }
    this.sendOwn({ kind: "vote", vote });
  }

  /**
   * After a crash between the private validator persisting a signature and the WAL recording the message, a
   * restarted validator re-enters a step it already signed and is (rightly) refused. Staying silent would stall
   * a chain where its vote is needed (a single validator always). Every round after the last one it signed is
   * safe to sign in, so it leaves this round after a precommit timeout, as the network would on a silent round.
   */
  private moveOnAfterRefusal(): void {
    const last = this.d.signer?.lastSignState?.();
    const height = this.height;
    const round = this.round;
    const lastRound = last !== undefined && last.height === height ? last.round : round;
    this.d.ticker.schedule({ height, round, step: Step.PrecommitWait, durationMs: timeoutFor(this.d.timeouts, "precommit", round) }, () =>
      this.enqueue({ kind: "timeout", timeout: { height, round: Math.max(round, lastRound), step: Step.PrecommitWait, durationMs: 0 } }),
    );
  }

  /** Own messages: logged durably, handled before any peer input, then gossiped. */
  private sendOwn(message: ConsensusMessage): void {
    const input: ConsensusInput = { kind: "message", message, from: "self" };
    this.internal.push(input);
    const durable = this.d.wal?.writeSync(input) ?? Promise.resolve();
    void durable.then(() => this.d.broadcast(message)).catch((err: unknown) => this.d.onFatal(err));
  }
}

function heightOf(msg: ConsensusMessage): bigint {
  return msg.kind === "proposal" ? msg.proposal.height : msg.kind === "vote" ? msg.vote.height : msg.height;
}

export class FatalConsensusError extends Error {
  override readonly name = "FatalConsensusError";
}

function sameHeader(a: { total: number; hash: Uint8Array }, b: { total: number; hash: Uint8Array }): boolean {
  return a.total === b.total && sameBytes(a.hash, b.hash);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
