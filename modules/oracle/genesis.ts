/**
 * Oracle genesis (snake_case JSON, 64-bit integers as decimal strings): params, and optionally prices, smiles
 * and price history (so `vanna export` followed by a new chain keeps TWAPs). A fresh chain has no prices:
 * every underlying is stale until the validators' first aggregate.
 */
import type { Context } from "../../src/app/context.js";
import { arr, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import type { OracleKeeper } from "./keeper.js";
import { MAX_EXPIRY_UNIX_S } from "./observation.js";
import { DEFAULT_ORACLE_PARAMS, PPM, validateOracleParams } from "./params.js";
import type { OracleParams, Price, PriceHistory, PricePoint, Smile } from "./types.js";
import { ChainError } from "../../src/errors.js";

export interface OracleGenesis {
  params: OracleParams;
  prices: Price[];
  smiles: Smile[];
  history: PriceHistory[];
}

const MAX_I63 = (1n << 63n) - 1n;

function int(value: unknown, path: string, fallback?: bigint): bigint {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value !== "string" || !/^-?(0|[1-9][0-9]*)$/.test(value) || value === "-0") throw new GenesisError(`${path}: expected an integer string`);
  const v = BigInt(value);
  if (v > MAX_I63 || v < -MAX_I63) throw new GenesisError(`${path}: out of range`);
  return v;
}

function u64(value: unknown, path: string, fallback?: bigint): bigint {
  const v = uint(value, path, fallback);
  if (v > MAX_I63) throw new GenesisError(`${path}: out of range`);
  return v;
}

function u32(value: unknown, path: string, fallback: number): number {
  const v = uint(value, path, BigInt(fallback));
  if (v > 0xffffffffn) throw new GenesisError(`${path}: out of range`);
  return Number(v);
}

export function defaultOracleGenesis(): JsonObject {
  return { params: paramsToJson(DEFAULT_ORACLE_PARAMS), prices: [], smiles: [], history: [] };
}

