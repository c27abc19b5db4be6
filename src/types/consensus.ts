/** Consensus messages: votes, proposals, block parts and evidence (mirroring proto/vanna/types/v1/block.proto). */
import type { Bytes } from "../store/types.js";
import type { BlockId } from "./block.js";

export enum VoteType {
  Prevote = 1,
  Precommit = 2,
}

export interface Vote {
  type: VoteType;
  height: bigint;
  round: number;
  /** undefined = a vote for nil. */
  blockId: BlockId | undefined;
  timestampNs: bigint;
  validatorAddress: Bytes;
  validatorIndex: number;
  signature: Bytes;
  /** Application data carried by precommits (vote extensions); empty otherwise. */
  extension: Bytes;
  extensionSignature: Bytes;
}

export interface Proposal {
  height: bigint;
  round: number;
  /** Round of the proof-of-lock this proposal re-proposes, or -1. */
  polRound: number;
  blockId: BlockId;
  timestampNs: bigint;
  signature: Bytes;
}

export interface MerkleProof {
  total: bigint;
  index: bigint;
  leafHash: Bytes;
  aunts: Bytes[];
}

export interface Part {
  index: number;
  bytes: Bytes;
  proof: MerkleProof;
}

export interface DuplicateVoteEvidence {
  voteA: Vote;
  voteB: Vote;
  totalVotingPower: bigint;
  validatorPower: bigint;
  timestampNs: bigint;
}
