import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeSeriesScenarios,
  DEFAULT_PORTFOLIO_PARAMS,
  DEFAULT_SCENARIO_GRID,
  definedMaxLoss,
  evaluatePortfolio,
  maintenanceMarginFast,
  MarginErrors,
  scenariosOf,
  type PortfolioLine,
  type SeriesScenarios,
} from "../../../modules/margin/index.js";
import { ChainError } from "../../../src/errors.js";
import { BTC_CS, fixture, idOf, USD } from "./fixture.js";

const P = DEFAULT_PORTFOLIO_PARAMS;
const NOW = 1_700_000_000n * 1_000_000_000n;
const EXP = 1_700_000_000n + 30n * 86_400n;
const SPOT = 100_000n * USD;

let nextId = 1n;
function series(kind: "call" | "put", strikeUsd: bigint, opts: { expiry?: bigint; underlying?: string; vol?: bigint } = {}): SeriesScenarios {
  const s = computeSeriesScenarios(
    { seriesId: nextId++, underlying: opts.underlying ?? "BTC", kind, strikeMicroUsd: strikeUsd * USD, expiryUnixS: opts.expiry ?? EXP, contractSizePpm: BTC_CS, spotMicroUsd: SPOT, volPpm: opts.vol ?? 600_000n, settled: false, nowNs: NOW },
    DEFAULT_SCENARIO_GRID,
    P,
    1,
  );
  if (s === undefined) throw new Error("unpriced");
  return s;
}

/** Mark ≈ the scenario base value: the flat scenario's P&L is 0, so mark only matters for caps. */
const line = (s: SeriesScenarios, q: bigint, mark: bigint): PortfolioLine => ({ s, positionContracts: q, markLongMicroUsdc: mark, markShortMicroUsdc: mark });

describe("portfolio margin: pure rules", () => {
  it("a naked short call: MM = worst scenario loss + naked charge + oracle charge, IM = ceil(MM × 1.3)", () => {
    const c = series("call", 110_000n);
    const m = evaluatePortfolio([line(c, -2n, 500n * USD)], P).underlyings[0]!;
    const worstLoss = 2n * BigInt(Math.max(...[...c.pnlCeil].filter((_, i) => scenariosOf(DEFAULT_SCENARIO_GRID)[i]!.weightPpm === 1_000_000n)));
    const tailLosses = scenariosOf(DEFAULT_SCENARIO_GRID).map((sc, i) => (sc.kind === "tail" ? (2n * BigInt(c.pnlCeil[i]!) * sc.weightPpm + 999_999n) / 1_000_000n : 0n));
    const scen = [worstLoss, ...tailLosses].reduce((a, b) => (a > b ? a : b));
    // naked: 2 × 0.5% × $100,000 × 0.01 = $10; oracle: 1% × |−2 × delta notional|
    const naked = 10n * USD;
    const oracle = (2n * (c.deltaNotionalMicroUsdc < 0n ? -c.deltaNotionalMicroUsdc : c.deltaNotionalMicroUsdc) * 10_000n + 999_999n) / 1_000_000n;
    expect(m.nakedChargeMicroUsdc).toBe(naked);
    expect(m.oracleChargeMicroUsdc).toBe(oracle);
    expect(m.scenarioLossMicroUsdc).toBe(scen);
    expect(m.capMicroUsdc).toBeUndefined(); // unbounded
    expect(m.maintenanceMarginMicroUsdc).toBe(scen + naked + oracle);
    expect(m.initialMarginMicroUsdc).toBe(((scen + naked + oracle) * 1_300_000n + 999_999n) / 1_000_000n);
    // The worst plain scenario of a short call is the largest up move with vol up.
    expect(scenariosOf(DEFAULT_SCENARIO_GRID)[m.worstIndex]!.description).toMatch(/spot \+18% vol up|tail/);
  });

  it("a naked short put is bounded by its strike: cap = K × size − premium", () => {
    const p = series("put", 90_000n);
    const mark = 700n * USD;
    const m = evaluatePortfolio([line(p, -1n, mark)], P).underlyings[0]!;
    expect(m.capMicroUsdc).toBe(900n * USD - mark);
    expect(m.nakedShortContracts).toBe(1n);
    expect(m.maintenanceMarginMicroUsdc).toBeGreaterThan(0n);
  });

  it("defined-risk spreads need no more than their maximum loss (vertical, iron condor, box); a straddle and a calendar are margined", () => {
    const p110 = series("put", 110_000n), c100 = series("call", 100_000n), c110 = series("call", 110_000n), p90 = series("put", 90_000n), p80 = series("put", 80_000n), p100 = series("put", 100_000n);
    const marks = new Map([[c100.seriesId, 69n * USD], [c110.seriesId, 30n * USD], [p90.seriesId, 25n * USD], [p80.seriesId, 8n * USD], [p100.seriesId, 69n * USD], [p110.seriesId, 130n * USD]]);
    const L = (s: SeriesScenarios, q: bigint) => line(s, q, marks.get(s.seriesId)!);
    const books: Record<string, PortfolioLine[]> = {
      bearCallCredit: [L(c100, -1n), L(c110, 1n)], 
      bullCallDebit: [L(c100, 1n), L(c110, -1n)], 
      ironCondor: [L(p80, 1n), L(p90, -1n), L(c100, -1n), L(c110, 1n)],
      box: [L(c100, 1n), L(c110, -1n), L(p100, -1n), L(p110, 1n)],
    };
    for (const [name, lines] of Object.entries(books)) {
      const cap = definedMaxLoss(lines);
      const m = evaluatePortfolio(lines, P);
      expect(cap, name).toBeDefined();
      expect(m.maintenanceMarginMicroUsdc, name).toBeLessThanOrEqual(cap!);
      expect(m.initialMarginMicroUsdc, name).toBeLessThanOrEqual(cap!);
      expect(m.underlyings[0]!.nakedShortContracts, name).toBe(0n);
    }
    expect(definedMaxLoss(books.bearCallCredit!)).toBe(100n * USD - (69n - 30n) * USD); // width $100 − credit $39
    expect(definedMaxLoss(books.bullCallDebit!)).toBe(39n * USD);
    // Straddle (short call + short put): naked on both sides, no cap.
    const straddle = evaluatePortfolio([L(c100, -1n), L(p100, -1n)], P).underlyings[0]!;
    expect(straddle.nakedShortContracts).toBe(2n);
    expect(straddle.capMicroUsdc).toBeUndefined();
    // Calendar: short near call, long far call: two expiries, no cap, not naked.
    const far = series("call", 100_000n, { expiry: EXP + 60n * 86_400n });
    const cal = evaluatePortfolio([L(c100, -1n), line(far, 1n, 120n * USD)], P).underlyings[0]!;
    expect(cal.capMicroUsdc).toBeUndefined();
    expect(cal.nakedShortContracts).toBe(0n);
    expect(cal.maintenanceMarginMicroUsdc).toBeGreaterThan(0n);
  });
});

