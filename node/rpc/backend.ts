/**
 * What the RPC server needs from the node. Expressed only in the repo's internal types; the server turns them
 * into CometBFT 0.38 JSON. Every method may answer synchronously or with a promise.
 *
 * Height arguments are always concrete: the server resolves "latest" and checks the range
 * [earliest, latest] against `syncInfo()` before calling, so a backend only has to say "not stored" by
 * returning undefined (or throwing a BackendError with its own text).
 */
import type { Bytes } from "../../src/store/types.js";
import type { Block, BlockId, Commit, Header, Validator } from "../../src/types/block.js";
import type { AppInfo, FinalizeBlockResult, QueryRequest, QueryResult, TxResult } from "../../src/app/application.js";
import type { Query } from "./query.js";

type MaybePromise<T> = T | Promise<T>;

export interface RpcNodeInfo {
  /** Node id: 20 bytes (printed as 40 lowercase hex chars in node_info.id). */
  nodeId: Bytes;
  moniker: string;
  chainId: string;
  /** P2P listen address, e.g. "tcp://0.0.0.0:26656" (must be non-empty). */
  listenAddr: string;
  /** RPC address, e.g. "tcp://0.0.0.0:26657" (goes into node_info.other.rpc_address). */
  rpcAddr: string;
  /** App protocol version (node_info.protocol_version.app). */
  appVersion: bigint;
  txIndexEnabled: boolean;
}

export interface RpcSyncInfo {
  /** 0 before the first block is committed. */
  latestBlockHeight: bigint;
  latestBlockHash: Bytes;
  latestAppHash: Bytes;
  latestBlockTimeNs: bigint;
  /** Lowest height still stored (the block store base); 0 when nothing is stored. */
  earliestBlockHeight: bigint;
  earliestBlockHash: Bytes;
  earliestAppHash: Bytes;
  earliestBlockTimeNs: bigint;
  catchingUp: boolean;
}

export interface StoredBlock {
  blockId: BlockId;
  block: Block;
}

export interface BlockMeta {
  blockId: BlockId;
  header: Header;
  /** Size of the encoded block in bytes. */
  blockSizeBytes: number;
  numTxs: number;
}

export interface StoredBlockResults {
  height: bigint;
  result: FinalizeBlockResult;
}

export interface StoredCommit {
  header: Header;
  commit: Commit;
  /** False for the latest height, whose commit is only the one this node saw (CometBFT semantics). */
  canonical: boolean;
}

export interface ValidatorSet {
  /** The height the set is for. */
  height: bigint;
  validators: Validator[];
}

/** A tx as included in a block, with its execution result. */
export interface IndexedTx {
  /** SHA-256 of `tx`. */
  hash: Bytes;
  height: bigint;
  /** Position of the tx in its block. */
  index: number;
  tx: Bytes;
  result: TxResult;
}

export type TxOrder = "asc" | "desc";

export interface TxSearchRequest {
  query: Query;
  /** 1-based page; the server re-validates it against totalCount afterwards. */
  page: number;
  /** 1..100. */
  perPage: number;
  orderBy: TxOrder;
}

export interface TxSearchResult {
  /** The requested page of matches. */
  txs: IndexedTx[];
  /** Matches over all pages, exactly. */
  totalCount: number;
}

export interface UnconfirmedTxs {
  /** Txs in the mempool overall (not just the returned ones). */
  total: number;
  totalBytes: bigint;
  /** At most the requested limit, in mempool order. */
  txs: Bytes[];
}

export interface PeerInfo {
  nodeId: Bytes;
  moniker: string;
  remoteIp: string;
  isOutbound: boolean;
}

export interface NetInfo {
  listening: boolean;
  listeners: string[];
  peers: PeerInfo[];
}

/** A block was committed. Emitted before the Tx events of that block. */
export interface NewBlockEvent {
  type: "NewBlock";
  block: Block;
  blockId: BlockId;
  result: FinalizeBlockResult;
}

/** A tx was executed in a committed block (whatever its code). */
export interface TxEvent {
  type: "Tx";
  height: bigint;
  index: number;
  tx: Bytes;
  result: TxResult;
}

export type NodeEvent = NewBlockEvent | TxEvent;
export type NodeEventListener = (event: NodeEvent) => void;

export interface RpcBackend {
  nodeInfo(): MaybePromise<RpcNodeInfo>;
  syncInfo(): MaybePromise<RpcSyncInfo>;
  /** This node's own validator key and power ("0" for non-validators). */
  validatorInfo(): MaybePromise<Validator>;

  block(height: bigint): MaybePromise<StoredBlock | undefined>;
  blockByHash(hash: Bytes): MaybePromise<StoredBlock | undefined>;
  blockMeta(height: bigint): MaybePromise<BlockMeta | undefined>;
  blockResults(height: bigint): MaybePromise<StoredBlockResults | undefined>;
  commit(height: bigint): MaybePromise<StoredCommit | undefined>;
  validators(height: bigint): MaybePromise<ValidatorSet | undefined>;
  /** The genesis document exactly as stored (the parsed genesis.json object). */
  genesis(): MaybePromise<Record<string, unknown>>;

  abciInfo(): MaybePromise<AppInfo>;
  abciQuery(req: QueryRequest): MaybePromise<QueryResult>;

  /**
   * Runs CheckTx; on code 0 the backend adds the tx to the mempool. Throws BackendError("txInCache") for a
   * duplicate, ("mempoolFull") / ("txTooLarge") for rejections before CheckTx.
   */
  checkTx(tx: Bytes): MaybePromise<TxResult>;
  tx(hash: Bytes): MaybePromise<IndexedTx | undefined>;
  txSearch(req: TxSearchRequest): MaybePromise<TxSearchResult>;
  unconfirmedTxs(limit: number): MaybePromise<UnconfirmedTxs>;
  netInfo(): MaybePromise<NetInfo>;

  /** Registers a listener for committed blocks and txs; returns the unsubscribe function. */
  subscribe(listener: NodeEventListener): () => void;

  /** The consensus round state (`consensus_state` summary and `dump_consensus_state` detail), already as JSON. */
  consensusState?(): MaybePromise<{ summary: Record<string, unknown>; dump: Record<string, unknown> }>;
  /**
   * Operator/test controls, served only when the node enables unsafe RPC: cut this node off from peers (all, or
   * by peer id) and heal. Used by partition tests.
   */
  unsafe?: {
    isolatePeers(peerIds: string[] | "all"): MaybePromise<void>;
    healPeers(): MaybePromise<void>;
  };
}

export type BackendErrorKind =
  | "heightUnavailable"
  | "notFound"
  | "txInCache"
  | "mempoolFull"
  | "txTooLarge"
  | "invalidArgument"
  | "unavailable";

/**
 * A failure the backend wants the client to see, with a readable reason. The server maps "invalidArgument" to
 * JSON-RPC -32602 and everything else to -32603 with the message in `data` (CometBFT style, e.g.
 * "tx already exists in cache").
 */
export class BackendError extends Error {
  override readonly name = "BackendError";
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
  ) {
    super(message);
  }
}
