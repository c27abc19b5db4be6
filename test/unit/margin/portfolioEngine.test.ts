import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeSeriesScenarios,
  DEFAULT_PORTFOLIO_PARAMS,
  DEFAULT_SCENARIO_GRID,
  evaluatePortfolio,
  PortfolioEngine,
  type PortfolioLine,
  type SeriesScenarios,
} from "../../../modules/margin/index.js";
import { BTC_CS, USD } from "./fixture.js";

const P = DEFAULT_PORTFOLIO_PARAMS;
const NOW = 1_700_000_000n * 1_000_000_000n;
const EXP = 1_700_000_000n + 30n * 86_400n;

function series(id: bigint, kind: "call" | "put", strikeUsd: bigint, o: { expiry?: bigint; underlying?: string; spot?: bigint; epoch?: number; settled?: boolean; cs?: bigint } = {}): SeriesScenarios {
  const s = computeSeriesScenarios(
    { seriesId: id, underlying: o.underlying ?? "BTC", kind, strikeMicroUsd: strikeUsd * USD, expiryUnixS: o.expiry ?? EXP, contractSizePpm: o.cs ?? BTC_CS, spotMicroUsd: o.spot ?? 100_000n * USD, volPpm: 600_000n, settled: o.settled ?? false, nowNs: NOW },
    DEFAULT_SCENARIO_GRID,
    P,
    o.epoch ?? Number(id),
  );
  if (s === undefined) throw new Error("unpriced");
  return s;
}

const pool = [
  series(1n, "call", 90_000n), series(2n, "call", 100_000n), series(3n, "call", 120_000n), series(4n, "put", 95_000n), series(5n, "put", 80_000n),
  series(6n, "call", 110_000n, { expiry: EXP + 7n * 86_400n }), series(7n, "put", 3_000n, { underlying: "ETH", spot: 3_000n * USD, cs: 100_000n }),
  series(8n, "call", 3_200n, { underlying: "ETH", spot: 3_000n * USD, cs: 100_000n }), series(9n, "put", 100_000n, { settled: true }),
];
const marks = pool.map((_, i) => BigInt(37 + i * 911) * USD);

function reference(pos: ReadonlyArray<[number, bigint]>): bigint {
  const lines: PortfolioLine[] = pos.filter(([, q]) => q !== 0n).map(([i, q]) => ({ s: pool[i]!, positionContracts: q, markLongMicroUsdc: marks[i]!, markShortMicroUsdc: marks[i]! + 1n }));
  return evaluatePortfolio(lines, P).maintenanceMarginMicroUsdc;
}

const arbAccount = fc
  .array(fc.tuple(fc.integer({ min: 0, max: pool.length - 1 }), fc.oneof(fc.integer({ min: -40, max: 40 }), fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }))), { maxLength: 7 })
  .map((xs) => [...new Map(xs.map(([i, q]) => [i, BigInt(q)] as const))]);

describe("portfolio engine", () => {
  it("equals the bigint reference for any account (exact doubles or the fallback), after any sequence of updates", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), arbAccount), { minLength: 1, maxLength: 12 }), (updates) => {
        const e = new PortfolioEngine(P);
        pool.forEach((s, i) => e.setSeries(s, marks[i]!, marks[i]! + 1n));
        const latest = new Map<number, Array<[number, bigint]>>();
        for (const [a, pos] of updates) {
          e.setAccount(`a${a}`, pos.map(([i, q]) => ({ seriesId: pool[i]!.seriesId, sizeContracts: q })));
          latest.set(a, pos);
          if (a % 2 === 0) e.refresh();
        }
        e.refresh();
        for (const [a, pos] of latest) expect(e.maintenanceMargin(`a${a}`)).toBe(reference(pos));
      }),
      { numRuns: 200 },
    );
  });

  it("recomputes only changed accounts and the accounts of a repriced underlying; unchanged updates are no-ops", () => {
    const e = new PortfolioEngine(P);
    pool.forEach((s, i) => e.setSeries(s, marks[i]!, marks[i]!));
    e.setAccount("btc", [{ seriesId: 1n, sizeContracts: -2n }, { seriesId: 3n, sizeContracts: 1n }]);
    e.setAccount("eth", [{ seriesId: 7n, sizeContracts: -1n }]);
    e.setAccount("both", [{ seriesId: 2n, sizeContracts: 1n }, { seriesId: 8n, sizeContracts: -1n }]);
    expect(e.refresh()).toBe(3);
    expect(e.refresh()).toBe(0);
    e.setAccount("btc", [{ seriesId: 3n, sizeContracts: 1n }, { seriesId: 1n, sizeContracts: -2n }, { seriesId: 5n, sizeContracts: 0n }]); // same, reordered
    expect(e.refresh()).toBe(0);
    // Same values at a new epoch (an oracle update of ETH): ETH accounts only.
    expect(e.setSeries(series(7n, "put", 3_000n, { underlying: "ETH", spot: 3_100n * USD, cs: 100_000n, epoch: 100 }), marks[6]!, marks[6]!)).toBe(true);
    expect(e.setSeries(pool[0]!, marks[0]!, marks[0]!)).toBe(false);
    expect(e.refresh()).toBe(2);
    const before = e.maintenanceMargin("btc");
    e.setAccount("btc", [{ seriesId: 1n, sizeContracts: -3n }]);
    expect(e.refresh()).toBe(1);
    expect(e.maintenanceMargin("btc")).not.toBe(before);
    // A read between refreshes sees a repriced underlying at once.
    e.setSeries(series(1n, "call", 90_000n, { spot: 95_000n * USD, epoch: 101 }), marks[0]!, marks[0]!);
    const repriced = evaluatePortfolio([{ s: series(1n, "call", 90_000n, { spot: 95_000n * USD, epoch: 101 }), positionContracts: -3n, markLongMicroUsdc: marks[0]!, markShortMicroUsdc: marks[0]! }], P).maintenanceMarginMicroUsdc;
    expect(e.maintenanceMargin("btc")).toBe(repriced);
    e.removeAccount("eth");
    expect(e.maintenanceMargin("eth")).toBeUndefined();
    expect(e.accountCount).toBe(2);
  });

  it("keeps positions correct through arena growth and compaction (many accounts resized)", () => {
    const e = new PortfolioEngine(P);
    pool.forEach((s, i) => e.setSeries(s, marks[i]!, marks[i]!));
    const want = new Map<string, Array<[number, bigint]>>();
    for (let round = 0; round < 6; round++) {
      for (let a = 0; a < 3_000; a++) {
        const n = (a + round) % 6;
        const pos: Array<[number, bigint]> = [];
        for (let j = 0; j < n; j++) pos.push([(a + j * 2) % 8, BigInt(((a * 7 + j + round) % 11) - 5 || 1)]);
        const dedup = [...new Map(pos)];
        e.setAccount(`k${a}`, dedup.map(([i, q]) => ({ seriesId: pool[i]!.seriesId, sizeContracts: q })));
        want.set(`k${a}`, dedup);
      }
      e.refresh();
    }
    for (const [k, pos] of [...want].filter((_, i) => i % 97 === 0)) expect(e.maintenanceMargin(k)).toBe(reference(pos.map(([i, q]) => [i, q])));
  });
});
