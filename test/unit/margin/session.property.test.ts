/** Incremental session bookkeeping equals a full recompute, for random accounts and order sequences. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createPricer, DEFAULT_MARGIN_PARAMS, STANDARD_MODEL, type NewOrderRisk, type RiskSession } from "../../../modules/margin/index.js";
import { fixture, idOf, USD } from "./fixture.js";

function chain() {
  const f = fixture();
  f.spots.set("BTC", 60_000n * USD);
  f.addSeries({ id: 1n, strikeMicroUsd: 55_000n * USD, kind: "call" }, 55n * USD);
  f.addSeries({ id: 2n, strikeMicroUsd: 70_000n * USD, kind: "call" }, 8n * USD);
  f.addSeries({ id: 3n, strikeMicroUsd: 40_000n * USD, kind: "put" }, 2n * USD);
  f.addSeries({ id: 4n, strikeMicroUsd: 61_234n * USD + 567n, kind: "put" }); // no mark: intrinsic from spot
  return f;
}

const orderArb = fc.record({
  seriesId: fc.integer({ min: 1, max: 4 }).map(BigInt),
  side: fc.constantFrom("buy" as const, "sell" as const),
  priceTicks: fc.integer({ min: 0, max: 5_000 }).map(BigInt),
  sizeContracts: fc.integer({ min: 1, max: 20 }).map(BigInt),
  reduceOnly: fc.boolean(),
});

const opArb = fc.oneof(orderArb.map((o) => ({ kind: "add" as const, order: o })), fc.nat(50).map((i) => ({ kind: "remove" as const, index: i })));

describe("OrderMarginSession", () => {
  it("after any sequence of tryAdd/remove, the session equals a fresh evaluation of the accepted orders", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 5_000n * USD }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -10, max: 10 }).filter((n) => n !== 0)), { maxLength: 4 }),
        fc.array(orderArb, { maxLength: 6 }),
        fc.array(opArb, { maxLength: 40 }),
        (collateral, rawPositions, resting, ops) => {
          const f = chain();
          const a = idOf(1);
          const positions = new Map(rawPositions.map(([s, n]) => [BigInt(s), BigInt(n)]));
          f.setAccount(a, collateral, [...positions]);
          for (const o of resting) f.addOrder(a, o.seriesId, o.side, o.priceTicks, o.sizeContracts, o.reduceOnly);
          const s = f.keeper.openSession(f.store, a, 0n) as RiskSession;
          const live: NewOrderRisk[] = resting.map((o) => ({ ...o }));
          for (const op of ops) {
            if (op.kind === "add") {
              const before = s.report();
              const err = s.tryAdd(op.order);
              if (err === undefined) {
                live.push(op.order);
                const after = s.report();
                // Accepted: still covered, or the order did not raise the requirement, or it is reduce-only.
                expect(op.order.reduceOnly || after.equityMicroUsdc >= after.initialMarginMicroUsdc || after.initialMarginMicroUsdc <= before.initialMarginMicroUsdc).toBe(true);
              } else {
                expect(err.codespace).toBe("margin");
                expect(s.report()).toEqual(before); // a refusal counts nothing
              }
            } else if (live.length > 0) {
              const [removed] = live.splice(op.index % live.length, 1);
              s.remove(removed!);
            }
          }
          const pricer = createPricer(f.store, 0n, f.options, f.oracle, DEFAULT_MARGIN_PARAMS);
          const fresh = STANDARD_MODEL.openSession(pricer, f.account(a), live).report();
          expect(s.report()).toEqual(fresh);
          // IM with orders is never below IM of the positions alone.
          const positionsOnly = STANDARD_MODEL.openSession(pricer, f.account(a), []).report();
          expect(fresh.initialMarginMicroUsdc).toBeGreaterThanOrEqual(positionsOnly.initialMarginMicroUsdc);
          expect(fresh.maintenanceMarginMicroUsdc).toBe(positionsOnly.maintenanceMarginMicroUsdc);
        },
      ),
      { numRuns: 300 },
    );
  });
});
