import { describe, expect, it } from "vitest";
import { bech, chain, sub, USD, type Chain } from "./fixture.js";

const MAKER = sub(2);
const SHORT = sub(3);
const HEALTHY = sub(4);
const LONG = sub(5);

/** Short puts at spot 100k; a maker quotes both sides around the mark. */
function shortPutBook(c: Chain, shortCollateral = 8_000n * USD) {
  c.setSpot("BTC", 100_000n * USD);
  const put = c.list(70_000n, "put");
  c.deposit(MAKER, 900_000n * USD);
  c.deposit(SHORT, shortCollateral);
  c.deposit(HEALTHY, 500_000n * USD);
  c.deposit(LONG, 900_000n * USD);
  const mark = c.markTicks(put);
  c.trade(LONG, SHORT, put, mark, 100n);
  c.trade(LONG, HEALTHY, put, mark, 10n);
  return put;
}

describe("liquidation engine", () => {
  it("spot -30% in one block: the short-put account is partially liquidated against the book; healthy ones untouched", () => {
    const c = chain();
    const put = shortPutBook(c);
    c.advance();
    c.setSpot("BTC", 70_000n * USD);
    const mark = c.markTicks(put);
    // Thick asks around the new mark.
    c.order(MAKER, put, "sell", mark + 10n, 1_000n);
    expect(c.equity(SHORT)).toBeLessThan(c.mm(SHORT));
    const healthyBefore = c.size(HEALTHY, put);
    const fundBefore = c.liq.fundBalance(c.store);
    const supply = c.supply();
    const { result, events } = c.liquidate();
    expect(result.liquidated).toBe(1);
    expect(result.ordersPlaced).toBeGreaterThan(0);
    // Partially: some contracts remain, and equity is back above MM.
    const left = c.size(SHORT, put);
    expect(left).toBeLessThan(0n);
    expect(left).toBeGreaterThan(-100n);
    expect(c.equity(SHORT)).toBeGreaterThanOrEqual(c.mm(SHORT));
    expect(c.size(HEALTHY, put)).toBe(healthyBefore);
    expect(c.liq.fundBalance(c.store)).toBeGreaterThan(fundBefore);
    expect(events.some((e) => e.type === "liquidation")).toBe(true);
    expect(events.some((e) => e.type === "liquidation_order")).toBe(true);
    expect(c.supply()).toBe(supply);
    expect(c.invariants()).toEqual([]);
  });

  it("oracle stale for 60 s: no liquidation until a fresh price arrives", () => {
    const c = chain();
    const put = shortPutBook(c);
    c.advance();
    c.setSpot("BTC", 70_000n * USD);
    c.order(MAKER, put, "sell", c.markTicks(put) + 10n, 1_000n);
    c.advance(60n);
    const { result } = c.liquidate();
    expect(result.liquidated).toBe(0);
    expect(result.skippedStale).toBe(1);
    expect(c.size(SHORT, put)).toBe(-100n);
    c.setSpot("BTC", 70_000n * USD);
    expect(c.liquidate().result.liquidated).toBe(1);
  });

  it("a thin book cannot absorb: the fund takes the account over at zero collateral", () => {
    const c = chain();
    const put = shortPutBook(c);
    // Fund the insurance.
    c.liq.deposit(c.ctx(), sub(1).owner, 200_000n * USD);
    c.advance();
    c.setSpot("BTC", 70_000n * USD);
    c.order(MAKER, put, "sell", c.markTicks(put) + 5n, 3n);
    const supply = c.supply();
    const { result } = c.liquidate();
    expect(result.takenOver).toBe(1);
    expect(c.size(SHORT, put)).toBe(0n);
    expect(c.subaccounts.collateral(c.store, SHORT)).toBe(0n);
    expect(c.size(c.liq.fundSubaccount, put)).toBeLessThan(0n);
    expect(c.supply()).toBe(supply);
    expect(c.invariants()).toEqual([]);
  });

  it("fund exhausted: ADL closes the most profitable opposite side first at the bankruptcy price; bad debt to the micro-USDC", () => {
    const c = chain();
    c.setSpot("BTC", 100_000n * USD);
    const put = c.list(100_000n, "put");
    c.deposit(MAKER, 900_000n * USD);
    c.deposit(SHORT, 22_000n * USD);
    const A = sub(6);
    const B = sub(7);
    c.deposit(A, 100_000n * USD);
    c.deposit(B, 900_000n * USD);
    const mark = c.markTicks(put);
    c.trade(A, SHORT, put, mark, 50n);
    c.trade(B, SHORT, put, mark, 50n);
    // Same profit, but A holds less equity (more leverage): A ranks first.
    c.advance();
    c.setSpot("BTC", 50_000n * USD);
    const shortC = c.subaccounts.collateral(c.store, SHORT);
    const rep = c.margin.report(c.store, SHORT, c.timeNs);
    const w = rep.positions.reduce((s, l) => s + l.sizeContracts * l.markMicroUsdc, shortC);
    expect(w).toBeLessThan(0n);
    const colA = c.subaccounts.collateral(c.store, A);
    const colB = c.subaccounts.collateral(c.store, B);
    const supply = c.supply();
    const { result, events } = c.liquidate();
    expect(result.deleveraged).toBe(1);
    expect(c.size(SHORT, put)).toBe(0n);
    expect(c.subaccounts.collateral(c.store, SHORT)).toBe(0n);
    const adl = events.filter((e) => e.type === "deleveraging").map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
    expect(adl.length).toBe(2);
    expect(adl.map((a) => a.counterparty)).toEqual([`${bech(6)}/0`, `${bech(7)}/0`]);
    // Sum check: the socialized loss is exactly the deficit, to the micro-USDC.
    const loss = adl.reduce((s, a) => s + BigInt(a.loss!.replace("uusdc", "")), 0n);
    expect(loss).toBe(-w);
    const markValue = 50n * rep.positions[0]!.markMicroUsdc;
    expect(c.subaccounts.collateral(c.store, A) + c.subaccounts.collateral(c.store, B) - colA - colB).toBe(2n * markValue + w);
    expect(c.supply()).toBe(supply);
    expect(c.invariants()).toEqual([]);
  });

  it("withdrawal by a non-authority is refused; the authority may withdraw; history pages", () => {
    const c = chain();
    c.liq.deposit(c.ctx(), sub(2).owner, 1_000n);
    expect(() => c.liq.withdraw(c.ctx(), "vanna1notme", "vanna1x", 1n)).toThrow(/not the authority/);
    const [first] = c.liq.params(c.store).authority ? [c.liq.params(c.store).authority] : [];
    c.liq.withdraw(c.ctx(), first!, first!, 400n);
    expect(c.liq.fundBalance(c.store)).toBe(600n);
    expect(() => c.liq.withdraw(c.ctx(), first!, first!, 601n)).toThrow(/balance too small/);
    expect(c.invariants()).toEqual([]);
  });
});
