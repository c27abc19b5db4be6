import { describe, expect, it } from "vitest";
import { capitalEfficiency, DEFAULT_PORTFOLIO_PARAMS, DEFAULT_RISK_PARAMS, referenceBooks, trueMaxLossAtExpiry } from "../../../modules/margin/index.js";
import { BTC_CS, TICK, USD } from "./fixture.js";

const NOW = 1_700_000_000n * 1_000_000_000n;
const EXP = 1_700_000_000n + 30n * 86_400n;
const SPOT = 100_000n * USD;
const market = { underlying: "BTC", spotMicroUsd: SPOT, volPpm: 600_000n, nowNs: NOW, contractSizePpm: BTC_CS, tickSizeMicroUsdc: TICK };

describe("capital efficiency of portfolio margin (reference books)", () => {
  const rows = capitalEfficiency(referenceBooks(SPOT, EXP, EXP + 60n * 86_400n), market, DEFAULT_PORTFOLIO_PARAMS, DEFAULT_RISK_PARAMS);
  const row = (name: string) => rows.find((r) => r.name.startsWith(name))!;

  it("hedged books need no more initial margin under portfolio than under standard; MM never exceeds a defined max loss", () => {
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      expect(r.portfolioImMicroUsdc, r.name).toBeGreaterThanOrEqual(r.portfolioMmMicroUsdc);
      if (r.hedged) expect(r.portfolioImMicroUsdc, r.name).toBeLessThanOrEqual(r.standardImMicroUsdc);
      if (r.hedged) expect(r.portfolioMmMicroUsdc, r.name).toBeLessThanOrEqual(r.trueMaxLossMicroUsdc!);
    }
    // Naked and unbounded books are not cheaper than their standard margin here, and have no max loss.
    expect(row("naked short call").trueMaxLossMicroUsdc).toBeUndefined();
    expect(row("short straddle").trueMaxLossMicroUsdc).toBeUndefined();
    expect(row("naked short call").portfolioImMicroUsdc).toBeGreaterThan(row("naked short call").standardImMicroUsdc);
  });

  it("true max loss by hand: debit spread = debit, credit spread = width − credit, short put = strike − premium, box ≥ 0", () => {
    const debit = row("bull call spread");
    expect(debit.trueMaxLossMicroUsdc).toBe(debit.premiumMicroUsdc);
    const credit = row("bear call spread");
    expect(credit.trueMaxLossMicroUsdc).toBe(100n * USD + credit.premiumMicroUsdc); // width $10,000 × 0.01
    const put = row("naked short put");
    expect(put.trueMaxLossMicroUsdc).toBe(900n * USD + put.premiumMicroUsdc);
    expect(row("long box").trueMaxLossMicroUsdc).toBe(row("long box").premiumMicroUsdc > 200n * USD ? row("long box").premiumMicroUsdc - 200n * USD : 0n);
    const cal = row("calendar");
    expect(cal.trueMaxLossMicroUsdc).toBe(cal.premiumMicroUsdc); // the debit: the far call is worth at least the near one's payoff
  });

  it("trueMaxLossAtExpiry: a later short leg or net short calls are unbounded", () => {
    const leg = (kind: "call" | "put", k: bigint, q: bigint, e = EXP) => ({ kind, strikeMicroUsd: k * USD, expiryUnixS: e, sizeContracts: q });
    expect(trueMaxLossAtExpiry([leg("call", 100_000n, 1n), leg("call", 100_000n, -1n, EXP + 1n)], [1n, 1n], market)).toBeUndefined();
    expect(trueMaxLossAtExpiry([leg("call", 100_000n, 1n), leg("call", 110_000n, -2n)], [1n, 1n], market)).toBeUndefined();
    expect(trueMaxLossAtExpiry([leg("put", 90_000n, 2n)], [5n * USD], market)).toBe(10n * USD);
  });
});
