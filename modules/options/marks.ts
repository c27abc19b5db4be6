/**
 * Marks and greeks of a series from the oracle's spot and smile, by Black-Scholes (src/math/blackScholes.ts,
 * r = 0). Deterministic to the bit: only + - * / and src/math functions, and one named rounding per value.
 *
 * Vol: with k = ln(K/S), σ = atm + skew·k + curvature·k² (ppm → fraction), floored at the oracle's
 * min_atm_vol_ppm (a smile's wings can never price with a vanishing or negative vol) and capped at BS_LIMITS.
 * Time: T = (expiry − now) / 365 days, in years (0 at or after expiry: the option is worth its intrinsic value).
 * Units of the results: see SeriesMark in types.ts.
 */
import { blackScholes, BS_LIMITS, type BlackScholesResult } from "../../src/math/blackScholes.js";
import { fromUnits, toUnits } from "../../src/math/fixed.js";
import { ln } from "../../src/math/float.js";
import type { Price, Smile } from "../oracle/index.js";
import type { Series, SeriesMark, UnderlyingParams } from "./types.js";

export const NS_PER_YEAR = 365n * 86_400n * 1_000_000_000n;
const PPM = 1_000_000n;
/** gamma per micro-USD → ppb per USD: × 1e6 (per USD) × 1e9 (ppb). */
const GAMMA_PPB_SCALE = 1_000_000_000_000_000n;

/** The smile's vol at strike K for spot S, as a fraction, floored at minAtmVol and capped at BS_LIMITS.maxVol. */
export function smileVol(spotMicroUsd: bigint, strikeMicroUsd: bigint, smile: Pick<Smile, "atmVolPpm" | "skewPpm" | "curvaturePpm">, minAtmVolPpm: bigint): number {
  const k = ln(fromUnits(strikeMicroUsd, 1n) / fromUnits(spotMicroUsd, 1n));
  const vol = fromUnits(smile.atmVolPpm, PPM) + fromUnits(smile.skewPpm, PPM) * k + fromUnits(smile.curvaturePpm, PPM) * k * k;
  const floor = fromUnits(minAtmVolPpm, PPM);
  if (!(vol >= floor)) return floor; // also catches NaN
  return vol > BS_LIMITS.maxVol ? BS_LIMITS.maxVol : vol;
}

/** Years from nowNs to the expiry (0 at or after it), correctly rounded. */
export function timeToExpiryYears(expiryUnixS: bigint, nowNs: bigint): number {
  const left = expiryUnixS * 1_000_000_000n - nowNs;
  return left <= 0n ? 0 : fromUnits(left, NS_PER_YEAR);
}

export interface MarkInputs {
  series: Pick<Series, "id" | "expiryUnixS" | "strikeMicroUsd" | "kind">;
  contractSizePpm: bigint;
  spotMicroUsd: bigint;
  smile: Pick<Smile, "atmVolPpm" | "skewPpm" | "curvaturePpm">;
  minAtmVolPpm: bigint;
  nowNs: bigint;
}

/** The unrounded values behind a mark (per contract where SeriesMark is per contract). */
export interface MarkFloats {
  vol: number;
  timeYears: number;
  /** Black-Scholes result for one unit of the underlying, in micro-USD. */
  bs: BlackScholesResult;
  markPerContract: number;
  vegaPerVolPointPerContract: number;
  thetaPerDayPerContract: number;
}

/** undefined when an input is outside Black-Scholes' domain (never thrown into a block). */
export function markFloats(m: MarkInputs): MarkFloats | undefined {
  if (m.spotMicroUsd <= 0n || m.series.strikeMicroUsd <= 0n) return undefined;
  const vol = smileVol(m.spotMicroUsd, m.series.strikeMicroUsd, m.smile, m.minAtmVolPpm);
  const timeYears = timeToExpiryYears(m.series.expiryUnixS, m.nowNs);
  let bs: BlackScholesResult;
  try {
    bs = blackScholes({ spot: fromUnits(m.spotMicroUsd, 1n), strike: fromUnits(m.series.strikeMicroUsd, 1n), timeYears, vol, isCall: m.series.kind === "call" });
  } catch {
    return undefined;
  }
  const size = fromUnits(m.contractSizePpm, PPM); // units of the underlying per contract
  return {
    vol,
    timeYears,
    bs,
    markPerContract: bs.price * size,
    vegaPerVolPointPerContract: (bs.vega * size) / 100,
    thetaPerDayPerContract: (bs.theta * size) / 365,
  };
}

