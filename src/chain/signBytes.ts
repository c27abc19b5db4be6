/** Canonical sign bytes of votes: what a validator's ed25519 key signs, with the chain id inside. */
import { codecFor } from "../codec/codec.js";
import type { BlockId } from "../types/block.js";

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

const CanonicalVoteCodec = codecFor<CanonicalVote>("vanna.types.v1.CanonicalVote");

export interface VoteSignInput {
  type: SignedMsgType;
  height: bigint;
  round: number;
  /** undefined for a nil vote. */
  blockId: BlockId | undefined;
  timestampNs: bigint;
  chainId: string;
}

export function voteSignBytes(v: VoteSignInput): Uint8Array {
  return CanonicalVoteCodec.encode({
    type: v.type,
    height: v.height,
    round: BigInt(v.round),
    blockId: v.blockId === undefined ? undefined : { hash: v.blockId.hash, partSetHeader: v.blockId.partSetHeader },
    timestampNs: v.timestampNs,
    chainId: v.chainId,
  });
}
