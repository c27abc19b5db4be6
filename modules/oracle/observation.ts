/**
 * The vote extension payload: its canonical form, the deterministic check every validator applies to every
 * other validator's extension, and the sanitizer that turns whatever a local feeder reports into an extension
 * that check accepts.
 */
import { MAX_VOTE_EXTENSION_BYTES } from "../../src/app/baseApp.js";
import { UNDERLYING_RE } from "./params.js";
import { ObservationCodec, type Observation, type OracleParams, type SmileObservation, type SpotObservation } from "./types.js";

/** Largest expiry accepted in an observation (2200-01-01T00:00:00Z): rejects garbage, not real expiries. */
export const MAX_EXPIRY_UNIX_S = 7_258_118_400n;
const MAX_U63 = (1n << 63n) - 1n;

export const EMPTY_OBSERVATION: Observation = { spots: [], smiles: [] };

function compareSmiles(a: SmileObservation, b: SmileObservation): number {
  if (a.underlying !== b.underlying) return a.underlying < b.underlying ? -1 : 1;
  return a.expiryUnixS < b.expiryUnixS ? -1 : a.expiryUnixS > b.expiryUnixS ? 1 : 0;
}

/**
 * Why `obs` is not a valid observation under `params` (undefined when it is): known underlyings only, spots
 * strictly ascending by underlying, smiles strictly ascending by (underlying, expiry) with at most
 * `max_expiries` per underlying, expiries in (0, MAX_EXPIRY_UNIX_S]. Values are not range-checked here: the
 * aggregation ignores values outside the sanity bounds (so a bound change never invalidates a signed vote).
 */
export function observationProblem(obs: Observation, params: OracleParams): string | undefined {
  const known = new Set(params.underlyings);
  if (obs.spots.length > params.underlyings.length) return "too many spots";
  if (obs.smiles.length > params.underlyings.length * params.maxExpiries) return "too many smiles";
  for (let i = 0; i < obs.spots.length; i++) {
    const s = obs.spots[i]!;
    if (!known.has(s.underlying)) return `unknown underlying in spots`;
    if (i > 0 && !(obs.spots[i - 1]!.underlying < s.underlying)) return "spots are not strictly ascending by underlying";
  }
  let run = 0;
  for (let i = 0; i < obs.smiles.length; i++) {
    const s = obs.smiles[i]!;
    if (!known.has(s.underlying)) return `unknown underlying in smiles`;
    if (s.expiryUnixS <= 0n || s.expiryUnixS > MAX_EXPIRY_UNIX_S) return "smile expiry out of range";
    if (i > 0) {
      const prev = obs.smiles[i - 1]!;
      if (compareSmiles(prev, s) >= 0) return "smiles are not strictly ascending by (underlying, expiry)";
      run = prev.underlying === s.underlying ? run + 1 : 1;
    } else {
      run = 1;
    }
    if (run > params.maxExpiries) return "too many smiles for one underlying";
  }
  return undefined;
}

/**
 * Decodes an extension: zero bytes is the empty observation; anything else must be canonical protobuf and a
 * valid observation. Returns undefined for anything invalid. Deterministic: depends on the bytes and params only.
 */
export function decodeObservation(bytes: Uint8Array, params: OracleParams): Observation | undefined {
  if (bytes.length === 0) return EMPTY_OBSERVATION;
  if (bytes.length > MAX_VOTE_EXTENSION_BYTES) return undefined;
  let obs: Observation;
  try {
    obs = ObservationCodec.decodeCanonical(bytes);
  } catch {
    return undefined;
  }
  return observationProblem(obs, params) === undefined ? obs : undefined;
}

/**
 * The canonical observation for whatever a feeder reported: unknown or malformed symbols, non-positive or
 * out-of-range numbers and duplicates are dropped (the first occurrence wins), entries are sorted, and each
 * underlying keeps its `max_expiries` nearest expiries. The result always passes `observationProblem`.
 */
export function canonicalObservation(raw: Observation, params: OracleParams): Observation {
  const known = new Set(params.underlyings);
  const spots = new Map<string, SpotObservation>();
  for (const s of raw.spots) {
    if (!UNDERLYING_RE.test(s.underlying) || !known.has(s.underlying) || spots.has(s.underlying)) continue;
    if (typeof s.priceMicroUsd !== "bigint" || s.priceMicroUsd <= 0n || s.priceMicroUsd > MAX_U63) continue;
    spots.set(s.underlying, { underlying: s.underlying, priceMicroUsd: s.priceMicroUsd });
  }
  const seen = new Set<string>();
  const smiles: SmileObservation[] = [];
  const inI64 = (v: unknown) => typeof v === "bigint" && v >= -MAX_U63 && v <= MAX_U63;
  for (const s of raw.smiles) {
    if (!UNDERLYING_RE.test(s.underlying) || !known.has(s.underlying)) continue;
    if (typeof s.expiryUnixS !== "bigint" || s.expiryUnixS <= 0n || s.expiryUnixS > MAX_EXPIRY_UNIX_S) continue;
    if (!inI64(s.atmVolPpm) || s.atmVolPpm <= 0n || !inI64(s.skewPpm) || !inI64(s.curvaturePpm)) continue;
    const key = `${s.underlying}/${s.expiryUnixS}`;
    if (seen.has(key)) continue;
    seen.add(key);
    smiles.push({ underlying: s.underlying, expiryUnixS: s.expiryUnixS, atmVolPpm: s.atmVolPpm, skewPpm: s.skewPpm, curvaturePpm: s.curvaturePpm });
  }
  smiles.sort(compareSmiles);
  const kept: SmileObservation[] = [];
  let run = 0;
  for (let i = 0; i < smiles.length; i++) {
    run = i > 0 && smiles[i - 1]!.underlying === smiles[i]!.underlying ? run + 1 : 1;
    if (run <= params.maxExpiries) kept.push(smiles[i]!);
  }
  const sortedSpots = [...spots.values()].sort((a, b) => (a.underlying < b.underlying ? -1 : a.underlying > b.underlying ? 1 : 0));
  return { spots: sortedSpots, smiles: kept };
}

/** Encodes a canonical observation (the empty observation encodes to zero bytes). */
export function encodeObservation(obs: Observation): Uint8Array {
  return ObservationCodec.encode(obs);
}
