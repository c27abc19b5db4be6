/** Steps, timeouts and the dependencies of the consensus state machine. */
import type { Block, Commit } from "../../src/types/block.js";
import type { ConsensusMessage } from "../../src/codec/index.js";
import type { DuplicateVoteEvidence, Proposal, Vote } from "../../src/types/consensus.js";

/** Ordered: a step function ignores input for a lower (height, round, step). */
export enum Step {
  NewHeight = 1,
  NewRound = 2,
  Propose = 3,
  Prevote = 4,
  PrevoteWait = 5,
  Precommit = 6,
  PrecommitWait = 7,
  Commit = 8,
}

export interface TimeoutInfo {
  height: bigint;
  round: number;
  step: Step;
  durationMs: number;
}

export interface ConsensusTimeouts {
  proposeMs: number;
  proposeDeltaMs: number;
  prevoteMs: number;
  prevoteDeltaMs: number;
  precommitMs: number;
  precommitDeltaMs: number;
  /** Wait after a commit, so straggling precommits make it into the next block's last commit. */
  commitMs: number;
  /** With an empty mempool, a new height waits this long before proposing an empty block (0: never wait). */
  emptyBlockIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: ConsensusTimeouts = {
  proposeMs: 1000,
  proposeDeltaMs: 500,
  prevoteMs: 500,
  prevoteDeltaMs: 250,
  precommitMs: 500,
  precommitDeltaMs: 250,
  commitMs: 50,
  emptyBlockIntervalMs: 1000,
};

/** Timeouts grow linearly with the round, so a network with slow links eventually has time to agree. */
export function timeoutFor(t: ConsensusTimeouts, step: "propose" | "prevote" | "precommit", round: number): number {
  switch (step) {
    case "propose":
      return t.proposeMs + t.proposeDeltaMs * round;
    case "prevote":
      return t.prevoteMs + t.prevoteDeltaMs * round;
    case "precommit":
      return t.precommitMs + t.precommitDeltaMs * round;
  }
}

/** Schedules timeouts; the real one uses timers, tests use a fake that they advance by hand. */
export interface TimeoutTicker {
  schedule(ti: TimeoutInfo, fire: (ti: TimeoutInfo) => void): void;
  stop(): void;
}

/** Signs for this node's validator key and refuses anything that could be a double sign. */
export interface Signer {
  readonly address: Uint8Array;
  signVote(chainId: string, vote: Vote): Vote;
  signProposal(chainId: string, proposal: Proposal): Proposal;
  /** The last (height, round) this key signed at, so a restarted validator can move past it. */
  lastSignState?(): { height: bigint; round: number };
}

/** Where committed blocks go (the node's block executor): execute, persist atomically, announce. */
export interface BlockSink {
  applyBlock(block: Block, commit: Commit): Promise<unknown>;
}

/** What consensus reads of the chain: the committed head and what the next block must carry. */
export interface ChainView {
  /** Height of the last committed block (initialHeight - 1 before the first). */
  lastHeight(): bigint;
  lastBlockTimeNs(): bigint;
  lastBlockId(): Block["header"]["lastBlockId"];
  /** The commit this node holds for the last block (goes into the next block as last_commit). */
  lastCommit(): Commit | undefined;
  /** Results hash of the last block (the next header carries it). */
  lastResultsHash(): Uint8Array;
  /** App hash after the last block. */
  appHash(): Uint8Array;
  /** Whether the last block changed the app hash (then a block must follow to commit the new hash). */
  needProofBlock(): boolean;
}

export interface TxSource {
  reap(maxBytes: number, maxGas: bigint): Uint8Array[];
  readonly size: number;
}

export interface EvidenceSource {
  pending(maxCount: number): DuplicateVoteEvidence[];
  /** Called for a conflict detected in a vote set. */
  report(evidence: DuplicateVoteEvidence): void;
  /** Checks a block's evidence (valid, not expired, not already committed); returns an error text. */
  check(evidence: DuplicateVoteEvidence, height: bigint): string | undefined;
}

export type Broadcast = (message: ConsensusMessage) => void;
