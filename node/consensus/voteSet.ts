/**
 * The votes of one (height, round, type), one per validator, with power tallied per block id. A second,
 * different vote from the same validator is not counted: it is returned as a conflict (evidence).
 */
import { blockIdKey } from "../../src/chain/hashes.js";
import { signBytesOfVote, voteExtensionSignBytes } from "../../src/chain/signBytes.js";
import type { ValidatorSet } from "../../src/chain/validatorSet.js";
import { verifyEd25519 } from "../../src/crypto/ed25519.js";
import { BlockIdFlag, type BlockId, type Commit, type CommitSig } from "../../src/types/block.js";
import { VoteType, type Vote } from "../../src/types/consensus.js";

export type AddVoteResult =
  | { status: "added" }
  | { status: "duplicate" }
  | { status: "conflict"; existing: Vote }
  | { status: "invalid"; reason: string };

export class VoteSet {
  private readonly votes: Array<Vote | undefined>;
  private readonly tally = new Map<string, { blockId: BlockId | undefined; power: bigint }>();
  private totalPower = 0n;
  private majority: { blockId: BlockId | undefined } | undefined;

  constructor(
    readonly chainId: string,
    readonly height: bigint,
    readonly round: number,
    readonly type: VoteType,
    readonly valSet: ValidatorSet,
    /** The application's check of a precommit's vote extension (absent: extensions must be empty). */
    private readonly verifyExtension: ExtensionVerifier = (e) => e.extension.length === 0,
  ) {
    this.votes = new Array<Vote | undefined>(valSet.size).fill(undefined);
  }

  /** Verifies and adds a vote. Signature checks happen here, once per vote. */
  add(vote: Vote, verifySignature = true): AddVoteResult {
    if (vote.height !== this.height || vote.round !== this.round || vote.type !== this.type) return { status: "invalid", reason: "vote for another height, round or type" };
    const validator = this.valSet.byIndex(vote.validatorIndex);
    if (validator === undefined) return { status: "invalid", reason: `no validator at index ${vote.validatorIndex}` };
    if (!sameBytes(validator.address, vote.validatorAddress)) return { status: "invalid", reason: "validator address does not match its index" };
    const existing = this.votes[vote.validatorIndex];
    if (existing !== undefined) {
      if (blockIdKey(existing.blockId) === blockIdKey(vote.blockId)) return { status: "duplicate" };
    }
    if (verifySignature && !verifyEd25519(validator.pubKeyEd25519, signBytesOfVote(this.chainId, vote), vote.signature)) {
      return { status: "invalid", reason: "bad vote signature" };
    }
    const extensionError = checkExtension(this.chainId, vote, validator.pubKeyEd25519, this.verifyExtension);
    if (extensionError !== undefined) return { status: "invalid", reason: extensionError };
    if (existing !== undefined) return { status: "conflict", existing };
    this.votes[vote.validatorIndex] = vote;
    const key = blockIdKey(vote.blockId);
    const entry = this.tally.get(key) ?? { blockId: vote.blockId, power: 0n };
    entry.power += validator.votingPower;
    this.tally.set(key, entry);
    this.totalPower += validator.votingPower;
    if (this.majority === undefined && this.valSet.hasTwoThirds(entry.power)) this.majority = { blockId: vote.blockId };
    return { status: "added" };
  }

  /** The block id (or nil, as undefined) that more than 2/3 voted for, if any. */
  twoThirdsMajority(): { blockId: BlockId | undefined } | undefined {
    return this.majority;
  }

  hasTwoThirdsAny(): boolean {
    return this.valSet.hasTwoThirds(this.totalPower);
  }

  hasOneThirdAny(): boolean {
    return this.valSet.hasOneThird(this.totalPower);
  }

  hasAll(): boolean {
    return this.totalPower === this.valSet.totalPower;
  }

  powerFor(blockId: BlockId | undefined): bigint {
    return this.tally.get(blockIdKey(blockId))?.power ?? 0n;
  }

  voteOf(index: number): Vote | undefined {
    return this.votes[index];
  }

  all(): Vote[] {
    return this.votes.filter((v): v is Vote => v !== undefined);
  }

