/**
 * Standard margin, pure per-series and per-position math (no store access). All amounts are integer uusdc;
 * prices micro-USD per underlying unit; contract size in ppm of one unit; fractions in ppm.
 *
 * Rules (Deribit's short-option formula with CBOE's put floor on the strike):
 * - equity contribution of a position = size × mark (signed);
 * - a long's requirement equals its mark value, so a long counts nothing (longs pay premium only);
 * - a short's requirement per contract = mark + max(f·S − OTM, fmin·(S for calls | K for puts)) × contract size,
 *   the add-on rounded up per contract; IM and MM differ only in the fractions;
 * - no offsets between series (a short call is not covered by a long call of any strike, even the same
 *   expiry): each position is margined alone. Spreads are portfolio margin's job;
 * - settled series carry no requirement; their value is the payoff at the settlement price;
 * - inside the settlement TWAP window (the last settlement_twap_window_ns before expiry) part of the settlement
 *   price is already fixed. The projected settlement price P = (accrued TWAP × elapsed + S × remaining) / window
 *   bounds the marks: short mark = max(mark, ceil intrinsic(P↑)), long mark = min(mark, floor intrinsic(P↓)),
 *   P↑/P↓ being P rounded toward the larger / smaller intrinsic (calls: up / down; puts: down / up). The
 *   add-ons stay on the spot (they cover the move of the remaining part, which the spot drives).
 * Rounding is conservative: marks derived from a spot round down for longs and up for shorts, requirements up.
 */
import type { OptionKind } from "./expectedKeepers.js";
import { PPM, type RiskParams } from "./params.js";

const PPM2 = PPM * PPM;

export function ceilDiv(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("ceilDiv: divisor must be positive");
  return n >= 0n ? (n + d - 1n) / d : -(-n / d);
}

