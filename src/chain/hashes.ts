/**
 * The hashes a block header commits to. Consensus-critical: every node must compute the same bytes, so each
 * is a Merkle root (RFC 6962) over canonical protobuf encodings, never JSON.
 */
import { sha256 } from "../crypto/hash.js";
import { ExecTxResult, VannaBlock, VannaCommitSig, VannaEvidence, VannaHeader, VannaValidator } from "../codec/index.js";
import type { DuplicateVoteEvidence } from "../types/consensus.js";
import type { TxResult } from "../app/application.js";
import type { Block, BlockId, Commit, Header, Validator } from "../types/block.js";
import { merkleRoot } from "./merkle.js";
import { splitIntoParts } from "./partSet.js";

export function headerHash(header: Header): Uint8Array {
  return sha256(VannaHeader.encode(header));
}

/** The block id: the header hash plus the part-set header of the encoded block (parts of 64 KiB). */
export function blockIdOf(block: Block): BlockId {
  return { hash: headerHash(block.header), partSetHeader: splitIntoParts(VannaBlock.encode(block)).header };
}

export function blockIdsEqual(a: BlockId | undefined, b: BlockId | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    bytesEqual(a.hash, b.hash) && a.partSetHeader.total === b.partSetHeader.total && bytesEqual(a.partSetHeader.hash, b.partSetHeader.hash)
  );
}

/** A map key for a block id (or "nil"). */
export function blockIdKey(id: BlockId | undefined): string {
  if (id === undefined) return "nil";
  return `${Buffer.from(id.hash).toString("hex")}:${id.partSetHeader.total}:${Buffer.from(id.partSetHeader.hash).toString("hex")}`;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function dataHash(txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map((tx) => sha256(tx)));
}

export function commitHash(commit: Commit): Uint8Array {
  return merkleRoot(commit.signatures.map((s) => VannaCommitSig.encode(s)));
}

/** Only the deterministic fields of a result are committed (code, data, gas), as CometBFT does. */
export function resultsHash(results: readonly TxResult[]): Uint8Array {
  return merkleRoot(
    results.map((r) =>
      ExecTxResult.encode({ code: r.code, data: r.data, log: "", gasWanted: r.gasWanted, gasUsed: r.gasUsed, events: [], codespace: "" }),
    ),
  );
}

export function validatorsHash(validators: readonly Validator[]): Uint8Array {
  return merkleRoot(
    validators.map((v) => VannaValidator.encode({ address: v.address, pubKeyEd25519: v.pubKeyEd25519, votingPower: v.votingPower, proposerPriority: 0n })),
  );
}

export function evidenceHash(evidence: readonly DuplicateVoteEvidence[] = []): Uint8Array {
  return merkleRoot(evidence.map((e) => VannaEvidence.encode(e)));
}

/** The consensus-critical block limits a header commits to. */
export interface HashedConsensusParams {
  blockMaxBytes: bigint;
  blockMaxGas: bigint;
  evidenceMaxAgeNumBlocks: bigint;
  evidenceMaxAgeDurationNs: bigint;
}

export function consensusParamsHash(p: HashedConsensusParams): Uint8Array {
  return merkleRoot(
    [p.blockMaxBytes, p.blockMaxGas, p.evidenceMaxAgeNumBlocks, p.evidenceMaxAgeDurationNs].map((v) => new TextEncoder().encode(v.toString())),
  );
}