  /** The commit for the +2/3 majority block of a precommit set. */
  makeCommit(): Commit {
    const maj = this.majority;
    if (this.type !== VoteType.Precommit || maj === undefined || maj.blockId === undefined) throw new Error("no +2/3 precommits for a block");
    const blockId = maj.blockId;
    const signatures: CommitSig[] = this.votes.map((v, i) => {
      const none = new Uint8Array();
      if (v === undefined) return { blockIdFlag: BlockIdFlag.Absent, validatorAddress: none, timestampNs: 0n, signature: none, extension: none, extensionSignature: none };
      const forBlock = blockIdKey(v.blockId) === blockIdKey(blockId);
      const counted = forBlock || v.blockId === undefined;
      return {
        blockIdFlag: forBlock ? BlockIdFlag.Commit : v.blockId === undefined ? BlockIdFlag.Nil : BlockIdFlag.Absent,
        validatorAddress: counted ? this.valSet.byIndex(i)!.address : none,
        timestampNs: counted ? v.timestampNs : 0n,
        signature: counted ? v.signature : none,
        extension: forBlock ? v.extension : none,
        extensionSignature: forBlock ? v.extensionSignature : none,
      };
    });
    return { height: this.height, round: this.round, blockId, signatures };
  }
}

export type ExtensionVerifier = (e: { height: bigint; validatorAddress: Uint8Array; extension: Uint8Array }) => boolean;

/**
 * Only precommits for a block carry an extension, signed separately; the application judges its content.
 * Returns an error text, or undefined.
 */
export function checkExtension(chainId: string, vote: Vote, pubKey: Uint8Array, verify: ExtensionVerifier): string | undefined {
  const forBlock = vote.type === VoteType.Precommit && vote.blockId !== undefined;
  if (!forBlock) return vote.extension.length === 0 && vote.extensionSignature.length === 0 ? undefined : "only precommits for a block carry extensions";
  if (vote.extension.length > 0 && !verifyEd25519(pubKey, voteExtensionSignBytes(chainId, vote.height, vote.round, vote.extension), vote.extensionSignature)) {
    return "bad vote extension signature";
  }
  return verify({ height: vote.height, validatorAddress: vote.validatorAddress, extension: vote.extension }) ? undefined : "vote extension rejected by the application";
}

/** All vote sets of one height, by round. Rounds far ahead of the current one are refused (memory bound). */
export class HeightVoteSet {
  private readonly rounds = new Map<number, { prevotes: VoteSet; precommits: VoteSet }>();
  static readonly MAX_ROUNDS_AHEAD = 50;

  constructor(
    readonly chainId: string,
    readonly height: bigint,
    readonly valSet: ValidatorSet,
    private readonly verifyExtension?: ExtensionVerifier,
  ) {}

  prevotes(round: number): VoteSet {
    return this.ensure(round).prevotes;
  }

  precommits(round: number): VoteSet {
    return this.ensure(round).precommits;
  }

  votes(round: number, type: VoteType): VoteSet {
    return type === VoteType.Prevote ? this.prevotes(round) : this.precommits(round);
  }

  /** Whether a round is within the window this height tracks, given the current round. */
  accepts(round: number, currentRound: number): boolean {
    return round >= 0 && round <= currentRound + HeightVoteSet.MAX_ROUNDS_AHEAD;
  }

  /** The highest round with +2/3 prevotes for a block (a proof of lock), below `belowRound`. */
  polInfo(belowRound: number): { round: number; blockId: BlockId } | undefined {
    for (let r = belowRound - 1; r >= 0; r--) {
      const maj = this.rounds.get(r)?.prevotes.twoThirdsMajority();
      if (maj?.blockId !== undefined) return { round: r, blockId: maj.blockId };
    }
    return undefined;
  }

  roundsWithVotes(): number[] {
    return [...this.rounds.keys()].sort((a, b) => a - b);
  }

  private ensure(round: number) {
    let entry = this.rounds.get(round);
    if (entry === undefined) {
      entry = {
        prevotes: new VoteSet(this.chainId, this.height, round, VoteType.Prevote, this.valSet, this.verifyExtension),
        precommits: new VoteSet(this.chainId, this.height, round, VoteType.Precommit, this.valSet, this.verifyExtension),
      };
      this.rounds.set(round, entry);
    }
    return entry;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
