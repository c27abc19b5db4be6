/**
 * An in-memory RpcBackend with a small deterministic chain: blocks with txs, results, commits, a large
 * validator set (to exercise paging) and a mempool. `produceBlock()` commits the mempool and emits events.
 */
import { createHash } from "node:crypto";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { AppInfo, FinalizeBlockResult, QueryRequest, QueryResult, TxResult } from "../../../src/app/application.js";
import { BlockIdFlag, type Block, type BlockId, type Commit, type Header, type Validator } from "../../../src/types/block.js";
import { event } from "../../../src/types/events.js";
import {
  BackendError,
  type BlockMeta,
  type IndexedTx,
  type NetInfo,
  type NodeEvent,
  type NodeEventListener,
  type RpcBackend,
  type RpcNodeInfo,
  type RpcSyncInfo,
  type StoredBlock,
  type StoredBlockResults,
  type StoredCommit,
  type TxSearchRequest,
  type TxSearchResult,
  type UnconfirmedTxs,
  type ValidatorSet,
} from "../../../node/rpc/backend.js";
import { matchesQuery } from "../../../node/rpc/query.js";
import { txEventMap } from "../../../node/rpc/events.js";

export const CHAIN_ID = "vanna-test-1";
export const GENESIS_TIME_NS = 1_750_000_000_123_456_789n;
const BLOCK_INTERVAL_NS = 1_000_000_000n;

export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function makeValidators(n: number): Validator[] {
  return Array.from({ length: n }, (_, i) => {
    const pub = sha256(`validator-${i}`);
    return { address: sha256(pub).slice(0, 20), pubKeyEd25519: pub, votingPower: BigInt(100 - (i % 7)), proposerPriority: BigInt(i - 3) };
  });
}

/** The msg_responses data cosmjs decodes from tx_result.data. */
export const MSG_SEND_DATA = TxMsgData.encode({
  data: [],
  msgResponses: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse", value: new Uint8Array() }],
}).finish();

function txResultFor(tx: Uint8Array, sender: string, code = 0): TxResult {
  return {
    code,
    codespace: code === 0 ? "" : "sdk",
    log: code === 0 ? "" : "insufficient funds",
    data: code === 0 ? MSG_SEND_DATA : new Uint8Array(),
    gasWanted: 200_000n,
    gasUsed: 50_000n + BigInt(tx.length),
    events: [
      event("message", { action: "/cosmos.bank.v1beta1.MsgSend", sender, module: "bank" }),
      event("transfer", { recipient: "cosmos1recipient", sender, amount: `${tx.length}stake` }),
      { type: "tx", attributes: [{ key: "fee", value: "5000stake", index: false }] },
    ],
  };
}

interface Stored {
  stored: StoredBlock;
  result: FinalizeBlockResult;
  commit: Commit;
}

export class FakeBackend implements RpcBackend {
  readonly validatorSet = makeValidators(75);
  readonly blocks: Stored[] = [];
  readonly txs = new Map<string, IndexedTx>();
  mempool: Uint8Array[] = [];
  private readonly listeners = new Set<NodeEventListener>();
  private readonly seenTxs = new Set<string>();