const arbLines = () => {
  const pool = [series("call", 90_000n), series("call", 100_000n), series("call", 120_000n), series("put", 95_000n), series("put", 80_000n), series("call", 100_000n, { underlying: "ETH", expiry: EXP + 86_400n }), series("put", 100_000n, { underlying: "ETH" })];
  return fc.array(fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 5_000 })), { maxLength: 6 }).map((xs) => {
    const bySeries = new Map<number, [bigint, bigint]>();
    for (const [i, q, m] of xs) bySeries.set(i, [BigInt(q), BigInt(m) * USD]);
    return [...bySeries].map(([i, [q, m]]) => line(pool[i]!, q, m));
  });
};

describe("portfolio margin: properties", () => {
  it("MM ≥ 0, IM ≥ MM, the exact-float fast path equals the bigint path, additive across underlyings, k× positions scale scenario losses by k", () => {
    fc.assert(
      fc.property(arbLines(), fc.integer({ min: 1, max: 20 }), (lines, k) => {
        const m = evaluatePortfolio(lines, P);
        expect(m.maintenanceMarginMicroUsdc).toBeGreaterThanOrEqual(0n);
        expect(m.initialMarginMicroUsdc).toBeGreaterThanOrEqual(m.maintenanceMarginMicroUsdc);
        expect(maintenanceMarginFast(lines, P)).toBe(m.maintenanceMarginMicroUsdc);
        const btc = lines.filter((l) => l.s.underlying === "BTC"), eth = lines.filter((l) => l.s.underlying === "ETH");
        expect(evaluatePortfolio(btc, P).maintenanceMarginMicroUsdc + evaluatePortfolio(eth, P).maintenanceMarginMicroUsdc).toBe(m.maintenanceMarginMicroUsdc);
        const scaled = evaluatePortfolio(lines.map((l) => ({ ...l, positionContracts: l.positionContracts * BigInt(k) })), P);
        scaled.underlyings.forEach((u, j) => u.lossMicroUsdc.forEach((v, i) => expect(v).toBe(m.underlyings[j]!.lossMicroUsdc[i]! * BigInt(k))));
      }),
      { numRuns: 150 },
    );
  });
});

