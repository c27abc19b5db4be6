/** Options params: the listing authority, per-underlying contract specs and listing policy, settlement window. */
import { ACCOUNT_PREFIX, moduleAddress, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { UNDERLYING_RE } from "../oracle/index.js";
import { paramsFromProto, paramsToProto, ParamsProto } from "./codec.js";
import { OptionsErrors } from "./errors.js";
import { OptionsKeys } from "./keys.js";
import type { OptionsParams, UnderlyingParams } from "./types.js";

const MAX_I63 = (1n << 63n) - 1n;
export const MAX_OPTION_UNDERLYINGS = 32;
/** The oracle keeps at most 32 smiles per underlying (its max_expiries limit): more expiries could never be marked. */
export const MAX_POLICY_EXPIRIES = 32;
export const MAX_STRIKES_EACH_SIDE = 200;
export const MAX_LIVE_SERIES_LIMIT = 100_000;
export const MAX_MIN_TIME_TO_EXPIRY_S = 365n * 86_400n;
export const MAX_SETTLEMENT_TWAP_WINDOW_NS = 86_400_000_000_000n;
/** Contract sizes above 1000 units of the underlying are refused (values would approach int64 limits). */
export const MAX_CONTRACT_SIZE_PPM = 1_000_000_000n;

/** Until governance exists the default authority is the "gov" module address, which nobody can sign for. */
export const DEFAULT_OPTIONS_AUTHORITY = toBech32Address(ACCOUNT_PREFIX, moduleAddress("gov"));

const policy = { dailyExpiries: 2, weeklyExpiries: 2, monthlyExpiries: 2, minTimeToExpiryS: 3_600n, maxLiveSeries: 2_000, autoList: true };

export const DEFAULT_OPTIONS_PARAMS: OptionsParams = {
  authority: DEFAULT_OPTIONS_AUTHORITY,
  underlyings: [
    {
      symbol: "BTC",
      contractSizePpm: 10_000n, // 0.01 BTC
      tickSizeMicroUsdc: 10_000n, // 1 cent per contract
      minSizeContracts: 1n,
      maxOrderSizeContracts: 100_000n, // 1,000 BTC
      maxPriceTicks: 100_000_000n, // 1,000,000 USD per contract: far above any 0.01 BTC premium
      strikeStepMicroUsd: 1_000_000_000n, // 1,000 USD
      strikesEachSide: 10,
      ...policy,
    },
    {
      symbol: "ETH",
      contractSizePpm: 100_000n, // 0.1 ETH
      tickSizeMicroUsdc: 10_000n,
      minSizeContracts: 1n,
      maxOrderSizeContracts: 100_000n, // 10,000 ETH
      maxPriceTicks: 100_000_000n,
      strikeStepMicroUsd: 50_000_000n, // 50 USD
      strikesEachSide: 10,
      ...policy,
    },
  ],
  settlementTwapWindowNs: 1_800_000_000_000n, // 30 minutes
  authorityMinTimeToExpiryS: 60n, // short-dated series for events and tests; the policy keeps a 1-hour minimum
};

function checkUnderlying(u: UnderlyingParams, i: number, fail: (why: string) => never): void {
  const at = `underlyings[${i}] (${String(u.symbol).slice(0, 20)})`;
  const intIn = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!UNDERLYING_RE.test(u.symbol)) fail(`${at}: symbol must look like BTC ([A-Z][A-Z0-9]{0,15})`);
  if (u.contractSizePpm < 1n || u.contractSizePpm > MAX_CONTRACT_SIZE_PPM) fail(`${at}: contract_size_ppm must be in 1..${MAX_CONTRACT_SIZE_PPM}`);
  if (u.tickSizeMicroUsdc < 1n) fail(`${at}: tick_size_micro_usdc must be positive`);
  if (u.minSizeContracts < 1n) fail(`${at}: min_size_contracts must be positive`);
  if (u.maxOrderSizeContracts < u.minSizeContracts) fail(`${at}: max_order_size_contracts must be at least min_size_contracts`);
  if (u.maxOrderSizeContracts % u.minSizeContracts !== 0n) fail(`${at}: max_order_size_contracts must be a multiple of min_size_contracts`);
  if (u.maxPriceTicks < 1n) fail(`${at}: max_price_ticks must be positive`);
  if (u.maxPriceTicks * u.tickSizeMicroUsdc * u.maxOrderSizeContracts > MAX_I63) {
    fail(`${at}: max_price_ticks × tick_size_micro_usdc × max_order_size_contracts must stay below 2^63 (an order's notional)`);
  }
  if (u.strikeStepMicroUsd < 1n || u.strikeStepMicroUsd > MAX_I63 / BigInt(2 * MAX_STRIKES_EACH_SIDE + 2)) fail(`${at}: strike_step_micro_usd out of range`);
  if (!intIn(u.strikesEachSide, 0, MAX_STRIKES_EACH_SIDE)) fail(`${at}: strikes_each_side must be in 0..${MAX_STRIKES_EACH_SIDE}`);
  for (const f of ["dailyExpiries", "weeklyExpiries", "monthlyExpiries"] as const) {
    if (!intIn(u[f], 0, MAX_POLICY_EXPIRIES)) fail(`${at}: ${f} must be in 0..${MAX_POLICY_EXPIRIES}`);
  }
  if (u.dailyExpiries + u.weeklyExpiries + u.monthlyExpiries > MAX_POLICY_EXPIRIES) fail(`${at}: at most ${MAX_POLICY_EXPIRIES} policy expiries in all`);
  if (u.minTimeToExpiryS < 0n || u.minTimeToExpiryS > MAX_MIN_TIME_TO_EXPIRY_S) fail(`${at}: min_time_to_expiry_s must be in 0..${MAX_MIN_TIME_TO_EXPIRY_S}`);
  if (!intIn(u.maxLiveSeries, 1, MAX_LIVE_SERIES_LIMIT)) fail(`${at}: max_live_series must be in 1..${MAX_LIVE_SERIES_LIMIT}`);
  if (typeof u.autoList !== "boolean") fail(`${at}: auto_list must be a boolean`);
}

