/** CLOB keeper through its messages, with the store: order types, validation, STP, client ids, fees, events. */
import { describe, expect, it } from "vitest";
import { ClobErrors } from "../../../modules/clob/index.js";
import { ChainError } from "../../../src/errors.js";
import { addr, attrs, bech, BTC_SPOT, clobFixture } from "./fixture.js";

const E = ClobErrors;
const BUY = 1;
const SELL = 2;
const TIF = { GTC: 0, IOC: 1, FOK: 2, GTB: 3, GTT: 4 };

describe("clob keeper: order entry", () => {
  it("rests a GTC order in store and book, then fills it at the maker's price", () => {
    const f = clobFixture();
    const a = f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 5n });
    expect(a).toMatchObject({ orderId: 1n, filledContracts: 0n, restingContracts: 5n });
    const b = f.placeOk(2, { side: BUY, priceTicks: 120n, sizeContracts: 3n });
    expect(b).toMatchObject({ orderId: 2n, filledContracts: 3n, restingContracts: 0n });
    expect(f.position(1)).toBe(-3n);
    expect(f.position(2)).toBe(3n);
    const o = f.keeper.order(f.store, 1n)!;
    expect(o.remainingContracts).toBe(2n);
    expect(o.filledContracts).toBe(3n);
    expect(f.invariants()).toEqual([]);
  });

  it("IOC fills what it can and rests nothing; FOK is all or nothing", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 2n });
    expect(f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 5n, timeInForce: TIF.IOC })).toMatchObject({ filledContracts: 2n, restingContracts: 0n });
    expect(f.keeper.openOrdersOf(f.store, { owner: addr(2), number: 0 })).toEqual([]);
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 2n });
    f.expectErr(f.place(2, { side: BUY, priceTicks: 100n, sizeContracts: 3n, timeInForce: TIF.FOK }), E.fokNotFillable.code);
    expect(f.keeper.order(f.store, 3n)!.remainingContracts).toBe(2n);
    expect(f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 2n, timeInForce: TIF.FOK }).filledContracts).toBe(2n);
    expect(f.invariants()).toEqual([]);
  });

  it("market orders are IOC/FOK bounded by their worst price", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 1n });
    f.placeOk(1, { side: SELL, priceTicks: 200n, sizeContracts: 1n });
    expect(f.placeOk(2, { side: BUY, orderType: 1, priceTicks: 150n, sizeContracts: 2n, timeInForce: TIF.IOC }).filledContracts).toBe(1n);
    f.expectErr(f.place(2, { side: BUY, orderType: 1, priceTicks: 150n, sizeContracts: 2n }), E.invalidTimeInForce.code);
  });

  it("post-only that would cross fails the tx and changes nothing", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 2n });
    const before = [...f.store.iterate()].length;
    f.expectErr(f.place(2, { side: BUY, priceTicks: 100n, sizeContracts: 1n, postOnly: true }), E.postOnlyWouldCross.code);
    expect([...f.store.iterate()].length).toBe(before);
    expect(f.placeOk(2, { side: BUY, priceTicks: 99n, sizeContracts: 1n, postOnly: true }).restingContracts).toBe(1n);
    expect(f.keeper.cache.reloads).toBe(0);
  });

  it("reduce-only may only shrink the position", () => {
    const f = clobFixture();
    f.expectErr(f.place(1, { side: SELL, priceTicks: 100n, sizeContracts: 1n, reduceOnly: true }), E.reduceOnlyWouldIncrease.code);
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 3n });
    f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 3n });
    // 2 is long 3: a reduce-only sell of 5 is cut to 3.
    expect(f.placeOk(2, { side: SELL, priceTicks: 150n, sizeContracts: 5n, reduceOnly: true }).restingContracts).toBe(3n);
    f.expectErr(f.place(2, { side: BUY, priceTicks: 90n, sizeContracts: 1n, reduceOnly: true }), E.reduceOnlyWouldIncrease.code);
  });

  it("validates series, price range, lot, size and stale/close-only gating", () => {
    const f = clobFixture();
    f.expectErr(f.place(1, { seriesId: 99n }), E.unknownSeries.code);
    f.expectErr(f.place(1, { priceTicks: 10_000_001n }), E.invalidPrice.code);
    f.expectErr(f.place(1, { priceTicks: 0n }), E.invalidPrice.code);
    f.expectErr(f.place(1, { sizeContracts: 0n }), E.invalidSize.code);
    f.expectErr(f.place(1, { seriesId: 4n, sizeContracts: 3n }), E.invalidSize.code); // ETH lot is 2
    f.expectErr(f.place(1, { sizeContracts: 10_001n }), E.invalidSize.code);
    f.options.series.get(2n)!.status = "settled";
    f.expectErr(f.place(1, { seriesId: 2n }), E.seriesNotTradable.code);
    f.options.series.get(3n)!.status = "close_only";
    f.expectErr(f.place(1, { seriesId: 3n }), E.closeOnly.code);
    f.options.series.get(1n)!.expiryUnixS = f.chain.timeNs / 1_000_000_000n;
    f.expectErr(f.place(1, {}), E.seriesNotTradable.code);
    f.options.series.get(1n)!.expiryUnixS += 1000n;
    f.options.stale.add("BTC");
    f.expectErr(f.place(1, {}), E.staleUnderlying.code);
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 2n, seriesId: 4n }); // ETH not stale
  });

  it("stale underlying still accepts cancels and reduce-only orders", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 2n });
    f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 2n });
    const resting = f.placeOk(2, { side: BUY, priceTicks: 50n, sizeContracts: 1n });
    f.options.stale.add("BTC");
    expect(f.exec(f.C.MsgCancelOrder.typeUrl, { owner: bech(2), subaccountNumber: 0, orderId: resting.orderId, clientId: 0n }).ok).toBe(true);
    expect(f.placeOk(2, { side: SELL, priceTicks: 150n, sizeContracts: 1n, reduceOnly: true }).restingContracts).toBe(1n);
  });

  it("margin gate refusals fail the tx with the gate's error", () => {
    const err = new ChainError("margin", 2, "equity 1 < requirement 2");
    const seen: bigint[] = [];
    const f = clobFixture({ margin: { openSession: () => ({ tryAdd: (o) => (seen.push(o.sizeContracts), o.sizeContracts > 5n ? err : undefined), remove: () => undefined }) } });
    f.expectErr(f.place(1, { sizeContracts: 6n }), 2, "margin");
    f.placeOk(1, { sizeContracts: 5n });
    expect(seen).toEqual([6n, 5n]);
  });

  it("self-trade prevention cancels the resting order and keeps matching", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 1n });
    f.placeOk(2, { side: SELL, priceTicks: 101n, sizeContracts: 1n });
    const r = f.place(1, { side: BUY, priceTicks: 101n, sizeContracts: 1n });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(attrs(r.events, "order_cancelled")).toEqual([expect.objectContaining({ order_id: "1", reason: "self-trade" })]);
    expect(attrs(r.events, "order_filled")).toEqual([expect.objectContaining({ maker_order_id: "2", taker_order_id: "3", price_ticks: "101" })]);
    expect(f.keeper.order(f.store, 1n)).toBeUndefined();
    expect(f.invariants()).toEqual([]);
  });

  it("client ids: duplicates refused while live, cancel and query by client id, reusable after", () => {
    const f = clobFixture();
    f.placeOk(1, { priceTicks: 90n, clientId: 7n });
    f.expectErr(f.place(1, { priceTicks: 91n, clientId: 7n, seriesId: 2n }), E.duplicateClientId.code);
    f.placeOk(2, { priceTicks: 91n, clientId: 7n }); // another subaccount
    const o = f.query("OrderByClientId", f.C.QueryOrderByClientIdRequest, f.C.QueryOrderResponse, { owner: bech(1), number: 0, clientId: 7n });
    expect(o.order?.orderId).toBe(1n);
    const c = f.exec(f.C.MsgCancelOrder.typeUrl, { owner: bech(1), subaccountNumber: 0, orderId: 0n, clientId: 7n });
    expect(c.ok).toBe(true);
    f.placeOk(1, { priceTicks: 90n, clientId: 7n });
    f.expectErr(f.exec(f.C.MsgCancelOrder.typeUrl, { owner: bech(3), subaccountNumber: 0, orderId: 1n, clientId: 0n }), E.orderNotFound.code);
    f.expectErr(f.exec(f.C.MsgCancelOrder.typeUrl, { owner: bech(3), subaccountNumber: 0, orderId: 3n, clientId: 0n }), E.notOrderOwner.code);
    expect(f.invariants()).toEqual([]);
  });

  it("limits open orders per subaccount", () => {
    const f = clobFixture({ clobGenesis: { params: { max_open_orders_per_subaccount: 2 } } });
    f.placeOk(1, { priceTicks: 90n });
    f.placeOk(1, { priceTicks: 91n });
    f.expectErr(f.place(1, { priceTicks: 92n }), E.tooManyOpenOrders.code);
    f.placeOk(1, { priceTicks: 92n }, 1); // another subaccount number
  });

  it("cancel-all honours underlying, expiry and series filters", () => {
    const f = clobFixture();
    for (const s of [1n, 2n, 3n, 4n]) f.placeOk(1, { seriesId: s, priceTicks: 90n, sizeContracts: 2n });
    const cancelAll = (p: object) => f.C.MsgCancelAllResponse.decode((f.exec(f.C.MsgCancelAll.typeUrl, { owner: bech(1), subaccountNumber: 0, underlying: "", expiryUnixS: 0n, seriesId: 0n, ...p }) as { value: { value: Uint8Array } }).value.value).cancelled;
    expect(cancelAll({ underlying: "ETH" })).toBe(1);
    expect(cancelAll({ expiryUnixS: f.options.series.get(3n)!.expiryUnixS })).toBe(1);
    expect(cancelAll({ seriesId: 2n })).toBe(1);
    expect(f.keeper.openOrdersOf(f.store, { owner: addr(1), number: 0 }).map((o) => o.seriesId)).toEqual([1n]);
    expect(cancelAll({})).toBe(1);
    expect([...f.keeper.subaccountsWithOrders(f.store)]).toEqual([]);
    expect(f.invariants()).toEqual([]);
  });

  it("amend: size down keeps priority, price change or size up loses it", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 5n });
    f.placeOk(2, { side: SELL, priceTicks: 100n, sizeContracts: 5n });
    const amend = (n: number, orderId: bigint, size: bigint, price = 0n) => f.exec(f.C.MsgAmendOrder.typeUrl, { owner: bech(n), subaccountNumber: 0, orderId, clientId: 0n, newSizeContracts: size, newPriceTicks: price });
    expect(amend(1, 1n, 3n).ok).toBe(true);
    f.expectErr(amend(1, 1n, 4n), E.invalidAmend.code); // size up needs an explicit price
    let l3 = f.query("BookL3", f.C.QueryBookL3Request, f.C.QueryBookL3Response, { seriesId: 1n, limit: 0 });
    expect(l3.asks.map((o) => [o.orderId, o.remainingContracts])).toEqual([[1n, 3n], [2n, 5n]]);
    expect(amend(1, 1n, 4n, 100n).ok).toBe(true); // size up at the same price: back of the queue
    l3 = f.query("BookL3", f.C.QueryBookL3Request, f.C.QueryBookL3Response, { seriesId: 1n, limit: 0 });
    expect(l3.asks.map((o) => o.orderId)).toEqual([2n, 1n]);
    expect(amend(2, 2n, 5n, 99n).ok).toBe(true); // better price
    f.placeOk(3, { side: BUY, priceTicks: 99n, sizeContracts: 1n });
    expect(f.position(2)).toBe(-1n);
    expect(f.invariants()).toEqual([]);
  });

  it("fees: ceil rounding, taker cap at notional, paid to the fee pool", () => {
    const f = clobFixture({ clobGenesis: { params: { maker_fee_ppm: "333", taker_fee_ppm: "50000", taker_fee_cap_notional_ppm: "300" } } });
    // premium per contract = 1001 ticks × 1000 = 1,001,000 uusdc; maker fee = ceil(1,001,000 × 333 / 1e6) = ceil(333.333) = 334
    f.placeOk(1, { side: SELL, priceTicks: 1001n, sizeContracts: 1n });
    const c1 = f.collateral(1);
    const c2 = f.collateral(2);
    const r = f.place(2, { side: BUY, priceTicks: 1001n, sizeContracts: 1n });
    if (!r.ok) throw r.error;
    // taker fee = min(ceil(1,001,000 × 5%) = 50,050, cap ceil(1e11 × 10,000 × 1 × 300 / 1e12) = 300,000) = 50,050
    expect(attrs(r.events, "order_filled")[0]).toMatchObject({ premium: "1001000uusdc", maker_fee: "334uusdc", taker_fee: "50050uusdc" });
    expect(f.collateral(1) - c1).toBe(1_001_000n - 334n);
    expect(c2 - f.collateral(2)).toBe(1_001_000n + 50_050n);
    expect(f.feePool()).toBe(334n + 50_050n);
    // A big premium hits the cap: 100,000 ticks × 1000 × 1 = 1e8; 5% = 5e6 > cap 300,000.
    f.placeOk(1, { side: SELL, priceTicks: 100_000n, sizeContracts: 1n });
    const r2 = f.place(2, { side: BUY, priceTicks: 100_000n, sizeContracts: 1n });
    if (!r2.ok) throw r2.error;
    expect(attrs(r2.events, "order_filled")[0]!.taker_fee).toBe(`${(BTC_SPOT * 10_000n * 300n) / 1_000_000_000_000n}uusdc`);
    expect(f.invariants()).toEqual([]);
  });

  it("aggregates each taker order into one update per subaccount and emits one fill event per fill", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 1n });
    f.placeOk(1, { side: SELL, priceTicks: 101n, sizeContracts: 1n });
    f.placeOk(3, { side: SELL, priceTicks: 102n, sizeContracts: 1n });
    const r = f.place(2, { side: BUY, priceTicks: 102n, sizeContracts: 3n });
    if (!r.ok) throw r.error;
    expect(attrs(r.events, "order_filled").map((e) => e.price_ticks)).toEqual(["100", "101", "102"]);
    expect(attrs(r.events, "transfer").length).toBeLessThanOrEqual(1); // one bank move (fees) for the whole order
    expect([f.position(1), f.position(2), f.position(3)]).toEqual([-2n, 3n, -1n]);
    const fills = f.query("Fills", f.C.QueryFillsRequest, f.C.QueryFillsResponse, { seriesId: 1n, owner: "", number: 0, limit: 2 });
    expect(fills.fills.map((x) => x.priceTicks)).toEqual([102n, 101n]);
    const mine = f.query("Fills", f.C.QueryFillsRequest, f.C.QueryFillsResponse, { seriesId: 0n, owner: bech(1), number: 0, limit: 0 });
    expect(mine.fills.length).toBe(2);
  });
});
