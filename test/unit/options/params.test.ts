import { describe, expect, it } from "vitest";
import {
  DEFAULT_OPTIONS_PARAMS,
  defaultOptionsGenesis,
  OptionsErrors,
  optionsParamsToJson,
  parseOptionsGenesis,
  parseOptionsParams,
  validateOptionsParams,
  type OptionsParams,
  type UnderlyingParams,
} from "../../../modules/options/index.js";
import { AUTHORITY } from "./fixture.js";

const btc = DEFAULT_OPTIONS_PARAMS.underlyings[0]!;
const withBtc = (patch: Partial<UnderlyingParams>): OptionsParams => ({
  ...DEFAULT_OPTIONS_PARAMS,
  underlyings: [{ ...btc, ...patch }, DEFAULT_OPTIONS_PARAMS.underlyings[1]!],
});

function problem(p: OptionsParams): string {
  try {
    validateOptionsParams(p);
    return "";
  } catch (err) {
    expect(OptionsErrors.invalidParams.is(err)).toBe(true);
    return (err as Error).message;
  }
}

describe("options params", () => {
  it("accepts the defaults (BTC 0.01, ETH 0.1, 30-minute TWAP)", () => {
    expect(problem(DEFAULT_OPTIONS_PARAMS)).toBe("");
    expect(btc.contractSizePpm).toBe(10_000n);
    expect(DEFAULT_OPTIONS_PARAMS.underlyings[1]!.contractSizePpm).toBe(100_000n);
    expect(btc.strikeStepMicroUsd).toBe(1_000_000_000n);
    expect(DEFAULT_OPTIONS_PARAMS.underlyings[1]!.strikeStepMicroUsd).toBe(50_000_000n);
    expect(DEFAULT_OPTIONS_PARAMS.settlementTwapWindowNs).toBe(1_800_000_000_000n);
  });

  it.each<[string, OptionsParams, RegExp]>([
    ["authority", { ...DEFAULT_OPTIONS_PARAMS, authority: "cosmos1xyz" }, /authority "cosmos1xyz" is not a vanna address/],
    ["no underlyings", { ...DEFAULT_OPTIONS_PARAMS, underlyings: [] }, /underlyings: expected 1\.\.32/],
    ["order", { ...DEFAULT_OPTIONS_PARAMS, underlyings: [...DEFAULT_OPTIONS_PARAMS.underlyings].reverse() }, /sorted by symbol and unique/],
    ["duplicate", { ...DEFAULT_OPTIONS_PARAMS, underlyings: [btc, btc] }, /sorted by symbol and unique/],
    ["symbol", withBtc({ symbol: "btc" }), /symbol must look like BTC/],
    ["contract size", withBtc({ contractSizePpm: 0n }), /contract_size_ppm must be in 1\.\./],
    ["tick", withBtc({ tickSizeMicroUsdc: 0n }), /tick_size_micro_usdc must be positive/],
    ["lot", withBtc({ minSizeContracts: 0n }), /min_size_contracts must be positive/],
    ["max order", withBtc({ minSizeContracts: 10n, maxOrderSizeContracts: 5n }), /at least min_size_contracts/],
    ["lot multiple", withBtc({ minSizeContracts: 10n, maxOrderSizeContracts: 15n }), /multiple of min_size_contracts/],
    ["ticks", withBtc({ maxPriceTicks: 0n }), /max_price_ticks must be positive/],
    ["notional overflow", withBtc({ maxPriceTicks: 1n << 40n, maxOrderSizeContracts: 1n << 20n }), /must stay below 2\^63/],
    ["strike step", withBtc({ strikeStepMicroUsd: 0n }), /strike_step_micro_usd out of range/],
    ["strikes each side", withBtc({ strikesEachSide: 201 }), /strikes_each_side must be in 0\.\.200/],
    ["dailies", withBtc({ dailyExpiries: -1 }), /dailyExpiries must be in 0\.\.32/],
    ["total expiries", withBtc({ dailyExpiries: 20, weeklyExpiries: 10, monthlyExpiries: 3 }), /at most 32 policy expiries/],
    ["min time", withBtc({ minTimeToExpiryS: -1n }), /min_time_to_expiry_s must be in/],
    ["live cap", withBtc({ maxLiveSeries: 0 }), /max_live_series must be in 1\.\./],
    ["twap window", { ...DEFAULT_OPTIONS_PARAMS, settlementTwapWindowNs: 0n }, /settlement_twap_window_ns must be in/],
  ])("refuses a bad %s with a clear error", (_name, params, message) => {
    expect(problem(params)).toMatch(message);
  });

  it("parses its own JSON and reports bad fields with their path", () => {
    const p = { ...DEFAULT_OPTIONS_PARAMS, authority: AUTHORITY };
    expect(parseOptionsParams(optionsParamsToJson(p))).toEqual(p);
    const json = optionsParamsToJson(p) as { underlyings: Array<Record<string, unknown>> };
    json.underlyings[0]!.contract_size_ppm = "-5";
    expect(() => parseOptionsParams(json)).toThrow(/options\.params\.underlyings\[0\]\.contract_size_ppm: expected a non-negative integer string/);
    expect(() => parseOptionsParams({ ...optionsParamsToJson(p), settlement_twap_window_ns: "0" })).toThrow(/settlement_twap_window_ns must be in/);
  });

  it("validates genesis cross-references", () => {
    expect(parseOptionsGenesis(defaultOptionsGenesis()).nextSeriesId).toBe(1n);
    const s1 = { id: "1", underlying: "BTC", expiry_unix_s: "1767340800", strike_micro_usd: "100000000000", kind: "call", status: "active", listed_height: "1" };
    expect(parseOptionsGenesis({ series: [s1], next_series_id: "2" }).series).toHaveLength(1);
    expect(() => parseOptionsGenesis({ series: [s1], next_series_id: "3" })).toThrow(/ids must be 1\.\.2/);
    expect(() => parseOptionsGenesis({ series: [{ ...s1, id: "2" }], next_series_id: "2" })).toThrow(/id 2, expected 1/);
    expect(() => parseOptionsGenesis({ series: [s1, { ...s1, id: "2" }], next_series_id: "3" })).toThrow(/duplicate terms/);
    expect(() => parseOptionsGenesis({ series: [{ ...s1, kind: "straddle" }], next_series_id: "2" })).toThrow(/kind: expected one of call, put/);
    expect(() => parseOptionsGenesis({ series: [{ ...s1, underlying: "DOGE" }], next_series_id: "2" })).toThrow(/DOGE is not in the params/);
    expect(() => parseOptionsGenesis({ series: [{ ...s1, status: "settled", settlement_price_micro_usd: "1", settled_height: "5" }], next_series_id: "2" })).toThrow(/has no settlement record/);
    const settled = { ...s1, status: "settled", settlement_price_micro_usd: "1", settled_height: "5" };
    const record = { series_id: "1", settlement_price_micro_usd: "1", total_shortfall_micro_usdc: "7", height: "5" };
    // Claims are what is still outstanding (the insurance fund may have paid some): never above the shortfall.
    expect(parseOptionsGenesis({ series: [settled], settlements: [record], next_series_id: "2" }).shortfallClaims).toEqual([]);
    const tooMuch = { owner: AUTHORITY, subaccount_number: 0, series_id: "1", amount_micro_usdc: "8" };
    expect(() => parseOptionsGenesis({ series: [settled], settlements: [record], shortfall_claims: [tooMuch], next_series_id: "2" })).toThrow(/claims of series 1 sum to 8, above the shortfall of 7/);
    const claim = { owner: AUTHORITY, subaccount_number: 0, series_id: "1", amount_micro_usdc: "7" };
    expect(parseOptionsGenesis({ series: [settled], settlements: [record], shortfall_claims: [claim], next_series_id: "2" }).shortfallClaims[0]!.amountMicroUsdc).toBe(7n);
    expect(() => parseOptionsGenesis({ series: [s1], expired_series_ids: ["2"], next_series_id: "2" })).toThrow(/not an unsettled series/);
  });
});
