/**
 * Portfolio margin params and the scenario grid they define (pure; no store access).
 *
 * Per underlying (an override, else the default grid):
 *  - grid scenarios: every spot move × {vol up, vol flat, vol down};
 *  - skew scenarios: {steepen, flatten} at the lowest move, no move and the highest move;
 *  - tail scenarios: each tail move at flat vol, whose loss counts only for tail_weight_ppm of it.
 * Vol shocks are relative (vol × (1 ± shock × scale)), skew shocks add −sign × shock × scale × ln(K/S) to the
 * vol; scale = sqrt(vol_scale_days / max(days to expiry, min_scale_days)), so near expiries move more.
 * Contingencies: naked_short_charge_ppm × spot × contract size per naked short contract, and
 * oracle_charge_ppm × |net delta notional|. MM = max loss + contingencies; IM = MM × im_factor_ppm.
 */
import { MarginErrors } from "./errors.js";

const PPM = 1_000_000n;
export const MAX_SCENARIO_MOVES = 32;
/** A move may not take the spot to zero or below (-100%), nor above +1000%. */
const MIN_MOVE_PPM = -999_999n;
const MAX_MOVE_PPM = 10_000_000n;

export interface ScenarioGrid {
  /** Signed spot moves, ppm of spot, ascending, unique (e.g. -180000 … +180000 in 9 steps). */
  spotMovesPpm: bigint[];
  /** Relative vol shock at vol_scale_days (300000 = vol × 1.3 up, × 0.7 down). */
  volShockPpm: bigint;
  /** Vol change per unit of ln(K/S) at vol_scale_days (skew steepen / flatten). */
  skewShockPpm: bigint;
  /** Extreme moves at flat vol, ascending, unique (e.g. -660000, +1000000 … +5000000). */
  tailMovesPpm: bigint[];
  /** Fraction of a tail scenario's loss that counts (the dampening factor). */
  tailWeightPpm: bigint;
  /** Per naked short contract: this fraction of spot × contract size. */
  nakedShortChargePpm: bigint;
  /** Oracle uncertainty: this fraction of |net delta notional| of the underlying. */
  oracleChargePpm: bigint;
}

export interface UnderlyingScenarioGrid {
  underlying: string;
  grid: ScenarioGrid;
}

export interface PortfolioParams {
  defaultGrid: ScenarioGrid;
  /** Sorted by underlying, unique. */
  underlyings: UnderlyingScenarioGrid[];
  /** IM = MM × this / 1e6 (≥ 1e6). */
  imFactorPpm: bigint;
  /** Reference horizon of the vol and skew shocks, in days. */
  volScaleDays: bigint;
  /** Days to expiry are floored here when scaling shocks (bounds the scale at sqrt(volScaleDays/minScaleDays)). */
  minScaleDays: bigint;
  /** Shocked vols never go below this (fraction ppm). */
  minVolPpm: bigint;
  /** Vol used for series without an oracle smile (only a spot). */
  fallbackVolPpm: bigint;
  /** Scenario values are computed at the start of this time bucket (cache key), seconds. */
  timeBucketS: bigint;
  /** When true, scenario losses of all underlyings are added index by index before the max (grids must match in size). */
  crossUnderlyingOffset: boolean;
}

export const DEFAULT_SCENARIO_GRID: ScenarioGrid = {
  spotMovesPpm: [-180_000n, -135_000n, -90_000n, -45_000n, 0n, 45_000n, 90_000n, 135_000n, 180_000n],
  volShockPpm: 300_000n,
  skewShockPpm: 100_000n,
  tailMovesPpm: [-660_000n, 1_000_000n, 2_000_000n, 3_000_000n, 4_000_000n, 5_000_000n],
  tailWeightPpm: 100_000n,
  nakedShortChargePpm: 5_000n,
  oracleChargePpm: 10_000n,
};

export const DEFAULT_PORTFOLIO_PARAMS: PortfolioParams = {
  defaultGrid: DEFAULT_SCENARIO_GRID,
  underlyings: [],
  imFactorPpm: 1_300_000n,
  volScaleDays: 30n,
  minScaleDays: 1n,
  minVolPpm: 50_000n,
  fallbackVolPpm: 1_000_000n,
  timeBucketS: 3_600n,
  crossUnderlyingOffset: false,
};

export type ScenarioKind = "grid" | "skew" | "tail";

/** One scenario of an underlying's grid, in evaluation order (its index is what reports name). */
export interface Scenario {
  kind: ScenarioKind;
  spotMovePpm: bigint;
  /** -1 vol down, 0 flat, +1 vol up (grid scenarios). */
  volSign: -1 | 0 | 1;
  /** +1 steepen (low strikes up), -1 flatten (skew scenarios). */
  skewSign: -1 | 0 | 1;
  /** Fraction of the loss that counts. */
  weightPpm: bigint;
  description: string;
}

function pct(ppm: bigint): string {
  const sign = ppm > 0n ? "+" : ppm < 0n ? "-" : "";
  const a = ppm < 0n ? -ppm : ppm;
  const whole = a / 10_000n;
  const frac = a % 10_000n;
  return `${sign}${whole}${frac === 0n ? "" : `.${frac.toString().padStart(4, "0").replace(/0+$/, "")}`}%`;
}