export function parseOracleGenesis(json: unknown): OracleGenesis {
  const g = obj(json ?? {}, "oracle");
  const d = DEFAULT_ORACLE_PARAMS;
  const p = g.params === undefined ? undefined : obj(g.params, "oracle.params");
  const maxAgeNs = p === undefined ? d.maxAgeNs : u64(p.max_age_ns, "oracle.params.max_age_ns", d.maxAgeNs);
  const params: OracleParams =
    p === undefined
      ? d
      : {
          underlyings: p.underlyings === undefined ? [...d.underlyings] : arr(p.underlyings, "oracle.params.underlyings").map((u, i) => str(u, `oracle.params.underlyings[${i}]`)),
          maxAgeNs,
          historyLength: u32(p.history_length, "oracle.params.history_length", d.historyLength),
          minPowerPpm: u32(p.min_power_ppm, "oracle.params.min_power_ppm", d.minPowerPpm),
          maxExpiries: u32(p.max_expiries, "oracle.params.max_expiries", d.maxExpiries),
          minPriceMicroUsd: u64(p.min_price_micro_usd, "oracle.params.min_price_micro_usd", d.minPriceMicroUsd),
          maxPriceMicroUsd: u64(p.max_price_micro_usd, "oracle.params.max_price_micro_usd", d.maxPriceMicroUsd),
          minAtmVolPpm: u64(p.min_atm_vol_ppm, "oracle.params.min_atm_vol_ppm", d.minAtmVolPpm),
          maxAtmVolPpm: u64(p.max_atm_vol_ppm, "oracle.params.max_atm_vol_ppm", d.maxAtmVolPpm),
          maxAbsSkewPpm: u64(p.max_abs_skew_ppm, "oracle.params.max_abs_skew_ppm", d.maxAbsSkewPpm),
          maxAbsCurvaturePpm: u64(p.max_abs_curvature_ppm, "oracle.params.max_abs_curvature_ppm", d.maxAbsCurvaturePpm),
          minPriceChangePpm: u32(p.min_price_change_ppm, "oracle.params.min_price_change_ppm", d.minPriceChangePpm),
          // Unless given, a third of max_age (10 s for the default 30 s).
          heartbeatNs: u64(p.heartbeat_ns, "oracle.params.heartbeat_ns", maxAgeNs / 3n),
          minSmileChangePpm: u64(p.min_smile_change_ppm, "oracle.params.min_smile_change_ppm", d.minSmileChangePpm),
        };
  try {
    validateOracleParams(params);
  } catch (err) {
    throw new GenesisError(`oracle.params: ${err instanceof ChainError ? err.message : String(err)}`);
  }
  const known = new Set(params.underlyings);
  const knownUnderlying = (value: unknown, path: string) => {
    const u = str(value, path);
    if (!known.has(u)) throw new GenesisError(`${path}: ${u.slice(0, 40)} is not in oracle.params.underlyings`);
    return u;
  };
  const ppm = (value: unknown, path: string) => {
    const v = u32(value, path, 0);
    if (v > PPM) throw new GenesisError(`${path}: at most ${PPM}`);
    return v;
  };

  const priced = new Set<string>();
  const prices = arr(g.prices, "oracle.prices").map((x, i): Price => {
    const path = `oracle.prices[${i}]`;
    const o = obj(x, path);
    const underlying = knownUnderlying(o.underlying, `${path}.underlying`);
    if (priced.has(underlying)) throw new GenesisError(`${path}: duplicate underlying ${underlying}`);
    priced.add(underlying);
    const priceMicroUsd = u64(o.price_micro_usd, `${path}.price_micro_usd`);
    if (priceMicroUsd === 0n) throw new GenesisError(`${path}.price_micro_usd: must be positive`);
    return {
      underlying,
      priceMicroUsd,
      updatedHeight: u64(o.updated_height, `${path}.updated_height`, 0n),
      updatedTimeNs: u64(o.updated_time_ns, `${path}.updated_time_ns`),
      reportingPowerPpm: ppm(o.reporting_power_ppm, `${path}.reporting_power_ppm`),
    };
  });

  const smiled = new Set<string>();
  const smiles = arr(g.smiles, "oracle.smiles").map((x, i): Smile => {
    const path = `oracle.smiles[${i}]`;
    const o = obj(x, path);
    const underlying = knownUnderlying(o.underlying, `${path}.underlying`);
    const expiryUnixS = u64(o.expiry_unix_s, `${path}.expiry_unix_s`);
    if (expiryUnixS === 0n || expiryUnixS > MAX_EXPIRY_UNIX_S) throw new GenesisError(`${path}.expiry_unix_s: out of range`);
    const key = `${underlying}/${expiryUnixS}`;
    if (smiled.has(key)) throw new GenesisError(`${path}: duplicate smile ${key}`);
    smiled.add(key);
    const atmVolPpm = u64(o.atm_vol_ppm, `${path}.atm_vol_ppm`);
    if (atmVolPpm === 0n) throw new GenesisError(`${path}.atm_vol_ppm: must be positive`);
    return {
      underlying,
      expiryUnixS,
      atmVolPpm,
      skewPpm: int(o.skew_ppm, `${path}.skew_ppm`, 0n),
      curvaturePpm: int(o.curvature_ppm, `${path}.curvature_ppm`, 0n),
      updatedHeight: u64(o.updated_height, `${path}.updated_height`, 0n),
      updatedTimeNs: u64(o.updated_time_ns, `${path}.updated_time_ns`),
      reportingPowerPpm: ppm(o.reporting_power_ppm, `${path}.reporting_power_ppm`),
    };
  });

  const histories = new Set<string>();
  const history = arr(g.history, "oracle.history").map((x, i): PriceHistory => {
    const path = `oracle.history[${i}]`;
    const o = obj(x, path);
    const underlying = knownUnderlying(o.underlying, `${path}.underlying`);
    if (histories.has(underlying)) throw new GenesisError(`${path}: duplicate underlying ${underlying}`);
    histories.add(underlying);
    const points = arr(o.points, `${path}.points`).map((y, j): PricePoint => {
      const q = obj(y, `${path}.points[${j}]`);
      const priceMicroUsd = u64(q.price_micro_usd, `${path}.points[${j}].price_micro_usd`);
      if (priceMicroUsd === 0n) throw new GenesisError(`${path}.points[${j}].price_micro_usd: must be positive`);
      return { timeNs: u64(q.time_ns, `${path}.points[${j}].time_ns`), priceMicroUsd, height: u64(q.height, `${path}.points[${j}].height`, 0n) };
    });
    points.forEach((pt, j) => {
      if (j > 0 && !(points[j - 1]!.timeNs < pt.timeNs)) throw new GenesisError(`${path}.points: times must be strictly ascending`);
    });
    if (points.length > params.historyLength) throw new GenesisError(`${path}.points: more than history_length (${params.historyLength}) points`);
    return { underlying, points };
  });
  return { params, prices, smiles, history };
}

