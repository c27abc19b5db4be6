/** Hand-computed standard margin: BTC at $60,000, 0.01 BTC contracts, 15%/10% IM and 7.5%/5% MM. */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RISK_PARAMS,
  emptyAggregate,
  intrinsicPerContract,
  ordersInitialMargin,
  positionInitialMargin,
  positionMaintenanceMargin,
  positionValue,
  seriesRisk,
  shortAddOnPerContract,
  type SeriesOrderAggregate,
  type SeriesRisk,
} from "../../../modules/margin/index.js";

const USD = 1_000_000n;
const S = 60_000n * USD;
const CS = 10_000n;
const TICK = 100_000n; // 0.1 USDC

function risk(kind: "call" | "put", strikeUsd: bigint, markUsdc: bigint): SeriesRisk {
  return seriesRisk({
    kind,
    strikeMicroUsd: strikeUsd * USD,
    contractSizePpm: CS,
    tickSizeMicroUsdc: TICK,
    risk: DEFAULT_RISK_PARAMS,
    mark: { markMicroUsdcPerContract: markUsdc, spotMicroUsd: S },
  })!;
}

const agg = (a: Partial<SeriesOrderAggregate>): SeriesOrderAggregate => ({ ...emptyAggregate(), ...a });

describe("standard margin: positions", () => {
  it("naked short call in the money: mark + 15% of spot (no OTM relief)", () => {
    // K = 55k, mark $55/contract. Add-on: max(0.15·60000 − 0, 0.10·60000)·0.01 = $90. MM add-on: 4500·0.01 = $45.
    const r = risk("call", 55_000n, 55n * USD);
    expect(r.imAddOnMicroUsdc).toBe(90n * USD);
    expect(r.mmAddOnMicroUsdc).toBe(45n * USD);
    expect(positionInitialMargin(-2n, r)).toBe(2n * (55n + 90n) * USD);
    expect(positionMaintenanceMargin(-2n, r)).toBe(2n * (55n + 45n) * USD);
    expect(positionValue(-2n, r)).toBe(-110n * USD);
  });

  it("naked short call out of the money: the 10%-of-spot floor applies", () => {
    // K = 70k: OTM $10,000 > 15% of spot ($9,000) → floor 0.10·60000·0.01 = $60; MM floor 0.05 → $30.
    const r = risk("call", 70_000n, 8n * USD);
    expect(r.imAddOnMicroUsdc).toBe(60n * USD);
    expect(r.mmAddOnMicroUsdc).toBe(30n * USD);
    expect(positionInitialMargin(-1n, r)).toBe(68n * USD);
    expect(positionMaintenanceMargin(-1n, r)).toBe(38n * USD);
  });

  it("short call slightly OTM: 15% of spot less the OTM amount", () => {
    // K = 62k: max(9000 − 2000, 6000)·0.01 = $70.
    expect(risk("call", 62_000n, 20n * USD).imAddOnMicroUsdc).toBe(70n * USD);
  });

  it("naked short put: the floor is 10% of the strike, not of the spot (CBOE)", () => {
    // K = 40k, OTM $20,000: max(9000 − 20000, 0.10·40000)·0.01 = $40 (a spot floor would give $60). MM: 0.05·40000·0.01 = $20.
    const r = risk("put", 40_000n, 2n * USD);
    expect(r.imAddOnMicroUsdc).toBe(40n * USD);
    expect(r.mmAddOnMicroUsdc).toBe(20n * USD);
    expect(positionInitialMargin(-3n, r)).toBe(3n * 42n * USD);
  });

  it("long call: requirement equals the mark value, so it adds nothing to free collateral", () => {
    const r = risk("call", 55_000n, 55n * USD);
    expect(positionValue(3n, r)).toBe(165n * USD);
    expect(positionInitialMargin(3n, r)).toBe(165n * USD);
    expect(positionMaintenanceMargin(3n, r)).toBe(165n * USD);
  });

  it("settled series: no requirement, valued at the payoff", () => {
    const r = seriesRisk({ kind: "call", strikeMicroUsd: 55_000n * USD, contractSizePpm: CS, tickSizeMicroUsdc: TICK, risk: DEFAULT_RISK_PARAMS, settled: true, settlementPriceMicroUsd: 61_000n * USD })!;
    expect(positionInitialMargin(-2n, r)).toBe(0n);
    expect(positionMaintenanceMargin(-2n, r)).toBe(0n);
    expect(positionValue(-2n, r)).toBe(-120n * USD); // 6000·0.01 per contract
    expect(ordersInitialMargin(-2n, agg({ sellContracts: 5n }), r)).toBe(0n);
  });

  it("no mark and no spot: no price", () => {
    expect(seriesRisk({ kind: "call", strikeMicroUsd: 1n, contractSizePpm: CS, tickSizeMicroUsdc: TICK, risk: DEFAULT_RISK_PARAMS })).toBeUndefined();
  });
});

