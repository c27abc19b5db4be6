/**
 * File-based private validator (CometBFT privval/file.go): the ed25519 consensus key plus the last-sign state,
 * enforcing that an honest validator never signs two different proposals or votes for one (height, round, step).
 *
 * Rules, in order: any height, round or step regression is refused; at the same height/round/step the stored
 * signature is released again if the sign bytes are identical, or if they differ only in the timestamp (then
 * with the OLD timestamp, so the re-released message is exactly the one signed before); anything else there is
 * conflicting and refused. A new signature is released only after the state recording it is durable on disk.
 *
 * Everything is synchronous on purpose: no other code can run between the check, the fsyncs and the return,
 * so two callers in one process cannot race past the check.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { proposalSignBytes, signBytesOfVote, SignedMsgType, voteExtensionSignBytes } from "../../src/chain/signBytes.js";
import { bytesEqual, codecFor } from "../../src/codec/codec.js";
import { verifyEd25519 } from "../../src/crypto/ed25519.js";
import { VoteType, type Proposal, type Vote } from "../../src/types/consensus.js";
import { writeFileDurably } from "./durableFile.js";
import {
  checkHRS,
  DoubleSignError,
  EMPTY_SIGN_STATE,
  parseSignState,
  serializeSignState,
  SignStateError,
  SignStep,
  type LastSignState,
} from "./signState.js";
import { loadValidatorKey, type ValidatorKey } from "./validatorKey.js";

export { DoubleSignError, SignStateError, SignStep, type LastSignState } from "./signState.js";

const EMPTY = new Uint8Array(0);
const MAX_INT32 = 0x7fffffff;

/** The fields of a canonical vote/proposal we read back from stored sign bytes (the rest is compared as bytes). */
interface CanonicalHead {
  type: number;
  height: bigint;
  round: bigint;
  timestampNs: bigint;
}
const CanonicalVoteHead = codecFor<CanonicalHead>("vanna.types.v1.CanonicalVote");
const CanonicalProposalHead = codecFor<CanonicalHead>("vanna.types.v1.CanonicalProposal");

/** Signing failed in a way that leaves the on-disk state uncertain; this instance refuses to sign again. */
export class PrivValPersistError extends Error {
  override readonly name = "PrivValPersistError";
}

/** A request that is malformed rather than dangerous (bad height, foreign address, misplaced extension). */
export class InvalidSignRequestError extends Error {
  override readonly name = "InvalidSignRequestError";
}

export class FilePrivValidator {
  /** True when load() found no state file and created an empty one (fresh validator, or the file was deleted). */
  readonly createdStateFile: boolean;
  private state: LastSignState;
  private broken: Error | undefined;

  private constructor(
    private readonly key: ValidatorKey,
    readonly statePath: string,
    state: LastSignState,
    created: boolean,
  ) {
    this.state = state;
    this.createdStateFile = created;
  }

  /**
   * Loads the key and the last-sign state, creating an empty state file (durably) when none exists. A state
   * file that exists but is unreadable, inconsistent or signed by another key is an error, never a reset.
   */
  static load(keyPath: string, statePath: string): FilePrivValidator {
    const key = loadValidatorKey(keyPath);
    if (!existsSync(statePath)) {
      mkdirSync(dirname(statePath), { recursive: true });
      writeFileDurably(statePath, new TextEncoder().encode(serializeSignState(EMPTY_SIGN_STATE)));
      return new FilePrivValidator(key, statePath, EMPTY_SIGN_STATE, true);
    }
    let text: string;
    try {
      text = readFileSync(statePath, "utf8");
    } catch (err) {
      throw new SignStateError(`cannot read ${statePath}: ${(err as Error).message}`);
    }
    const state = parseSignState(text, statePath);
    checkStoredSignature(key, state, statePath);
    return new FilePrivValidator(key, statePath, state, false);
  }

  get address(): Uint8Array {
    return this.key.address;
  }

  get pubKey(): Uint8Array {
    return this.key.pubKey;
  }

  /** A copy of the last signed height/round/step with its sign bytes and signature. */
  lastSignState(): LastSignState {
    const s = this.state;
    return { height: s.height, round: s.round, step: s.step, signature: s.signature?.slice(), signBytes: s.signBytes?.slice() };
  }

  /**
   * Returns the vote with `signature` set (and `extensionSignature` for a non-nil precommit with an extension),
   * or throws DoubleSignError. At a repeated height/round/step the returned vote may carry the earlier
   * timestamp: always broadcast the returned vote, never the input.
   */
  signVote(chainId: string, vote: Vote): Vote {
    this.assertUsable();
    const step = vote.type === VoteType.Prevote ? SignStep.Prevote : vote.type === VoteType.Precommit ? SignStep.Precommit : undefined;
    if (step === undefined) throw new InvalidSignRequestError(`unknown vote type ${String(vote.type)}`);
    this.checkRequest(vote.height, vote.round, vote.validatorAddress);
    const hasExtension = vote.extension.length > 0;
    if (hasExtension && (step !== SignStep.Precommit || vote.blockId === undefined)) {
      throw new InvalidSignRequestError("vote extensions are only allowed in non-nil precommits");
    }
    const signBytes = signBytesOfVote(chainId, vote);
    const sameHRS = checkHRS(this.state, vote.height, vote.round, step);
    // Extensions are application data that may legitimately differ on a re-sign and are not slashable, so
    // (as CometBFT) they are always signed afresh and not recorded in the state file.
    const extensionSignature = hasExtension ? this.key.sign(voteExtensionSignBytes(chainId, vote.height, vote.round, vote.extension)) : EMPTY;
    if (sameHRS) {
      const reuse = this.reuseStored(signBytes, vote.timestampNs, CanonicalVoteHead, (ts) => signBytesOfVote(chainId, { ...vote, timestampNs: ts }), vote);
      return { ...vote, timestampNs: reuse.timestampNs, signature: reuse.signature, extensionSignature };
    }
    const signature = this.signAndPersist(vote.height, vote.round, step, signBytes);
    return { ...vote, signature, extensionSignature };
  }

