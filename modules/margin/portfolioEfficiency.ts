/**
 * Capital efficiency of portfolio margin: for hand-built books on one underlying, initial margin under the
 * standard rules and under portfolio margin, portfolio MM, and the book's true maximum loss at expiry (what the
 * margin is there to cover), so the two models can be compared against the risk they stand for.
 *
 * True max loss: at the earliest expiry, over a grid of spots from 0 to twice the highest strike or spot (step
 * spot/1000) plus every strike (the payoff is piecewise linear, so kinks and ends are where the max is):
 * loss(S) = Σ q·mark − Σ q·intrinsic(S) (ceil, against the account). Legs expiring later are valued at their
 * intrinsic value, a lower bound of what they are worth, so the result bounds the loss from above when those
 * legs are long; a later short leg, or net short calls (loss grows without bound with S), gives undefined.
 */
import { blackScholes } from "../../src/math/blackScholes.js";
import { fromUnits, toUnits } from "../../src/math/fixed.js";
import type { OptionKind } from "./expectedKeepers.js";
import type { RiskParams } from "./params.js";
import { ceilDivPos, evaluatePortfolio, type PortfolioLine } from "./portfolio.js";
import { computeSeriesScenarios } from "./scenarioValues.js";
import { gridFor, type PortfolioParams } from "./scenarios.js";
import { positionInitialMargin, seriesRisk } from "./standard.js";

const PPM = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

export interface EfficiencyLeg {
  kind: OptionKind;
  strikeMicroUsd: bigint;
  expiryUnixS: bigint;
  sizeContracts: bigint;
}

export interface EfficiencyBook {
  name: string;
  legs: EfficiencyLeg[];
  /** Every short is covered by a long of the same kind (portfolio IM should not exceed standard IM). */
  hedged: boolean;
}

export interface EfficiencyMarket {
  underlying: string;
  spotMicroUsd: bigint;
  volPpm: bigint;
  nowNs: bigint;
  contractSizePpm: bigint;
  tickSizeMicroUsdc: bigint;
}

export interface EfficiencyRow {
  name: string;
  hedged: boolean;
  standardImMicroUsdc: bigint;
  portfolioImMicroUsdc: bigint;
  portfolioMmMicroUsdc: bigint;
  /** undefined: unbounded (or not bounded by these rules, see the module comment). */
  trueMaxLossMicroUsdc: bigint | undefined;
  /** Net premium paid (positive) or received (negative) at the marks. */
  premiumMicroUsdc: bigint;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);

function intrinsicPpm(kind: OptionKind, strike: bigint, spot: bigint, contractSizePpm: bigint): bigint {
  return max(kind === "call" ? spot - strike : strike - spot, 0n) * contractSizePpm;
}

/** Mark per contract: Black-Scholes at the market's spot and vol, rounded half-even. */
export function markOf(leg: EfficiencyLeg, m: EfficiencyMarket): bigint {
  const leftNs = leg.expiryUnixS * NS_PER_S - m.nowNs;
  const timeYears = leftNs <= 0n ? 0 : fromUnits(leftNs, 365n * 86_400n * NS_PER_S);
  const bs = blackScholes({ spot: fromUnits(m.spotMicroUsd, 1n), strike: fromUnits(leg.strikeMicroUsd, 1n), timeYears, vol: fromUnits(m.volPpm, PPM), isCall: leg.kind === "call" });
  return toUnits(bs.price * fromUnits(m.contractSizePpm, PPM), 1n, "halfEven");
}

/** See the module comment. */
export function trueMaxLossAtExpiry(legs: readonly EfficiencyLeg[], marks: readonly bigint[], m: EfficiencyMarket): bigint | undefined {
  if (legs.length === 0) return 0n;
  const first = legs.reduce((a, l) => (l.expiryUnixS < a ? l.expiryUnixS : a), legs[0]!.expiryUnixS);
  if (legs.some((l) => l.expiryUnixS > first && l.sizeContracts < 0n)) return undefined;
  const callSlope = legs.reduce((a, l) => a + (l.kind === "call" ? l.sizeContracts : 0n), 0n);
  if (callSlope < 0n) return undefined;
  const costPpm = legs.reduce((a, l, i) => a + l.sizeContracts * marks[i]! * PPM, 0n);
  const top = 2n * legs.reduce((a, l) => max(a, l.strikeMicroUsd), m.spotMicroUsd);
  const step = max(m.spotMicroUsd / 1_000n, 1n);
  const spots = new Set<bigint>(legs.map((l) => l.strikeMicroUsd));
  for (let s = 0n; s <= top; s += step) spots.add(s);
  spots.add(top);
  let worst: bigint | undefined;
  for (const S of spots) {
    let valuePpm = 0n;
    for (const l of legs) valuePpm += l.sizeContracts * intrinsicPpm(l.kind, l.strikeMicroUsd, S, m.contractSizePpm);
    const loss = ceilDivPos(costPpm - valuePpm, PPM);
    worst = worst === undefined || loss > worst ? loss : worst;
  }
  return max(worst ?? 0n, 0n);
}

