/**
 * Scenario values of one series: the P&L of one long contract in each scenario of its underlying's grid, in
 * integer uusdc, priced once per (spot, vol, time bucket, params version) and cached in memory. Deterministic:
 * Black-Scholes of src/math (no Math.pow/sqrt), one named rounding per value; a cache hit returns exactly what a
 * recomputation would, so the cache can never make two nodes disagree.
 *
 * P&L per contract = (BS(S·(1+m), K, T, σ') − BS(S, K, T, σ)) × contract size, T at the start of the time bucket
 * (both legs at the same T, so the difference is a pure scenario move). Stored twice: rounded down (what a long
 * gains) and up (what a short loses), so every account total is rounded against the account.
 *
 * Inside the settlement TWAP window (input.settlement) a contract is worth V(S) = max(BS(S), intrinsic(P(S)))
 * with P(S) = (accrued × elapsed + S × remaining) / window: a scenario's spot move reaches the settlement price
 * only through the remaining part, and the P&L is V(S·(1+m)) − V(S) (as the short mark in standard.ts).
 */
import { blackScholes, BS_LIMITS } from "../../src/math/blackScholes.js";
import { fromUnits, toUnits } from "../../src/math/fixed.js";
import { ln, sqrt } from "../../src/math/float.js";
import type { OptionKind } from "./expectedKeepers.js";
import type { SettlementAccrual } from "./standard.js";
import { scenariosOf, type PortfolioParams, type Scenario, type ScenarioGrid } from "./scenarios.js";

const PPM = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_S;
const NS_PER_YEAR = 365n * NS_PER_DAY;

export interface SeriesTerms {
  seriesId: bigint;
  underlying: string;
  kind: OptionKind;
  strikeMicroUsd: bigint;
  expiryUnixS: bigint;
  contractSizePpm: bigint;
}

export interface SeriesScenarios extends SeriesTerms {
  spotMicroUsd: bigint;
  /** Settled series: no scenario risk (all P&L zero). */
  settled: boolean;
  scenarios: readonly Scenario[];
  /** Per scenario, P&L of one long contract rounded down / up (exact integers, uusdc). */
  pnlFloor: Float64Array;
  pnlCeil: Float64Array;
  /** max |pnl| over scenarios (bounds the exact-float fast path). */
  maxAbsPnl: number;
  /** Delta × spot × contract size of one contract, uusdc, rounded half-even (signed). */
  deltaNotionalMicroUsdc: bigint;
  /** Changes whenever the values are recomputed: what per-account caches compare. */
  epoch: number;
}

export interface ScenarioPricingInput extends SeriesTerms {
  spotMicroUsd: bigint;
  /** The mark's vol (fraction ppm); undefined: params.fallbackVolPpm. */
  volPpm: bigint | undefined;
  settled: boolean;
  nowNs: bigint;
  /** Inside the settlement window: the accrued TWAP (see the header). */
  settlement?: SettlementAccrual;
}

/** Start of the time bucket holding nowNs: scenario values are priced there. */
export function bucketStartNs(nowNs: bigint, p: PortfolioParams): bigint {
  const b = p.timeBucketS * NS_PER_S;
  return nowNs <= 0n ? 0n : (nowNs / b) * b;
}

/** sqrt(volScaleDays / max(days, minScaleDays)) with float.ts sqrt. */
export function shockScale(expiryUnixS: bigint, atNs: bigint, p: PortfolioParams): number {
  const leftNs = expiryUnixS * NS_PER_S - atNs;
  const minNs = p.minScaleDays * NS_PER_DAY;
  const days = fromUnits(leftNs > minNs ? leftNs : minNs, NS_PER_DAY);
  return sqrt(fromUnits(p.volScaleDays, 1n) / days);
}

function clampVol(v: number, minVol: number): number {
  if (!(v >= minVol)) return minVol;
  return v > BS_LIMITS.maxVol ? BS_LIMITS.maxVol : v;
}