export function floorDiv(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("floorDiv: divisor must be positive");
  return n >= 0n ? n / d : -((-n + d - 1n) / d);
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** Intrinsic value per underlying unit (micro-USD). */
export function intrinsicMicroUsd(kind: OptionKind, strikeMicroUsd: bigint, spotMicroUsd: bigint): bigint {
  return max(kind === "call" ? spotMicroUsd - strikeMicroUsd : strikeMicroUsd - spotMicroUsd, 0n);
}

/** Out-of-the-money amount per underlying unit (micro-USD). */
export function otmAmountMicroUsd(kind: OptionKind, strikeMicroUsd: bigint, spotMicroUsd: bigint): bigint {
  return max(kind === "call" ? strikeMicroUsd - spotMicroUsd : spotMicroUsd - strikeMicroUsd, 0n);
}

/** Intrinsic value of one contract in uusdc, rounded as asked (down for a long's value, up for a short's). */
export function intrinsicPerContract(kind: OptionKind, strikeMicroUsd: bigint, spotMicroUsd: bigint, contractSizePpm: bigint, round: "floor" | "ceil"): bigint {
  const n = intrinsicMicroUsd(kind, strikeMicroUsd, spotMicroUsd) * contractSizePpm;
  return round === "floor" ? floorDiv(n, PPM) : ceilDiv(n, PPM);
}

/** max(f·S − OTM, fmin·(S | K)) × contract size, per contract, rounded up (never negative). */
export function shortAddOnPerContract(
  kind: OptionKind,
  strikeMicroUsd: bigint,
  spotMicroUsd: bigint,
  contractSizePpm: bigint,
  fractionPpm: bigint,
  minFractionPpm: bigint,
): bigint {
  const otm = otmAmountMicroUsd(kind, strikeMicroUsd, spotMicroUsd);
  const floorBase = kind === "call" ? spotMicroUsd : strikeMicroUsd;
  // In ppm·micro-USD per unit, so nothing is rounded before the one division.
  const perUnitPpm = max(fractionPpm * spotMicroUsd - otm * PPM, minFractionPpm * floorBase);
  return ceilDiv(perUnitPpm * contractSizePpm, PPM2);
}

/**
 * The settlement TWAP accrued so far, for a series inside its settlement window (see projectedSettlement).
 * accruedTwapMicroUsd is the oracle TWAP over [expiry − window, min(now, expiry)]; elapsedNs that interval's
 * length (0 < elapsedNs ≤ windowNs).
 */
export interface SettlementAccrual {
  accruedTwapMicroUsd: bigint;
  elapsedNs: bigint;
  windowNs: bigint;
}

/** P = (accrued × elapsed + spot × (window − elapsed)) / window, rounded down and up. */
export function projectedSettlement(a: SettlementAccrual, spotMicroUsd: bigint): { floor: bigint; ceil: bigint } {
  const elapsed = a.elapsedNs < 0n ? 0n : a.elapsedNs > a.windowNs ? a.windowNs : a.elapsedNs;
  const num = a.accruedTwapMicroUsd * elapsed + spotMicroUsd * (a.windowNs - elapsed);
  return { floor: floorDiv(num, a.windowNs), ceil: ceilDiv(num, a.windowNs) };
}

/** Everything the standard rules need about one series, priced once. */
export interface SeriesRisk {
  /** Mark per contract used for longs (equity and requirement: they cancel). */
  markLongMicroUsdc: bigint;
  /** Mark per contract used for shorts (≥ markLong when derived from a spot). */
  markShortMicroUsdc: bigint;
  imAddOnMicroUsdc: bigint;
  mmAddOnMicroUsdc: bigint;
  /** Premium per tick per contract (to value open orders). */
  tickSizeMicroUsdc: bigint;
  settled: boolean;
}

export interface SeriesRiskInput {
  kind: OptionKind;
  strikeMicroUsd: bigint;
  contractSizePpm: bigint;
  tickSizeMicroUsdc: bigint;
  risk: RiskParams;
  /** The options module's mark and the spot it used, when there is one. */
  mark?: { markMicroUsdcPerContract: bigint; spotMicroUsd: bigint };
  /** Oracle spot: the fallback (intrinsic value as mark) when there is no mark. */
  spotMicroUsd?: bigint;
  /** Set for settled series: no requirement, valued at the payoff. */
  settlementPriceMicroUsd?: bigint;
  /** Set inside the settlement window: the marks are bounded by the intrinsic value at the projected price. */
  settlement?: SettlementAccrual;
  settled?: boolean;
}

/** Prices a series for the standard rules; undefined when there is no price at all (no mark, no spot). */
export function seriesRisk(input: SeriesRiskInput): SeriesRisk | undefined {
  const { kind, strikeMicroUsd: k, contractSizePpm: cs, tickSizeMicroUsdc } = input;
  if (input.settled) {
    const s = input.settlementPriceMicroUsd;
    const markLong = s === undefined ? 0n : intrinsicPerContract(kind, k, s, cs, "floor");
    const markShort = s === undefined ? 0n : intrinsicPerContract(kind, k, s, cs, "ceil");
    return { markLongMicroUsdc: markLong, markShortMicroUsdc: markShort, imAddOnMicroUsdc: 0n, mmAddOnMicroUsdc: 0n, tickSizeMicroUsdc, settled: true };
  }
  let markLong: bigint;
  let markShort: bigint;
  let spot: bigint;
  if (input.mark !== undefined) {
    markLong = markShort = max(input.mark.markMicroUsdcPerContract, 0n);
    spot = input.mark.spotMicroUsd;
  } else if (input.spotMicroUsd !== undefined) {
    spot = input.spotMicroUsd;
    markLong = intrinsicPerContract(kind, k, spot, cs, "floor");
    markShort = intrinsicPerContract(kind, k, spot, cs, "ceil");
  } else {
    return undefined;
  }
  if (input.settlement !== undefined && input.settlement.windowNs > 0n) {
    const p = projectedSettlement(input.settlement, spot);
    const [shortP, longP] = kind === "call" ? [p.ceil, p.floor] : [p.floor, p.ceil];
    markShort = max(markShort, intrinsicPerContract(kind, k, shortP, cs, "ceil"));
    markLong = min(markLong, intrinsicPerContract(kind, k, longP, cs, "floor"));
  }
  const r = input.risk;
  return {
    markLongMicroUsdc: markLong,
    markShortMicroUsdc: markShort,
    imAddOnMicroUsdc: shortAddOnPerContract(kind, k, spot, cs, r.shortImFractionPpm, r.shortImMinFractionPpm),
    mmAddOnMicroUsdc: shortAddOnPerContract(kind, k, spot, cs, r.shortMmFractionPpm, r.shortMmMinFractionPpm),
    tickSizeMicroUsdc,
    settled: false,
  };
}

/** Signed equity contribution of a position of `size` contracts. */
export function positionValue(sizeContracts: bigint, s: SeriesRisk): bigint {
  return sizeContracts >= 0n ? sizeContracts * s.markLongMicroUsdc : sizeContracts * s.markShortMicroUsdc;
}

export function positionInitialMargin(sizeContracts: bigint, s: SeriesRisk): bigint {
  if (s.settled) return 0n;
  return sizeContracts >= 0n ? sizeContracts * s.markLongMicroUsdc : -sizeContracts * (s.markShortMicroUsdc + s.imAddOnMicroUsdc);
}

export function positionMaintenanceMargin(sizeContracts: bigint, s: SeriesRisk): bigint {
  if (s.settled) return 0n;
  return sizeContracts >= 0n ? sizeContracts * s.markLongMicroUsdc : -sizeContracts * (s.markShortMicroUsdc + s.mmAddOnMicroUsdc);
}

/** The open orders of one subaccount in one series, summed (premiums in ticks × contracts, so no price needed). */
export interface SeriesOrderAggregate {
  buyContracts: bigint;
  buyTicksContracts: bigint;
  sellContracts: bigint;
  sellTicksContracts: bigint;
  reduceOnlyBuyContracts: bigint;
  reduceOnlySellContracts: bigint;
}

export const emptyAggregate = (): SeriesOrderAggregate => ({
  buyContracts: 0n,
  buyTicksContracts: 0n,
  sellContracts: 0n,
  sellTicksContracts: 0n,
  reduceOnlyBuyContracts: 0n,
  reduceOnlySellContracts: 0n,
});

export const isEmptyAggregate = (a: SeriesOrderAggregate): boolean =>
  a.buyContracts === 0n && a.sellContracts === 0n && a.reduceOnlyBuyContracts === 0n && a.reduceOnlySellContracts === 0n;

/**
 * What the open orders of a series add to the initial margin of a position of `positionContracts`.
 *
 * The rule: the free collateral (equity − IM) of the series after the worst of three outcomes — nothing fills,
 * every buy fills, every sell fills — counted relative to now:
 *   W(q, cash) = IM(q) − (value(q) − value(p)) + cash paid
 *   buys fill:  q = p + B + min(B_ro, short size),  cash = +premium of non-reduce-only buys at their limit prices
 *   sells fill: q = p − S − min(S_ro, long size),   cash = −min(premium of non-reduce-only sells at limit,
 *                                                         S × long mark)  (no credit above the mark: conservative)
 *   requirement = max(IM(p), W_buy, W_sell); the orders add requirement − IM(p) ≥ 0.
 * So buying to open costs its premium (longs pay premium only), selling to open costs the short's IM plus
 * whatever the limit price is below the mark. Reduce-only orders are capped at the position they close and
 * add nothing by themselves (their premium is not counted: buying back a short at a price below 2·mark + add-on
 * frees margin), but they do move the position toward zero before the other orders on their side fill.
 */
export function ordersInitialMargin(positionContracts: bigint, a: SeriesOrderAggregate, s: SeriesRisk): bigint {
  if (s.settled) return 0n;
  const p = positionContracts;
  const longSize = max(p, 0n);
  const shortSize = max(-p, 0n);
  const base = positionInitialMargin(p, s);
  const valueNow = positionValue(p, s);
  let worst = base;
  if (a.buyContracts > 0n || a.reduceOnlyBuyContracts > 0n) {
    const q = p + a.buyContracts + min(a.reduceOnlyBuyContracts, shortSize);
    const w = positionInitialMargin(q, s) - (positionValue(q, s) - valueNow) + a.buyTicksContracts * s.tickSizeMicroUsdc;
    worst = max(worst, w);
  }
  if (a.sellContracts > 0n || a.reduceOnlySellContracts > 0n) {
    const q = p - a.sellContracts - min(a.reduceOnlySellContracts, longSize);
    const credit = min(a.sellTicksContracts * s.tickSizeMicroUsdc, a.sellContracts * s.markLongMicroUsdc);
    const w = positionInitialMargin(q, s) - (positionValue(q, s) - valueNow) - credit;
    worst = max(worst, w);
  }
  return worst - base;
}
