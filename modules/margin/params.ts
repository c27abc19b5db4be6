/**
 * Margin params: a version, default risk fractions and per-underlying overrides. Fractions are parts per
 * million of the spot (or of the strike, for the put minimum); validated on every write and in genesis.
 */
import type { KVReader, KVStore } from "../../src/store/types.js";
import { ParamsProto, type RiskParamsProto } from "./codec.js";
import { MarginErrors } from "./errors.js";
import { MarginKeys } from "./keys.js";
import { DEFAULT_PORTFOLIO_PARAMS, validatePortfolioParams, type PortfolioParams } from "./scenarios.js";
import { portfolioFromProto, portfolioToProto } from "./portfolioParams.js";

export const PPM = 1_000_000n;
export const UNDERLYING_SYMBOL_RE = /^[A-Z][A-Z0-9]{0,15}$/;
export const MAX_UNDERLYING_OVERRIDES = 64;
const MAX_U32 = 0xffff_ffff;

export interface RiskParams {
  /** Short IM: fraction of spot, less the out-of-the-money amount (Deribit 15%). */
  shortImFractionPpm: bigint;
  /** Short IM floor: fraction of spot for calls, of strike for puts (CBOE 10%). */
  shortImMinFractionPpm: bigint;
  shortMmFractionPpm: bigint;
  shortMmMinFractionPpm: bigint;
}

export interface UnderlyingRiskParams {
  underlying: string;
  risk: RiskParams;
}

export interface MarginParams {
  version: number;
  defaultRisk: RiskParams;
  /** Sorted by underlying, unique. */
  underlyings: UnderlyingRiskParams[];
  /** Portfolio margin (scenario grids, contingencies, IM factor); absent: DEFAULT_PORTFOLIO_PARAMS. */
  portfolio?: PortfolioParams;
}

export const DEFAULT_RISK_PARAMS: RiskParams = {
  shortImFractionPpm: 150_000n,
  shortImMinFractionPpm: 100_000n,
  shortMmFractionPpm: 75_000n,
  shortMmMinFractionPpm: 50_000n,
};

export const DEFAULT_MARGIN_PARAMS: MarginParams = { version: 1, defaultRisk: DEFAULT_RISK_PARAMS, underlyings: [], portfolio: DEFAULT_PORTFOLIO_PARAMS };

function validateRisk(r: RiskParams, path: string): void {
  const fail = (why: string): never => {
    throw MarginErrors.invalidParams.with(`${path}: ${why}`);
  };
  const fields: Array<[keyof RiskParams, string]> = [
    ["shortImFractionPpm", "short_im_fraction_ppm"],
    ["shortImMinFractionPpm", "short_im_min_fraction_ppm"],
    ["shortMmFractionPpm", "short_mm_fraction_ppm"],
    ["shortMmMinFractionPpm", "short_mm_min_fraction_ppm"],
  ];
  for (const [key, name] of fields) {
    const v = r[key];
    if (typeof v !== "bigint" || v < 0n || v > PPM) fail(`${name} must be in 0..${PPM}`);
  }
  // A short always needs margin beyond its mark, and maintenance never exceeds initial.
  if (r.shortImMinFractionPpm === 0n) fail("short_im_min_fraction_ppm must be positive");
  if (r.shortMmMinFractionPpm === 0n) fail("short_mm_min_fraction_ppm must be positive");
  if (r.shortImMinFractionPpm > r.shortImFractionPpm) fail("short_im_min_fraction_ppm must not exceed short_im_fraction_ppm");
  if (r.shortMmMinFractionPpm > r.shortMmFractionPpm) fail("short_mm_min_fraction_ppm must not exceed short_mm_fraction_ppm");
  if (r.shortMmFractionPpm > r.shortImFractionPpm) fail("short_mm_fraction_ppm must not exceed short_im_fraction_ppm");
  if (r.shortMmMinFractionPpm > r.shortImMinFractionPpm) fail("short_mm_min_fraction_ppm must not exceed short_im_min_fraction_ppm");
}