/** One row per book (see EfficiencyRow). */
export function capitalEfficiency(books: readonly EfficiencyBook[], m: EfficiencyMarket, params: PortfolioParams, risk: RiskParams): EfficiencyRow[] {
  const grid = gridFor(params, m.underlying);
  return books.map((book) => {
    const marks = book.legs.map((l) => markOf(l, m));
    let standardIm = 0n;
    let premium = 0n;
    const lines: PortfolioLine[] = book.legs.map((leg, i) => {
      const mark = marks[i]!;
      const r = seriesRisk({ kind: leg.kind, strikeMicroUsd: leg.strikeMicroUsd, contractSizePpm: m.contractSizePpm, tickSizeMicroUsdc: m.tickSizeMicroUsdc, risk, mark: { markMicroUsdcPerContract: mark, spotMicroUsd: m.spotMicroUsd } })!;
      standardIm += positionInitialMargin(leg.sizeContracts, r);
      premium += leg.sizeContracts * mark;
      const s = computeSeriesScenarios(
        { seriesId: BigInt(i + 1), underlying: m.underlying, kind: leg.kind, strikeMicroUsd: leg.strikeMicroUsd, expiryUnixS: leg.expiryUnixS, contractSizePpm: m.contractSizePpm, spotMicroUsd: m.spotMicroUsd, volPpm: m.volPpm, settled: false, nowNs: m.nowNs },
        grid,
        params,
        i + 1,
      );
      if (s === undefined) throw new RangeError(`${book.name}: leg ${i} cannot be priced`);
      return { s, positionContracts: leg.sizeContracts, markLongMicroUsdc: r.markLongMicroUsdc, markShortMicroUsdc: r.markShortMicroUsdc };
    });
    const pm = evaluatePortfolio(lines, params);
    return {
      name: book.name,
      hedged: book.hedged,
      standardImMicroUsdc: standardIm,
      portfolioImMicroUsdc: pm.initialMarginMicroUsdc,
      portfolioMmMicroUsdc: pm.maintenanceMarginMicroUsdc,
      trueMaxLossMicroUsdc: trueMaxLossAtExpiry(book.legs, marks, m),
      premiumMicroUsdc: premium,
    };
  });
}

/**
 * The reference books around a spot (strikes in whole multiples of spot/10): naked short call and put, covered
 * call (a deep in-the-money long call stands for the underlying, which is not tradable here), vertical spreads
 * (debit and credit, calls and puts), short straddle, iron condor, calendar (short near, long far) and a long box.
 */
export function referenceBooks(spotMicroUsd: bigint, expiryUnixS: bigint, farExpiryUnixS: bigint): EfficiencyBook[] {
  const k = (tenths: bigint) => (spotMicroUsd * tenths) / 10n;
  const leg = (kind: OptionKind, tenths: bigint, size: bigint, expiry = expiryUnixS): EfficiencyLeg => ({ kind, strikeMicroUsd: k(tenths), expiryUnixS: expiry, sizeContracts: size });
  return [
    { name: "naked short call 110", hedged: false, legs: [leg("call", 11n, -1n)] },
    { name: "naked short put 90", hedged: false, legs: [leg("put", 9n, -1n)] },
    { name: "covered call (long 50 call, short 110 call)", hedged: true, legs: [leg("call", 5n, 1n), leg("call", 11n, -1n)] },
    { name: "bull call spread 100/110 (debit)", hedged: true, legs: [leg("call", 10n, 1n), leg("call", 11n, -1n)] },
    { name: "bear call spread 100/110 (credit)", hedged: true, legs: [leg("call", 10n, -1n), leg("call", 11n, 1n)] },
    { name: "bull put spread 80/90 (credit)", hedged: true, legs: [leg("put", 8n, 1n), leg("put", 9n, -1n)] },
    { name: "short straddle 100", hedged: false, legs: [leg("call", 10n, -1n), leg("put", 10n, -1n)] },
    { name: "iron condor 80/90/110/120", hedged: true, legs: [leg("put", 8n, 1n), leg("put", 9n, -1n), leg("call", 11n, -1n), leg("call", 12n, 1n)] },
    { name: "calendar 100 (short near, long far)", hedged: true, legs: [leg("call", 10n, -1n), leg("call", 10n, 1n, farExpiryUnixS)] },
    { name: "long box 90/110", hedged: true, legs: [leg("call", 9n, 1n), leg("call", 11n, -1n), leg("put", 11n, 1n), leg("put", 9n, -1n)] },
  ];
}
