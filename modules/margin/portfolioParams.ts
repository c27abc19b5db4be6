/** Portfolio params ↔ proto and genesis JSON (snake_case; ppm as numbers or decimal strings, moves signed). */
import { arr, bool, GenesisError, obj, str, type JsonObject } from "../../src/app/genesisJson.js";
import type { PortfolioParamsProto, ScenarioGridProto } from "./codec.js";
import { DEFAULT_PORTFOLIO_PARAMS, DEFAULT_SCENARIO_GRID, type PortfolioParams, type ScenarioGrid } from "./scenarios.js";

const gridToProto = (g: ScenarioGrid): ScenarioGridProto => ({ ...g, spotMovesPpm: [...g.spotMovesPpm], tailMovesPpm: [...g.tailMovesPpm] });

function gridFromProto(g: ScenarioGridProto | undefined): ScenarioGrid {
  if (g === undefined || g === null) return DEFAULT_SCENARIO_GRID;
  return {
    spotMovesPpm: g.spotMovesPpm.map(BigInt),
    volShockPpm: BigInt(g.volShockPpm),
    skewShockPpm: BigInt(g.skewShockPpm),
    tailMovesPpm: g.tailMovesPpm.map(BigInt),
    tailWeightPpm: BigInt(g.tailWeightPpm),
    nakedShortChargePpm: BigInt(g.nakedShortChargePpm),
    oracleChargePpm: BigInt(g.oracleChargePpm),
  };
}

export function portfolioToProto(p: PortfolioParams): PortfolioParamsProto {
  return {
    defaultGrid: gridToProto(p.defaultGrid),
    underlyings: p.underlyings.map((u) => ({ underlying: u.underlying, grid: gridToProto(u.grid) })),
    imFactorPpm: p.imFactorPpm,
    volScaleDays: p.volScaleDays,
    minScaleDays: p.minScaleDays,
    minVolPpm: p.minVolPpm,
    fallbackVolPpm: p.fallbackVolPpm,
    timeBucketS: p.timeBucketS,
    crossUnderlyingOffset: p.crossUnderlyingOffset,
  };
}

export function portfolioFromProto(p: PortfolioParamsProto): PortfolioParams {
  return {
    defaultGrid: gridFromProto(p.defaultGrid),
    underlyings: p.underlyings.map((u) => ({ underlying: u.underlying, grid: gridFromProto(u.grid) })),
    imFactorPpm: BigInt(p.imFactorPpm),
    volScaleDays: BigInt(p.volScaleDays),
    minScaleDays: BigInt(p.minScaleDays),
    minVolPpm: BigInt(p.minVolPpm),
    fallbackVolPpm: BigInt(p.fallbackVolPpm),
    timeBucketS: BigInt(p.timeBucketS),
    crossUnderlyingOffset: p.crossUnderlyingOffset,
  };
}

function int(value: unknown, path: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?[0-9]{1,19}$/.test(value)) return BigInt(value);
  throw new GenesisError(`${path}: expected an integer`);
}

function gridFromJson(value: unknown, path: string): ScenarioGrid {
  const o = obj(value, path);
  return {
    spotMovesPpm: arr(o.spot_moves_ppm, `${path}.spot_moves_ppm`).map((v, i) => int(v, `${path}.spot_moves_ppm[${i}]`)),
    volShockPpm: int(o.vol_shock_ppm, `${path}.vol_shock_ppm`),
    skewShockPpm: int(o.skew_shock_ppm, `${path}.skew_shock_ppm`),
    tailMovesPpm: arr(o.tail_moves_ppm, `${path}.tail_moves_ppm`).map((v, i) => int(v, `${path}.tail_moves_ppm[${i}]`)),
    tailWeightPpm: int(o.tail_weight_ppm, `${path}.tail_weight_ppm`),
    nakedShortChargePpm: int(o.naked_short_charge_ppm, `${path}.naked_short_charge_ppm`),
    oracleChargePpm: int(o.oracle_charge_ppm, `${path}.oracle_charge_ppm`),
  };
}

const gridToJson = (g: ScenarioGrid): JsonObject => ({
  spot_moves_ppm: g.spotMovesPpm.map(String),
  vol_shock_ppm: String(g.volShockPpm),
  skew_shock_ppm: String(g.skewShockPpm),
  tail_moves_ppm: g.tailMovesPpm.map(String),
  tail_weight_ppm: String(g.tailWeightPpm),
  naked_short_charge_ppm: String(g.nakedShortChargePpm),
  oracle_charge_ppm: String(g.oracleChargePpm),
});

export function portfolioToJson(p: PortfolioParams): JsonObject {
  return {
    default_grid: gridToJson(p.defaultGrid),
    underlyings: p.underlyings.map((u) => ({ underlying: u.underlying, grid: gridToJson(u.grid) })),
    im_factor_ppm: String(p.imFactorPpm),
    vol_scale_days: String(p.volScaleDays),
    min_scale_days: String(p.minScaleDays),
    min_vol_ppm: String(p.minVolPpm),
    fallback_vol_ppm: String(p.fallbackVolPpm),
    time_bucket_s: String(p.timeBucketS),
    cross_underlying_offset: p.crossUnderlyingOffset,
  };
}

/** Absent: the defaults. */
export function portfolioFromJson(value: unknown, path: string): PortfolioParams {
  if (value === undefined) return DEFAULT_PORTFOLIO_PARAMS;
  const o = obj(value, path);
  return {
    defaultGrid: gridFromJson(o.default_grid, `${path}.default_grid`),
    underlyings: arr(o.underlyings ?? [], `${path}.underlyings`).map((u, i) => {
      const e = obj(u, `${path}.underlyings[${i}]`);
      return { underlying: str(e.underlying, `${path}.underlyings[${i}].underlying`), grid: gridFromJson(e.grid, `${path}.underlyings[${i}].grid`) };
    }),
    imFactorPpm: int(o.im_factor_ppm, `${path}.im_factor_ppm`),
    volScaleDays: int(o.vol_scale_days, `${path}.vol_scale_days`),
    minScaleDays: int(o.min_scale_days, `${path}.min_scale_days`),
    minVolPpm: int(o.min_vol_ppm, `${path}.min_vol_ppm`),
    fallbackVolPpm: int(o.fallback_vol_ppm, `${path}.fallback_vol_ppm`),
    timeBucketS: int(o.time_bucket_s, `${path}.time_bucket_s`),
    crossUnderlyingOffset: bool(o.cross_underlying_offset, `${path}.cross_underlying_offset`, false),
  };
}