/** The scenario list of a grid, in a fixed order. */
export function scenariosOf(g: ScenarioGrid): Scenario[] {
  const out: Scenario[] = [];
  const volNames = { 1: "vol up", 0: "vol flat", [-1]: "vol down" } as const;
  for (const m of g.spotMovesPpm) {
    for (const v of [1, 0, -1] as const) {
      out.push({ kind: "grid", spotMovePpm: m, volSign: v, skewSign: 0, weightPpm: PPM, description: `spot ${pct(m)} ${volNames[v]}` });
    }
  }
  const skewMoves = [...new Set([g.spotMovesPpm[0] ?? 0n, 0n, g.spotMovesPpm[g.spotMovesPpm.length - 1] ?? 0n])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (g.skewShockPpm > 0n) {
    for (const m of skewMoves) {
      for (const s of [1, -1] as const) {
        out.push({ kind: "skew", spotMovePpm: m, volSign: 0, skewSign: s, weightPpm: PPM, description: `spot ${pct(m)} skew ${s > 0 ? "steepen" : "flatten"}` });
      }
    }
  }
  for (const m of g.tailMovesPpm) {
    out.push({ kind: "tail", spotMovePpm: m, volSign: 0, skewSign: 0, weightPpm: g.tailWeightPpm, description: `tail spot ${pct(m)} (${pct(g.tailWeightPpm)} counts)` });
  }
  return out;
}

export function gridFor(p: PortfolioParams, underlying: string): ScenarioGrid {
  return p.underlyings.find((u) => u.underlying === underlying)?.grid ?? p.defaultGrid;
}

function validateMoves(moves: bigint[], path: string, fail: (why: string) => never): void {
  if (moves.length > MAX_SCENARIO_MOVES) fail(`${path}: at most ${MAX_SCENARIO_MOVES} moves`);
  moves.forEach((m, i) => {
    if (typeof m !== "bigint" || m < MIN_MOVE_PPM || m > MAX_MOVE_PPM) fail(`${path}[${i}] must be in ${MIN_MOVE_PPM}..${MAX_MOVE_PPM} ppm`);
    if (i > 0 && !(moves[i - 1]! < m)) fail(`${path}: must be ascending and unique`);
  });
}

function validateGrid(g: ScenarioGrid, path: string): void {
  const fail = (why: string): never => {
    throw MarginErrors.invalidParams.with(`${path}: ${why}`);
  };
  validateMoves(g.spotMovesPpm, "spot_moves_ppm", fail);
  if (g.spotMovesPpm.length === 0) fail("spot_moves_ppm: at least one move");
  validateMoves(g.tailMovesPpm, "tail_moves_ppm", fail);
  const fractions: Array<[bigint, string, bigint]> = [
    [g.volShockPpm, "vol_shock_ppm", PPM],
    [g.skewShockPpm, "skew_shock_ppm", PPM],
    [g.tailWeightPpm, "tail_weight_ppm", PPM],
    [g.nakedShortChargePpm, "naked_short_charge_ppm", PPM],
    [g.oracleChargePpm, "oracle_charge_ppm", PPM],
  ];
  for (const [v, name, hi] of fractions) if (typeof v !== "bigint" || v < 0n || v > hi) fail(`${name} must be in 0..${hi}`);
}

/** Throws MarginErrors.invalidParams naming the first violated rule. */
export function validatePortfolioParams(p: PortfolioParams, symbolRe: RegExp, maxOverrides: number): void {
  const fail = (why: string): never => {
    throw MarginErrors.invalidParams.with(`portfolio: ${why}`);
  };
  validateGrid(p.defaultGrid, "portfolio.default_grid");
  if (p.underlyings.length > maxOverrides) fail(`at most ${maxOverrides} underlyings`);
  const n = scenariosOf(p.defaultGrid).length;
  p.underlyings.forEach((u, i) => {
    if (!symbolRe.test(u.underlying)) fail(`underlyings[${i}]: "${u.underlying.slice(0, 40)}" is not a symbol like BTC`);
    if (i > 0 && !(p.underlyings[i - 1]!.underlying < u.underlying)) fail("underlyings: must be sorted and unique");
    validateGrid(u.grid, `portfolio.underlyings[${i}] (${u.underlying})`);
    if (p.crossUnderlyingOffset && scenariosOf(u.grid).length !== n) fail(`underlyings[${i}]: cross_underlying_offset needs grids of ${n} scenarios`);
  });
  if (p.imFactorPpm < PPM || p.imFactorPpm > 10n * PPM) fail(`im_factor_ppm must be in ${PPM}..${10n * PPM}`);
  if (p.volScaleDays < 1n || p.volScaleDays > 3650n) fail("vol_scale_days must be in 1..3650");
  if (p.minScaleDays < 1n || p.minScaleDays > p.volScaleDays) fail("min_scale_days must be in 1..vol_scale_days");
  if (p.minVolPpm < 1_000n || p.minVolPpm > 10n * PPM) fail("min_vol_ppm must be in 1000..10000000");
  if (p.fallbackVolPpm < p.minVolPpm || p.fallbackVolPpm > 10n * PPM) fail("fallback_vol_ppm must be in min_vol_ppm..10000000");
  if (p.timeBucketS < 1n || p.timeBucketS > 86_400n) fail("time_bucket_s must be in 1..86400");
}
