/** MarginKeeper over fake options/oracle/clob/subaccounts: summaries, the order gate, the checker and the sweep. */
import { describe, expect, it } from "vitest";
import { MarginCodec, MarginErrors, UNMEETABLE_MARGIN_MICRO_USDC, type NewOrderRisk } from "../../../modules/margin/index.js";
import { ChainError } from "../../../src/errors.js";
import { toBech32Address, ACCOUNT_PREFIX } from "../../../src/crypto/address.js";
import { fixture, idOf, USD } from "./fixture.js";

const S = 60_000n * USD;

/** BTC at $60k with: 1 ITM call K55k (mark $55), 2 OTM call K70k (mark $8), 3 OTM put K40k (mark $2), 4 call K50k (mark $100). */
function btcChain() {
  const f = fixture();
  f.spots.set("BTC", S);
  f.addSeries({ id: 1n, strikeMicroUsd: 55_000n * USD, kind: "call" }, 55n * USD);
  f.addSeries({ id: 2n, strikeMicroUsd: 70_000n * USD, kind: "call" }, 8n * USD);
  f.addSeries({ id: 3n, strikeMicroUsd: 40_000n * USD, kind: "put" }, 2n * USD);
  f.addSeries({ id: 4n, strikeMicroUsd: 50_000n * USD, kind: "call" }, 100n * USD);
  return f;
}

const order = (seriesId: bigint, side: "buy" | "sell", priceTicks: bigint, sizeContracts: bigint, reduceOnly = false): NewOrderRisk => ({ seriesId, side, priceTicks, sizeContracts, reduceOnly });

describe("summary and report", () => {
  it("sums positions: equity = collateral + Σ size·mark, IM and MM per position", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[1n, -2n], [3n, -3n], [4n, 1n]]);
    const s = f.keeper.summary(f.store, a, 0n);
    // equity 1000 − 110 − 6 + 100 = 984; IM 2·145 + 3·42 + 100 = 516; MM 2·100 + 3·22 + 100 = 366.
    expect(s).toEqual({ equityMicroUsdc: 984n * USD, initialMarginMicroUsdc: 516n * USD, maintenanceMarginMicroUsdc: 366n * USD, freeCollateralMicroUsdc: 468n * USD });
    expect(f.keeper.maintenanceMarginOf(f.store, a, 0n)).toBe(366n * USD);
  });

  it("no offsets: a short call 'covered' by a long call of a lower strike is margined as two naked positions", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 500n * USD, [[1n, -1n], [4n, 1n]]);
    const r = f.keeper.report(f.store, a, 0n);
    expect(r.initialMarginMicroUsdc).toBe(145n * USD + 100n * USD);
    expect(r.positions.map((p) => [p.seriesId, p.initialMarginMicroUsdc])).toEqual([[1n, 145n * USD], [4n, 100n * USD]]);
  });

  it("open orders count at their worst case in IM and are listed per series", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD);
    f.addOrder(a, 2n, "sell", 100n, 2n); // +136
    f.addOrder(a, 1n, "buy", 500n, 1n); // $50 premium
    const r = f.keeper.report(f.store, a, 0n);
    expect(r.initialMarginMicroUsdc).toBe(186n * USD);
    expect(r.maintenanceMarginMicroUsdc).toBe(0n);
    expect(r.orders).toEqual([
      { seriesId: 1n, buyContracts: 1n, sellContracts: 0n, buyPremiumMicroUsdc: 50n * USD, markMicroUsdc: 55n * USD, initialMarginMicroUsdc: 50n * USD },
      { seriesId: 2n, buyContracts: 0n, sellContracts: 2n, buyPremiumMicroUsdc: 0n, markMicroUsdc: 8n * USD, initialMarginMicroUsdc: 136n * USD },
    ]);
  });

  it("without a mark, the intrinsic value from the oracle spot is the mark", () => {
    const f = btcChain();
    f.marks.delete(1n);
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[1n, -1n]]);
    // Intrinsic (60000 − 55000)·0.01 = $50; IM 50 + 90.
    expect(f.keeper.summary(f.store, a, 0n).initialMarginMicroUsdc).toBe(140n * USD);
    expect(f.keeper.summary(f.store, a, 0n).equityMicroUsdc).toBe(950n * USD);
  });

  it("no mark and no spot: IM is unmeetable and the series is reported unpriced", () => {
    const f = btcChain();
    f.spots.delete("BTC");
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[2n, -1n]]);
    expect(f.keeper.summary(f.store, a, 0n).initialMarginMicroUsdc).toBe(UNMEETABLE_MARGIN_MICRO_USDC);
    expect(f.keeper.report(f.store, a, 0n).unpricedSeriesIds).toEqual([2n]);
  });

  it("settled series carry no requirement", () => {
    const f = btcChain();
    f.addSeries({ id: 9n, strikeMicroUsd: 55_000n * USD, kind: "call", status: "settled", settlementPriceMicroUsd: 61_000n * USD });
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[9n, -2n]]);
    expect(f.keeper.summary(f.store, a, 0n)).toMatchObject({ equityMicroUsdc: 880n * USD, initialMarginMicroUsdc: 0n });
  });

  it("per-underlying risk params override the default", () => {
    const f = btcChain();
    f.keeper.setParams(f.store, {
      version: 2,
      defaultRisk: f.keeper.getParams(f.store).defaultRisk,
      underlyings: [{ underlying: "BTC", risk: { shortImFractionPpm: 200_000n, shortImMinFractionPpm: 100_000n, shortMmFractionPpm: 100_000n, shortMmMinFractionPpm: 50_000n } }],
    });
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[1n, -1n]]);
    const r = f.keeper.report(f.store, a, 0n);
    expect(r.initialMarginMicroUsdc).toBe((55n + 120n) * USD); // 0.20·60000·0.01
    expect(r.paramsVersion).toBe(2);
  });
});

