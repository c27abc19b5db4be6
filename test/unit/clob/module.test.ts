/** CLOB batches, MMP, cache consistency, block expiry, store-backed queries, hooks, genesis and fairness. */
import { describe, expect, it } from "vitest";
import { ClobErrors, tradingClass, CLOB_MSG_TYPE_URLS as T } from "../../../modules/clob/index.js";
import { addr, attrs, bech, clobFixture, GENESIS_NS } from "./fixture.js";

const E = ClobErrors;
const BUY = 1;
const SELL = 2;

function batch(f: ReturnType<typeof clobFixture>, n: number, cancels: Array<{ orderId: bigint; clientId: bigint }>, places: object[]) {
  return f.exec(f.C.MsgBatch.typeUrl, { owner: bech(n), subaccountNumber: 0, cancels, places: places.map((p) => f.spec(p)) });
}

describe("clob: batches", () => {
  it("runs cancels then places with per-item results; a bad item does not fail the tx", () => {
    const f = clobFixture();
    f.placeOk(1, { priceTicks: 90n, clientId: 5n });
    const r = batch(f, 1, [{ orderId: 0n, clientId: 5n }, { orderId: 999n, clientId: 0n }], [
      { priceTicks: 91n, clientId: 5n, postOnly: true }, // reuses the client id cancelled just before
      { priceTicks: 0n },
      { seriesId: 99n },
      { side: SELL, priceTicks: 95n, sizeContracts: 2n },
    ]);
    if (!r.ok) throw r.error;
    const res = f.C.MsgBatchResponse.decode(r.value.value);
    expect(res.cancels.map((c) => [c.ok, c.code])).toEqual([[true, 0], [false, E.orderNotFound.code]]);
    expect(res.places.map((p) => [p.ok, p.code])).toEqual([[true, 0], [false, E.invalidPrice.code], [false, E.unknownSeries.code], [true, 0]]);
    expect(res.places[0]!.orderId).toBe(2n);
    expect(res.places[3]!.orderId).toBe(3n);
    expect(f.keeper.openOrdersOf(f.store, { owner: addr(1), number: 0 }).map((o) => o.orderId)).toEqual([2n, 3n]);
    expect(f.invariants()).toEqual([]);
  });

  it("refuses too many items and empty batches for the whole tx", () => {
    const f = clobFixture({ clobGenesis: { params: { max_batch_orders: 3 } } });
    f.expectErr(batch(f, 1, [], [{}, {}, {}, {}]), E.batchTooLarge.code);
    f.expectErr(batch(f, 1, [], []), E.invalidBatch.code);
    expect(batch(f, 1, [], [{ priceTicks: 1n }, { priceTicks: 2n }, { priceTicks: 3n }]).ok).toBe(true);
  });

  it("opens one margin session per message", () => {
    let sessions = 0;
    const f = clobFixture({ margin: { openSession: () => (sessions++, { tryAdd: () => undefined, remove: () => undefined }) } });
    expect(batch(f, 1, [], Array.from({ length: 50 }, (_, i) => ({ priceTicks: BigInt(i + 1) }))).ok).toBe(true);
    expect(sessions).toBe(1);
  });

  it("500-order batches are cheap per order: no reloads and a bounded number of writes per order", () => {
    const f = clobFixture();
    const places = Array.from({ length: 250 }, (_, i) => ({ side: BUY, priceTicks: BigInt(1000 - i), postOnly: true }));
    const asks = Array.from({ length: 250 }, (_, i) => ({ side: SELL, priceTicks: BigInt(2000 + i), postOnly: true }));
    const before = [...f.store.iterate()].length;
    expect(batch(f, 1, [], [...places, ...asks]).ok).toBe(true);
    // record + subaccount index + book index per order, plus a handful of counters.
    expect([...f.store.iterate()].length - before).toBeLessThanOrEqual(500 * 3 + 5);
    expect(f.keeper.cache.reloads).toBe(0);
    expect(f.invariants()).toEqual([]);
  });
});

