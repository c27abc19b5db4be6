/**
 * Evidence of equivocation: two signed votes from one validator for different blocks at the same height, round
 * and type. Detected in vote sets or received by gossip, verified, kept until a proposer includes it in a block,
 * and remembered once committed so it is never committed twice.
 */
import { blockIdKey } from "../../src/chain/hashes.js";
import { signBytesOfVote } from "../../src/chain/signBytes.js";
import type { ValidatorSet } from "../../src/chain/validatorSet.js";
import { sha256 } from "../../src/crypto/hash.js";
import { verifyEd25519 } from "../../src/crypto/ed25519.js";
import type { DuplicateVoteEvidence } from "../../src/types/consensus.js";
import type { EvidenceSource } from "./types.js";

const ALREADY_COMMITTED = "evidence already committed";
const OUT_OF_WINDOW = "evidence is from the future or too old";

export interface EvidenceStore {
  isCommitted(key: Uint8Array): boolean;
}

export class EvidencePool implements EvidenceSource {
  private readonly pendingByKey = new Map<string, DuplicateVoteEvidence>();
  private readonly listeners = new Set<(e: DuplicateVoteEvidence) => void>();

  constructor(
    private readonly chainId: string,
    private readonly validators: ValidatorSet,
    private readonly maxAgeBlocks: bigint,
    private readonly store: EvidenceStore,
  ) {}

  /** Orders the two votes canonically so every node builds byte-identical evidence for one offence. */
  static normalize(e: DuplicateVoteEvidence): DuplicateVoteEvidence {
    return blockIdKey(e.voteA.blockId) <= blockIdKey(e.voteB.blockId) ? e : { ...e, voteA: e.voteB, voteB: e.voteA };
  }

  /**
   * Identity of an offence: validator, height, round and vote type. A validator that signed three different
   * votes in one step has committed one offence, punished once, whichever pair of votes proves it.
   */
  static keyOf(e: DuplicateVoteEvidence): Uint8Array {
    const v = e.voteA;
    return sha256(new TextEncoder().encode(`${Buffer.from(v.validatorAddress).toString("hex")}/${v.height}/${v.round}/${v.type}`));
  }

  report(evidence: DuplicateVoteEvidence): void {
    this.add(evidence);
  }

  /** Adds verified evidence (from a vote set or gossip); returns false when invalid, known or committed. */
  add(evidence: DuplicateVoteEvidence, currentHeight?: bigint): boolean {
    return this.offer(evidence, currentHeight) === "added";
  }

  /**
   * Like `add`, but says why not: "known" (already pending or committed, or too old: merely useless) versus
   * "invalid" (forged signatures, not a validator, not a conflict: the sender is misbehaving).
   */
  offer(evidence: DuplicateVoteEvidence, currentHeight?: bigint): "added" | "known" | "invalid" {
    const e = EvidencePool.normalize(evidence);
    const key = Buffer.from(EvidencePool.keyOf(e)).toString("hex");
    if (this.pendingByKey.has(key)) return "known";
    const err = this.check(e, currentHeight ?? e.voteA.height);
    if (err !== undefined) return err === ALREADY_COMMITTED || err === OUT_OF_WINDOW ? "known" : "invalid";
    this.pendingByKey.set(key, e);
    for (const l of this.listeners) l(e);
    return "added";
  }

  pending(maxCount: number): DuplicateVoteEvidence[] {
    return [...this.pendingByKey.values()].slice(0, maxCount);
  }

  get size(): number {
    return this.pendingByKey.size;
  }

  /** After a block commits: its evidence is no longer pending. */
  markCommitted(evidence: readonly DuplicateVoteEvidence[]): void {
    for (const e of evidence) this.pendingByKey.delete(Buffer.from(EvidencePool.keyOf(e)).toString("hex"));
  }

  onNew(listener: (e: DuplicateVoteEvidence) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  check(evidence: DuplicateVoteEvidence, height: bigint): string | undefined {
    const { voteA: a, voteB: b } = evidence;
    if (a.height !== b.height || a.round !== b.round || a.type !== b.type) return "votes differ in height, round or type";
    if (a.validatorIndex !== b.validatorIndex || !sameBytes(a.validatorAddress, b.validatorAddress)) return "votes are from different validators";
    if (blockIdKey(a.blockId) === blockIdKey(b.blockId)) return "votes are for the same block";
    if (blockIdKey(a.blockId) > blockIdKey(b.blockId)) return "votes are not in canonical order";
    const validator = this.validators.byIndex(a.validatorIndex);
    if (validator === undefined || !sameBytes(validator.address, a.validatorAddress)) return "not a validator";
    if (evidence.validatorPower !== validator.votingPower || evidence.totalVotingPower !== this.validators.totalPower) return "wrong voting powers";
    if (a.height > height || height - a.height > this.maxAgeBlocks) return OUT_OF_WINDOW;
    for (const v of [a, b]) {
      if (!verifyEd25519(validator.pubKeyEd25519, signBytesOfVote(this.chainId, v), v.signature)) return "bad vote signature";
    }
    if (this.store.isCommitted(EvidencePool.keyOf(evidence))) return ALREADY_COMMITTED;
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
