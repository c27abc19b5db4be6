/**
 * Block-level types shared by the application, the block store, consensus and RPC.
 * Hashes and addresses are raw bytes; times are nanoseconds since the Unix epoch (bigint), because headers
 * carry nanoseconds and `Date` has only milliseconds.
 */
import type { Bytes } from "../store/types.js";
import type { DuplicateVoteEvidence } from "./consensus.js";

export interface PartSetHeader {
  total: number;
  hash: Bytes;
}

export interface BlockId {
  hash: Bytes;
  partSetHeader: PartSetHeader;
}

export interface Header {
  /** Block protocol version (11, as CometBFT 0.38) and app version. */
  versionBlock: bigint;
  versionApp: bigint;
  chainId: string;
  height: bigint;
  timeNs: bigint;
  lastBlockId: BlockId | undefined;
  lastCommitHash: Bytes;
  dataHash: Bytes;
  validatorsHash: Bytes;
  nextValidatorsHash: Bytes;
  consensusHash: Bytes;
  appHash: Bytes;
  lastResultsHash: Bytes;
  evidenceHash: Bytes;
  proposerAddress: Bytes;
}

export enum BlockIdFlag {
  Unknown = 0,
  Absent = 1,
  Commit = 2,
  Nil = 3,
}

export interface CommitSig {
  blockIdFlag: BlockIdFlag;
  validatorAddress: Bytes;
  timestampNs: bigint;
  signature: Bytes;
  /** Vote extension carried by a commit-flag precommit (empty when none). */
  extension: Bytes;
  extensionSignature: Bytes;
}

export interface Commit {
  height: bigint;
  round: number;
  blockId: BlockId;
  signatures: CommitSig[];
}

export interface Block {
  header: Header;
  txs: Bytes[];
  /** Commit of the previous height; empty (height 0) for the first block. */
  lastCommit: Commit;
  /** Misbehaviour committed in this block (duplicate votes). */
  evidence: DuplicateVoteEvidence[];
}

export interface Validator {
  /** First 20 bytes of SHA-256 of the ed25519 public key, as CometBFT. */
  address: Bytes;
  pubKeyEd25519: Bytes;
  votingPower: bigint;
  proposerPriority: bigint;
  name?: string;
}
