/**
 * The one interface between the deterministic application and the node (consensus, mempool, RPC).
 * Everything here is synchronous: a block executes as one uninterrupted task, so no RPC or p2p handler can
 * interleave with it. The application never touches disk; the node persists what `commit` returns.
 */
import type { Bytes, StoreChange } from "../store/types.js";
import type { Event } from "../types/events.js";
import type { Header, Validator } from "../types/block.js";

/** Result of CheckTx or of executing a tx in a block (the ABCI ExecTxResult shape). */
export interface TxResult {
  code: number;
  codespace: string;
  log: string;
  /** Protobuf TxMsgData (msg_responses) for executed txs; empty on failure. */
  data: Bytes;
  gasWanted: bigint;
  gasUsed: bigint;
  events: Event[];
}

export interface CheckTxResult extends TxResult {
  /** Signer address and sequence, so the mempool can order, evict and re-check per sender. */
  sender?: string;
  sequence?: bigint;
  /** Gas price offered, in micro-units of the fee denom per gas unit scaled by 1e6 (for priority). */
  priority: bigint;
}

export interface AppInfo {
  /** Height of the last committed block (0 before the first). */
  lastBlockHeight: bigint;
  /** App hash after that block (the hash that block height+1 carries). */
  lastBlockAppHash: Bytes;
  appVersion: bigint;
  version: string;
}

export interface InitChainRequest {
  chainId: string;
  genesisTimeNs: bigint;
  initialHeight: bigint;
  /** The app_state of genesis.json, already parsed. */
  appState: unknown;
  validators: Validator[];
}

export interface InitChainResult {
  /** App hash of the genesis state: block at initialHeight carries it. */
  appHash: Bytes;
  validators: Validator[];
}

/** A validator's vote in the previous height's commit, with its vote extension (what ABCI calls ExtendedVoteInfo). */
export interface CommitVote {
  validatorAddress: Bytes;
  votingPower: bigint;
  /** True when the validator precommitted the block (its extension, if any, is signed and checked). */
  signed: boolean;
  extension: Bytes;
}

export interface FinalizeBlockRequest {
  header: Header;
  txs: Bytes[];
  /** The votes of the last commit, in validator-set order (absent or empty for the first block). */
  lastCommitVotes?: CommitVote[];
}

export interface ExtendVoteRequest {
  height: bigint;
  round: number;
  blockHash: Bytes;
}

export interface FinalizeBlockResult {
  txResults: TxResult[];
  /** Events of begin/end block processing (not of txs). */
  events: Event[];
  /** App hash of the state after this block; it goes into the next block's header. */
  appHash: Bytes;
  validatorUpdates: Validator[];
}

export interface CommitResult {
  height: bigint;
  appHash: Bytes;
  /** Writes of this block in key order; the node persists them atomically with the block. */
  changes: StoreChange[];
}

export interface QueryRequest {
  path: string;
  data: Bytes;
  /** 0 = latest committed. */
  height: bigint;
  prove: boolean;
}

export interface ProofOp {
  type: string;
  key: Bytes;
  data: Bytes;
}

export interface QueryResult {
  code: number;
  codespace: string;
  log: string;
  key: Bytes;
  value: Bytes;
  height: bigint;
  proofOps: ProofOp[] | undefined;
}

export type CheckTxMode = "new" | "recheck";

export interface Application {
  info(): AppInfo;
  /** Called once, on an empty state. */
  initChain(req: InitChainRequest): InitChainResult;
  /** Validates a tx against the mempool's view of state; "new" txs update that view (sequences, fees). */
  checkTx(tx: Bytes, mode: CheckTxMode): CheckTxResult;
  /**
   * The proposer's last word on its block's txs (PrepareProposal): may drop or reorder the txs reaped from the
   * mempool (the fairness rule puts liquidity-providing txs first). Must be deterministic in its input.
   */
  prepareProposal(txs: readonly Bytes[]): Bytes[];
  /**
   * Validates a proposed block's txs without changing state (ProcessProposal); false rejects the proposal.
   */
  processProposal(req: FinalizeBlockRequest): boolean;
  /**
   * The data this validator attaches to its precommit for a block (its oracle observation). May read local,
   * non-deterministic sources: it is signed, gossiped and only enters state through the next block.
   */
  extendVote(req: ExtendVoteRequest): Bytes;
  /** Deterministic check of another validator's extension (format and bounds); false rejects the vote. */
  verifyVoteExtension(req: { height: bigint; validatorAddress: Bytes; extension: Bytes }): boolean;
  /** Executes a decided block. State changes stay pending until `commit`. */
  finalizeBlock(req: FinalizeBlockRequest): FinalizeBlockResult;
  /** Makes the last finalized block's state current, resets the mempool view, returns the writes to persist. */
  commit(): CommitResult;
  query(req: QueryRequest): QueryResult;
}