describe("clob: cache consistency", () => {
  it("a tx that fails after mutating the book leaves the next block seeing the stored book", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 1n });
    // Make the fills' settlement fail after matching mutated the cached book: positions above 256 bits cannot be
    // reached, so break it via an unknown-to-subaccounts shape: a fee pool that cannot pay is impossible too, so
    // throw from the subaccounts keeper once.
    const real = f.subaccounts.keeper.applyUpdates.bind(f.subaccounts.keeper);
    let failNext = true;
    f.subaccounts.keeper.applyUpdates = ((ctx, updates, opts) => {
      if (failNext) {
        failNext = false;
        throw E.overflow.with("injected");
      }
      return real(ctx, updates, opts);
    }) as typeof real;
    f.expectErr(f.place(2, { side: BUY, priceTicks: 100n, sizeContracts: 1n }), E.overflow.code);
    // The cached book lost order 1 but the store still has it: the next user must see it.
    expect(f.keeper.order(f.store, 1n)?.remainingContracts).toBe(1n);
    f.beginBlock(2n, GENESIS_NS + 1_000_000_000n);
    const l2 = f.query("BookL2", f.C.QueryBookL2Request, f.C.QueryBookL2Response, { seriesId: 1n, levels: 0 });
    expect(l2.asks).toEqual([{ priceTicks: 100n, sizeContracts: 1n, orderCount: 1 }]);
    expect(f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 1n }).filledContracts).toBe(1n);
    expect(f.keeper.cache.reloads).toBe(1);
    expect(f.invariants()).toEqual([]);
  });

  it("simulate mode uses a private book and never touches the shared cache", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 1n });
    const sim = f.exec(f.C.MsgPlaceOrder.typeUrl, { owner: bech(2), subaccountNumber: 0, order: f.spec({ side: BUY, priceTicks: 100n }) }, "simulate");
    expect(sim.ok).toBe(true);
    expect(f.keeper.cache.peek(1n)!.book.orderCount).toBe(1);
    expect(f.placeOk(2, { side: BUY, priceTicks: 100n }).filledContracts).toBe(1n);
    expect(f.keeper.cache.reloads).toBe(0);
  });
});

describe("clob: BeginBlock expiry", () => {
  it("expires good-til-block and good-til-time orders with events", () => {
    const f = clobFixture();
    const t0 = GENESIS_NS;
    f.placeOk(1, { priceTicks: 90n, timeInForce: 3, goodTilBlock: 2n });
    f.placeOk(1, { priceTicks: 91n, timeInForce: 4, goodTilTimeNs: t0 + 5_000_000_000n });
    f.placeOk(1, { priceTicks: 92n });
    f.expectErr(f.place(1, { priceTicks: 93n, timeInForce: 3, goodTilBlock: 0n }), E.invalidTimeInForce.code);
    expect(f.beginBlock(2n, t0 + 1_000_000_000n)).toEqual([]);
    expect(attrs(f.beginBlock(3n, t0 + 2_000_000_000n), "order_expired").map((e) => e.order_id)).toEqual(["1"]);
    expect(attrs(f.beginBlock(4n, t0 + 5_000_000_000n), "order_expired")).toEqual([]);
    expect(attrs(f.beginBlock(5n, t0 + 5_000_000_001n), "order_expired").map((e) => e.order_id)).toEqual(["2"]);
    f.expectErr(f.place(1, { priceTicks: 93n, timeInForce: 3, goodTilBlock: 4n }), E.alreadyExpired.code);
    expect(f.keeper.openOrdersOf(f.store, { owner: addr(1), number: 0 }).map((o) => o.orderId)).toEqual([3n]);
    expect(f.invariants()).toEqual([]);
  });
});

