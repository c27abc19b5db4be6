/**
 * Scenarios 3 and 5 through the real app. Fairness: a proposal where another signer's taker tx precedes a
 * maker's cancel is rejected by ProcessProposal, PrepareProposal reorders it (cancel first), and executed in
 * that order the cancelled quote is not filled. Market maker protection: fills past the limit cancel every
 * resting quote of the maker on that underlying and refuse new ones until MsgResetMmp.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { msgs, orderEventsOf, usdc, ClobCodec } from "../../node/client/index.js";
import { header } from "../support/devChain.js";
import { expectTxError, followerApp, MarketChain, responsesOf, SEC } from "../support/marketChain.js";

const MONTHLY = 1_769_760_000n;
const ETH_DAILY = 1_767_254_400n;

let c: MarketChain;
let maker: string;
let taker: string;
let maker2: string;
let calls: bigint[];

beforeAll(async () => {
  c = await MarketChain.create();
  c.followers.push(followerApp(c.addrs)); // a second node executes every block and must agree
  [, maker, taker, maker2] = c.addrs as [string, string, string, string];
  c.block();
  c.block();
  c.block();
  calls = (await c.q.options.seriesList({ underlying: "BTC", expiryUnixS: MONTHLY, status: "active" })).series.filter((s) => s.kind === 1).map((s) => s.id);
  const r = c.block(await Promise.all([maker, taker, maker2].map((a) => c.sign(a, [msgs.deposit({ sender: a, amount: usdc(100_000_000_000n) })]))));
  expect(r.txResults.map((t) => t.code)).toEqual([0, 0, 0]);
});

describe("scenario 3: in-block fairness (makers before takers)", () => {
  it("rejects a taker-before-cancel proposal, reorders it, and the cancelled quote is not filled", async () => {
    const series = calls[5]!;
    const placed = await c.ok(maker, [msgs.placeOrder({ owner: maker, order: { seriesId: series, side: "sell", priceTicks: 7_000n, sizeContracts: 3n, postOnly: true, clientId: 5n } })]);
    const orderId = orderEventsOf(placed).placed[0]!.orderId;
    const takerTx = await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: series, side: "buy", priceTicks: 7_000n, sizeContracts: 3n, timeInForce: "ioc" } })]);
    const cancelTx = await c.sign(maker, [msgs.cancelOrder({ owner: maker, orderId })]);
    const next = header(c.height + 1n, c.timeNs + 2n * SEC);

    expect(c.app.processProposal({ header: next, txs: [takerTx, cancelTx] })).toBe(false);
    const ordered = c.app.prepareProposal([takerTx, cancelTx]);
    expect(ordered).toEqual([cancelTx, takerTx]);
    expect(c.app.processProposal({ header: next, txs: ordered })).toBe(true);
    // A signer's own maker tx after its own taker tx keeps its sequence order and is allowed.
    const ownCancel = await c.sign(taker, [msgs.cancelAll({ owner: taker })]);
    expect(c.app.prepareProposal([takerTx, ownCancel, cancelTx])).toEqual([cancelTx, takerTx, ownCancel]);

    const b = c.block(ordered);
    expect(b.txResults.map((t) => [t.code, t.log])).toEqual([
      [0, ""],
      [0, ""],
    ]);
    expect(orderEventsOf(b.txResults[0]!).cancelled).toMatchObject([{ orderId, cancelledContracts: 3n, reason: "user" }]);
    expect(orderEventsOf(b.txResults[1]!).filled).toEqual([]);
    expect(responsesOf(b.txResults[1]!)[0]).toMatchObject({ filledContracts: 0n, restingContracts: 0n });
    expect([await c.position(maker, series), await c.position(taker, series)]).toEqual([0n, 0n]);
  });

  it("a post-only quote and a size-down amend are maker txs; a price amend is a taker tx", async () => {
    const postOnly = await c.sign(maker2, [msgs.placeOrder({ owner: maker2, order: { seriesId: calls[4]!, side: "sell", priceTicks: 9_000n, sizeContracts: 1n, postOnly: true } })]);
    const take = await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: calls[4]!, side: "buy", priceTicks: 9_000n, sizeContracts: 1n } })]);
    const next = header(c.height + 1n, c.timeNs + 2n * SEC);
    expect(c.app.processProposal({ header: next, txs: [take, postOnly] })).toBe(false);
    expect(c.app.processProposal({ header: next, txs: [postOnly, take] })).toBe(true);
    const b = c.block([postOnly, take]);
    const filled = orderEventsOf(b.txResults[1]!).filled;
    expect(filled.map((f) => f.sizeContracts)).toEqual([1n]);
    // Amends are classified from the message alone: size down at the kept price is a maker tx, a new price a taker tx.
    const after = header(c.height + 1n, c.timeNs + 2n * SEC);
    const amendDown = await c.sign(maker2, [msgs.amendOrder({ owner: maker2, orderId: filled[0]!.makerOrderId, newSizeContracts: 1n })]);
    const amendPrice = await c.sign(maker, [msgs.amendOrder({ owner: maker, orderId: 1n, newSizeContracts: 1n, newPriceTicks: 5n })]);
    const take2 = await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: calls[4]!, side: "buy", priceTicks: 1n, sizeContracts: 1n } })]);
    expect(c.app.processProposal({ header: after, txs: [take2, amendDown] })).toBe(false);
    expect(c.app.processProposal({ header: after, txs: [take2, amendPrice] })).toBe(true);
    expect(c.app.prepareProposal([take2, amendPrice, amendDown])).toEqual([amendDown, take2, amendPrice]);
    c.forgetUnsent();
  });
});

describe("scenario 5: market maker protection", () => {
  it("fills reaching the limit cancel all quotes on the underlying and freeze it until reset", async () => {
    const [a, b, d] = [calls[6]!, calls[7]!, calls[8]!];
    const ethCall = (await c.q.options.seriesList({ underlying: "ETH", expiryUnixS: ETH_DAILY })).series.find((s) => s.kind === 1)!.id;
    await c.ok(maker, [msgs.setMmp({ owner: maker, underlying: "BTC", windowNs: 60n * SEC, maxContracts: 3n })]);
    const quotes = await c.ok(maker, [
      msgs.batch({
        owner: maker,
        places: [
          { seriesId: a, side: "sell", priceTicks: 6_000n, sizeContracts: 2n, postOnly: true },
          { seriesId: b, side: "sell", priceTicks: 5_000n, sizeContracts: 2n, postOnly: true },
          { seriesId: d, side: "sell", priceTicks: 4_000n, sizeContracts: 2n, postOnly: true },
          { seriesId: d, side: "buy", priceTicks: 100n, sizeContracts: 2n, postOnly: true },
          { seriesId: ethCall, side: "buy", priceTicks: 1n, sizeContracts: 10n, postOnly: true },
        ],
      }),
    ]);
    expect((responsesOf(quotes)[0] as ClobCodec.MsgBatchResponse).places.every((p) => p.ok)).toBe(true);

    await c.ok(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: a, side: "buy", priceTicks: 6_000n, sizeContracts: 2n, timeInForce: "ioc" } })]);
    const mmp1 = await c.q.clob.mmp(maker, 0, "BTC");
    expect(mmp1.state).toMatchObject({ contracts: 2n, frozen: false });
    expect((await c.q.clob.openOrders(maker)).orders).toHaveLength(4);

    const trip = await c.ok(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: b, side: "buy", priceTicks: 5_000n, sizeContracts: 2n, timeInForce: "ioc" } })]);
    expect(orderEventsOf(trip).filled.map((f) => f.sizeContracts)).toEqual([2n]);
    const triggered = trip.events.find((e) => e.type === "mmp_triggered");
    expect(triggered?.attributes.find((x) => x.key === "cause")?.value).toBe("contracts");
    const cancelled = orderEventsOf(trip).cancelled;
    expect(cancelled.map((e) => [e.seriesId, e.reason])).toEqual([
      [d, "mmp"],
      [d, "mmp"],
    ]);
    // Only the ETH quote is left; BTC is frozen for new quotes, not for reduce-only orders or other underlyings.
    expect((await c.q.clob.openOrders(maker)).orders.map((o) => o.seriesId)).toEqual([ethCall]);
    expect((await c.q.clob.mmp(maker, 0, "BTC")).state).toMatchObject({ frozen: true, frozenUntilNs: 0n });
    const refused = await c.exec(maker, [msgs.placeOrder({ owner: maker, order: { seriesId: d, side: "sell", priceTicks: 4_000n, sizeContracts: 1n, postOnly: true } })]);
    expectTxError(refused, "clob", 15, /underlying BTC: market maker protection is frozen/);
    await c.ok(maker, [msgs.placeOrder({ owner: maker, order: { seriesId: a, side: "buy", priceTicks: 100n, sizeContracts: 2n, reduceOnly: true } })]);
    await c.ok(maker, [msgs.placeOrder({ owner: maker, order: { seriesId: ethCall, side: "buy", priceTicks: 2n, sizeContracts: 10n, postOnly: true } })]);
    // Still frozen blocks later (freeze_ns 0: until reset).
    c.block([], 30n);
    expect((await c.exec(maker, [msgs.placeOrder({ owner: maker, order: { seriesId: d, side: "sell", priceTicks: 4_000n, sizeContracts: 1n, postOnly: true } })])).code).toBe(15);

    const reset = await c.ok(maker, [msgs.resetMmp({ owner: maker, underlying: "BTC" })]);
    expect(reset.events.find((e) => e.type === "mmp_reset")).toBeDefined();
    expect((await c.q.clob.mmp(maker, 0, "BTC")).state).toMatchObject({ frozen: false, contracts: 0n });
    await c.ok(maker, [msgs.placeOrder({ owner: maker, order: { seriesId: d, side: "sell", priceTicks: 4_000n, sizeContracts: 1n, postOnly: true } })]);
  });
});