export function initOracleGenesis(ctx: Context, keeper: OracleKeeper, json: unknown): void {
  const g = parseOracleGenesis(json);
  keeper.setParams(ctx.store, g.params);
  for (const p of g.prices) keeper.setPrice(ctx.store, p);
  for (const s of g.smiles) keeper.setSmile(ctx.store, s);
  for (const h of g.history) for (const pt of h.points) keeper.appendHistory(ctx.store, h.underlying, pt, g.params.historyLength);
}

export function exportOracleGenesis(ctx: Context, keeper: OracleKeeper): JsonObject {
  const params = keeper.getParams(ctx.store);
  const prices = [...keeper.iteratePrices(ctx.store)].map((p) => ({
    underlying: p.underlying,
    price_micro_usd: p.priceMicroUsd.toString(),
    updated_height: p.updatedHeight.toString(),
    updated_time_ns: p.updatedTimeNs.toString(),
    reporting_power_ppm: p.reportingPowerPpm,
  }));
  const smiles = [...keeper.iterateSmiles(ctx.store)].map((s) => ({
    underlying: s.underlying,
    expiry_unix_s: s.expiryUnixS.toString(),
    atm_vol_ppm: s.atmVolPpm.toString(),
    skew_ppm: s.skewPpm.toString(),
    curvature_ppm: s.curvaturePpm.toString(),
    updated_height: s.updatedHeight.toString(),
    updated_time_ns: s.updatedTimeNs.toString(),
    reporting_power_ppm: s.reportingPowerPpm,
  }));
  const history = params.underlyings
    .map((underlying) => ({
      underlying,
      points: [...keeper.iterateHistory(ctx.store, underlying)].map((pt) => ({ time_ns: pt.timeNs.toString(), price_micro_usd: pt.priceMicroUsd.toString(), height: pt.height.toString() })),
    }))
    .filter((h) => h.points.length > 0);
  return { params: paramsToJson(params), prices, smiles, history };
}

function paramsToJson(p: OracleParams): JsonObject {
  return {
    underlyings: [...p.underlyings],
    max_age_ns: p.maxAgeNs.toString(),
    history_length: p.historyLength,
    min_power_ppm: p.minPowerPpm,
    max_expiries: p.maxExpiries,
    min_price_micro_usd: p.minPriceMicroUsd.toString(),
    max_price_micro_usd: p.maxPriceMicroUsd.toString(),
    min_atm_vol_ppm: p.minAtmVolPpm.toString(),
    max_atm_vol_ppm: p.maxAtmVolPpm.toString(),
    max_abs_skew_ppm: p.maxAbsSkewPpm.toString(),
    max_abs_curvature_ppm: p.maxAbsCurvaturePpm.toString(),
    min_price_change_ppm: p.minPriceChangePpm,
    heartbeat_ns: p.heartbeatNs.toString(),
    min_smile_change_ppm: p.minSmileChangePpm.toString(),
  };
}