describe("clob: market maker protection", () => {
  const setMmp = (f: ReturnType<typeof clobFixture>, p: object) =>
    f.exec(f.C.MsgSetMmp.typeUrl, { owner: bech(1), subaccountNumber: 0, underlying: "BTC", windowNs: 10_000_000_000n, maxContracts: 0n, maxDeltaMicroUnits: 0n, maxVegaMicroUsdc: 0n, freezeNs: 0n, ...p });

  it("trips on contracts: cancels resting orders on the underlying, freezes until reset", () => {
    const f = clobFixture();
    expect(setMmp(f, { maxContracts: 3n }).ok).toBe(true);
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 5n });
    f.placeOk(1, { side: SELL, priceTicks: 110n, sizeContracts: 5n, seriesId: 2n });
    f.placeOk(1, { side: SELL, priceTicks: 110n, sizeContracts: 2n, seriesId: 4n }); // ETH: untouched
    f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 2n });
    const r = f.place(2, { side: BUY, priceTicks: 100n, sizeContracts: 1n });
    if (!r.ok) throw r.error;
    expect(attrs(r.events, "mmp_triggered")).toEqual([expect.objectContaining({ underlying: "BTC", cause: "contracts" })]);
    expect(attrs(r.events, "order_cancelled").map((e) => [e.order_id, e.reason])).toEqual([["1", "mmp"], ["2", "mmp"]]);
    expect(f.keeper.openOrdersOf(f.store, { owner: addr(1), number: 0 }).map((o) => o.seriesId)).toEqual([4n]);
    f.expectErr(f.place(1, { side: SELL, priceTicks: 100n }), E.mmpFrozen.code);
    const q = f.query("Mmp", f.C.QueryMmpRequest, f.C.QueryMmpResponse, { owner: bech(1), number: 0, underlying: "BTC" });
    expect(q.state).toMatchObject({ frozen: true, contracts: 3n });
    expect(f.exec(f.C.MsgResetMmp.typeUrl, { owner: bech(1), subaccountNumber: 0, underlying: "BTC" }).ok).toBe(true);
    f.placeOk(1, { side: SELL, priceTicks: 100n });
    expect(f.invariants()).toEqual([]);
  });

  it("trips on delta, timed freeze lifted in BeginBlock", () => {
    const f = clobFixture();
    // Each contract: 0.5 delta × 0.01 BTC = 5,000 micro-BTC.
    expect(setMmp(f, { maxDeltaMicroUnits: 10_000n, freezeNs: 3_000_000_000n }).ok).toBe(true);
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 5n });
    f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 1n });
    expect(f.query("Mmp", f.C.QueryMmpRequest, f.C.QueryMmpResponse, { owner: bech(1), number: 0, underlying: "BTC" }).state?.deltaMicroUnits).toBe("-5000");
    f.placeOk(2, { side: BUY, priceTicks: 100n, sizeContracts: 1n });
    f.expectErr(f.place(1, { side: SELL, priceTicks: 100n }), E.mmpFrozen.code);
    f.placeOk(1, { side: BUY, priceTicks: 90n, sizeContracts: 1n, reduceOnly: true }); // reduce-only passes
    f.beginBlock(2n, GENESIS_NS + 2_000_000_000n);
    f.expectErr(f.place(1, { side: SELL, priceTicks: 100n }), E.mmpFrozen.code);
    expect(attrs(f.beginBlock(3n, GENESIS_NS + 3_000_000_000n), "mmp_reset")).toHaveLength(1);
    f.placeOk(1, { side: SELL, priceTicks: 100n });
  });

  it("rejects a config without a window and unknown underlyings", () => {
    const f = clobFixture();
    f.expectErr(setMmp(f, { windowNs: 0n, maxContracts: 1n }), E.invalidMmp.code);
    f.expectErr(setMmp(f, { underlying: "DOGE", maxContracts: 1n }), E.unknownUnderlying.code);
  });
});

