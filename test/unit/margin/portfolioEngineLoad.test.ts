/** Portfolio engine: allocation-free loading, per-underlying grids of different sizes, and the underlying index. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeSeriesScenarios,
  DEFAULT_PORTFOLIO_PARAMS,
  DEFAULT_SCENARIO_GRID,
  evaluatePortfolio,
  gridFor,
  PortfolioEngine,
  type PortfolioLine,
  type PortfolioParams,
  type SeriesScenarios,
} from "../../../modules/margin/index.js";
import { BTC_CS, USD } from "./fixture.js";

const NOW = 1_700_000_000n * 1_000_000_000n;
const EXP = 1_700_000_000n + 30n * 86_400n;

// ETH: a small grid with full-weight tails (no weight class); SOL: a wider grid than the default (stride grows).
const P: PortfolioParams = {
  ...DEFAULT_PORTFOLIO_PARAMS,
  underlyings: [
    { underlying: "ETH", grid: { ...DEFAULT_SCENARIO_GRID, spotMovesPpm: [-100_000n, 0n, 100_000n], tailMovesPpm: [-500_000n], tailWeightPpm: 1_000_000n } },
    { underlying: "SOL", grid: { ...DEFAULT_SCENARIO_GRID, spotMovesPpm: Array.from({ length: 15 }, (_, i) => BigInt(i - 7) * 30_000n), tailWeightPpm: 250_000n } },
  ],
};

function series(id: bigint, underlying: string, kind: "call" | "put", strike: bigint, spot: bigint, epoch = Number(id), expiry = EXP): SeriesScenarios {
  const s = computeSeriesScenarios(
    { seriesId: id, underlying, kind, strikeMicroUsd: strike, expiryUnixS: expiry, contractSizePpm: BTC_CS, spotMicroUsd: spot, volPpm: 700_000n, settled: false, nowNs: NOW },
    gridFor(P, underlying),
    P,
    epoch,
  );
  if (s === undefined) throw new Error("unpriced");
  return s;
}

const BTC = 100_000n * USD, ETH = 3_000n * USD, SOL = 150n * USD;
const pool = [
  series(1n, "BTC", "call", 100_000n * USD, BTC), series(2n, "BTC", "put", 90_000n * USD, BTC), series(3n, "BTC", "call", 110_000n * USD, BTC, 3, EXP + 86_400n),
  series(4n, "ETH", "put", 2_800n * USD, ETH), series(5n, "ETH", "call", 3_300n * USD, ETH),
  series(6n, "SOL", "call", 160n * USD, SOL), series(7n, "SOL", "put", 140n * USD, SOL),
];
const marks = pool.map((_, i) => BigInt(11 + i * 37) * USD);

function reference(pos: ReadonlyArray<readonly [number, bigint]>): bigint {
  const lines: PortfolioLine[] = pos.filter(([, q]) => q !== 0n).map(([i, q]) => ({ s: pool[i]!, positionContracts: q, markLongMicroUsdc: marks[i]!, markShortMicroUsdc: marks[i]! + 3n }));
  return evaluatePortfolio(lines, P).maintenanceMarginMicroUsdc;
}

function engine(): PortfolioEngine {
  const e = new PortfolioEngine(P);
  pool.forEach((s, i) => e.setSeries(s, marks[i]!, marks[i]! + 3n));
  return e;
}

const arbAccount = fc.array(
  fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -4_000_000_000, max: 4_000_000_000 }))),
  { maxLength: 14 },
);

describe("portfolio engine loading", () => {
  it("loads from numbers, from bigints and from position lists alike, equal to the reference over mixed grids", () => {
    fc.assert(
      fc.property(fc.array(arbAccount, { minLength: 1, maxLength: 6 }), (accounts) => {
        const [a, b, c] = [engine(), engine(), engine()];
        accounts.forEach((pos, k) => {
          a.setAccount(`k${k}`, pos.map(([i, q]) => ({ seriesId: pool[i]!.seriesId, sizeContracts: BigInt(q) })));
          b.beginAccount();
          for (const [i, q] of pos) b.addPositionNumber(Number(pool[i]!.seriesId), q);
          b.commitAccount(`k${k}`);
          c.beginAccount();
          for (const [i, q] of pos) c.addPosition(pool[i]!.seriesId, BigInt(q));
          c.commitAccount(`k${k}`);
        });
        for (const e of [a, b, c]) e.refresh();
        accounts.forEach((pos, k) => {
          const want = reference(pos.map(([i, q]) => [i, BigInt(q)] as const));
          expect(a.maintenanceMargin(`k${k}`)).toBe(want);
          expect(b.maintenanceMargin(`k${k}`)).toBe(want);
          expect(c.maintenanceMargin(`k${k}`)).toBe(want);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("takes the bigint path for sizes beyond 31 bits, whichever way they are loaded", () => {
    const e = engine();
    e.beginAccount();
    e.addPositionNumber(1, -3_000_000_000);
    e.addPositionNumber(6, 2);
    e.commitAccount("big");
    expect(e.maintenanceMargin("big")).toBe(reference([[0, -3_000_000_000n], [5, 2n]]));
    expect(e.bigintFallbacks).toBe(1);
    expect(() => e.addPositionNumber(1.5, 1)).toThrow();
    expect(() => e.addPositionNumber(99, 1)).toThrow(/not set/);
  });

  it("recomputes an account on a repricing of exactly the underlyings it holds, also after it moves between them", () => {
    const e = engine();
    e.setAccount("x", [{ seriesId: 1n, sizeContracts: -1n }]);
    e.setAccount("y", [{ seriesId: 4n, sizeContracts: 2n }]);
    e.refresh();
    // Same underlyings, other sizes: still indexed under BTC only.
    e.setAccount("x", [{ seriesId: 1n, sizeContracts: -2n }, { seriesId: 2n, sizeContracts: 1n }]);
    expect(e.refresh()).toBe(1);
    e.setSeries(series(4n, "ETH", "put", 2_800n * USD, ETH + USD, 100), marks[3]!, marks[3]! + 3n);
    expect(e.refresh()).toBe(1); // y only
    // x moves from BTC to ETH: an ETH repricing reaches it, a BTC one no longer does.
    e.setAccount("x", [{ seriesId: 5n, sizeContracts: 1n }]);
    expect(e.refresh()).toBe(1);
    e.setSeries(series(1n, "BTC", "call", 100_000n * USD, BTC + USD, 101), marks[0]!, marks[0]! + 3n);
    expect(e.refresh()).toBe(0);
    e.setSeries(series(5n, "ETH", "call", 3_300n * USD, ETH + USD, 102), marks[4]!, marks[4]! + 3n);
    expect(e.refresh()).toBe(2);
  });
});
