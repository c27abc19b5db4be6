/** The node's answers to the RPC server, from the block store, tx index, mempool and application. */
import type { Application, QueryRequest, QueryResult, TxResult } from "../src/app/application.js";
import type { Validator } from "../src/types/block.js";
import { BackendError, type IndexedTx, type NetInfo, type RpcBackend, type RpcNodeInfo, type RpcSyncInfo, type StoredBlock, type TxSearchRequest } from "./rpc/backend.js";
import { blockIdOf } from "../src/chain/hashes.js";
import { GetTxRequest, GetTxResponse, Tx } from "../src/codec/index.js";
import { formatRfc3339Ns } from "./util/time.js";
import { sha256 } from "../src/crypto/hash.js";
import type { BlockStore } from "./storage/blockStore.js";
import type { TxIndex } from "./storage/txIndex.js";
import { MempoolError, type Mempool } from "./mempool/mempool.js";
import type { NodeEventBus } from "./events.js";
import type { GenesisDoc } from "./config/genesis.js";
import type { P2PNetwork } from "./p2p/types.js";
import type { ConsensusState } from "./consensus/state.js";
import type { Vote } from "../src/types/consensus.js";

export interface BackendDeps {
  app: Application;
  blocks: BlockStore;
  txIndex: TxIndex;
  mempool: Mempool;
  events: NodeEventBus;
  genesis: GenesisDoc;
  nodeInfo: RpcNodeInfo;
  validators: Validator[];
  self: Validator;
  catchingUp: () => boolean;
  p2p?: P2PNetwork;
  consensus?: ConsensusState;
  /** Serve the unsafe peer-isolation controls (tests and operators only). */
  unsafeRpc?: boolean;
  /** Resolves when the state the app serves is on disk (see BlockExecutor.durable). */
  durable?: () => Promise<void>;
}

const GET_TX_PATH = "/cosmos.tx.v1beta1.Service/GetTx";

export function createNodeBackend(d: BackendDeps): RpcBackend {
  const stored = (height: bigint): StoredBlock | undefined => {
    const block = d.blocks.block(height);
    return block === undefined ? undefined : { block, blockId: blockIdOf(block) };
  };
  return {
    nodeInfo: () => d.nodeInfo,
    syncInfo: (): RpcSyncInfo => {
      const head = d.blocks.head();
      const base = d.blocks.base();
      const earliest = base === undefined ? undefined : d.blocks.block(base);
      const appHash = d.app.info().lastBlockAppHash;
      return {
        latestBlockHeight: head?.height ?? 0n,
        latestBlockHash: head?.blockId.hash ?? new Uint8Array(),
        latestAppHash: head?.appHash ?? appHash,
        latestBlockTimeNs: head?.timeNs ?? d.genesis.genesisTimeNs,
        earliestBlockHeight: base ?? 0n,
        earliestBlockHash: earliest === undefined ? new Uint8Array() : blockIdOf(earliest).hash,
        earliestAppHash: earliest?.header.appHash ?? new Uint8Array(),
        earliestBlockTimeNs: earliest?.header.timeNs ?? d.genesis.genesisTimeNs,
        catchingUp: d.catchingUp(),
      };
    },
    validatorInfo: () => d.self,
    block: stored,
    blockByHash: (hash) => {
      const height = d.blocks.heightByHash(hash);
      return height === undefined ? undefined : stored(height);
    },
    blockMeta: (height) => {
      const bytes = d.blocks.blockBytes(height);
      const block = d.blocks.block(height);
      if (bytes === undefined || block === undefined) return undefined;
      return { blockId: blockIdOf(block), header: block.header, blockSizeBytes: bytes.length, numTxs: block.txs.length };
    },
    blockResults: (height) => {
      const result = d.blocks.results(height);
      return result === undefined ? undefined : { height, result };
    },
    commit: (height) => {
      const block = d.blocks.block(height);
      const commit = d.blocks.commit(height);
      if (block === undefined || commit === undefined) return undefined;
      return { header: block.header, commit, canonical: height !== d.blocks.head()?.height };
    },
    validators: (height) => ({ height, validators: d.validators }),
    genesis: () => d.genesis.json,
    abciInfo: async () => {
      await d.durable?.();
      return d.app.info();
    },
    abciQuery: async (req: QueryRequest): Promise<QueryResult> => {
      await d.durable?.();
      return req.path === GET_TX_PATH ? getTx(d, req) : d.app.query(req);
    },
    checkTx: (tx): TxResult => {
      try {
        return d.mempool.add(tx).result;
      } catch (err) {
        if (err instanceof MempoolError) throw new BackendError(err.kind, err.message);
        throw err;
      }
    },
    tx: (hash): IndexedTx | undefined => d.txIndex.get(hash),
    txSearch: (req: TxSearchRequest) => d.txIndex.search(req),
    unconfirmedTxs: (limit) => ({ total: d.mempool.size, totalBytes: BigInt(d.mempool.sizeBytes), txs: d.mempool.list(limit) }),
    netInfo: (): NetInfo => {
      const p2p = d.p2p;
      if (p2p === undefined) return { listening: false, listeners: [], peers: [] };
      return {
        listening: true,
        listeners: p2p.listenAddrs(),
        peers: p2p.peers().map((p) => ({
          nodeId: sha256(new TextEncoder().encode(p.peerId)).subarray(0, 20),
          moniker: p.peerId,
          remoteIp: p.remoteAddr,
          isOutbound: p.direction === "outbound",
        })),
      };
    },
    subscribe: (listener) => d.events.subscribe(listener),
    ...(d.consensus === undefined ? {} : { consensusState: () => roundStateJson(d.consensus!) }),
    ...(d.unsafeRpc && d.p2p !== undefined
      ? { unsafe: { isolatePeers: (peers: string[] | "all") => d.p2p!.isolate(peers), healPeers: () => d.p2p!.heal() } }
      : {}),
  };
}

