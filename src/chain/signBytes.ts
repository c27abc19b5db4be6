/**
 * Canonical sign bytes: what a validator's ed25519 key signs for a vote, a proposal or a vote extension. The
 * chain id is inside each, so a signature never transfers between chains; fixed-width integers keep the
 * encoding independent of the values (as CometBFT's canonical types).
 */
import { codecFor } from "../codec/codec.js";
import type { BlockId } from "../types/block.js";
import { VoteType, type Proposal, type Vote } from "../types/consensus.js";

export enum SignedMsgType {
  Prevote = 1,
  Precommit = 2,
  Proposal = 32,
}

interface CanonicalBlockId {
  hash: Uint8Array;
  partSetHeader: { total: number; hash: Uint8Array } | undefined;
}

interface CanonicalVote {
  type: number;
  height: bigint;
  round: bigint;
  blockId: CanonicalBlockId | undefined;
  timestampNs: bigint;
  chainId: string;
}

interface CanonicalProposal extends CanonicalVote {
  polRound: bigint;
}

interface CanonicalVoteExtension {
  extension: Uint8Array;
  height: bigint;
  round: bigint;
  chainId: string;
}

const CanonicalVoteCodec = codecFor<CanonicalVote>("vanna.types.v1.CanonicalVote");
const CanonicalProposalCodec = codecFor<CanonicalProposal>("vanna.types.v1.CanonicalProposal");
const CanonicalVoteExtensionCodec = codecFor<CanonicalVoteExtension>("vanna.types.v1.CanonicalVoteExtension");

export interface VoteSignInput {
  type: SignedMsgType;
  height: bigint;
  round: number;
  /** undefined for a nil vote. */
  blockId: BlockId | undefined;
  timestampNs: bigint;
  chainId: string;
}

function canonicalBlockId(id: BlockId | undefined): CanonicalBlockId | undefined {
  return id === undefined ? undefined : { hash: id.hash, partSetHeader: id.partSetHeader };
}

export function voteSignBytes(v: VoteSignInput): Uint8Array {
  return CanonicalVoteCodec.encode({
    type: v.type,
    height: v.height,
    round: BigInt(v.round),
    blockId: canonicalBlockId(v.blockId),
    timestampNs: v.timestampNs,
    chainId: v.chainId,
  });
}

/** Sign bytes of a Vote message (its signature and extension fields are not signed here). */
export function signBytesOfVote(chainId: string, vote: Vote): Uint8Array {
  const type = vote.type === VoteType.Prevote ? SignedMsgType.Prevote : SignedMsgType.Precommit;
  return voteSignBytes({ type, height: vote.height, round: vote.round, blockId: vote.blockId, timestampNs: vote.timestampNs, chainId });
}

export function proposalSignBytes(chainId: string, p: Proposal): Uint8Array {
  return CanonicalProposalCodec.encode({
    type: SignedMsgType.Proposal,
    height: p.height,
    round: BigInt(p.round),
    polRound: BigInt(p.polRound),
    blockId: canonicalBlockId(p.blockId),
    timestampNs: p.timestampNs,
    chainId,
  });
}

export function voteExtensionSignBytes(chainId: string, height: bigint, round: number, extension: Uint8Array): Uint8Array {
  return CanonicalVoteExtensionCodec.encode({ extension, height, round: BigInt(round), chainId });
}
