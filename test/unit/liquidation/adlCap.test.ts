/**
 * ADL caps a counterparty's loss at its equity: a top-ranked counterparty whose share of the socialized loss is
 * larger than its equity ends at exactly zero equity, and what it could not take moves to the next one. When no
 * counterparty can absorb the rest, the fund's subaccount carries it as bad debt. No one is left negative.
 */
import { describe, expect, it } from "vitest";
import { iterateRecords } from "../../../modules/liquidation/index.js";
import { bech, chain, sub, USD, type Chain } from "./fixture.js";

const SHORT = sub(3);
const A = sub(6); // long the bankrupt's puts, but also short deeper puts: little equity left after the crash
const B = sub(7); // long the bankrupt's puts, rich, with losing short puts too (so both rank by key order: A first)
const LONG = sub(5);

function setup(aDeposit: bigint, bHolds: bigint, aShortPut2: bigint, bShortPut2 = 0n): { c: Chain; put: bigint; put2: bigint } {
  const c = chain();
  c.setSpot("BTC", 100_000n * USD);
  const put = c.list(100_000n, "put");
  const put2 = c.list(95_000n, "put");
  c.deposit(SHORT, 22_000n * USD);
  c.deposit(A, aDeposit);
  c.deposit(B, 900_000n * USD);
  c.deposit(LONG, 900_000n * USD);
  c.trade(A, SHORT, put, c.markTicks(put), 100n - bHolds);
  if (bHolds > 0n) c.trade(B, SHORT, put, c.markTicks(put), bHolds);
  c.trade(LONG, A, put2, c.markTicks(put2), aShortPut2);
  if (bShortPut2 > 0n) c.trade(LONG, B, put2, c.markTicks(put2), bShortPut2);
  c.advance();
  c.setSpot("BTC", 50_000n * USD);
  return { c, put, put2 };
}

const wOf = (c: Chain, id = SHORT) => {
  const rep = c.margin.report(c.store, id, c.timeNs);
  return rep.positions.reduce((s, l) => s + l.sizeContracts * l.markMicroUsdc, c.subaccounts.collateral(c.store, id));
};

const adlLosses = (c: Chain) =>
  [...iterateRecords(c.store)].filter((r) => r.kind === "deleverage").map((r) => ({ cp: r.counterparty, loss: r.lossMicroUsdc, size: r.sizeDeltaContracts }));

describe("ADL caps each counterparty's loss at its equity", () => {
  it("A ranks first but cannot absorb its pro-rata share: it ends at zero equity, B takes the rest", () => {
    // (A at zero equity still short put2 is then taken over by the fund in the same block, at zero deficit.)
    const { c, put } = setup(12_000n * USD, 50n, 60n, 200n);
    const deficit = -wOf(c);
    expect(deficit).toBeGreaterThan(0n);
    const eqA = c.equity(A);
    // A's pro-rata share (50 of 100 contracts) exceeds its equity: an uncapped ADL would leave it negative.
    expect(eqA).toBeGreaterThan(0n);
    expect(eqA).toBeLessThan(deficit / 2n);
    const eqB = c.equity(B);
    const supply = c.supply();
    const { result } = c.liquidate();
    expect(result.deleveraged).toBe(1);
    expect(c.size(SHORT, put)).toBe(0n);
    expect(c.subaccounts.collateral(c.store, SHORT)).toBe(0n);
    const adl = adlLosses(c);
    expect(adl.map((x) => x.cp)).toEqual([`${bech(6)}/0`, `${bech(7)}/0`]);
    expect(adl[0]!.loss).toBe(eqA);
    expect(adl[1]!.loss).toBe(deficit - eqA);
    expect(c.equity(A)).toBe(0n);
    expect(c.equity(B)).toBe(eqB - (deficit - eqA));
    expect(c.size(c.liq.fundSubaccount, put)).toBe(0n);
    expect(c.supply()).toBe(supply);
    expect(c.invariants()).toEqual([]);
  });

  it("no counterparty can absorb the rest: A ends at zero, the fund's subaccount carries the bad debt", () => {
    const { c, put } = setup(30_000n * USD, 0n, 150n);
    const deficit = -wOf(c);
    const eqA = c.equity(A);
    expect(eqA).toBeLessThan(deficit);
    const { result, events } = c.liquidate();
    expect(result.deleveraged).toBe(1);
    expect(c.equity(A)).toBe(0n);
    expect(c.size(SHORT, put)).toBe(0n);
    expect(c.subaccounts.collateral(c.store, SHORT)).toBe(0n);
    const badDebt = events.find((e) => e.type === "bad_debt")!;
    expect(badDebt.attributes.find((a) => a.key === "uncovered")!.value).toBe(`${deficit - eqA}uusdc`);
    // A, left at zero equity with its short put2, is taken over in the same block at zero deficit; the fund's
    // subaccount's value is then exactly minus the bad debt.
    expect(c.equity(c.liq.fundSubaccount)).toBe(-(deficit - eqA));
    // Σ losses recorded == the deficit, to the uusdc.
    const all = [...iterateRecords(c.store)].filter((r) => r.kind !== "partial").reduce((s, r) => s + r.lossMicroUsdc, 0n);
    expect(all).toBe(deficit);
    expect(c.invariants()).toEqual([]);
  });
});