/** consensus_state (height/round/step and vote tallies) and dump_consensus_state (every vote), CometBFT-like. */
function roundStateJson(consensus: ConsensusState): { summary: Record<string, unknown>; dump: Record<string, unknown> } {
  const rs = consensus.roundState();
  const id = (b: { hash: Uint8Array } | undefined) => (b === undefined ? "" : Buffer.from(b.hash).toString("hex").toUpperCase());
  const voteText = (v: Vote | undefined) =>
    v === undefined ? "nil-Vote" : `Vote{${v.validatorIndex}:${Buffer.from(v.validatorAddress).toString("hex").toUpperCase().slice(0, 12)} ${v.height}/${v.round}/${v.type} ${v.blockId === undefined ? "nil" : id(v.blockId).slice(0, 12)}}`;
  const hrs = `${rs.height}/${rs.round}/${rs.step}`;
  const summary = {
    "height/round/step": hrs,
    proposal_block_hash: id(rs.proposalBlockId),
    locked_block_hash: id(rs.lockedBlockId),
    valid_block_hash: id(rs.validBlockId),
    height_vote_set: rs.votes.map((r) => ({
      round: r.round,
      prevotes: r.prevotes.map(voteText),
      precommits: r.precommits.map(voteText),
    })),
  };
  const dump = {
    height: rs.height.toString(),
    round: rs.round,
    step: rs.step,
    proposal: rs.proposal === undefined ? null : { height: rs.proposal.height.toString(), round: rs.proposal.round, pol_round: rs.proposal.polRound, block_id: id(rs.proposal.blockId) },
    proposal_block_hash: id(rs.proposalBlockId),
    locked_round: rs.lockedRound,
    locked_block_hash: id(rs.lockedBlockId),
    valid_round: rs.validRound,
    valid_block_hash: id(rs.validBlockId),
    votes: summary.height_vote_set,
  };
  return { summary, dump };
}

/** cosmos.tx.v1beta1.Service/GetTx is answered by the node, which owns the tx index (the app does not). */
function getTx(d: BackendDeps, req: QueryRequest): QueryResult {
  const height = d.blocks.head()?.height ?? 0n;
  const fail = (code: number, log: string): QueryResult => ({ code, codespace: "sdk", log, key: new Uint8Array(), value: new Uint8Array(), height, proofOps: undefined });
  let hashHex: string;
  try {
    hashHex = GetTxRequest.decode(req.data).hash;
  } catch {
    return fail(18, "rpc error: code = InvalidArgument desc = invalid GetTxRequest: invalid request");
  }
  if (!/^[0-9a-fA-F]{64}$/.test(hashHex)) return fail(18, "rpc error: code = InvalidArgument desc = tx hash must be 64 hex characters: invalid request");
  const found = d.txIndex.get(Buffer.from(hashHex, "hex"));
  if (found === undefined) return fail(22, `rpc error: code = NotFound desc = tx not found: ${hashHex.toUpperCase()}: key not found`);
  const tx = Tx.decode(found.tx);
  const blockTimeNs = d.blocks.block(found.height)?.header.timeNs;
  const r = found.result;
  const value = GetTxResponse.encode({
    tx,
    txResponse: {
      height: found.height,
      txhash: hashHex.toUpperCase(),
      codespace: r.codespace,
      code: r.code,
      data: Buffer.from(r.data).toString("hex").toUpperCase(),
      rawLog: r.log,
      logs: [],
      info: "",
      gasWanted: r.gasWanted,
      gasUsed: r.gasUsed,
      tx: { typeUrl: "/cosmos.tx.v1beta1.Tx", value: found.tx },
      timestamp: blockTimeNs === undefined ? "" : formatRfc3339Ns(blockTimeNs),
      events: r.events,
    },
  });
  return { code: 0, codespace: "", log: "", key: new Uint8Array(), value, height, proofOps: undefined };
}
