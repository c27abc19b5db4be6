/**
 * Settlement shortfall claims: an expiry where a short cannot pay records claims for the longs; the liquidation
 * step that follows pays them from the insurance fund as far as its balance allows (series, owner, number
 * order), the rest stays recorded, and a later deposit lets a later block pay the rest — exact to the uusdc.
 */
import { describe, expect, it } from "vitest";
import { iterateEntries } from "../../../modules/liquidation/index.js";
import { chain, EXPIRY_S, sub, USD, type Chain } from "./fixture.js";

const SHORT = sub(3);
const LONG_A = sub(4);
const LONG_B = sub(5);
const FUNDER = sub(1).owner;

const claimsOf = (c: Chain) => [...c.options.iterateClaims(c.store)];
const claimSum = (c: Chain) => claimsOf(c).reduce((a, x) => a + x.amountMicroUsdc, 0n);

/** A short put that cannot pay at expiry (spot 100k → settlement at 50k), two longs. */
function expiredWithShortfall(): { c: Chain; put: bigint } {
  const c = chain();
  c.setSpot("BTC", 100_000n * USD);
  const put = c.list(100_000n, "put");
  c.deposit(SHORT, 30_000n * USD);
  c.deposit(LONG_A, 900_000n * USD);
  c.deposit(LONG_B, 900_000n * USD);
  const mark = c.markTicks(put);
  c.trade(LONG_A, SHORT, put, mark, 60n);
  c.trade(LONG_B, SHORT, put, mark, 40n);
  // Jump to just after the expiry: the settlement TWAP window holds only 50k prices, and no block ran between
  // (so no liquidation could have reduced the short before).
  const nowS = c.timeNs / 1_000_000_000n;
  c.advance(EXPIRY_S - nowS + 1n);
  const oracleNs = (EXPIRY_S - 1_800n) * 1_000_000_000n;
  c.oracle.appendHistory(c.store, "BTC", { timeNs: oracleNs, priceMicroUsd: 50_000n * USD, height: c.height }, 3600);
  c.setSpot("BTC", 50_000n * USD);
  const optionsModule = c.modules.find((m) => m.name === "options")!;
  optionsModule.beginBlock!(c.ctx());
  return { c, put };
}

describe("settlement shortfall claims paid by the insurance fund", () => {
  it("an expiry with a short that cannot pay records claims summing to the shortfall", () => {
    const { c, put } = expiredWithShortfall();
    expect(c.options.series(c.store, put)!.status).toBe("settled");
    const owedPerContract = (50_000n * USD * 10_000n) / 1_000_000n; // intrinsic × contract size
    const claims = claimsOf(c);
    expect(claims.length).toBe(2);
    expect(c.subaccounts.collateral(c.store, SHORT)).toBe(0n);
    const settlement = c.options.settlement(c.store, put)!;
    expect(claimSum(c)).toBe(settlement.totalShortfallMicroUsdc);
    expect(settlement.totalShortfallMicroUsdc).toBeGreaterThan(0n);
    expect(settlement.totalShortfallMicroUsdc).toBeLessThan(100n * owedPerContract);
    expect(c.invariants()).toEqual([]);
  });

  it("the fund pays as far as its balance allows, the rest stays recorded; a later deposit pays the rest, exact to the uusdc", () => {
    const { c } = expiredWithShortfall();
    const claims0 = claimsOf(c);
    const total = claimSum(c);
    const [first, second] = claims0 as [(typeof claims0)[0], (typeof claims0)[0]];
    // Less than the first claim in (series, owner, number) order, plus an odd uusdc.
    const fund1 = first.amountMicroUsdc / 2n + 1n;
    c.liq.deposit(c.ctx(), FUNDER, fund1);
    const col = (o: Uint8Array) => c.subaccounts.collateral(c.store, { owner: o, number: 0 });
    const before = [col(first.owner), col(second.owner)];
    c.advance();
    c.setSpot("BTC", 50_000n * USD);
    const r1 = c.liquidate().result;
    expect(r1.claimsPaidMicroUsdc).toBe(fund1);
    expect(c.liq.fundBalance(c.store)).toBe(0n);
    expect(claimSum(c)).toBe(total - fund1);
    expect(col(first.owner) - before[0]!).toBe(fund1);
    expect(col(second.owner)).toBe(before[1]);
    expect(c.liq.unpaidClaims(c.store)).toBe(total - fund1);
    expect(c.invariants()).toEqual([]);

    // An empty fund pays nothing and changes nothing.
    c.advance();
    expect(c.liquidate().result.claimsPaidMicroUsdc).toBe(0n);
    expect(claimSum(c)).toBe(total - fund1);

    // The next deposit covers the rest and 7 uusdc more: both claims end paid, 7 uusdc stay in the fund.
    const fund2 = total - fund1 + 7n;
    c.liq.deposit(c.ctx(), FUNDER, fund2);
    c.advance();
    const r2 = c.liquidate().result;
    expect(r2.claimsPaidMicroUsdc).toBe(total - fund1);
    expect(claimsOf(c)).toEqual([]);
    expect(c.liq.fundBalance(c.store)).toBe(7n);
    expect(col(first.owner) - before[0]!).toBe(first.amountMicroUsdc);
    expect(col(second.owner) - before[1]!).toBe(second.amountMicroUsdc);
    // The ledger: two deposits, and claim payments summing to the whole shortfall.
    const history = [...iterateEntries(c.store)];
    expect(history.filter((e) => e.kind === "claim_paid").reduce((a, e) => a - e.amountMicroUsdc, 0n)).toBe(total);
    expect(history.reduce((a, e) => a + e.amountMicroUsdc, 0n)).toBe(7n);
    expect(c.invariants()).toEqual([]);
  });
});