describe("clob: queries, reader and hooks", () => {
  it("L2/L3 from the store equal the engine's depth", () => {
    const f = clobFixture();
    for (let i = 0; i < 30; i++) f.placeOk(1 + (i % 3), { side: i % 2 === 0 ? BUY : SELL, priceTicks: BigInt(i % 2 === 0 ? 100 - (i % 7) : 110 + (i % 5)), sizeContracts: BigInt(1 + (i % 4)) });
    const book = f.keeper.cache.peek(1n)!.book;
    const l2 = f.query("BookL2", f.C.QueryBookL2Request, f.C.QueryBookL2Response, { seriesId: 1n, levels: 3 });
    expect(l2).toEqual(book.depth(3));
    const l3 = f.query("BookL3", f.C.QueryBookL3Request, f.C.QueryBookL3Response, { seriesId: 1n, limit: 5 });
    expect(l3.bids.map((o) => [o.orderId, o.remainingContracts])).toEqual(book.l3("buy", 5).map((o) => [o.orderId, o.sizeContracts]));
    expect(l3.asks.map((o) => [o.orderId, o.remainingContracts])).toEqual(book.l3("sell", 5).map((o) => [o.orderId, o.sizeContracts]));
    const open = f.query("OpenOrders", f.C.QueryOpenOrdersRequest, f.C.QueryOpenOrdersResponse, { owner: bech(1), number: 0, seriesId: 0n, pagination: undefined });
    expect(open.orders.length).toBe(f.keeper.openOrdersOf(f.store, { owner: addr(1), number: 0 }).length);
  });

  it("cancelAllOf and onSeriesClosing cancel with the given reason", () => {
    const f = clobFixture();
    f.placeOk(1, { priceTicks: 90n });
    f.placeOk(1, { priceTicks: 90n, seriesId: 2n });
    f.placeOk(2, { priceTicks: 80n, seriesId: 2n });
    expect([...f.keeper.subaccountsWithOrders(f.store)].map((s) => s.owner[19])).toEqual([1, 2]);
    const ctx = f.ctxOf("deliver");
    expect(f.keeper.cancelAllOf(ctx, { owner: addr(1), number: 0 }, "margin")).toBe(2);
    expect(attrs(ctx.events, "order_cancelled").map((e) => e.reason)).toEqual(["margin", "margin"]);
    const ctx2 = f.ctxOf("block");
    f.keeper.onSeriesClosing(ctx2, 2n, "delisted");
    expect(attrs(ctx2.events, "order_cancelled").map((e) => [e.order_id, e.reason])).toEqual([["3", "delisted"]]);
    expect([...f.keeper.subaccountsWithOrders(f.store)]).toEqual([]);
    expect(f.invariants()).toEqual([]);
  });

  it("genesis export/import keeps orders, priority, ids and MMP configs", () => {
    const f = clobFixture();
    f.placeOk(1, { side: SELL, priceTicks: 100n, sizeContracts: 2n, clientId: 9n });
    f.placeOk(2, { side: SELL, priceTicks: 100n, sizeContracts: 3n, timeInForce: 3, goodTilBlock: 50n });
    f.placeOk(3, { side: BUY, priceTicks: 90n, sizeContracts: 1n });
    f.exec(f.C.MsgSetMmp.typeUrl, { owner: bech(1), subaccountNumber: 0, underlying: "BTC", windowNs: 5n, maxContracts: 10n, maxDeltaMicroUnits: 0n, maxVegaMicroUsdc: 0n, freezeNs: 0n });
    const exported = f.module.exportGenesis(f.ctxOf("genesis"));
    const g = clobFixture({ clobGenesis: exported });
    expect(g.module.exportGenesis(g.ctxOf("genesis"))).toEqual(exported);
    expect(g.placeOk(4, { side: BUY, priceTicks: 100n, sizeContracts: 3n })).toMatchObject({ orderId: 4n, filledContracts: 3n });
    expect(g.position(1)).toBe(-2n); // order 1 kept its priority
    expect(g.invariants()).toEqual([]);
    expect(() => g.module.validateGenesis({ ...(exported as object), orders: [...(exported as { orders: object[] }).orders, { order_id: "3", series_id: "1", owner: bech(1), side: "buy", price_ticks: "200", remaining_contracts: "1" }] })).toThrow(/duplicate|crossed/);
  });
});

describe("clob: fairness classifier", () => {
  it("classifies maker, taker and neutral messages", () => {
    const spec = (postOnly: boolean) => ({ postOnly });
    expect(tradingClass(T.cancelOrder, {})).toBe("maker");
    expect(tradingClass(T.cancelAll, {})).toBe("maker");
    expect(tradingClass(T.setMmp, {})).toBe("maker");
    expect(tradingClass(T.resetMmp, {})).toBe("maker");
    expect(tradingClass(T.placeOrder, { order: spec(true) })).toBe("maker");
    expect(tradingClass(T.placeOrder, { order: spec(false) })).toBe("taker");
    expect(tradingClass(T.amendOrder, { newPriceTicks: 0n })).toBe("maker");
    expect(tradingClass(T.amendOrder, { newPriceTicks: 5n })).toBe("taker");
    expect(tradingClass(T.batch, { cancels: [{}], places: [spec(true), spec(true)] })).toBe("maker");
    expect(tradingClass(T.batch, { cancels: [{}], places: [] })).toBe("maker");
    expect(tradingClass(T.batch, { cancels: [], places: [spec(true), spec(false)] })).toBe("taker");
    expect(tradingClass("/cosmos.bank.v1beta1.MsgSend", {})).toBe("neutral");
    expect(tradingClass("/vanna.subaccounts.v1.MsgDeposit", {})).toBe("neutral");
  });
});
