/**
 * Pure formatters from internal types to CometBFT 0.38 JSON shapes (see docs/cosmjs-rpc-contract.md §3–4, 10).
 * int64 → dec-string; code/index/parts.total/block_id_flag → JSON numbers; hashes → uppercase hex;
 * tx bytes/data/signatures/pubkeys → base64; times → RFC 3339 with 9 fractional digits.
 */
import type { Bytes } from "../../src/store/types.js";
import { BlockIdFlag, type Block, type BlockId, type Commit, type CommitSig, type Header, type Validator } from "../../src/types/block.js";
import type { Event } from "../../src/types/events.js";
import type { DuplicateVoteEvidence, Vote } from "../../src/types/consensus.js";
import type { AppInfo, FinalizeBlockResult, QueryResult, TxResult } from "../../src/app/application.js";
import type { BlockMeta, IndexedTx, NetInfo, RpcNodeInfo, RpcSyncInfo, StoredBlock, StoredBlockResults, StoredCommit } from "./backend.js";
import { base64OrNull, decString, rfc3339FromNs, toBase64, toHexLower, toHexUpper } from "./encoding.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Selects cosmjs's Comet38Client (contract §2). */
export const COMETBFT_VERSION = "0.38.17";
export const P2P_PROTOCOL_VERSION = 8n;
export const BLOCK_PROTOCOL_VERSION = 11n;
/** Channel ids CometBFT 0.38 advertises (mempool, consensus, evidence, block sync, …); cosmjs only needs a string. */
const CHANNELS = "40202122233038606100";
/** Go's zero time, which CometBFT prints for absent commit signatures. */
const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

export function hashHex(bytes: Bytes): string {
  return toHexUpper(bytes);
}

/** The "no block id" shape cosmjs reads as null (height 1's last_block_id, last_commit.block_id). */
export function emptyBlockIdJson(): JsonObject {
  return { hash: "", parts: { total: 0, hash: "" } };
}

export function blockIdJson(id: BlockId | undefined): JsonObject {
  if (!id || id.hash.length === 0) return emptyBlockIdJson();
  return { hash: hashHex(id.hash), parts: { total: id.partSetHeader.total, hash: hashHex(id.partSetHeader.hash) } };
}

export function headerJson(h: Header): JsonObject {
  return {
    version: { block: decString(h.versionBlock), app: decString(h.versionApp) },
    chain_id: h.chainId,
    height: decString(h.height),
    time: rfc3339FromNs(h.timeNs),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: hashHex(h.lastCommitHash),
    data_hash: hashHex(h.dataHash),
    validators_hash: hashHex(h.validatorsHash),
    next_validators_hash: hashHex(h.nextValidatorsHash),
    consensus_hash: hashHex(h.consensusHash),
    app_hash: hashHex(h.appHash),
    last_results_hash: hashHex(h.lastResultsHash),
    evidence_hash: hashHex(h.evidenceHash),
    proposer_address: hashHex(h.proposerAddress),
  };
}

export function commitSigJson(sig: CommitSig): JsonObject {
  if (sig.blockIdFlag === BlockIdFlag.Absent || sig.blockIdFlag === BlockIdFlag.Unknown) {
    return { block_id_flag: BlockIdFlag.Absent, validator_address: "", timestamp: GO_ZERO_TIME, signature: null };
  }
  return {
    block_id_flag: sig.blockIdFlag,
    validator_address: hashHex(sig.validatorAddress),
    timestamp: rfc3339FromNs(sig.timestampNs),
    signature: base64OrNull(sig.signature),
  };
}

/** A commit; the empty commit (height 0, the first block's last_commit) gets CometBFT's exact empty shape. */
export function commitJson(c: Commit): JsonObject {
  if (c.height === 0n) return { height: "0", round: 0, block_id: emptyBlockIdJson(), signatures: [] };
  return {
    height: decString(c.height),
    round: c.round,
    block_id: blockIdJson(c.blockId),
    signatures: c.signatures.map(commitSigJson),
  };
}

export function voteJson(v: Vote): JsonObject {
  return {
    type: v.type,
    height: decString(v.height),
    round: v.round,
    block_id: v.blockId === undefined ? emptyBlockIdJson() : blockIdJson(v.blockId),
    timestamp: rfc3339FromNs(v.timestampNs),
    validator_address: hashHex(v.validatorAddress),
    validator_index: v.validatorIndex,
    signature: toBase64(v.signature),
  };
}

/** CometBFT's amino-JSON shape of DuplicateVoteEvidence. */
export function evidenceJson(e: DuplicateVoteEvidence): JsonObject {
  return {
    type: "tendermint/DuplicateVoteEvidence",
    value: {
      vote_a: voteJson(e.voteA),
      vote_b: voteJson(e.voteB),
      TotalVotingPower: decString(e.totalVotingPower),
      ValidatorPower: decString(e.validatorPower),
      Timestamp: rfc3339FromNs(e.timestampNs),
    },
  };
}

export function blockJson(b: Block): JsonObject {
  return {
    header: headerJson(b.header),
    data: { txs: b.txs.map(toBase64) },
    evidence: { evidence: b.evidence.map(evidenceJson) },
    last_commit: commitJson(b.lastCommit),
  };
}

export function blockResponseJson(sb: StoredBlock): JsonObject {
  return { block_id: blockIdJson(sb.blockId), block: blockJson(sb.block) };
}

export function blockMetaJson(m: BlockMeta): JsonObject {
  return {
    block_id: blockIdJson(m.blockId),
    block_size: decString(m.blockSizeBytes),
    header: headerJson(m.header),
    num_txs: decString(m.numTxs),
  };
}

