/**
 * The validator's last-sign state (`<home>/data/priv_validator_state.json`): the highest height/round/step it
 * has signed, with the sign bytes and signature of that message. It is the only thing that stops an honest
 * validator from signing two different messages for one (height, round, step) across restarts, so parsing is
 * strict: a damaged file is an error, never "no state" (which would re-enable signing everything).
 */

/** Sign steps in CometBFT's order: a validator proposes, then prevotes, then precommits within a round. */
export enum SignStep {
  None = 0,
  Proposal = 1,
  Prevote = 2,
  Precommit = 3,
}

export interface LastSignState {
  height: bigint;
  round: number;
  step: SignStep;
  /** Absent only in the empty state (nothing signed yet). */
  signature: Uint8Array | undefined;
  signBytes: Uint8Array | undefined;
}

export const EMPTY_SIGN_STATE: LastSignState = Object.freeze({
  height: 0n,
  round: 0,
  step: SignStep.None,
  signature: undefined,
  signBytes: undefined,
});

export type DoubleSignReason = "height regression" | "round regression" | "step regression" | "conflicting data";

/** Signing was refused because it could equivocate. Never retry it with the same input. */
export class DoubleSignError extends Error {
  override readonly name = "DoubleSignError";
  constructor(
    readonly reason: DoubleSignReason,
    readonly attempted: { height: bigint; round: number; step: SignStep },
    readonly last: { height: bigint; round: number; step: SignStep },
  ) {
    super(
      `refusing to sign ${SignStep[attempted.step]} at height ${attempted.height} round ${attempted.round}: ${reason} ` +
        `(last signed ${SignStep[last.step]} at height ${last.height} round ${last.round})`,
    );
  }
}

/** The state file is unreadable or inconsistent; the validator must not sign until an operator fixes it. */
export class SignStateError extends Error {
  override readonly name = "SignStateError";
}

/**
 * CometBFT's CheckHRS: throws on any regression; returns true when (h, r, s) equals the last signed step (the
 * caller may then only re-release the stored signature) and false when it is strictly newer.
 */
export function checkHRS(last: LastSignState, height: bigint, round: number, step: SignStep): boolean {
  const attempted = { height, round, step };
  const lastHRS = { height: last.height, round: last.round, step: last.step };
  if (height < last.height) throw new DoubleSignError("height regression", attempted, lastHRS);
  if (height > last.height) return false;
  if (round < last.round) throw new DoubleSignError("round regression", attempted, lastHRS);
  if (round > last.round) return false;
  if (step < last.step) throw new DoubleSignError("step regression", attempted, lastHRS);
  if (step > last.step) return false;
  if (last.signBytes === undefined || last.signature === undefined) {
    // Only the empty state (0/0/0) has no sign bytes, and step 0 is never signed; reaching here means a bug.
    throw new SignStateError(`last sign state at ${height}/${round}/${step} has no sign bytes`);
  }
  return true;
}

interface SignStateJson {
  height: string;
  round: number;
  step: number;
  signature?: string;
  signBytes?: string;
}

/** JSON as CometBFT writes it: height as a decimal string, signature base64, sign bytes upper-case hex. */
export function serializeSignState(s: LastSignState): string {
  const json: SignStateJson = { height: s.height.toString(), round: s.round, step: s.step };
  if (s.signature !== undefined) json.signature = Buffer.from(s.signature).toString("base64");
  if (s.signBytes !== undefined) json.signBytes = Buffer.from(s.signBytes).toString("hex").toUpperCase();
  return `${JSON.stringify(json, null, 2)}\n`;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

export function parseSignState(text: string, path: string): LastSignState {
  const fail = (why: string): never => {
    throw new SignStateError(`${path}: ${why}; refusing to sign until the file is repaired`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return fail(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return fail("not a JSON object");
  const j = raw as Record<string, unknown>;
  if (typeof j.height !== "string" || !/^(?:0|[1-9][0-9]{0,18})$/.test(j.height)) return fail("height must be a decimal string");
  const height = BigInt(j.height);
  if (height > 9_223_372_036_854_775_807n) return fail("height out of int64 range");
  if (typeof j.round !== "number" || !Number.isSafeInteger(j.round) || j.round < 0 || j.round > 0x7fffffff) return fail("round must be an int32 >= 0");
  if (typeof j.step !== "number" || !Number.isInteger(j.step) || j.step < SignStep.None || j.step > SignStep.Precommit) return fail("step must be 0..3");
  let signature: Uint8Array | undefined;
  let signBytes: Uint8Array | undefined;
  if (j.signature !== undefined) {
    if (typeof j.signature !== "string" || !BASE64.test(j.signature)) return fail("signature must be base64");
    signature = new Uint8Array(Buffer.from(j.signature, "base64"));
    if (signature.length !== 64) return fail("signature must be 64 bytes");
  }
  if (j.signBytes !== undefined) {
    if (typeof j.signBytes !== "string" || !HEX.test(j.signBytes)) return fail("signBytes must be hex");
    signBytes = new Uint8Array(Buffer.from(j.signBytes, "hex"));
  }
  const step = j.step as SignStep;
  if (step === SignStep.None) {
    if (signature !== undefined || signBytes !== undefined) return fail("step 0 (nothing signed) must not carry a signature");
  } else if (signature === undefined || signBytes === undefined || signBytes.length === 0) {
    // CometBFT panics on this too: without the sign bytes a same-step request could not be checked.
    return fail(`step ${step} was signed but signature or signBytes is missing`);
  }
  if (height === 0n && step !== SignStep.None) return fail("height 0 cannot have a signed step");
  return { height, round: j.round, step, signature, signBytes };
}
