/**
 * The liquidation scan's fast path (margin's HealthScan: one positions-only evaluation per account, each series
 * priced once per block) against the full evaluation the engine used before (report() with open orders and
 * maintenanceMarginOf's own pricing), over random price paths: spot jumps, vol changes and time passing, with
 * standard and portfolio accounts. Every account's equity, MM, unpriced series and position lines must match
 * exactly, and the engine must liquidate exactly the accounts a full scan finds below MM.
 */
import { describe, expect, it } from "vitest";
import { formatSubaccountId, type SubaccountId } from "../../../modules/subaccounts/index.js";
import { chain, sub, USD, type Chain } from "./fixture.js";

const LONG = sub(8);

/** Deterministic pseudo-random numbers (xorshift32) so a failure replays. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** Opens `size` short contracts for `id` against LONG at the current mark (a direct trade batch). */
function openShort(c: Chain, id: SubaccountId, seriesId: bigint, size: bigint) {
  const premium = size * c.options.mark(c.store, seriesId, c.timeNs)!.markMicroUsdcPerContract;
  c.subaccounts.applyUpdates(
    c.ctx(),
    [
      { id, collateralDelta: premium, positionDeltas: [{ instrumentId: seriesId, sizeDelta: -size, costBasisDelta: premium }] },
      { id: LONG, collateralDelta: -premium, positionDeltas: [{ instrumentId: seriesId, sizeDelta: size, costBasisDelta: -premium }] },
    ],
    { kind: "trade" },
  );
}

function setup(seed: number) {
  const r = rng(seed);
  const c = chain({ liquidationParams: { max_liquidations_per_block: 1_000, max_liquidation_orders_per_block: 10_000 } });
  c.setSpot("BTC", 100_000n * USD);
  const series = [c.list(80_000n, "put"), c.list(95_000n, "put"), c.list(110_000n, "call"), c.list(130_000n, "call")];
  c.deposit(LONG, 900_000n * USD);
  const accounts: SubaccountId[] = [];
  for (let owner = 2; owner <= 7; owner++) {
    for (let n = 0; n < 4; n++) {
      const id = sub(owner, n);
      c.deposit(id, BigInt(r.int(400, 6_000)) * USD);
      if (r.next() < 0.35) c.margin.setMarginMode(c.store, id, "portfolio", c.timeNs);
      const legs = r.int(1, 3);
      for (let l = 0; l < legs; l++) openShort(c, id, series[r.int(0, series.length - 1)]!, BigInt(r.int(1, 20)));
      accounts.push(id);
    }
  }
  return { c, r, accounts, series };
}

/** The full evaluation, as the engine did it before the fast path. */
function fullHealth(c: Chain, id: SubaccountId) {
  const rep = c.margin.report(c.store, id, c.timeNs);
  return { equity: rep.equityMicroUsdc, mm: rep.maintenanceMarginMicroUsdc, unpriced: rep.unpricedSeriesIds, lines: rep.positions };
}

describe("liquidation health scan (fast path) vs a full scan", () => {
  for (const seed of [7, 2024, 99991]) {
    it(`seed ${seed}: identical equity, MM and liquidation decisions over a random price path`, () => {
      const { c, r, accounts } = setup(seed);
      let liquidatedTotal = 0;
      for (let step = 0; step < 24; step++) {
        c.advance(BigInt(r.int(1, 6 * 3600)));
        const spot = (100_000n * BigInt(r.int(70, 135))) / 100n;
        c.setSpot("BTC", spot * USD, BigInt(r.int(250_000, 1_100_000)));
        const scan = c.margin.healthScan(c.store, c.timeNs);
        const below = new Set<string>();
        for (const id of accounts) {
          const s = c.subaccounts.get(c.store, id);
          if (s.positions.length === 0) continue;
          const fast = scan.health(s);
          const full = fullHealth(c, id);
          expect(fast.equityMicroUsdc).toBe(full.equity);
          expect(fast.maintenanceMarginMicroUsdc).toBe(full.mm);
          expect(fast.unpricedSeriesIds).toEqual(full.unpriced);
          expect(scan.lines(s)).toEqual(full.lines.map((l) => ({ seriesId: l.seriesId, sizeContracts: l.sizeContracts, markMicroUsdc: l.markMicroUsdc, valueMicroUsdc: l.valueMicroUsdc, maintenanceMarginMicroUsdc: l.maintenanceMarginMicroUsdc })));
          // The single-account form agrees with the scan.
          expect(c.margin.healthOf(c.store, id, c.timeNs)).toEqual(fast);
          if (full.unpriced.length === 0 && full.equity < full.mm) below.add(formatSubaccountId(id));
        }
        // Shorts only face LONG, which is healthy: liquidating one account cannot change another's health,
        // so the engine must act on exactly the accounts the full scan found below MM.
        const { result, events } = c.liquidate();
        expect(result.liquidated).toBe(below.size);
        const acted = new Set(
          events.filter((e) => e.type === "liquidation" || e.type === "liquidation_takeover").map((e) => e.attributes.find((a) => a.key === "subaccount")!.value),
        );
        for (const who of acted) if (who !== formatSubaccountId(LONG)) expect(below.has(who)).toBe(true);
        liquidatedTotal += result.liquidated;
      }
      // The path is wide enough that some accounts go under (the comparison is not vacuous).
      expect(liquidatedTotal).toBeGreaterThan(0);
      expect(c.invariants()).toEqual([]);
    });
  }

  it("a restarted node (fresh keepers, caches empty, same state) judges every account as the running one", () => {
    const { c, r, accounts } = setup(31337);
    for (let step = 0; step < 8; step++) {
      c.advance(BigInt(r.int(60, 7200)));
      c.setSpot("BTC", ((100_000n * BigInt(r.int(75, 125))) / 100n) * USD);
      c.liquidate();
    }
    c.advance(600n);
    c.setSpot("BTC", 78_000n * USD, 900_000n);
    // A node restarted from this state: new keepers over a copy of the store (no warm portfolio or mark caches).
    const restarted = chain();
    for (const [k, v] of restarted.store.iterate()) restarted.store.delete(k);
    for (const [k, v] of c.store.iterate()) restarted.store.set(k, v);
    while (restarted.timeNs < c.timeNs) restarted.advance();
    const warm = c.margin.healthScan(c.store, c.timeNs);
    const cold = restarted.margin.healthScan(restarted.store, c.timeNs);
    for (const id of accounts) expect(cold.health(restarted.subaccounts.get(restarted.store, id))).toEqual(warm.health(c.subaccounts.get(c.store, id)));
    const a = c.liquidate();
    const b = restarted.liquidate();
    expect(b.result).toEqual(a.result);
    expect(b.events).toEqual(a.events);
  });
});