/** The mark with every value rounded half-even into its integer unit. */
export function computeMark(m: MarkInputs): SeriesMark | undefined {
  const f = markFloats(m);
  if (f === undefined) return undefined;
  return {
    seriesId: m.series.id,
    spotMicroUsd: m.spotMicroUsd,
    volPpm: toUnits(f.vol, PPM, "halfEven"),
    markMicroUsdcPerContract: toUnits(f.markPerContract, 1n, "halfEven"),
    deltaPpm: toUnits(f.bs.delta, PPM, "halfEven"),
    gammaPpb: toUnits(f.bs.gamma, GAMMA_PPB_SCALE, "halfEven"),
    vegaMicroUsdcPerVolPoint: toUnits(f.vegaPerVolPointPerContract, 1n, "halfEven"),
    thetaMicroUsdcPerDay: toUnits(f.thetaPerDayPerContract, 1n, "halfEven"),
    timeNs: m.nowNs,
  };
}

/** Every input of a mark, as compared by the memo (price height included: a new price is a new entry). */
interface MarkEntry {
  nowNs: bigint;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: string;
  contractSizePpm: bigint;
  spotMicroUsd: bigint;
  updatedHeight: bigint;
  atmVolPpm: bigint;
  skewPpm: bigint;
  curvaturePpm: bigint;
  minAtmVolPpm: bigint;
  mark: SeriesMark | undefined;
}

/**
 * In-memory memo of marks keyed by every input (series terms, contract size, time, the price's value and
 * height, the smile's parameters, the vol floor): a hit returns exactly what a recomputation would, so the cache
 * can never make two nodes disagree, and a failed tx cannot leave a wrong entry (entries are keyed by values,
 * not by store versions). One entry per series, the latest inputs: within a block every reader asks at the
 * block's time, so the first call prices the series and the rest are field comparisons (no key string).
 * Bounded: cleared when it grows past `limit` series.
 */
export class MarkCache {
  private readonly entries = new Map<bigint, MarkEntry>();
  hits = 0;
  misses = 0;

  constructor(private readonly limit = 50_000) {}

  get(m: MarkInputs, price: Pick<Price, "updatedHeight">): SeriesMark | undefined {
    const s = m.series;
    const e = this.entries.get(s.id);
    if (
      e !== undefined &&
      e.nowNs === m.nowNs &&
      e.spotMicroUsd === m.spotMicroUsd &&
      e.updatedHeight === price.updatedHeight &&
      e.atmVolPpm === m.smile.atmVolPpm &&
      e.skewPpm === m.smile.skewPpm &&
      e.curvaturePpm === m.smile.curvaturePpm &&
      e.minAtmVolPpm === m.minAtmVolPpm &&
      e.contractSizePpm === m.contractSizePpm &&
      e.expiryUnixS === s.expiryUnixS &&
      e.strikeMicroUsd === s.strikeMicroUsd &&
      e.kind === s.kind
    ) {
      this.hits++;
      return e.mark;
    }
    this.misses++;
    const mark = computeMark(m);
    if (e === undefined && this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(s.id, {
      nowNs: m.nowNs,
      expiryUnixS: s.expiryUnixS,
      strikeMicroUsd: s.strikeMicroUsd,
      kind: s.kind,
      contractSizePpm: m.contractSizePpm,
      spotMicroUsd: m.spotMicroUsd,
      updatedHeight: price.updatedHeight,
      atmVolPpm: m.smile.atmVolPpm,
      skewPpm: m.smile.skewPpm,
      curvaturePpm: m.smile.curvaturePpm,
      minAtmVolPpm: m.minAtmVolPpm,
      mark,
    });
    return mark;
  }

  get size(): number {
    return this.entries.size;
  }
}
