/**
 * Aggregation of the last commit's observations into prices and smiles, run identically by every node.
 *
 * Rules (consensus-critical):
 * - Total power is the sum of the voting power of every vote in the last commit (signed or not).
 * - A vote counts only when it precommitted the block (`signed`), has positive power, and its extension
 *   decodes to a valid observation (see observation.ts); otherwise it is ignored as a whole. A validator
 *   address seen twice counts once (the first).
 * - Per spot value: observations outside [min_price, max_price] are ignored. Per smile (underlying, expiry):
 *   an observation counts only when all three parameters are in bounds and the expiry is after the block
 *   time; the three parameters are then aggregated over the same reporters.
 * - A value is written only when its reporting power is at least `min_power_ppm` of the total
 *   (reporting × 1e6 ≥ min_power_ppm × total; min_power_ppm ≥ 666667, so exactly 2/3 is never enough).
 * - The value is the LOWER stake-weighted median: sort ascending by value, and take the first value at which
 *   the cumulative power reaches half of the reporting power (2 × cumulative ≥ reporting). An even split
 *   between two values therefore resolves to the lower one; equal values are interchangeable, so the order
 *   among them does not matter.
 */
import type { CommitVote } from "../../src/app/application.js";
import { decodeObservation } from "./observation.js";
import { PPM } from "./params.js";
import type { OracleParams } from "./types.js";

export interface Weighted {
  value: bigint;
  weight: bigint;
}

/** The lower weighted median of entries with positive weights; undefined when the total weight is zero. */
export function lowerWeightedMedian(entries: readonly Weighted[]): bigint | undefined {
  const live = entries.filter((e) => e.weight > 0n);
  let total = 0n;
  for (const e of live) total += e.weight;
  if (total === 0n) return undefined;
  live.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  let cumulative = 0n;
  for (const e of live) {
    cumulative += e.weight;
    if (2n * cumulative >= total) return e.value;
  }
  return live[live.length - 1]!.value; // unreachable: the loop ends with cumulative = total
}

export interface AggregatedPrice {
  underlying: string;
  priceMicroUsd: bigint;
  reportingPowerPpm: number;
}

export interface AggregatedSmile {
  underlying: string;
  expiryUnixS: bigint;
  atmVolPpm: bigint;
  skewPpm: bigint;
  curvaturePpm: bigint;
  reportingPowerPpm: number;
}

export interface AggregateResult {
  /** Sum of the voting power of every vote. */
  totalPower: bigint;
  /** In underlying order. */
  prices: AggregatedPrice[];
  /** In (underlying, expiry) order. */
  smiles: AggregatedSmile[];
  /** Known underlyings whose spot did not reach the threshold (with the power that did report). */
  missing: Array<{ underlying: string; reportingPowerPpm: number }>;
}

function ppmOf(part: bigint, total: bigint): number {
  return total === 0n ? 0 : Number((part * BigInt(PPM)) / total);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

/**
 * Aggregates the observations carried by `votes` (the previous height's commit) at block time `blockTimeNs`.
 * Pure and deterministic: the same votes, params and time give the same result on every node.
 */
export function aggregate(votes: readonly CommitVote[], params: OracleParams, blockTimeNs: bigint): AggregateResult {
  let totalPower = 0n;
  for (const v of votes) if (v.votingPower > 0n) totalPower += v.votingPower;
  const result: AggregateResult = { totalPower, prices: [], smiles: [], missing: [] };
  if (totalPower === 0n) return result;

  const spots = new Map<string, Weighted[]>();
  const smiles = new Map<string, { underlying: string; expiryUnixS: bigint; atm: Weighted[]; skew: Weighted[]; curvature: Weighted[] }>();
  const seen = new Set<string>();
  for (const vote of votes) {
    if (!vote.signed || vote.votingPower <= 0n || vote.extension.length === 0) continue;
    const id = Buffer.from(vote.validatorAddress).toString("hex");
    if (seen.has(id)) continue;
    seen.add(id);
    const obs = decodeObservation(vote.extension, params);
    if (obs === undefined) continue;
    const weight = vote.votingPower;
    for (const s of obs.spots) {
      if (s.priceMicroUsd < params.minPriceMicroUsd || s.priceMicroUsd > params.maxPriceMicroUsd) continue;
      let list = spots.get(s.underlying);
      if (list === undefined) spots.set(s.underlying, (list = []));
      list.push({ value: s.priceMicroUsd, weight });
    }
    for (const s of obs.smiles) {
      if (s.expiryUnixS * 1_000_000_000n <= blockTimeNs) continue;
      if (s.atmVolPpm < params.minAtmVolPpm || s.atmVolPpm > params.maxAtmVolPpm) continue;
      if (abs(s.skewPpm) > params.maxAbsSkewPpm || abs(s.curvaturePpm) > params.maxAbsCurvaturePpm) continue;
      const key = `${s.underlying}/${s.expiryUnixS}`;
      let entry = smiles.get(key);
      if (entry === undefined) smiles.set(key, (entry = { underlying: s.underlying, expiryUnixS: s.expiryUnixS, atm: [], skew: [], curvature: [] }));
      entry.atm.push({ value: s.atmVolPpm, weight });
      entry.skew.push({ value: s.skewPpm, weight });
      entry.curvature.push({ value: s.curvaturePpm, weight });
    }
  }

  const threshold = BigInt(params.minPowerPpm) * totalPower;
  const reaches = (power: bigint) => power * BigInt(PPM) >= threshold;
  const powerOf = (list: readonly Weighted[]) => list.reduce((sum, e) => sum + e.weight, 0n);

  for (const underlying of params.underlyings) {
    const list = spots.get(underlying) ?? [];
    const power = powerOf(list);
    const median = reaches(power) ? lowerWeightedMedian(list) : undefined;
    if (median === undefined) result.missing.push({ underlying, reportingPowerPpm: ppmOf(power, totalPower) });
    else result.prices.push({ underlying, priceMicroUsd: median, reportingPowerPpm: ppmOf(power, totalPower) });
  }
  const ordered = [...smiles.values()].sort((a, b) =>
    a.underlying !== b.underlying ? (a.underlying < b.underlying ? -1 : 1) : a.expiryUnixS < b.expiryUnixS ? -1 : a.expiryUnixS > b.expiryUnixS ? 1 : 0,
  );
  for (const s of ordered) {
    const power = powerOf(s.atm);
    if (!reaches(power)) continue;
    result.smiles.push({
      underlying: s.underlying,
      expiryUnixS: s.expiryUnixS,
      atmVolPpm: lowerWeightedMedian(s.atm)!,
      skewPpm: lowerWeightedMedian(s.skew)!,
      curvaturePpm: lowerWeightedMedian(s.curvature)!,
      reportingPowerPpm: ppmOf(power, totalPower),
    });
  }
  return result;
}
