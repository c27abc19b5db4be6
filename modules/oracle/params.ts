import type { KVReader, KVStore } from "../../src/store/types.js";
import { OracleErrors } from "./errors.js";
import { OracleKeys } from "./keys.js";
import { OracleParamsCodec, type OracleParams } from "./types.js";

/** An underlying's symbol: upper-case letters and digits, starting with a letter, at most 16 characters. */
export const UNDERLYING_RE = /^[A-Z][A-Z0-9]{0,15}$/;
export const MAX_UNDERLYINGS = 32;
export const MAX_EXPIRIES_LIMIT = 32;
/** underlyings × max_expiries is bounded so a maximal observation stays far below the 64 KiB extension cap. */
export const MAX_SMILES_PER_OBSERVATION = 512;
/** The smallest ppm strictly above 2/3. */
export const MIN_POWER_PPM_FLOOR = 666_667;
export const PPM = 1_000_000;

export const DEFAULT_ORACLE_PARAMS: OracleParams = {
  underlyings: ["BTC", "ETH"],
  maxAgeNs: 30_000_000_000n, // 30 s
  historyLength: 3600, // one hour of 1 s blocks: covers a 30-minute settlement TWAP
  minPowerPpm: MIN_POWER_PPM_FLOOR,
  maxExpiries: 16,
  minPriceMicroUsd: 1n,
  maxPriceMicroUsd: 1_000_000_000_000_000n, // 1e9 USD
  minAtmVolPpm: 10_000n, // 1 %
  maxAtmVolPpm: 10_000_000n, // 1000 %
  maxAbsSkewPpm: 5_000_000n,
  maxAbsCurvaturePpm: 10_000_000n,
  minPriceChangePpm: 500, // 5 bp (dYdX uses 1000 for BTC-USD)
  heartbeatNs: 10_000_000_000n, // 10 s, a third of max_age
  minSmileChangePpm: 2_000n, // 0.2 vol points
};

const MAX_I63 = (1n << 63n) - 1n;

/** Throws OracleErrors.invalidParams naming the first violated rule. */
export function validateOracleParams(p: OracleParams): void {
  const fail = (why: string): never => {
    throw OracleErrors.invalidParams.with(why);
  };
  if (p.underlyings.length === 0 || p.underlyings.length > MAX_UNDERLYINGS) fail(`underlyings: expected 1..${MAX_UNDERLYINGS} symbols`);
  p.underlyings.forEach((u, i) => {
    if (!UNDERLYING_RE.test(u)) fail(`underlyings: "${u.slice(0, 40)}" is not a symbol like BTC`);
    if (i > 0 && !(p.underlyings[i - 1]! < u)) fail("underlyings: must be sorted and unique");
  });
  if (p.maxAgeNs <= 0n || p.maxAgeNs > MAX_I63) fail("max_age_ns must be positive");
  if (!Number.isInteger(p.historyLength) || p.historyLength < 1 || p.historyLength > 100_000) fail("history_length must be in 1..100000");
  if (!Number.isInteger(p.minPowerPpm) || p.minPowerPpm < MIN_POWER_PPM_FLOOR || p.minPowerPpm > PPM) {
    fail(`min_power_ppm must be in ${MIN_POWER_PPM_FLOOR}..${PPM} (strictly more than 2/3 of the power)`);
  }
  if (!Number.isInteger(p.maxExpiries) || p.maxExpiries < 1 || p.maxExpiries > MAX_EXPIRIES_LIMIT) fail(`max_expiries must be in 1..${MAX_EXPIRIES_LIMIT}`);
  if (p.underlyings.length * p.maxExpiries > MAX_SMILES_PER_OBSERVATION) fail(`underlyings × max_expiries must be at most ${MAX_SMILES_PER_OBSERVATION}`);
  if (p.minPriceMicroUsd < 1n || p.minPriceMicroUsd > p.maxPriceMicroUsd || p.maxPriceMicroUsd > MAX_I63) fail("price bounds: need 1 <= min_price_micro_usd <= max_price_micro_usd < 2^63");
  if (p.minAtmVolPpm < 1n || p.minAtmVolPpm > p.maxAtmVolPpm || p.maxAtmVolPpm > MAX_I63) fail("vol bounds: need 1 <= min_atm_vol_ppm <= max_atm_vol_ppm < 2^63");
  if (p.maxAbsSkewPpm < 0n || p.maxAbsSkewPpm > MAX_I63) fail("max_abs_skew_ppm out of range");
  if (p.maxAbsCurvaturePpm < 0n || p.maxAbsCurvaturePpm > MAX_I63) fail("max_abs_curvature_ppm out of range");
  if (!Number.isInteger(p.minPriceChangePpm) || p.minPriceChangePpm < 0 || p.minPriceChangePpm > PPM) fail(`min_price_change_ppm must be in 0..${PPM}`);
  if (p.heartbeatNs < 0n || p.heartbeatNs >= p.maxAgeNs) fail("heartbeat_ns must be below max_age_ns (or a confirmed price would go stale)");
  if (p.minSmileChangePpm < 0n || p.minSmileChangePpm > MAX_I63) fail("min_smile_change_ppm out of range");
}

export function getOracleParams(store: KVReader): OracleParams {
  const raw = store.get(OracleKeys.params);
  return raw === undefined ? DEFAULT_ORACLE_PARAMS : OracleParamsCodec.decode(raw);
}

export function setOracleParams(store: KVStore, params: OracleParams): void {
  validateOracleParams(params);
  store.set(OracleKeys.params, OracleParamsCodec.encode(params));
}