/** Throws OptionsErrors.invalidParams naming the first violated rule. */
export function validateOptionsParams(p: OptionsParams): void {
  const fail = (why: string): never => {
    throw OptionsErrors.invalidParams.with(why);
  };
  try {
    parseBech32Address(p.authority, ACCOUNT_PREFIX);
  } catch {
    fail(`authority "${String(p.authority).slice(0, 80)}" is not a ${ACCOUNT_PREFIX} address`);
  }
  if (p.underlyings.length === 0 || p.underlyings.length > MAX_OPTION_UNDERLYINGS) fail(`underlyings: expected 1..${MAX_OPTION_UNDERLYINGS}`);
  p.underlyings.forEach((u, i) => {
    checkUnderlying(u, i, fail);
    if (i > 0 && !(p.underlyings[i - 1]!.symbol < u.symbol)) fail("underlyings: must be sorted by symbol and unique");
  });
  if (p.authorityMinTimeToExpiryS < 1n || p.authorityMinTimeToExpiryS > MAX_MIN_TIME_TO_EXPIRY_S) fail(`authority_min_time_to_expiry_s must be in 1..${MAX_MIN_TIME_TO_EXPIRY_S}`);
  if (p.settlementTwapWindowNs < 1n || p.settlementTwapWindowNs > MAX_SETTLEMENT_TWAP_WINDOW_NS) {
    fail(`settlement_twap_window_ns must be in 1..${MAX_SETTLEMENT_TWAP_WINDOW_NS}`);
  }
}

export function getOptionsParams(store: KVReader): OptionsParams {
  const raw = store.get(OptionsKeys.params);
  return raw === undefined ? DEFAULT_OPTIONS_PARAMS : paramsFromProto(ParamsProto.decode(raw));
}

export function setOptionsParams(store: KVStore, params: OptionsParams): void {
  validateOptionsParams(params);
  store.set(OptionsKeys.params, ParamsProto.encode(paramsToProto(params)));
}
