/**
 * vanna.types.v1 votes/proposals/parts/evidence and vanna.consensus.v1 messages, mapped onto the shared types in
 * src/types/consensus.ts. A vote's absent block_id means nil; a present one always carries its part-set header.
 */
import type { BlockId } from "../../types/block.js";
import type { DuplicateVoteEvidence, Part, Proposal, Vote } from "../../types/consensus.js";
import { codecFor, mappedCodec } from "../codec.js";
import { EMPTY_BYTES } from "../plan.js";
import type { Codec } from "../types.js";

interface BlockIdProto {
  hash: Uint8Array;
  partSetHeader: { total: number; hash: Uint8Array } | undefined;
}
export interface VoteProto extends Omit<Vote, "blockId"> {
  blockId: BlockIdProto | undefined;
}
export interface ProposalProto extends Omit<Proposal, "blockId"> {
  blockId: BlockIdProto | undefined;
}
interface PartProto extends Omit<Part, "proof"> {
  proof: Part["proof"] | undefined;
}
export interface EvidenceProto {
  voteA: VoteProto | undefined;
  voteB: VoteProto | undefined;
  totalVotingPower: bigint;
  validatorPower: bigint;
  timestampNs: bigint;
}

const t = "vanna.types.v1";
const c = "vanna.consensus.v1";

export function blockIdFromProto(b: BlockIdProto): BlockId {
  return { hash: b.hash, partSetHeader: b.partSetHeader ?? { total: 0, hash: EMPTY_BYTES } };
}

export function voteFromProto(v: VoteProto): Vote {
  return { ...v, blockId: v.blockId === undefined ? undefined : blockIdFromProto(v.blockId) };
}

function proposalFromProto(p: ProposalProto): Proposal {
  return { ...p, blockId: blockIdFromProto(p.blockId ?? { hash: EMPTY_BYTES, partSetHeader: undefined }) };
}

function partFromProto(p: PartProto): Part {
  return { ...p, proof: p.proof ?? { total: 0n, index: 0n, leafHash: EMPTY_BYTES, aunts: [] } };
}

const emptyVote = (): VoteProto => VoteRaw.fromPartial({});

export function evidenceFromProto(e: EvidenceProto): DuplicateVoteEvidence {
  return { ...e, voteA: voteFromProto(e.voteA ?? emptyVote()), voteB: voteFromProto(e.voteB ?? emptyVote()) };
}

const VoteRaw = codecFor<VoteProto>(`${t}.Vote`);
const ProposalRaw = codecFor<ProposalProto>(`${t}.Proposal`);
const PartRaw = codecFor<PartProto>(`${t}.Part`);
const EvidenceRaw = codecFor<EvidenceProto>(`${t}.DuplicateVoteEvidence`);

export const VannaVote: Codec<Vote> = mappedCodec<VoteProto, Vote>(VoteRaw, (v) => v, voteFromProto, (p) => voteFromProto(VoteRaw.fromPartial(p)));
export const VannaProposal: Codec<Proposal> = mappedCodec<ProposalProto, Proposal>(ProposalRaw, (p) => p, proposalFromProto, (p) =>
  proposalFromProto(ProposalRaw.fromPartial(p)),
);
export const VannaPart: Codec<Part> = mappedCodec<PartProto, Part>(PartRaw, (p) => p, partFromProto, (p) => partFromProto(PartRaw.fromPartial(p)));
export const VannaEvidence: Codec<DuplicateVoteEvidence> = mappedCodec<EvidenceProto, DuplicateVoteEvidence>(EvidenceRaw, (e) => e, evidenceFromProto, (p) =>
  evidenceFromProto(EvidenceRaw.fromPartial(p)),
);

/** One gossiped consensus message. */
export type ConsensusMessage =
  | { kind: "proposal"; proposal: Proposal }
  | { kind: "blockPart"; height: bigint; round: number; part: Part }
  | { kind: "vote"; vote: Vote };

interface ConsensusMessageProto {
  proposal?: ProposalProto | undefined;
  blockPart?: { height: bigint; round: number; part: PartProto | undefined } | undefined;
  vote?: VoteProto | undefined;
}