describe("portfolio margin: keeper, mode switch, what-if, incremental sessions", () => {
  function setup() {
    const f = fixture();
    f.spots.set("BTC", SPOT);
    f.setBlockTime(NOW);
    f.addSeries({ id: 1n, kind: "call", strikeMicroUsd: 100_000n * USD, expiryUnixS: EXP }, 3_000n * USD);
    f.addSeries({ id: 2n, kind: "call", strikeMicroUsd: 110_000n * USD, expiryUnixS: EXP }, 900n * USD);
    f.addSeries({ id: 3n, kind: "put", strikeMicroUsd: 90_000n * USD, expiryUnixS: EXP }, 700n * USD);
    return f;
  }

  it("portfolio ≤ standard for a call spread (the 'covered call' proxy: long underlying does not exist); mode switch needs the new IM", () => {
    const f = setup();
    const a = idOf(1);
    f.setAccount(a, 5_000n * USD, [[1n, 1n], [2n, -1n]]);
    f.addOrder(a, 3n, "sell", 50n, 1n);
    const std = f.keeper.report(f.store, a, NOW);
    const pm = f.keeper.whatIf(f.store, f.account(a), f.orders().map((o) => ({ seriesId: o.seriesId, side: o.side, priceTicks: o.priceTicks, sizeContracts: o.remainingContracts, reduceOnly: o.reduceOnly })), "portfolio", NOW);
    expect(pm.riskModel).toBe("portfolio");
    expect(pm.initialMarginMicroUsdc).toBeLessThan(std.initialMarginMicroUsdc);
    expect(pm.portfolio!.underlyings[0]!.ordersInitialMarginMicroUsdc).toBeGreaterThan(0n);
    // Too little collateral for portfolio IM: refused with a clear error, nothing changes.
    const poor = idOf(2);
    f.setAccount(poor, 1n, [[1n, -5n]]);
    expect(() => f.keeper.setMarginMode(f.store, poor, "portfolio", NOW)).toThrowError(/below the portfolio initial margin/);
    try {
      f.keeper.setMarginMode(f.store, poor, "portfolio", NOW);
    } catch (e) {
      expect((e as ChainError).code).toBe(MarginErrors.modeChangeRefused.code);
    }
    expect(f.keeper.marginModeOf(f.store, poor)).toBe("standard");
    f.keeper.setMarginMode(f.store, a, "portfolio", NOW);
    expect(f.keeper.marginModeOf(f.store, a)).toBe("portfolio");
    expect(f.keeper.report(f.store, a, NOW).initialMarginMicroUsdc).toBe(pm.initialMarginMicroUsdc);
    // MM from the per-account cache equals the report and is reused while nothing changes.
    const mm = f.keeper.maintenanceMarginOf(f.store, a, NOW);
    expect(mm).toBe(f.keeper.report(f.store, a, NOW).maintenanceMarginMicroUsdc);
    const reused = f.keeper.portfolio.reused;
    expect(f.keeper.maintenanceMarginOf(f.store, a, NOW)).toBe(mm);
    expect(f.keeper.portfolio.reused).toBe(reused + 1);
    f.setAccount(a, 5_000n * USD, [[1n, 2n], [2n, -1n]]);
    expect(f.keeper.maintenanceMarginOf(f.store, a, NOW)).toBe(f.keeper.report(f.store, a, NOW).maintenanceMarginMicroUsdc);
  });

  it("an order session in portfolio mode matches a full recompute after every add and remove", () => {
    const f = setup();
    const a = idOf(3);
    f.setAccount(a, 100_000n * USD, [[1n, 2n], [3n, -1n]]);
    f.keeper.setMarginMode(f.store, a, "portfolio", NOW);
    const session = f.keeper.openSession(f.store, a, NOW) as unknown as { tryAdd: (o: unknown) => unknown; remove: (o: unknown) => void; report: () => { initialMarginMicroUsdc: bigint } };
    const added: Array<{ seriesId: bigint; side: "buy" | "sell"; priceTicks: bigint; sizeContracts: bigint; reduceOnly: boolean }> = [];
    const steps = [
      { seriesId: 2n, side: "sell" as const, priceTicks: 80n, sizeContracts: 3n, reduceOnly: false },
      { seriesId: 1n, side: "buy" as const, priceTicks: 290n, sizeContracts: 1n, reduceOnly: false },
      { seriesId: 3n, side: "buy" as const, priceTicks: 60n, sizeContracts: 1n, reduceOnly: true },
      { seriesId: 3n, side: "sell" as const, priceTicks: 75n, sizeContracts: 2n, reduceOnly: false },
    ];
    for (const o of steps) {
      expect(session.tryAdd(o)).toBeUndefined();
      added.push(o);
      expect(session.report().initialMarginMicroUsdc).toBe(f.keeper.whatIf(f.store, f.account(a), added, "portfolio", NOW).initialMarginMicroUsdc);
    }
    session.remove(added.shift()!);
    expect(session.report().initialMarginMicroUsdc).toBe(f.keeper.whatIf(f.store, f.account(a), added, "portfolio", NOW).initialMarginMicroUsdc);
  });
});