describe("MarginChecker (subaccounts)", () => {
  it("prices marks at the block time it is given and includes open orders", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[3n, -1n]]);
    f.addOrder(a, 2n, "sell", 100n, 1n);
    const sub = f.account(a);
    expect(f.keeper.initialMarginOf(f.store, sub, 777n)).toBe((42n + 68n) * USD);
    expect(f.keeper.equityOf(f.store, sub, 777n)).toBe(998n * USD);
    expect(new Set(f.calls.markTimes)).toEqual(new Set([777n]));
  });

  it("evaluates the subaccount given (the post-update state), not the stored one", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD);
    expect(f.keeper.initialMarginOf(f.store, { id: a, quoteMicroUsdc: 10n, positions: [{ instrumentId: 2n, sizeContracts: -1n, costBasisMicroUsdc: 0n }] }, 0n)).toBe(68n * USD);
  });
});

describe("order margin session", () => {
  it("accepts while equity covers IM, then refuses with equity and requirement in the message", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 300n * USD);
    const s = f.keeper.openSession(f.store, a, 0n);
    expect(s.tryAdd(order(2n, "sell", 100n, 2n))).toBeUndefined(); // 136
    expect(s.tryAdd(order(3n, "sell", 100n, 3n))).toBeUndefined(); // + 3·42 = 262
    const err = s.tryAdd(order(2n, "sell", 100n, 1n)); // + 68 → 330 > 300
    expect(err).toBeInstanceOf(ChainError);
    expect(MarginErrors.belowInitialMargin.is(err)).toBe(true);
    expect(err!.codespace).toBe("margin");
    expect(err!.code).toBe(2);
    expect(err!.message).toContain("equity 300000000uusdc");
    expect(err!.message).toContain("initial margin of 330000000uusdc");
    // The refused order counted nothing: a buy within the remaining $38 still fits.
    expect(s.tryAdd(order(4n, "buy", 380n, 1n))).toBeUndefined();
    expect(s.tryAdd(order(4n, "buy", 1n, 1n))?.code).toBe(2);
  });

  it("remove releases the requirement", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 150n * USD);
    const s = f.keeper.openSession(f.store, a, 0n);
    expect(s.tryAdd(order(2n, "sell", 100n, 2n))).toBeUndefined();
    expect(s.tryAdd(order(3n, "sell", 100n, 1n))?.code).toBe(2);
    s.remove(order(2n, "sell", 100n, 2n));
    expect(s.tryAdd(order(3n, "sell", 100n, 1n))).toBeUndefined();
  });

  it("counts the subaccount's resting orders from the book", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 140n * USD);
    f.addOrder(a, 2n, "sell", 100n, 2n);
    const s = f.keeper.openSession(f.store, a, 0n);
    expect(s.tryAdd(order(1n, "buy", 50n, 1n))?.code).toBe(2); // 136 + 5 > 140
    expect(s.tryAdd(order(1n, "buy", 40n, 1n))).toBeUndefined(); // 136 + 4
  });

  it("reduce-only orders are accepted even when under-margined", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 10n * USD, [[2n, -2n]]); // equity −6, IM 136
    const s = f.keeper.openSession(f.store, a, 0n);
    expect(s.tryAdd(order(2n, "buy", 9_999n, 2n, true))).toBeUndefined();
    expect(s.tryAdd(order(2n, "sell", 100n, 1n))?.code).toBe(2);
  });

  it("no price for the series: refused with code 3 naming the series", () => {
    const f = btcChain();
    f.addSeries({ id: 7n, strikeMicroUsd: 3_000n * USD, kind: "call", underlying: "ETH" });
    const a = idOf(1);
    f.setAccount(a, 1_000_000n * USD);
    const s = f.keeper.openSession(f.store, a, 0n);
    const err = s.tryAdd(order(7n, "buy", 1n, 1n));
    expect(MarginErrors.noPrice.is(err)).toBe(true);
    expect(err!.code).toBe(3);
    expect(err!.message).toContain("no price for series 7");
    expect(s.tryAdd(order(7n, "sell", 1n, 1n, true))).toBeUndefined(); // reduce-only: not new risk
  });

  it("an unpriced position blocks new risk in any series", () => {
    const f = btcChain();
    f.addSeries({ id: 7n, strikeMicroUsd: 3_000n * USD, kind: "call", underlying: "ETH" });
    const a = idOf(1);
    f.setAccount(a, 1_000_000n * USD, [[7n, -1n]]);
    const err = f.keeper.openSession(f.store, a, 0n).tryAdd(order(1n, "buy", 1n, 1n));
    expect(err?.code).toBe(3);
    expect(err!.message).toContain("series 7");
  });

  it("unknown series, settled series and malformed orders have their own codes", () => {
    const f = btcChain();
    f.addSeries({ id: 9n, strikeMicroUsd: 1n, kind: "call", status: "settled", settlementPriceMicroUsd: 1n });
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD);
    const s = f.keeper.openSession(f.store, a, 0n);
    expect(s.tryAdd(order(99n, "buy", 1n, 1n))?.code).toBe(4);
    expect(s.tryAdd(order(9n, "buy", 1n, 1n))?.code).toBe(5);
    expect(s.tryAdd(order(1n, "buy", 1n, 0n))?.code).toBe(6);
    expect(s.tryAdd(order(1n, "buy", -1n, 1n))?.code).toBe(6);
  });

  it("a 500-order batch prices each series once and reads the book once", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 10_000_000n * USD);
    f.calls.mark = 0;
    f.calls.openOrdersOf = 0;
    const s = f.keeper.openSession(f.store, a, 0n);
    for (let i = 0; i < 500; i++) expect(s.tryAdd(order(BigInt(1 + (i % 4)), i % 2 ? "buy" : "sell", 10n + BigInt(i), 1n))).toBeUndefined();
    expect(f.calls.mark).toBe(4);
    expect(f.calls.openOrdersOf).toBe(1);
  });
});