/** Throws MarginErrors.invalidParams naming the first violated rule. */
export function validateMarginParams(p: MarginParams): void {
  if (!Number.isInteger(p.version) || p.version < 1 || p.version > MAX_U32) {
    throw MarginErrors.invalidParams.with(`version must be in 1..${MAX_U32}`);
  }
  validateRisk(p.defaultRisk, "default_risk");
  if (p.underlyings.length > MAX_UNDERLYING_OVERRIDES) throw MarginErrors.invalidParams.with(`at most ${MAX_UNDERLYING_OVERRIDES} underlyings`);
  p.underlyings.forEach((u, i) => {
    if (!UNDERLYING_SYMBOL_RE.test(u.underlying)) throw MarginErrors.invalidParams.with(`underlyings[${i}]: "${u.underlying.slice(0, 40)}" is not a symbol like BTC`);
    if (i > 0 && !(p.underlyings[i - 1]!.underlying < u.underlying)) throw MarginErrors.invalidParams.with("underlyings: must be sorted and unique");
    validateRisk(u.risk, `underlyings[${i}] (${u.underlying})`);
  });
  validatePortfolioParams(portfolioParamsOf(p), UNDERLYING_SYMBOL_RE, MAX_UNDERLYING_OVERRIDES);
}

export const portfolioParamsOf = (p: MarginParams): PortfolioParams => p.portfolio ?? DEFAULT_PORTFOLIO_PARAMS;

/** The fractions that apply to an underlying: its override, else the default. */
export function riskParamsFor(params: MarginParams, underlying: string): RiskParams {
  return params.underlyings.find((u) => u.underlying === underlying)?.risk ?? params.defaultRisk;
}

export function riskToProto(r: RiskParams): RiskParamsProto {
  return {
    shortImFractionPpm: Number(r.shortImFractionPpm),
    shortImMinFractionPpm: Number(r.shortImMinFractionPpm),
    shortMmFractionPpm: Number(r.shortMmFractionPpm),
    shortMmMinFractionPpm: Number(r.shortMmMinFractionPpm),
  };
}

function riskFromProto(r: RiskParamsProto | undefined): RiskParams {
  return {
    shortImFractionPpm: BigInt(r?.shortImFractionPpm ?? 0),
    shortImMinFractionPpm: BigInt(r?.shortImMinFractionPpm ?? 0),
    shortMmFractionPpm: BigInt(r?.shortMmFractionPpm ?? 0),
    shortMmMinFractionPpm: BigInt(r?.shortMmMinFractionPpm ?? 0),
  };
}

export function paramsToProto(p: MarginParams): ParamsProto {
  return {
    version: p.version,
    defaultRisk: riskToProto(p.defaultRisk),
    underlyings: p.underlyings.map((u) => ({ underlying: u.underlying, risk: riskToProto(u.risk) })),
    portfolio: portfolioToProto(portfolioParamsOf(p)),
  };
}

export function paramsFromProto(p: ParamsProto): MarginParams {
  return {
    version: p.version,
    defaultRisk: riskFromProto(p.defaultRisk),
    underlyings: p.underlyings.map((u) => ({ underlying: u.underlying, risk: riskFromProto(u.risk) })),
    portfolio: p.portfolio === undefined || p.portfolio === null ? DEFAULT_PORTFOLIO_PARAMS : portfolioFromProto(p.portfolio),
  };
}

export function getMarginParams(store: KVReader): MarginParams {
  const raw = store.get(MarginKeys.params);
  return raw === undefined ? DEFAULT_MARGIN_PARAMS : paramsFromProto(ParamsProto.decode(raw));
}

export function setMarginParams(store: KVStore, params: MarginParams): void {
  validateMarginParams(params);
  store.set(MarginKeys.params, ParamsProto.encode(paramsToProto(params)));
}