const ConsensusMessageRaw = codecFor<ConsensusMessageProto>(`${c}.ConsensusMessage`);

function consensusMessageToProto(m: ConsensusMessage): ConsensusMessageProto {
  switch (m.kind) {
    case "proposal":
      return { proposal: m.proposal };
    case "blockPart":
      return { blockPart: { height: m.height, round: m.round, part: m.part } };
    case "vote":
      return { vote: m.vote };
  }
}

function consensusMessageFromProto(p: ConsensusMessageProto): ConsensusMessage {
  if (p.proposal !== undefined) return { kind: "proposal", proposal: proposalFromProto(p.proposal) };
  if (p.blockPart !== undefined) return { kind: "blockPart", height: p.blockPart.height, round: p.blockPart.round, part: partFromProto(p.blockPart.part ?? PartRaw.fromPartial({})) };
  if (p.vote !== undefined) return { kind: "vote", vote: voteFromProto(p.vote) };
  throw new ConsensusDecodeError("empty consensus message");
}

export class ConsensusDecodeError extends Error {
  override readonly name = "ConsensusDecodeError";
}

export const VannaConsensusMessage: Codec<ConsensusMessage> = mappedCodec<ConsensusMessageProto, ConsensusMessage>(
  ConsensusMessageRaw,
  consensusMessageToProto,
  consensusMessageFromProto,
  () => {
    throw new ConsensusDecodeError("ConsensusMessage has no partial form");
  },
);

/** The write-ahead log record. */
export type WalRecord =
  | { kind: "message"; message: ConsensusMessage }
  | { kind: "timeout"; height: bigint; round: number; step: number; durationMs: bigint }
  | { kind: "endHeight"; height: bigint };

interface WalRecordProto {
  message?: ConsensusMessageProto | undefined;
  timeout?: { height: bigint; round: number; step: number; durationMs: bigint } | undefined;
  endHeight?: { height: bigint } | undefined;
}

const WalRecordRaw = codecFor<WalRecordProto>(`${c}.WalRecord`);

export const VannaWalRecord: Codec<WalRecord> = mappedCodec<WalRecordProto, WalRecord>(
  WalRecordRaw,
  (r) =>
    r.kind === "message"
      ? { message: consensusMessageToProto(r.message) }
      : r.kind === "timeout"
        ? { timeout: { height: r.height, round: r.round, step: r.step, durationMs: r.durationMs } }
        : { endHeight: { height: r.height } },
  (p) => {
    if (p.message !== undefined) return { kind: "message", message: consensusMessageFromProto(p.message) };
    if (p.timeout !== undefined) return { kind: "timeout", ...p.timeout };
    if (p.endHeight !== undefined) return { kind: "endHeight", height: p.endHeight.height };
    throw new ConsensusDecodeError("empty WAL record");
  },
  () => {
    throw new ConsensusDecodeError("WalRecord has no partial form");
  },
);

export const StatusRequest = codecFor<Record<string, never>>(`${c}.StatusRequest`);
export const StatusResponse = codecFor<{ baseHeight: bigint; height: bigint }>(`${c}.StatusResponse`);
export const BlocksRequest = codecFor<{ fromHeight: bigint; count: number }>(`${c}.BlocksRequest`);

/** A block with the commit that finalised it, both as canonical bytes (decode with VannaBlock/VannaCommit). */
export interface SyncedBlockBytes {
  block: Uint8Array;
  commit: Uint8Array;
}

export const BlocksResponse = codecFor<{ blocks: SyncedBlockBytes[] }>(`${c}.BlocksResponse`);

export const EvidenceMessage = mappedCodec<{ evidence: EvidenceProto | undefined }, DuplicateVoteEvidence>(
  codecFor<{ evidence: EvidenceProto | undefined }>(`${c}.EvidenceMessage`),
  (e) => ({ evidence: e }),
  (p) => evidenceFromProto(p.evidence ?? EvidenceRaw.fromPartial({})),
  (p) => evidenceFromProto(EvidenceRaw.fromPartial(p)),
);