describe("BeginBlock sweep", () => {
  it("cancels all orders of under-margined subaccounts only, with an event", () => {
    const f = btcChain();
    const ok = idOf(1);
    const under = idOf(2);
    const unpriced = idOf(3);
    const noOrders = idOf(4);
    f.addSeries({ id: 7n, strikeMicroUsd: 3_000n * USD, kind: "call", underlying: "ETH" });
    f.setAccount(ok, 1_000n * USD);
    f.addOrder(ok, 2n, "sell", 100n, 2n);
    f.setAccount(under, 200n * USD, [[1n, -1n]]); // equity 145; IM 145 + 68 (sell) + 0.1 (buy premium)
    f.addOrder(under, 2n, "sell", 100n, 1n);
    f.addOrder(under, 3n, "buy", 1n, 1n);
    f.setAccount(unpriced, 0n, [[7n, -5n]]);
    f.addOrder(unpriced, 2n, "sell", 100n, 1n);
    f.setAccount(noOrders, 0n, [[1n, -1n]]);
    const ctx = f.ctx();
    f.module.beginBlock!(ctx);
    expect(f.calls.cancelAllOf).toHaveLength(1);
    expect(f.calls.cancelAllOf[0]).toMatch(/:margin$/);
    expect(f.orders().some((o) => o.subaccount.owner[19] === 2)).toBe(false);
    expect(f.orders()).toHaveLength(2);
    expect(ctx.events).toHaveLength(1);
    const attrs = Object.fromEntries(ctx.events[0]!.attributes.map((x) => [x.key, x.value]));
    expect(ctx.events[0]!.type).toBe("margin_orders_cancelled");
    expect(attrs).toEqual({ subaccount: `${toBech32Address(ACCOUNT_PREFIX, under.owner)}/0`, equity: "145000000uusdc", initial_margin: "213100000uusdc", orders_cancelled: "2" });
  });

  it("a price move makes the sweep cancel what it accepted before", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 140n * USD);
    f.addOrder(a, 2n, "sell", 100n, 2n); // 136 ≤ 140
    f.module.beginBlock!(f.ctx());
    expect(f.orders()).toHaveLength(1);
    // Spot $66k, mark $10: add-on max(9900 − 4000, 6600)·0.01 = $66, so the sell costs 2·76 + 20 − 20 = $152 > $140.
    f.marks.set(2n, 10n * USD);
    f.spots.set("BTC", 66_000n * USD);
    f.module.beginBlock!(f.ctx());
    expect(f.orders()).toHaveLength(0);
  });
});

