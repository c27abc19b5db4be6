import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chain, sub, USD } from "./fixture.js";

const MAKER = sub(2);
const SHORT = sub(3);
const LONG = sub(5);

describe("liquidation scenarios", () => {
  it("spot +50%: a short-call account is liquidated (partially or taken over); invariants and supply hold", () => {
    const c = chain();
    c.setSpot("BTC", 100_000n * USD);
    const call = c.list(130_000n, "call");
    c.deposit(MAKER, 900_000n * USD);
    c.deposit(SHORT, 11_000n * USD);
    c.deposit(LONG, 900_000n * USD);
    c.trade(LONG, SHORT, call, c.markTicks(call), 100n);
    c.advance();
    c.setSpot("BTC", 150_000n * USD);
    c.order(MAKER, call, "sell", c.markTicks(call) + 10n, 1_000n);
    const supply = c.supply();
    const { result } = c.liquidate();
    expect(result.liquidated).toBe(1);
    expect(c.size(SHORT, call)).toBeGreaterThan(-100n);
    expect(c.supply()).toBe(supply);
    expect(c.invariants()).toEqual([]);
  });

  it("vol doubled: the short is liquidated while spot is unchanged", () => {
    const c = chain();
    c.setSpot("BTC", 100_000n * USD, 400_000n);
    const put = c.list(90_000n, "put");
    c.deposit(MAKER, 900_000n * USD);
    c.deposit(SHORT, 12_000n * USD);
    c.deposit(LONG, 900_000n * USD);
    c.trade(LONG, SHORT, put, c.markTicks(put), 100n);
    c.advance();
    c.setSpot("BTC", 100_000n * USD, 800_000n);
    c.order(MAKER, put, "sell", c.markTicks(put) + 10n, 1_000n);
    expect(c.equity(SHORT)).toBeLessThan(c.mm(SHORT));
    const { result } = c.liquidate();
    expect(result.liquidated).toBe(1);
    expect(c.equity(SHORT)).toBeGreaterThanOrEqual(c.mm(SHORT));
    expect(c.invariants()).toEqual([]);
  });

  it("property: random portfolios and price paths keep the invariants and the uusdc supply", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 4 }),
        fc.array(fc.integer({ min: 40, max: 170 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 50_000 }),
        (sizes, path, fund) => {
          const c = chain({ accounts: 10 });
          c.setSpot("BTC", 100_000n * USD);
          const put = c.list(90_000n, "put");
          const call = c.list(110_000n, "call");
          c.deposit(MAKER, 900_000n * USD);
          c.deposit(LONG, 900_000n * USD);
          if (fund > 0) c.liq.deposit(c.ctx(), sub(1).owner, BigInt(fund) * USD);
          sizes.forEach((n, i) => {
            const s = sub(6 + i);
            c.deposit(s, 6_000n * USD);
            const series = i % 2 === 0 ? put : call;
            try {
              c.trade(LONG, s, series, c.markTicks(series), BigInt(n));
            } catch {
              // Refused by the margin gate: fine, the account stays flat.
              c.clob.cancelAllOf(c.ctx(), s, "test");
            }
          });
          c.clob.cancelAllOf(c.ctx(), LONG, "test");
          const supply = c.supply();
          for (const pct of path) {
            c.advance();
            c.setSpot("BTC", BigInt(pct) * 1_000n * USD);
            for (const series of [put, call]) c.order(MAKER, series, "sell", c.markTicks(series) + 5n, 7n);
            c.liquidate();
            expect(c.invariants()).toEqual([]);
            expect(c.supply()).toBe(supply);
            expect(c.liq.fundBalance(c.store)).toBeGreaterThanOrEqual(0n);
            c.clob.cancelAllOf(c.ctx(), MAKER, "test");
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