describe("standard margin: rounding", () => {
  it("requirements round up", () => {
    // 0.15 · 33.333333 USD · 0.01 = 0.0499999995 USD → 50,000 uusdc (floor would be 49,999).
    expect(shortAddOnPerContract("call", 33_333_333n, 33_333_333n, CS, 150_000n, 100_000n)).toBe(50_000n);
  });

  it("marks from a spot round down for longs and up for shorts", () => {
    // Intrinsic of a 0-strike call at 33.333333 USD per 0.01 unit: 333,333.33 uusdc.
    expect(intrinsicPerContract("call", 0n, 33_333_333n, CS, "floor")).toBe(333_333n);
    expect(intrinsicPerContract("call", 0n, 33_333_333n, CS, "ceil")).toBe(333_334n);
    const r = seriesRisk({ kind: "call", strikeMicroUsd: 0n, contractSizePpm: CS, tickSizeMicroUsdc: TICK, risk: DEFAULT_RISK_PARAMS, spotMicroUsd: 33_333_333n })!;
    expect(positionValue(1n, r)).toBe(333_333n); // long: down
    expect(positionValue(-1n, r)).toBe(-333_334n); // short liability: up
    expect(positionInitialMargin(-1n, r)).toBe(333_334n + 50_000n);
  });
});

describe("standard margin: open orders at their worst case", () => {
  const otmCall = risk("call", 70_000n, 8n * USD); // short IM $68/contract

  it("buys to open cost their premium at the limit price (longs pay premium only)", () => {
    // 2 contracts at 50 ticks × $0.1 = $10.
    expect(ordersInitialMargin(0n, agg({ buyContracts: 2n, buyTicksContracts: 100n }), otmCall)).toBe(10n * USD);
  });

  it("sells to open cost the short's IM; no credit for premium above the mark", () => {
    // 2 at $10 (≥ mark $8): 2·68 + 2·8 − min(20, 16) = $136.
    expect(ordersInitialMargin(0n, agg({ sellContracts: 2n, sellTicksContracts: 200n }), otmCall)).toBe(136n * USD);
    // 2 at $5 (< mark): the shortfall below the mark is charged: 136 + 16 − 10 = $142.
    expect(ordersInitialMargin(0n, agg({ sellContracts: 2n, sellTicksContracts: 100n }), otmCall)).toBe(142n * USD);
  });

  it("both sides: the worse of all-buys-fill and all-sells-fill, not the sum", () => {
    expect(ordersInitialMargin(0n, agg({ buyContracts: 2n, buyTicksContracts: 100n, sellContracts: 2n, sellTicksContracts: 200n }), otmCall)).toBe(136n * USD);
  });

  it("closing orders: selling a long at or above the mark adds nothing; buying back a short adds nothing", () => {
    expect(ordersInitialMargin(2n, agg({ sellContracts: 2n, sellTicksContracts: 200n }), otmCall)).toBe(0n);
    expect(ordersInitialMargin(-2n, agg({ buyContracts: 2n, buyTicksContracts: 100n }), otmCall)).toBe(0n);
  });

  it("reduce-only orders add nothing by themselves", () => {
    expect(ordersInitialMargin(2n, agg({ reduceOnlySellContracts: 2n }), otmCall)).toBe(0n);
    expect(ordersInitialMargin(-2n, agg({ reduceOnlyBuyContracts: 5n }), otmCall)).toBe(0n);
    // With no position they cannot fill.
    expect(ordersInitialMargin(0n, agg({ reduceOnlySellContracts: 3n, reduceOnlyBuyContracts: 3n }), otmCall)).toBe(0n);
  });

  it("a reduce-only sell closing the long lets the other sells open a short", () => {
    // Long 2; sell 2 alone only closes (adds 0). With a reduce-only sell of 2 first, the sell of 2 opens a short:
    // W = IM(−2) − (value(−2) − value(2)) − min($20, 2·$8) = 136 + 32 − 16 = $152; minus IM(2) = $16 → $136.
    expect(ordersInitialMargin(2n, agg({ sellContracts: 2n, sellTicksContracts: 200n }), otmCall)).toBe(0n);
    expect(ordersInitialMargin(2n, agg({ sellContracts: 2n, sellTicksContracts: 200n, reduceOnlySellContracts: 2n }), otmCall)).toBe(136n * USD);
  });

  it("is never negative", () => {
    expect(ordersInitialMargin(-5n, agg({ buyContracts: 1n, buyTicksContracts: 1n }), otmCall)).toBe(0n);
  });
});