describe("queries", () => {
  it("SubaccountMargin returns the breakdown; Params the params", () => {
    const f = btcChain();
    const a = idOf(1);
    f.setAccount(a, 1_000n * USD, [[1n, -2n]]);
    f.addOrder(a, 2n, "sell", 100n, 1n);
    const route = (path: string) => f.module.queryRoutes.find((r) => r.path === path)!;
    const owner = toBech32Address(ACCOUNT_PREFIX, a.owner);
    const res = MarginCodec.QuerySubaccountMarginResponse.decode(
      route("/vanna.margin.v1.Query/SubaccountMargin").handle(f.query(), MarginCodec.QuerySubaccountMarginRequest.encode({ owner, number: 0 })),
    );
    expect(res.equityMicroUsdc).toBe(String(890n * USD));
    expect(res.initialMarginMicroUsdc).toBe(String((290n + 68n) * USD));
    expect(res.maintenanceMarginMicroUsdc).toBe(String(200n * USD));
    expect(res.freeCollateralMicroUsdc).toBe(String((890n - 358n) * USD));
    expect(res.riskModel).toBe("standard");
    expect(res.paramsVersion).toBe(1);
    expect(res.positions).toEqual([{ seriesId: 1n, sizeContracts: "-2", markMicroUsdc: String(55n * USD), valueMicroUsdc: String(-110n * USD), imMicroUsdc: String(290n * USD), mmMicroUsdc: String(200n * USD) }]);
    expect(res.orders.map((o) => [o.seriesId, o.sellContracts, o.imMicroUsdc])).toEqual([[2n, "1", String(68n * USD)]]);
    const params = MarginCodec.QueryParamsResponse.decode(route("/vanna.margin.v1.Query/Params").handle(f.query(), MarginCodec.QueryParamsRequest.encode({})));
    expect(params.params?.defaultRisk?.shortImFractionPpm).toBe(150_000);
    expect(params.params?.version).toBe(1);
  });

  it("rejects a bad owner as an invalid argument", () => {
    const f = btcChain();
    const route = f.module.queryRoutes.find((r) => r.path === "/vanna.margin.v1.Query/SubaccountMargin")!;
    expect(() => route.handle(f.query(), MarginCodec.QuerySubaccountMarginRequest.encode({ owner: "nope", number: 0 }))).toThrow(/InvalidArgument/);
  });
});
