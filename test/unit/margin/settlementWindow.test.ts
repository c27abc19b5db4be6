/**
 * Margin inside the settlement TWAP window: the settlement price is the oracle TWAP of the last 30 minutes, part
 * of which is already fixed. The case of test/integration/options.settlement.test.ts: BTC at 300k for the first
 * 20 minutes of the window, 100k now; a short of 3 calls struck at 100k looks safe on the spot but owes
 * (233,333.33 − 100,000) × 0.01 = 1,333.33 USDC per contract at settlement.
 */
import { describe, expect, it } from "vitest";
import { computeSeriesScenarios, DEFAULT_PORTFOLIO_PARAMS, DEFAULT_SCENARIO_GRID, scenariosOf } from "../../../modules/margin/index.js";
import { projectedSettlement } from "../../../modules/margin/standard.js";
import { BTC_CS, fixture, idOf, USD } from "./fixture.js";

const SEC = 1_000_000_000n;
const EXPIRY_S = 1_800_000_000n;
const WINDOW_NS = 1_800n * SEC;
const K = 100_000n * USD;
const MARK = 10n * USD; // BS mark at a 100k spot with minutes left

function setup() {
  const f = fixture();
  f.spots.set("BTC", 100_000n * USD);
  f.addSeries({ id: 1n, strikeMicroUsd: K, kind: "call", expiryUnixS: EXPIRY_S }, MARK);
  f.addSeries({ id: 2n, strikeMicroUsd: K, kind: "put", expiryUnixS: EXPIRY_S }, MARK);
  const twapCalls: Array<[bigint, bigint]> = [];
  f.options.params = () => ({ settlementTwapWindowNs: WINDOW_NS });
  f.oracle.twap = (_s, u, windowNs, nowNs) => {
    twapCalls.push([windowNs, nowNs]);
    return u === "BTC" ? { priceMicroUsd: 300_000n * USD } : undefined;
  };
  return { f, twapCalls };
}

describe("margin inside the settlement window", () => {
  it("projects P = (accrued × elapsed + spot × remaining) / window, rounded both ways", () => {
    const p = projectedSettlement({ accruedTwapMicroUsd: 300_000n * USD, elapsedNs: 1_200n * SEC, windowNs: WINDOW_NS }, 100_000n * USD);
    expect(p).toEqual({ floor: 233_333_333_333n, ceil: 233_333_333_334n });
    // Elapsed is clamped to the window (after expiry: the accrued TWAP is the settlement price).
    expect(projectedSettlement({ accruedTwapMicroUsd: 7n, elapsedNs: 5_000n * SEC, windowNs: WINDOW_NS }, 100n)).toEqual({ floor: 7n, ceil: 7n });
  });

  it("a short of 3 calls above maintenance on the spot is below it on the projected settlement price", () => {
    const { f, twapCalls } = setup();
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[1n, -3n]]);
    // Before the window opens: spot and smile only (the oracle's TWAP is not even read).
    const before = f.keeper.summary(f.store, a, (EXPIRY_S - 1_801n) * SEC);
    expect(twapCalls).toEqual([]);
    expect(before.equityMicroUsdc).toBe(1_000n * USD - 3n * MARK);
    expect(before.equityMicroUsdc).toBeGreaterThan(before.maintenanceMarginMicroUsdc);
    // 20 minutes into the window: the TWAP over [expiry − window, now]; short mark = ceil intrinsic at ceil P.
    const nowNs = (EXPIRY_S - 600n) * SEC;
    const inside = f.keeper.summary(f.store, a, nowNs);
    expect(twapCalls).toEqual([[1_200n * SEC, nowNs]]);
    const shortMark = 1_333_333_334n; // ceil(133,333,333,334 × 10,000 / 1e6)
    expect(inside.equityMicroUsdc).toBe(1_000n * USD - 3n * shortMark);
    expect(inside.equityMicroUsdc).toBeLessThan(inside.maintenanceMarginMicroUsdc);
    expect(inside.maintenanceMarginMicroUsdc).toBeGreaterThan(3n * shortMark);
    // New shorts are refused: the gate sees the same price.
    const err = f.keeper.openSession(f.store, idOf(2), nowNs).tryAdd({ seriesId: 1n, side: "sell", priceTicks: 100n, sizeContracts: 1n, reduceOnly: false });
    expect(err?.message).toMatch(/initial margin/);
  });

  it("longs keep the lower value (min of mark and intrinsic at P); a put far out of the money at P is worth 0", () => {
    const { f } = setup();
    const a = idOf(3);
    f.setAccount(a, 0n, [[1n, 3n], [2n, 2n]]);
    const s = f.keeper.summary(f.store, a, (EXPIRY_S - 600n) * SEC);
    expect(s.equityMicroUsdc).toBe(3n * MARK); // call: min(10 USDC, 1,333.33 USDC); put: min(10 USDC, 0)
    const short = idOf(4);
    f.setAccount(short, 1_000n * USD, [[2n, -2n]]);
    expect(f.keeper.summary(f.store, short, (EXPIRY_S - 600n) * SEC).equityMicroUsdc).toBe(1_000n * USD - 2n * MARK); // put short: the mark stays
  });

  it("after expiry (settlement pending) the TWAP ends at the expiry", () => {
    const { f, twapCalls } = setup();
    f.setAccount(idOf(5), 10_000n * USD, [[1n, -1n]]);
    f.keeper.summary(f.store, idOf(5), (EXPIRY_S + 30n) * SEC);
    expect(twapCalls).toEqual([[WINDOW_NS, EXPIRY_S * SEC]]);
  });

  it("portfolio scenario values: a spot move reaches the settlement price only through the remaining third", () => {
    const input = { seriesId: 1n, underlying: "BTC", kind: "call" as const, strikeMicroUsd: K, expiryUnixS: EXPIRY_S, contractSizePpm: BTC_CS, spotMicroUsd: 100_000n * USD, volPpm: 600_000n, settled: false, nowNs: (EXPIRY_S - 600n) * SEC };
    const plain = computeSeriesScenarios(input, DEFAULT_SCENARIO_GRID, DEFAULT_PORTFOLIO_PARAMS, 1)!;
    const accrued = computeSeriesScenarios({ ...input, settlement: { accruedTwapMicroUsd: 300_000n * USD, elapsedNs: 1_200n * SEC, windowNs: WINDOW_NS } }, DEFAULT_SCENARIO_GRID, DEFAULT_PORTFOLIO_PARAMS, 1)!;
    const scen = scenariosOf(DEFAULT_SCENARIO_GRID);
    const down = scen.findIndex((x) => x.spotMovePpm < 0n && x.volSign === 0 && x.skewSign === 0);
    const up = scen.findIndex((x) => x.spotMovePpm > 0n && x.volSign === 0 && x.skewSign === 0);
    expect(down).toBeGreaterThanOrEqual(0);
    expect(up).toBeGreaterThanOrEqual(0);
    for (const i of [down, up]) {
      // Deep in the money at P whatever the move: P&L = move × S / 3 × contract size (uusdc), rounded.
      const expected = (Number(scen[i]!.spotMovePpm) / 1e6) * 100_000 * (1 / 3) * 0.01 * 1e6;
      expect(Math.abs(accrued.pnlCeil[i]! - expected)).toBeLessThanOrEqual(2);
    }
    // On the spot alone, a drop costs a long (almost) nothing more than its small mark; with the accrual it costs a third of the move.
    expect(plain.pnlFloor[down]!).toBeGreaterThan(accrued.pnlFloor[down]!);
  });
});