export function eventJson(e: Event): JsonObject {
  return {
    type: e.type,
    // cosmjs rejects empty attribute keys; CometBFT never indexes them either.
    attributes: e.attributes
      .filter((a) => a.key !== "")
      .map((a) => ({ key: a.key, value: a.value, index: a.index })),
  };
}

export function txResultJson(r: TxResult): JsonObject {
  return {
    code: r.code,
    data: base64OrNull(r.data),
    log: r.log,
    info: "",
    gas_wanted: decString(r.gasWanted),
    gas_used: decString(r.gasUsed),
    events: r.events.map(eventJson),
    codespace: r.codespace,
  };
}

export function pubKeyJson(ed25519: Bytes): JsonObject {
  return { type: "tendermint/PubKeyEd25519", value: toBase64(ed25519) };
}

export function validatorJson(v: Validator): JsonObject {
  return {
    address: hashHex(v.address),
    pub_key: pubKeyJson(v.pubKeyEd25519),
    voting_power: decString(v.votingPower),
    proposer_priority: decString(v.proposerPriority),
  };
}

export function validatorUpdateJson(v: Validator): JsonObject {
  return { pub_key: pubKeyJson(v.pubKeyEd25519), power: decString(v.votingPower) };
}

/** ResponseFinalizeBlock as in the NewBlock event's `result_finalize_block`. */
export function finalizeBlockResultJson(r: FinalizeBlockResult): JsonObject {
  return {
    events: r.events.map(eventJson),
    tx_results: r.txResults.map(txResultJson),
    validator_updates: r.validatorUpdates.map(validatorUpdateJson),
    consensus_param_updates: null,
    app_hash: toBase64(r.appHash),
  };
}

export function blockResultsJson(br: StoredBlockResults): JsonObject {
  return {
    height: decString(br.height),
    txs_results: br.result.txResults.map(txResultJson),
    finalize_block_events: br.result.events.map(eventJson),
    validator_updates: br.result.validatorUpdates.map(validatorUpdateJson),
    consensus_param_updates: null,
    app_hash: toBase64(br.result.appHash),
  };
}

export function txResponseJson(t: IndexedTx): JsonObject {
  return {
    hash: hashHex(t.hash),
    height: decString(t.height),
    index: t.index,
    tx_result: txResultJson(t.result),
    tx: toBase64(t.tx),
  };
}

/** status: cosmjs requires non-empty hex for the latest hashes, so an unset hash is printed as 32 zero bytes. */
export function statusJson(node: RpcNodeInfo, sync: RpcSyncInfo, self: Validator): JsonObject {
  const nonEmpty = (b: Bytes): string => (b.length === 0 ? "00".repeat(32) : hashHex(b));
  return {
    node_info: {
      protocol_version: {
        p2p: decString(P2P_PROTOCOL_VERSION),
        block: decString(BLOCK_PROTOCOL_VERSION),
        app: decString(node.appVersion),
      },
      id: toHexLower(node.nodeId),
      listen_addr: node.listenAddr,
      network: node.chainId,
      version: COMETBFT_VERSION,
      channels: CHANNELS,
      moniker: node.moniker,
      other: { tx_index: node.txIndexEnabled ? "on" : "off", rpc_address: node.rpcAddr },
    },
    sync_info: {
      latest_block_hash: nonEmpty(sync.latestBlockHash),
      latest_app_hash: nonEmpty(sync.latestAppHash),
      latest_block_height: decString(sync.latestBlockHeight),
      latest_block_time: rfc3339FromNs(sync.latestBlockTimeNs),
      earliest_block_hash: hashHex(sync.earliestBlockHash),
      earliest_app_hash: hashHex(sync.earliestAppHash),
      earliest_block_height: decString(sync.earliestBlockHeight),
      earliest_block_time: rfc3339FromNs(sync.earliestBlockTimeNs),
      catching_up: sync.catchingUp,
    },
    validator_info: {
      address: hashHex(self.address),
      pub_key: pubKeyJson(self.pubKeyEd25519),
      voting_power: decString(self.votingPower),
    },
  };
}

/** abci_info: the one place an app hash is base64. */
export function abciInfoJson(info: AppInfo): JsonObject {
  return {
    response: {
      data: info.version,
      version: info.version,
      app_version: decString(info.appVersion),
      last_block_height: decString(info.lastBlockHeight),
      last_block_app_hash: toBase64(info.lastBlockAppHash),
    },
  };
}

export function abciQueryJson(r: QueryResult): JsonObject {
  return {
    response: {
      code: r.code,
      log: r.log,
      info: "",
      index: "0",
      key: base64OrNull(r.key),
      value: base64OrNull(r.value),
      proofOps: r.proofOps
        ? { ops: r.proofOps.map((op) => ({ type: op.type, key: toBase64(op.key), data: toBase64(op.data) })) }
        : null,
      height: decString(r.height),
      codespace: r.codespace,
    },
  };
}

export function commitResponseJson(c: StoredCommit): JsonObject {
  return { signed_header: { header: headerJson(c.header), commit: commitJson(c.commit) }, canonical: c.canonical };
}

export function netInfoJson(n: NetInfo, chainId: string): JsonObject {
  return {
    listening: n.listening,
    listeners: n.listeners,
    n_peers: decString(n.peers.length),
    peers: n.peers.map((p) => ({
      node_info: { id: toHexLower(p.nodeId), moniker: p.moniker, network: chainId, version: COMETBFT_VERSION },
      is_outbound: p.isOutbound,
      remote_ip: p.remoteIp,
    })),
  };
}