/** undefined when an input is outside Black-Scholes' domain (never thrown into a block). */
export function computeSeriesScenarios(input: ScenarioPricingInput, grid: ScenarioGrid, p: PortfolioParams, epoch: number): SeriesScenarios | undefined {
  const scenarios = scenariosOf(grid);
  const n = scenarios.length;
  const pnlFloor = new Float64Array(n);
  const pnlCeil = new Float64Array(n);
  const base = { ...termsOf(input), spotMicroUsd: input.spotMicroUsd, settled: input.settled, scenarios, pnlFloor, pnlCeil, epoch };
  if (input.settled) return { ...base, maxAbsPnl: 0, deltaNotionalMicroUsdc: 0n };
  if (input.spotMicroUsd <= 0n || input.strikeMicroUsd <= 0n) return undefined;
  const at = bucketStartNs(input.nowNs, p);
  const left = input.expiryUnixS * NS_PER_S - at;
  const timeYears = left <= 0n ? 0 : fromUnits(left, NS_PER_YEAR);
  const minVol = fromUnits(p.minVolPpm, PPM);
  const vol = clampVol(fromUnits(input.volPpm ?? p.fallbackVolPpm, PPM), minVol);
  const scale = shockScale(input.expiryUnixS, at, p);
  const S = fromUnits(input.spotMicroUsd, 1n);
  const K = fromUnits(input.strikeMicroUsd, 1n);
  const size = fromUnits(input.contractSizePpm, PPM);
  const isCall = input.kind === "call";
  const volShock = fromUnits(grid.volShockPpm, PPM) * scale;
  const skewShock = fromUnits(grid.skewShockPpm, PPM) * scale * ln(K / S);
  let maxAbs = 0;
  const acc = input.settlement;
  const elapsed = acc === undefined || acc.windowNs <= 0n ? 0 : Math.min(fromUnits(acc.elapsedNs < 0n ? 0n : acc.elapsedNs, acc.windowNs), 1);
  const accrued = acc === undefined ? 0 : elapsed * fromUnits(acc.accruedTwapMicroUsd, 1n);
  /** Value per unit at spot s given its BS price: bounded below by the intrinsic value at the projected price. */
  const valueAt = (s: number, bsPrice: number): number => {
    if (acc === undefined) return bsPrice;
    const p = accrued + s * (1 - elapsed);
    const intrinsic = isCall ? p - K : K - p;
    return intrinsic > bsPrice ? intrinsic : bsPrice;
  };
  try {
    const b0 = blackScholes({ spot: S, strike: K, timeYears, vol, isCall });
    const v0 = valueAt(S, b0.price);
    for (let i = 0; i < n; i++) {
      const sc = scenarios[i]!;
      let v = vol;
      if (sc.volSign !== 0) v = clampVol(vol * (1 + sc.volSign * volShock), minVol);
      else if (sc.skewSign !== 0) v = clampVol(vol - sc.skewSign * skewShock, minVol);
      const Ss = S * (1 + fromUnits(sc.spotMovePpm, PPM));
      const bs = blackScholes({ spot: Ss, strike: K, timeYears, vol: v, isCall });
      const pnl = (valueAt(Ss, bs.price) - v0) * size;
      const lo = toUnits(pnl, 1n, "floor");
      const hi = toUnits(pnl, 1n, "ceil");
      pnlFloor[i] = Number(lo);
      pnlCeil[i] = Number(hi);
      const a = Math.max(Math.abs(pnlFloor[i]!), Math.abs(pnlCeil[i]!));
      if (a > maxAbs) maxAbs = a;
    }
    return { ...base, maxAbsPnl: maxAbs, deltaNotionalMicroUsdc: toUnits(b0.delta * S * size, 1n, "halfEven") };
  } catch {
    return undefined;
  }
}

const termsOf = (t: SeriesTerms): SeriesTerms => ({
  seriesId: t.seriesId,
  underlying: t.underlying,
  kind: t.kind,
  strikeMicroUsd: t.strikeMicroUsd,
  expiryUnixS: t.expiryUnixS,
  contractSizePpm: t.contractSizePpm,
});

function sameAccrual(a: SettlementAccrual | undefined, b: SettlementAccrual | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.accruedTwapMicroUsd === b.accruedTwapMicroUsd && a.elapsedNs === b.elapsedNs && a.windowNs === b.windowNs;
}

/**
 * Per-series memo keyed by every input (terms, spot, vol, time bucket, settled flag, params version): one entry
 * per series (a new key replaces the old one), so memory is bounded by the number of series.
 */
export class ScenarioCache {
  private readonly entries = new Map<bigint, { input: ScenarioPricingInput; bucketNs: bigint; paramsVersion: number; value: SeriesScenarios | undefined }>();
  private nextEpoch = 1;
  hits = 0;
  misses = 0;

  static key(i: ScenarioPricingInput, p: PortfolioParams, paramsVersion: number): string {
    const a = i.settlement;
    const acc = a === undefined ? "-" : `${a.accruedTwapMicroUsd}/${a.elapsedNs}/${a.windowNs}`;
    return `${i.underlying}|${i.kind}|${i.strikeMicroUsd}|${i.expiryUnixS}|${i.contractSizePpm}|${i.spotMicroUsd}|${i.volPpm ?? "-"}|${i.settled ? 1 : 0}|${bucketStartNs(i.nowNs, p)}|${paramsVersion}|${acc}`;
  }

  /** Same entry as `key` would say, compared field by field (no string built on the hot path). */
  private static same(e: { input: ScenarioPricingInput; bucketNs: bigint; paramsVersion: number }, i: ScenarioPricingInput, bucketNs: bigint, paramsVersion: number): boolean {
    const a = e.input;
    return (
      e.paramsVersion === paramsVersion && e.bucketNs === bucketNs && a.spotMicroUsd === i.spotMicroUsd && a.volPpm === i.volPpm && a.settled === i.settled &&
      a.strikeMicroUsd === i.strikeMicroUsd && a.expiryUnixS === i.expiryUnixS && a.contractSizePpm === i.contractSizePpm && a.kind === i.kind && a.underlying === i.underlying &&
      sameAccrual(a.settlement, i.settlement)
    );
  }

  get(i: ScenarioPricingInput, grid: ScenarioGrid, p: PortfolioParams, paramsVersion: number): SeriesScenarios | undefined {
    const bucketNs = bucketStartNs(i.nowNs, p);
    const e = this.entries.get(i.seriesId);
    if (e !== undefined && ScenarioCache.same(e, i, bucketNs, paramsVersion)) {
      this.hits++;
      return e.value;
    }
    this.misses++;
    const value = computeSeriesScenarios(i, grid, p, this.nextEpoch++);
    this.entries.set(i.seriesId, { input: { ...i, ...(i.settlement === undefined ? {} : { settlement: { ...i.settlement } }) }, bucketNs, paramsVersion, value });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
