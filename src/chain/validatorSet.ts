/**
 * The validator set of a height: voting powers, weighted round-robin proposer selection, commit verification
 * and BFT time. All bigint arithmetic; validators are ordered by power (descending) then address (ascending),
 * so every node indexes them identically.
 *
 * Proposer selection (CometBFT's algorithm, without rescaling: the set is static until staking exists, and with
 * a static set the priorities always sum to zero and stay within ±total power × size): each step adds every
 * validator's power to its priority, picks the highest priority (ties: lowest address) and subtracts the total
 * power from it. Height h uses the set after (h - initialHeight + 1) steps; round r of it r further steps.
 */
import { verifyEd25519 } from "../crypto/ed25519.js";
import { BlockIdFlag, type BlockId, type Commit, type Validator } from "../types/block.js";
import { blockIdsEqual, bytesEqual } from "./hashes.js";
import { SignedMsgType, voteExtensionSignBytes, voteSignBytes } from "./signBytes.js";

export class ValidatorSet {
  readonly validators: readonly Validator[];
  readonly totalPower: bigint;
  private readonly indexByAddress: Map<string, number>;
  /** The validator chosen by the last priority step (undefined before any step). */
  private chosen: Validator | undefined;

  constructor(validators: readonly Validator[]) {
    if (validators.length === 0) throw new Error("empty validator set");
    const sorted = [...validators].sort((a, b) => (a.votingPower !== b.votingPower ? (a.votingPower > b.votingPower ? -1 : 1) : compareBytes(a.address, b.address)));
    this.validators = sorted.map((v) => ({ ...v }));
    this.totalPower = sorted.reduce((n, v) => n + v.votingPower, 0n);
    this.indexByAddress = new Map(sorted.map((v, i) => [hexKey(v.address), i]));
    if (this.indexByAddress.size !== sorted.length) throw new Error("duplicate validator address");
    for (const v of sorted) if (v.votingPower <= 0n) throw new Error("validator power must be positive");
  }

  /** The set as of `height`, starting from the genesis validators (priorities zero). */
  static atHeight(genesis: readonly Validator[], initialHeight: bigint, height: bigint): ValidatorSet {
    const set = new ValidatorSet(genesis.map((v) => ({ ...v, proposerPriority: 0n })));
    return set.advanced(Number(height - initialHeight + 1n));
  }

  get size(): number {
    return this.validators.length;
  }

  indexOf(address: Uint8Array): number | undefined {
    return this.indexByAddress.get(hexKey(address));
  }

  byIndex(index: number): Validator | undefined {
    return this.validators[index];
  }

  /** A copy with `steps` proposer-priority steps applied. */
  advanced(steps: number): ValidatorSet {
    const copy = new ValidatorSet(this.validators);
    const vals = copy.validators as Validator[];
    for (let s = 0; s < steps; s++) {
      let best = 0;
      for (let i = 0; i < vals.length; i++) {
        vals[i]!.proposerPriority += vals[i]!.votingPower;
        const b = vals[best]!;
        const v = vals[i]!;
        if (v.proposerPriority > b.proposerPriority || (v.proposerPriority === b.proposerPriority && compareBytes(v.address, b.address) < 0)) best = i;
      }
      vals[best]!.proposerPriority -= copy.totalPower;
      copy.chosen = vals[best];
    }
    if (steps === 0) copy.chosen = this.chosen === undefined ? undefined : copy.validators[this.validators.indexOf(this.chosen)];
    return copy;
  }

  /** The proposer of this set's height: chosen by its last step for round 0, by `round` further steps after. */
  proposer(round = 0): Validator {
    const chosen = round === 0 ? this.chosen : this.advanced(round).chosen;
    if (chosen === undefined) throw new Error("proposer of a validator set that has not been stepped");
    return chosen;
  }

  /** More than two thirds of the total power. */
  hasTwoThirds(power: bigint): boolean {
    return power * 3n > this.totalPower * 2n;
  }

  /** At least one third: enough that some honest validator is among them. */
  hasOneThird(power: bigint): boolean {
    return power * 3n >= this.totalPower;
  }

  /**
   * Checks that `commit` finalises `blockId` at `height`: one entry per validator in set order, and valid
   * precommit signatures for the block from more than 2/3 of the power. Returns an error text, or undefined.
   */
  verifyCommit(chainId: string, blockId: BlockId, height: bigint, commit: Commit): string | undefined {
    if (commit.height !== height) return `commit is for height ${commit.height}, expected ${height}`;
    if (!blockIdsEqual(commit.blockId, blockId)) return "commit is for another block";
    if (commit.signatures.length !== this.size) return `commit has ${commit.signatures.length} signatures for ${this.size} validators`;
    let power = 0n;
    for (let i = 0; i < commit.signatures.length; i++) {
      const sig = commit.signatures[i]!;
      if (sig.blockIdFlag === BlockIdFlag.Absent) continue;
      const v = this.validators[i]!;
      if (!bytesEqual(sig.validatorAddress, v.address)) return `commit signature ${i} is not from validator ${i}`;
      if (sig.blockIdFlag !== BlockIdFlag.Commit) continue;
      const signBytes = voteSignBytes({ type: SignedMsgType.Precommit, height, round: commit.round, blockId, timestampNs: sig.timestampNs, chainId });
      if (!verifyEd25519(v.pubKeyEd25519, signBytes, sig.signature)) return `invalid commit signature from validator ${i}`;
      if (sig.extension.length > 0 && !verifyEd25519(v.pubKeyEd25519, voteExtensionSignBytes(chainId, height, commit.round, sig.extension), sig.extensionSignature)) {
        return `invalid vote extension signature from validator ${i}`;
      }
      power += v.votingPower;
    }
    return this.hasTwoThirds(power) ? undefined : `commit has only ${power} of ${this.totalPower} voting power`;
  }
}

/**
 * BFT time: the power-weighted median of the commit-signature timestamps, so no minority can move block time.
 * Only signatures for the block count.
 */
export function weightedMedianTimeNs(commit: Commit, set: ValidatorSet): bigint {
  const entries: Array<{ timeNs: bigint; power: bigint }> = [];
  commit.signatures.forEach((sig, i) => {
    if (sig.blockIdFlag === BlockIdFlag.Commit) entries.push({ timeNs: sig.timestampNs, power: set.byIndex(i)?.votingPower ?? 0n });
  });
  if (entries.length === 0) throw new Error("no commit signatures to take a median of");
  entries.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  const total = entries.reduce((n, e) => n + e.power, 0n);
  let acc = 0n;
  for (const e of entries) {
    acc += e.power;
    if (acc * 2n > total) return e.timeNs;
  }
  return entries[entries.length - 1]!.timeNs;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function hexKey(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}