  constructor(txsPerBlock: number[]) {
    txsPerBlock.forEach((count, i) => {
      const height = i + 1;
      const txs = Array.from({ length: count }, (_, j) => utf8(`tx-${height}-${j}-from-${j % 2 === 0 ? "alice" : "bob"}`));
      this.commitBlock(txs, false);
    });
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  latest(): Stored {
    const b = this.blocks[this.blocks.length - 1];
    if (!b) throw new Error("no blocks");
    return b;
  }

  /** Commits the mempool as a new block and emits NewBlock then one Tx event per tx. */
  produceBlock(): StoredBlock {
    const txs = this.mempool;
    this.mempool = [];
    return this.commitBlock(txs, true).stored;
  }

  emit(ev: NodeEvent): void {
    for (const l of this.listeners) l(ev);
  }

  private commitBlock(txs: Uint8Array[], emit: boolean): Stored {
    const height = BigInt(this.blocks.length + 1);
    const prev = this.blocks[this.blocks.length - 1];
    const header: Header = {
      versionBlock: 11n,
      versionApp: 0n,
      chainId: CHAIN_ID,
      height,
      timeNs: GENESIS_TIME_NS + height * BLOCK_INTERVAL_NS,
      lastBlockId: prev?.stored.blockId,
      lastCommitHash: prev ? sha256(`commit-${height - 1n}`) : new Uint8Array(),
      dataHash: sha256(`data-${height}`),
      validatorsHash: sha256("vals"),
      nextValidatorsHash: sha256("vals"),
      consensusHash: sha256("consensus"),
      appHash: sha256(`app-${height - 1n}`),
      lastResultsHash: new Uint8Array(),
      evidenceHash: new Uint8Array(),
      proposerAddress: this.validatorSet[0]!.address,
    };
    const blockId: BlockId = { hash: sha256(`block-${height}`), partSetHeader: { total: 1, hash: sha256(`parts-${height}`) } };
    const lastCommit: Commit = prev ? prev.commit : { height: 0n, round: 0, blockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } }, signatures: [] };
    const block: Block = { header, txs, lastCommit, evidence: [] };
    const results = txs.map((tx) => {
      const text = new TextDecoder().decode(tx);
      return txResultFor(tx, text.includes("alice") ? "cosmos1alice" : "cosmos1bob", text.includes("fail") ? 5 : 0);
    });
    const result: FinalizeBlockResult = {
      txResults: results,
      events: [event("block_reward", { validator: "val0", amount: `${height}stake` })],
      appHash: sha256(`app-${height}`),
      validatorUpdates: height === 2n ? [this.validatorSet[1]!] : [],
    };
    const commit: Commit = {
      height,
      round: 0,
      blockId,
      signatures: [
        { blockIdFlag: BlockIdFlag.Commit, validatorAddress: this.validatorSet[0]!.address, timestampNs: header.timeNs + 500_000_001n, signature: sha256(`sig-${height}`).slice(0, 32) , extension: new Uint8Array(), extensionSignature: new Uint8Array() },
        { blockIdFlag: BlockIdFlag.Absent, validatorAddress: new Uint8Array(), timestampNs: 0n, signature: new Uint8Array() , extension: new Uint8Array(), extensionSignature: new Uint8Array() },
      ],
    };
    const stored: Stored = { stored: { blockId, block }, result, commit };
    this.blocks.push(stored);
    txs.forEach((tx, index) => {
      const hash = sha256(tx);
      this.txs.set(Buffer.from(hash).toString("hex"), { hash, height, index, tx, result: results[index]! });
    });
    if (emit) {
      this.emit({ type: "NewBlock", block, blockId, result });
      txs.forEach((tx, index) => this.emit({ type: "Tx", height, index, tx, result: results[index]! }));
    }
    return stored;
  }

  nodeInfo(): RpcNodeInfo {
    return {
      nodeId: sha256("node").slice(0, 20),
      moniker: "fake-node",
      chainId: CHAIN_ID,
      listenAddr: "tcp://0.0.0.0:26656",
      rpcAddr: "tcp://127.0.0.1:26657",
      appVersion: 1n,
      txIndexEnabled: true,
    };
  }

  syncInfo(): RpcSyncInfo {
    const first = this.blocks[0];
    const last = this.blocks[this.blocks.length - 1];
    return {
      latestBlockHeight: BigInt(this.blocks.length),
      latestBlockHash: last?.stored.blockId.hash ?? new Uint8Array(),
      latestAppHash: last?.result.appHash ?? new Uint8Array(),
      latestBlockTimeNs: last?.stored.block.header.timeNs ?? GENESIS_TIME_NS,
      earliestBlockHeight: first ? 1n : 0n,
      earliestBlockHash: first?.stored.blockId.hash ?? new Uint8Array(),
      earliestAppHash: first?.stored.block.header.appHash ?? new Uint8Array(),
      earliestBlockTimeNs: first?.stored.block.header.timeNs ?? GENESIS_TIME_NS,
      catchingUp: false,
    };
  }

  validatorInfo(): Validator {
    return this.validatorSet[0]!;
  }

  block(height: bigint): StoredBlock | undefined {
    return this.blocks[Number(height) - 1]?.stored;
  }

  blockByHash(hash: Uint8Array): StoredBlock | undefined {
    return this.blocks.find((b) => Buffer.from(b.stored.blockId.hash).equals(hash))?.stored;
  }

  blockMeta(height: bigint): BlockMeta | undefined {
    const b = this.blocks[Number(height) - 1];
    if (!b) return undefined;
    const size = b.stored.block.txs.reduce((n, tx) => n + tx.length, 200);
    return { blockId: b.stored.blockId, header: b.stored.block.header, blockSizeBytes: size, numTxs: b.stored.block.txs.length };
  }

  blockResults(height: bigint): StoredBlockResults | undefined {
    const b = this.blocks[Number(height) - 1];
    return b ? { height, result: b.result } : undefined;
  }

  commit(height: bigint): StoredCommit | undefined {
    const b = this.blocks[Number(height) - 1];
    return b ? { header: b.stored.block.header, commit: b.commit, canonical: Number(height) < this.blocks.length } : undefined;
  }

  validators(height: bigint): ValidatorSet {
    return { height, validators: this.validatorSet };
  }

  genesis(): Record<string, unknown> {
    return {
      genesis_time: "2025-06-15T15:06:40.123456789Z",
      chain_id: CHAIN_ID,
      initial_height: "1",
      consensus_params: { block: { max_bytes: "22020096", max_gas: "-1" }, evidence: { max_age_num_blocks: "100000", max_age_duration: "172800000000000" } },
      validators: [{ address: Buffer.from(this.validatorSet[0]!.address).toString("hex").toUpperCase(), pub_key: { type: "tendermint/PubKeyEd25519", value: Buffer.from(this.validatorSet[0]!.pubKeyEd25519).toString("base64") }, power: "100", name: "v0" }],
      app_hash: "",
      app_state: { bank: { balances: [] } },
    };
  }

  abciInfo(): AppInfo {
    return { lastBlockHeight: BigInt(this.blocks.length), lastBlockAppHash: this.latest().result.appHash, appVersion: 1n, version: "0.1.0" };
  }

  abciQuery(req: QueryRequest): QueryResult {
    const base = { codespace: "", log: "", key: new Uint8Array(), proofOps: undefined, height: BigInt(this.blocks.length) };
    if (req.path === "/echo") return { ...base, code: 0, value: new Uint8Array([...req.data].reverse()) };
    return { ...base, code: 6, codespace: "sdk", log: "unknown query path: unknown request", value: new Uint8Array() };
  }

  checkTx(tx: Uint8Array): TxResult {
    const key = Buffer.from(tx).toString("hex");
    if (this.seenTxs.has(key)) throw new BackendError("txInCache", "tx already exists in cache");
    const text = new TextDecoder().decode(tx);
    if (text.startsWith("bad")) return { ...txResultFor(tx, "cosmos1bad", 13), log: "insufficient fee", events: [] };
    this.seenTxs.add(key);
    this.mempool.push(tx);
    return { ...txResultFor(tx, "cosmos1alice"), data: new Uint8Array(), events: [] };
  }

  tx(hash: Uint8Array): IndexedTx | undefined {
    return this.txs.get(Buffer.from(hash).toString("hex"));
  }

  txSearch(req: TxSearchRequest): TxSearchResult {
    const all = [...this.txs.values()].filter((t) => matchesQuery(req.query, txEventMap(t.hash, t.height, t.result)));
    all.sort((a, b) => (a.height === b.height ? a.index - b.index : a.height < b.height ? -1 : 1));
    if (req.orderBy === "desc") all.reverse();
    const start = (req.page - 1) * req.perPage;
    return { txs: all.slice(start, start + req.perPage), totalCount: all.length };
  }

  unconfirmedTxs(limit: number): UnconfirmedTxs {
    return {
      total: this.mempool.length,
      totalBytes: BigInt(this.mempool.reduce((n, t) => n + t.length, 0)),
      txs: this.mempool.slice(0, limit),
    };
  }

  netInfo(): NetInfo {
    return { listening: true, listeners: ["tcp://0.0.0.0:26656"], peers: [] };
  }

  subscribe(listener: NodeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
