/**
 * vanna.types.v1: blocks and stored block results. The exported codecs work directly on the shared types of
 * src/types/block.ts; sub-messages that those types require are always encoded (even when empty) and filled
 * with defaults when absent on decode, so decodeCanonical accepts only what encode produces.
 */
import type { Block, BlockId, Commit, CommitSig, Header, PartSetHeader, Validator } from "../../types/block.js";
import type { Event } from "../../types/events.js";
import { codecFor, mappedCodec } from "../codec.js";
import { EMPTY_BYTES } from "../plan.js";
import type { DeepPartial } from "../types.js";
import { evidenceFromProto, type EvidenceProto } from "./consensus.js";

/** A tx's stored result (the shape of src/app TxResult). */
export interface ExecTxResult {
  code: number;
  codespace: string;
  log: string;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: Event[];
}

/** What FinalizeBlock produced for one height, as stored by the node. */
export interface BlockResults {
  height: bigint;
  txResults: ExecTxResult[];
  finalizeBlockEvents: Event[];
  validatorUpdates: Validator[];
  appHash: Uint8Array;
}

/** Where a tx is stored: block height and index within the block. */
export interface TxLocation {
  height: bigint;
  index: number;
}

// Wire shapes: like the shared types, but every sub-message may be absent.
interface BlockIdProto {
  hash: Uint8Array;
  partSetHeader: PartSetHeader | undefined;
}
interface HeaderProto extends Omit<Header, "lastBlockId"> {
  lastBlockId: BlockIdProto | undefined;
}
interface CommitProto extends Omit<Commit, "blockId"> {
  blockId: BlockIdProto | undefined;
}
interface BlockProto {
  header: HeaderProto | undefined;
  data: { txs: Uint8Array[] } | undefined;
  lastCommit: CommitProto | undefined;
  evidence: { evidence: EvidenceProto[] } | undefined;
}
interface ValidatorProto extends Omit<Validator, "name"> {
  name: string;
}
interface BlockResultsProto extends Omit<BlockResults, "validatorUpdates"> {
  validatorUpdates: ValidatorProto[];
}

const p = "vanna.types.v1";
const BlockIdRaw = codecFor<BlockIdProto>(`${p}.BlockID`);
const HeaderRaw = codecFor<HeaderProto>(`${p}.Header`);
const CommitRaw = codecFor<CommitProto>(`${p}.Commit`);
const BlockRaw = codecFor<BlockProto>(`${p}.Block`);
const ValidatorRaw = codecFor<ValidatorProto>(`${p}.Validator`);
const BlockResultsRaw = codecFor<BlockResultsProto>(`${p}.BlockResults`);

function blockIdFromProto(b: BlockIdProto): BlockId {
  return { hash: b.hash, partSetHeader: b.partSetHeader ?? { total: 0, hash: EMPTY_BYTES } };
}

function headerFromProto(h: HeaderProto): Header {
  return { ...h, lastBlockId: h.lastBlockId && blockIdFromProto(h.lastBlockId) };
}

function commitFromProto(c: CommitProto): Commit {
  return { ...c, blockId: blockIdFromProto(c.blockId ?? BlockIdRaw.fromPartial({})) };
}

function blockFromProto(b: BlockProto): Block {
  return {
    header: headerFromProto(b.header ?? HeaderRaw.fromPartial({})),
    txs: b.data?.txs ?? [],
    lastCommit: commitFromProto(b.lastCommit ?? CommitRaw.fromPartial({})),
    evidence: (b.evidence?.evidence ?? []).map(evidenceFromProto),
  };
}

function validatorFromProto(v: ValidatorProto): Validator {
  const { name, ...rest } = v;
  return name === "" ? rest : { ...rest, name };
}

function validatorToProto(v: Validator): ValidatorProto {
  return { ...v, name: v.name ?? "" };
}

export const VannaPartSetHeader = codecFor<PartSetHeader>(`${p}.PartSetHeader`);
export const VannaCommitSig = codecFor<CommitSig>(`${p}.CommitSig`);
export const VannaData = codecFor<{ txs: Uint8Array[] }>(`${p}.Data`);

export const VannaBlockId = mappedCodec<BlockIdProto, BlockId>(BlockIdRaw, (b) => b, blockIdFromProto, (partial) =>
  blockIdFromProto(BlockIdRaw.fromPartial(partial)),
);

export const VannaHeader = mappedCodec<HeaderProto, Header>(HeaderRaw, (h) => h, headerFromProto, (partial) =>
  headerFromProto(HeaderRaw.fromPartial(partial)),
);

export const VannaCommit = mappedCodec<CommitProto, Commit>(CommitRaw, (c) => c, commitFromProto, (partial) =>
  commitFromProto(CommitRaw.fromPartial(partial)),
);

export const VannaBlock = mappedCodec<BlockProto, Block>(
  BlockRaw,
  (b) => ({ header: b.header, data: { txs: b.txs }, lastCommit: b.lastCommit, evidence: { evidence: b.evidence } }),
  blockFromProto,
  (partial: DeepPartial<Block>) =>
    blockFromProto(
      BlockRaw.fromPartial({ header: partial.header, data: { txs: partial.txs ?? [] }, lastCommit: partial.lastCommit, evidence: { evidence: [] } }),
    ),
);

export const VannaValidator = mappedCodec<ValidatorProto, Validator>(
  ValidatorRaw,
  validatorToProto,
  validatorFromProto,
  (partial) => validatorFromProto(ValidatorRaw.fromPartial(partial)),
);

export const ExecTxResult = codecFor<ExecTxResult>(`${p}.ExecTxResult`);

export const BlockResults = mappedCodec<BlockResultsProto, BlockResults>(
  BlockResultsRaw,
  (r) => ({ ...r, validatorUpdates: r.validatorUpdates.map(validatorToProto) }),
  (r) => ({ ...r, validatorUpdates: r.validatorUpdates.map(validatorFromProto) }),
  (partial) => {
    const r = BlockResultsRaw.fromPartial(partial as DeepPartial<BlockResultsProto>);
    return { ...r, validatorUpdates: r.validatorUpdates.map(validatorFromProto) };
  },
);

export const TxLocation = codecFor<TxLocation>(`${p}.TxLocation`);
