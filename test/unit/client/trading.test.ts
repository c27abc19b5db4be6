/** The client end to end on the trading modules: place, match, read events, query book, orders, fills, margin. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectVanna, fillsOf, msgs, orderEventsOf, decodeMsgResponses, priceToTicks, seriesName, optionKindName, usdc, type VannaConnection } from "../../../node/client/index.js";
import { devWallet } from "../../support/devChain.js";
import { AppNode } from "./appNode.js";
import { ATM_CALL, EXPIRY_UNIX_S, tradingApp } from "./tradingChain.js";

let node: AppNode;
let conn: VannaConnection;
let alice: string;
let bob: string;

beforeAll(async () => {
  const { wallet, addresses } = await devWallet();
  [alice, bob] = [addresses[0]!, addresses[1]!];
  node = new AppNode(tradingApp(addresses));
  await node.start();
  conn = await connectVanna(node.url, wallet);
});

afterAll(async () => {
  conn?.disconnect();
  await node?.stop();
});

describe("trading with vanna/client", () => {
  it("lists, quotes, matches and reports", async () => {
    const q = conn.query;
    const signing = conn.signing!;
    const list = await q.options.seriesList({ underlying: "BTC", expiryUnixS: EXPIRY_UNIX_S });
    const atm = list.series.find((s) => seriesName({ ...s, kind: optionKindName(s.kind)! }) === ATM_CALL);
    expect(atm, "the ATM call is listed by policy").toBeDefined();
    const btc = (await q.options.underlyings()).find((u) => u.symbol === "BTC")!;
    const mark = await q.options.mark(atm!.id);
    expect(BigInt(mark.mark!.markMicroUsdcPerContract)).toBeGreaterThan(0n);

    for (const who of [alice, bob]) {
      const r = await signing.signAndBroadcast(who, [msgs.deposit({ sender: who, amount: usdc(10_000_000_000n) })], "auto");
      expect(r.code, r.rawLog).toBe(0);
    }
    const ask = priceToTicks("70", btc.tickSizeMicroUsdc);
    const placed = await signing.signAndBroadcast(bob, [msgs.placeOrder({ owner: bob, order: { seriesId: atm!.id, side: "sell", priceTicks: ask, sizeContracts: 2n, postOnly: true, clientId: 11n } })], "auto");
    expect(placed.code, placed.rawLog).toBe(0);
    const makerOrder = orderEventsOf(placed).placed[0]!;
    expect(makerOrder).toMatchObject({ msgIndex: 0, side: "sell", priceTicks: ask, sizeContracts: 2n, restingContracts: 2n, clientId: 11n });
    expect(decodeMsgResponses(placed.msgResponses)[0]?.value).toEqual({ orderId: makerOrder.orderId, filledContracts: 0n, restingContracts: 2n });

    expect(await q.clob.bookL2(atm!.id)).toEqual({ bids: [], asks: [{ priceTicks: ask, sizeContracts: 2n, orderCount: 1 }] });
    expect((await q.clob.orderByClientId(bob, 0, 11n))?.orderId).toBe(makerOrder.orderId);

    const taken = await signing.signAndBroadcast(alice, [msgs.placeOrder({ owner: alice, order: { seriesId: atm!.id, side: "buy", priceTicks: ask, sizeContracts: 1n, timeInForce: "ioc" } })], "auto");
    expect(taken.code, taken.rawLog).toBe(0);
    const [fill] = fillsOf(taken);
    expect(fill).toMatchObject({ seriesId: atm!.id, makerOrderId: makerOrder.orderId, takerSide: "buy", priceTicks: ask, sizeContracts: 1n, premiumMicroUsdc: ask * btc.tickSizeMicroUsdc });
    expect(fill!.taker).toBe(`${alice}/0`);

    const fills = await q.clob.fills({ seriesId: atm!.id });
    expect(fills.map((f) => [f.makerOrderId, f.sizeContracts])).toEqual([[makerOrder.orderId, 1n]]);
    expect((await q.clob.openOrders(bob)).orders.map((o) => [o.orderId, o.remainingContracts])).toEqual([[makerOrder.orderId, 1n]]);
    expect((await q.subaccounts.positions(alice)).positions.map((p) => [p.instrumentId, p.sizeContracts])).toEqual([[atm!.id, "1"]]);
    const margin = await q.margin.subaccountMargin(bob);
    expect(BigInt(margin.initialMarginMicroUsdc)).toBeGreaterThan(0n);
    expect(margin.riskModel).toBe("standard");

    const cancelled = await signing.signAndBroadcast(bob, [msgs.cancelOrder({ owner: bob, clientId: 11n })], "auto");
    expect(cancelled.code, cancelled.rawLog).toBe(0);
    expect(orderEventsOf(cancelled).cancelled).toMatchObject([{ orderId: makerOrder.orderId, cancelledContracts: 1n, removed: true }]);
    expect((await q.clob.openOrders(bob)).orders).toEqual([]);
  });

  it("every other query of options, clob and margin answers from the app", async () => {
    const q = conn.query;
    expect((await q.options.params())?.authority).toBe(alice);
    expect(await q.options.liveExpiries("BTC")).toContain(EXPIRY_UNIX_S);
    const marks = await q.options.marks("BTC", EXPIRY_UNIX_S);
    expect(marks.marks.length).toBeGreaterThan(0);
    const id = marks.marks[0]!.seriesId;
    expect((await q.options.series(id))?.id).toBe(id);
    expect((await q.options.shortfallClaims()).claims).toEqual([]);
    await expect(q.options.settlement(id)).rejects.toThrow(/NotFound/);
    expect((await q.clob.params())?.maxBatchOrders).toBeGreaterThan(0);
    expect(await q.clob.bookL3(id)).toEqual({ bids: [], asks: [] });
    await expect(q.clob.order(999_999n)).rejects.toThrow(/NotFound/);
    expect(await q.clob.mmp(bob, 0, "BTC")).toMatchObject({ config: undefined });
    expect((await q.margin.params())?.defaultRisk?.shortImFractionPpm).toBeGreaterThan(0);
  });
});