  /** Returns the proposal with `signature` set (possibly with the earlier timestamp, as signVote). */
  signProposal(chainId: string, proposal: Proposal): Proposal {
    this.assertUsable();
    this.checkRequest(proposal.height, proposal.round, undefined);
    if (!Number.isInteger(proposal.polRound) || proposal.polRound < -1 || proposal.polRound >= proposal.round) {
      throw new InvalidSignRequestError(`invalid polRound ${proposal.polRound} for round ${proposal.round}`);
    }
    const signBytes = proposalSignBytes(chainId, proposal);
    if (checkHRS(this.state, proposal.height, proposal.round, SignStep.Proposal)) {
      const reuse = this.reuseStored(signBytes, proposal.timestampNs, CanonicalProposalHead, (ts) => proposalSignBytes(chainId, { ...proposal, timestampNs: ts }), proposal);
      return { ...proposal, timestampNs: reuse.timestampNs, signature: reuse.signature };
    }
    const signature = this.signAndPersist(proposal.height, proposal.round, SignStep.Proposal, signBytes);
    return { ...proposal, signature };
  }

  private assertUsable(): void {
    if (this.broken !== undefined) {
      throw new PrivValPersistError(`private validator disabled after a failed state write (${this.broken.message}); restart the node`);
    }
  }

  private checkRequest(height: bigint, round: number, validatorAddress: Uint8Array | undefined): void {
    if (typeof height !== "bigint" || height <= 0n) throw new InvalidSignRequestError(`invalid height ${String(height)}`);
    if (!Number.isInteger(round) || round < 0 || round > MAX_INT32) throw new InvalidSignRequestError(`invalid round ${round}`);
    if (validatorAddress !== undefined && validatorAddress.length > 0 && !bytesEqual(validatorAddress, this.key.address)) {
      throw new InvalidSignRequestError("vote validatorAddress is not this validator's address");
    }
  }

  /**
   * At the same height/round/step: the stored signature if the new sign bytes equal the stored ones, or equal
   * them once the stored timestamp is put back (a timestamp-only difference); otherwise conflicting data.
   */
  private reuseStored(
    signBytes: Uint8Array,
    timestampNs: bigint,
    head: typeof CanonicalVoteHead,
    withTimestamp: (ts: bigint) => Uint8Array,
    msg: { height: bigint; round: number },
  ): { timestampNs: bigint; signature: Uint8Array } {
    const last = this.state;
    const storedBytes = last.signBytes!;
    const storedSig = last.signature!;
    if (bytesEqual(signBytes, storedBytes)) return { timestampNs, signature: storedSig.slice() };
    let storedTs: bigint | undefined;
    try {
      storedTs = head.decode(storedBytes).timestampNs;
    } catch {
      storedTs = undefined; // unreadable stored bytes cannot prove a timestamp-only difference
    }
    if (storedTs !== undefined && bytesEqual(withTimestamp(storedTs), storedBytes)) return { timestampNs: storedTs, signature: storedSig.slice() };
    throw new DoubleSignError(
      "conflicting data",
      { height: msg.height, round: msg.round, step: last.step },
      { height: last.height, round: last.round, step: last.step },
    );
  }

  /** Signs, then makes the new state durable; the signature leaves this method only if the write succeeded. */
  private signAndPersist(height: bigint, round: number, step: SignStep, signBytes: Uint8Array): Uint8Array {
    const signature = this.key.sign(signBytes);
    const next: LastSignState = { height, round, step, signature, signBytes };
    try {
      writeFileDurably(this.statePath, new TextEncoder().encode(serializeSignState(next)));
    } catch (err) {
      // The rename may or may not have reached the disk, so neither the old nor the new in-memory state is
      // known to match it: stop signing until a restart re-reads the file.
      this.broken = err as Error;
      throw new PrivValPersistError(`cannot persist ${this.statePath}: ${(err as Error).message}; signature withheld`);
    }
    this.state = next;
    return signature.slice();
  }
}

/** A stored state must be this key's signature over sign bytes of the recorded height/round/step. */
function checkStoredSignature(key: ValidatorKey, state: LastSignState, path: string): void {
  if (state.step === SignStep.None) return;
  const bytes = state.signBytes!;
  if (!verifyEd25519(key.pubKey, bytes, state.signature!)) {
    throw new SignStateError(`${path}: stored signature does not verify with this validator's key (state file of another validator?)`);
  }
  const expectedType = state.step === SignStep.Proposal ? SignedMsgType.Proposal : state.step === SignStep.Prevote ? SignedMsgType.Prevote : SignedMsgType.Precommit;
  let head: CanonicalHead;
  try {
    head = (state.step === SignStep.Proposal ? CanonicalProposalHead : CanonicalVoteHead).decode(bytes);
  } catch {
    throw new SignStateError(`${path}: stored signBytes are not a canonical ${SignStep[state.step]}`);
  }
  if (head.type !== expectedType || head.height !== state.height || head.round !== BigInt(state.round)) {
    throw new SignStateError(`${path}: stored signBytes (type ${head.type}, ${head.height}/${head.round}) do not match height/round/step ${state.height}/${state.round}/${state.step}`);
  }
}
