/**
 * Scenario 1 through the real app: deposits, a market maker's batch of post-only quotes over many strikes in one
 * tx, a taker lifting them (IOC and a crossing limit), fills at the maker's price, exact positions, collateral
 * and fees (ceil rounding, taker cap), the margin query against positions and marks, cancel / cancel-all with
 * filters / amend, and withdrawals up to (and beyond) free collateral. Every block is followed by the module and
 * economic invariants (test/support/marketChain.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { msgs, orderEventsOf, usdc, ClobCodec, type OrderInput } from "../../node/client/index.js";
import { BTC_100K, ceilDiv, expectTxError, FEE_POOL, MarketChain, responsesOf } from "../support/marketChain.js";

const TICK = 10_000n; // BTC tick: 1 cent per contract
const CS = 10_000n; // 0.01 BTC per contract
const MONTHLY = 1_769_760_000n; // 2026-01-30 08:00 UTC
const WEEKLY = 1_767_340_800n; // 2026-01-02 08:00 UTC
const MAKER_FEE_PPM = 1_000n;
const TAKER_FEE_PPM = 3_000n;
const TAKER_CAP_PPM = 300n;

let c: MarketChain;
let maker: string;
let taker: string;

const makerFee = (premium: bigint) => ceilDiv(premium * MAKER_FEE_PPM, 1_000_000n);
const takerFee = (premium: bigint, size: bigint) => {
  const fee = ceilDiv(premium * TAKER_FEE_PPM, 1_000_000n);
  const cap = ceilDiv(BTC_100K * CS * size * TAKER_CAP_PPM, 1_000_000_000_000n);
  return fee < cap ? fee : cap;
};

async function marksAt(expiry: bigint) {
  const res = await c.q.options.marks("BTC", expiry);
  expect(res.stale).toBe(false);
  return res.marks;
}

async function seriesAt(expiry: bigint, kind: 1 | 2) {
  return (await c.q.options.seriesList({ underlying: "BTC", expiryUnixS: expiry, status: "active" })).series.filter((s) => s.kind === kind);
}

beforeAll(async () => {
  c = await MarketChain.create();
  [, maker, taker] = c.addrs as [string, string, string];
  c.block();
  c.block(); // prices → the options module lists its series
  c.block(); // smiles for the listed expiries → marks
});

const quotes: Array<OrderInput & { ask: boolean }> = [];

describe("scenario 1: quote, take, fees, margin, cancel, amend, withdraw", () => {
  let calls: Array<{ id: bigint; strikeMicroUsd: bigint }> = [];
  let weeklyPut: bigint;
  const orderIds = new Map<bigint, bigint>(); // client id → order id

  it("deposits move uusdc from the bank into subaccounts", async () => {
    const before = await c.usdcBalances();
    const r = c.block([
      await c.sign(maker, [msgs.deposit({ sender: maker, amount: usdc(200_000_000_000n) })]),
      await c.sign(taker, [msgs.deposit({ sender: taker, amount: usdc(50_000_000_000n) })]),
    ]);
    expect(r.txResults.map((t) => t.code)).toEqual([0, 0]);
    expect(await c.collateral(maker)).toBe(200_000_000_000n);
    expect(await c.collateral(taker)).toBe(50_000_000_000n);
    const after = await c.usdcBalances();
    expect(after[1]! - before[1]!).toBe(-200_000_000_000n);
    expect(after[4]! - before[4]!).toBe(250_000_000_000n); // the subaccounts module account
    expect(c.allSubaccounts().map((r) => r.collateral).sort((x, y) => (x < y ? -1 : 1))).toEqual([50_000_000_000n, 200_000_000_000n]); // what the per-block checks sum
  });

  it("a maker quotes 24 post-only orders over 11 strikes and 2 expiries in ONE MsgBatch", async () => {
    calls = (await seriesAt(MONTHLY, 1)).map((s) => ({ id: s.id, strikeMicroUsd: s.strikeMicroUsd }));
    expect(calls.map((s) => s.strikeMicroUsd / 1_000_000_000n)).toEqual([95n, 96n, 97n, 98n, 99n, 100n, 101n, 102n, 103n, 104n, 105n]);
    const marks = new Map((await marksAt(MONTHLY)).map((m) => [m.seriesId, BigInt(m.markMicroUsdcPerContract)]));
    let clientId = 1n;
    for (const s of calls) {
      const markTicks = marks.get(s.id)! / TICK;
      quotes.push({ seriesId: s.id, side: "buy", priceTicks: markTicks - 200n, sizeContracts: 5n, postOnly: true, clientId: clientId++, ask: false });
      // The deep in-the-money ask is marked up more, so that the taker fee cap binds on it.
      const markup = s.strikeMicroUsd === 95_000_000_000n ? 3_000n : 200n;
      quotes.push({ seriesId: s.id, side: "sell", priceTicks: markTicks + markup, sizeContracts: 5n, postOnly: true, clientId: clientId++, ask: true });
    }
    weeklyPut = (await seriesAt(WEEKLY, 2)).find((s) => s.strikeMicroUsd === BTC_100K)!.id;
    quotes.push({ seriesId: weeklyPut, side: "buy", priceTicks: 100n, sizeContracts: 2n, postOnly: true, clientId: clientId++, ask: false });
    quotes.push({ seriesId: weeklyPut, side: "sell", priceTicks: 900_000n, sizeContracts: 2n, postOnly: true, clientId: clientId++, ask: true });
    const r = await c.ok(maker, [msgs.batch({ owner: maker, places: quotes })]);
    const resp = responsesOf(r)[0] as ClobCodec.MsgBatchResponse;
    expect(resp.places.map((p) => [p.ok, p.code, p.filledContracts, p.restingContracts])).toEqual(quotes.map((q) => [true, 0, 0n, q.sizeContracts]));
    resp.places.forEach((p, i) => orderIds.set(quotes[i]!.clientId!, p.orderId));
    expect(orderEventsOf(r).placed).toHaveLength(24);
    expect((await c.q.clob.openOrders(maker)).orders).toHaveLength(24);
    // The book of the ATM call: one bid and one ask level.
    const atm = calls[5]!;
    const l2 = await c.q.clob.bookL2(atm.id);
    expect(l2.bids).toEqual([{ priceTicks: quotes[10]!.priceTicks, sizeContracts: 5n, orderCount: 1 }]);
    expect(l2.asks).toEqual([{ priceTicks: quotes[11]!.priceTicks, sizeContracts: 5n, orderCount: 1 }]);
  });

  it("a taker lifts asks (IOC and a crossing limit): fills at the maker's price, exact collateral, positions and fees", async () => {
    const atmAsk = quotes[11]!; // 100k call ask
    const itmAsk = quotes[1]!; // 95k call ask: premium large enough for the taker fee cap to bind
    const mC0 = await c.collateral(maker);
    const tC0 = await c.collateral(taker);
    const pool0 = c.bankBalance(FEE_POOL, "uusdc");
    const r = c.block([
      await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: atmAsk.seriesId, side: "buy", priceTicks: atmAsk.priceTicks, sizeContracts: 3n, timeInForce: "ioc" } })]),
      await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: itmAsk.seriesId, side: "buy", priceTicks: itmAsk.priceTicks + 500n, sizeContracts: 4n, clientId: 77n } })]),
    ]);
    expect(r.txResults.map((t) => [t.code, t.log])).toEqual([
      [0, ""],
      [0, ""],
    ]);
    const f1 = orderEventsOf(r.txResults[0]!).filled;
    const f2 = orderEventsOf(r.txResults[1]!).filled;
    expect(f1.map((f) => [f.makerOrderId, f.priceTicks, f.sizeContracts])).toEqual([[orderIds.get(atmAsk.clientId!)!, atmAsk.priceTicks, 3n]]);
    // The limit at ask + 500 ticks fills at the resting ask (the maker's price), and the taker's GTC order is done.
    expect(f2.map((f) => [f.makerOrderId, f.priceTicks, f.sizeContracts])).toEqual([[orderIds.get(itmAsk.clientId!)!, itmAsk.priceTicks, 4n]]);
    expect(orderEventsOf(r.txResults[1]!).placed[0]).toMatchObject({ filledContracts: 4n, restingContracts: 0n });

    const p1 = atmAsk.priceTicks * TICK * 3n;
    const p2 = itmAsk.priceTicks * TICK * 4n;
    const uncapped2 = ceilDiv(p2 * TAKER_FEE_PPM, 1_000_000n);
    expect(takerFee(p2, 4n)).toBeLessThan(uncapped2); // the cap binds on the deep in-the-money call
    expect(takerFee(p1, 3n)).toBe(ceilDiv(p1 * TAKER_FEE_PPM, 1_000_000n)); // and not on the ATM one
    expect([f1[0]!.premiumMicroUsdc, f1[0]!.makerFeeMicroUsdc, f1[0]!.takerFeeMicroUsdc]).toEqual([p1, makerFee(p1), takerFee(p1, 3n)]);
    expect([f2[0]!.premiumMicroUsdc, f2[0]!.makerFeeMicroUsdc, f2[0]!.takerFeeMicroUsdc]).toEqual([p2, makerFee(p2), takerFee(p2, 4n)]);

    expect(await c.collateral(taker)).toBe(tC0 - p1 - p2 - takerFee(p1, 3n) - takerFee(p2, 4n));
    expect(await c.collateral(maker)).toBe(mC0 + p1 + p2 - makerFee(p1) - makerFee(p2));
    expect(c.bankBalance(FEE_POOL, "uusdc") - pool0).toBe(makerFee(p1) + makerFee(p2) + takerFee(p1, 3n) + takerFee(p2, 4n));
    expect([await c.position(taker, atmAsk.seriesId), await c.position(taker, itmAsk.seriesId)]).toEqual([3n, 4n]);
    expect([await c.position(maker, atmAsk.seriesId), await c.position(maker, itmAsk.seriesId)]).toEqual([-3n, -4n]);
    // The partly filled asks keep resting with the rest.
    const open = new Map((await c.q.clob.openOrders(maker)).orders.map((o) => [o.orderId, o.remainingContracts]));
    expect([open.get(orderIds.get(atmAsk.clientId!)!), open.get(orderIds.get(itmAsk.clientId!)!)]).toEqual([2n, 1n]);
    const fills = await c.q.clob.fills({ owner: taker });
    expect(fills.map((f) => f.sizeContracts)).toEqual([4n, 3n]); // newest first
  });

  it("a taker selling into bids fills at the bid; the taker's own short is margined", async () => {
    const bid = quotes[14]!; // 102k call bid
    const r = await c.ok(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: bid.seriesId, side: "sell", priceTicks: 1n, sizeContracts: 2n, timeInForce: "ioc" } })]);
    expect(orderEventsOf(r).filled.map((f) => [f.priceTicks, f.sizeContracts])).toEqual([[bid.priceTicks, 2n]]);
    expect(await c.position(taker, bid.seriesId)).toBe(-2n);
  });

  it("cancel by client id, cancel-all by expiry and by series, amend size down (keeps priority) and price (loses it)", async () => {
    // Cancel one ask by client id.
    const r1 = await c.ok(maker, [msgs.cancelOrder({ owner: maker, clientId: quotes[3]!.clientId! })]);
    expect(orderEventsOf(r1).cancelled).toMatchObject([{ orderId: orderIds.get(quotes[3]!.clientId!), cancelledContracts: 5n, reason: "user", removed: true }]);
    // Cancel-all filtered to the weekly expiry: only the two weekly put quotes go.
    const r2 = await c.ok(maker, [msgs.cancelAll({ owner: maker, underlying: "BTC", expiryUnixS: WEEKLY })]);
    expect(orderEventsOf(r2).cancelled.map((e) => e.seriesId)).toEqual([weeklyPut, weeklyPut]);
    // Cancel-all filtered to one series (the 104k call: bid and ask).
    const r3 = await c.ok(maker, [msgs.cancelAll({ owner: maker, seriesId: calls[9]!.id })]);
    expect(orderEventsOf(r3).cancelled.map((e) => e.orderId).sort()).toEqual([orderIds.get(quotes[18]!.clientId!)!, orderIds.get(quotes[19]!.clientId!)!].sort());
    expect((await c.q.clob.openOrders(maker)).orders).toHaveLength(24 - 1 - 2 - 2);

    // Amend: a second bid at the same price on the 101k call from the taker queues behind the maker's bid.
    const bid = quotes[12]!;
    await c.ok(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: bid.seriesId, side: "buy", priceTicks: bid.priceTicks, sizeContracts: 1n, postOnly: true } })]);
    const order0 = (await c.q.clob.bookL3(bid.seriesId)).bids.map((o) => o.owner);
    expect(order0).toEqual([maker, taker]);
    const a1 = await c.ok(maker, [msgs.amendOrder({ owner: maker, clientId: bid.clientId!, newSizeContracts: 3n })]);
    expect(orderEventsOf(a1).amended).toMatchObject([{ restingContracts: 3n, lostPriority: false }]);
    expect((await c.q.clob.bookL3(bid.seriesId)).bids.map((o) => [o.owner, o.remainingContracts])).toEqual([
      [maker, 3n],
      [taker, 1n],
    ]);
    const a2 = await c.ok(maker, [msgs.amendOrder({ owner: maker, clientId: bid.clientId!, newSizeContracts: 3n, newPriceTicks: bid.priceTicks })]);
    void a2;
    const a3 = await c.ok(maker, [msgs.amendOrder({ owner: maker, clientId: bid.clientId!, newSizeContracts: 4n, newPriceTicks: bid.priceTicks - 1n })]);
    expect(orderEventsOf(a3).amended).toMatchObject([{ priceTicks: bid.priceTicks - 1n, restingContracts: 4n, lostPriority: true }]);
    const l3 = (await c.q.clob.bookL3(bid.seriesId)).bids;
    expect(l3.map((o) => [o.owner, o.priceTicks, o.remainingContracts])).toEqual([
      [taker, bid.priceTicks, 1n],
      [maker, bid.priceTicks - 1n, 4n],
    ]);
    expect(l3[1]!.orderId).toBe(orderIds.get(bid.clientId!)); // the id is kept
  });

  it("the margin query matches positions and marks (standard model)", async () => {
    await c.ok(taker, [msgs.cancelAll({ owner: taker })]);
    await c.ok(maker, [msgs.cancelAll({ owner: maker })]);
    for (const who of [maker, taker]) {
      const m = await c.q.margin.subaccountMargin(who);
      const sub = (await c.q.subaccounts.subaccount(who))!;
      let equity = BigInt(sub.quoteMicroUsdc);
      let im = 0n;
      let mm = 0n;
      for (const p of sub.positions) {
        const size = BigInt(p.sizeContracts);
        const mark = (await c.q.options.mark(p.instrumentId)).mark!;
        const series = (await c.q.options.series(p.instrumentId))!;
        const markValue = BigInt(mark.markMicroUsdcPerContract);
        expect(mark.spotMicroUsd).toBe(BTC_100K);
        equity += size * markValue;
        if (size > 0n) {
          im += size * markValue;
          mm += size * markValue;
        } else {
          const otm = series.kind === 1 ? max(series.strikeMicroUsd - BTC_100K, 0n) : max(BTC_100K - series.strikeMicroUsd, 0n);
          const floorBase = series.kind === 1 ? BTC_100K : series.strikeMicroUsd;
          const addOn = (f: bigint, fmin: bigint) => ceilDiv(max(f * BTC_100K - otm * 1_000_000n, fmin * floorBase) * CS, 1_000_000_000_000n);
          im += -size * (markValue + addOn(150_000n, 100_000n));
          mm += -size * (markValue + addOn(75_000n, 50_000n));
        }
      }
      expect([m.equityMicroUsdc, m.initialMarginMicroUsdc, m.maintenanceMarginMicroUsdc, m.freeCollateralMicroUsdc]).toEqual([
        equity.toString(),
        im.toString(),
        mm.toString(),
        (equity - im).toString(),
      ]);
      expect(m.positions.map((p) => [p.seriesId, p.sizeContracts])).toEqual(sub.positions.map((p) => [p.instrumentId, p.sizeContracts]));
    }
  });

  it("withdraws free collateral; one micro-USDC-sized excess beyond it fails with the margin error and changes nothing", async () => {
    const free = BigInt((await c.q.margin.subaccountMargin(maker)).freeCollateralMicroUsdc);
    expect(free).toBeGreaterThan(0n);
    const bank0 = c.bankBalance(maker, "uusdc");
    // Marks only decay with time at a fixed spot and smile, so what was free at the last block is still free.
    await c.ok(maker, [msgs.withdraw({ sender: maker, amount: usdc(free) })]);
    expect(c.bankBalance(maker, "uusdc") - bank0).toBe(free);
    const after = await c.q.margin.subaccountMargin(maker);
    expect(BigInt(after.freeCollateralMicroUsdc)).toBeGreaterThanOrEqual(0n);
    expect(BigInt(after.freeCollateralMicroUsdc)).toBeLessThan(1_000_000n); // only the time decay of 2 blocks

    const before = { state: c.snapshot(["subaccounts", "clob", "options", "margin", "liquidation"]), usdc: await c.usdcBalances() };
    const r = await c.exec(maker, [msgs.withdraw({ sender: maker, amount: usdc(BigInt(after.freeCollateralMicroUsdc) + 1_000_000n) })]);
    expectTxError(r, "subaccounts", 4, /subaccount vanna1[0-9a-z]+\/0: equity [0-9]+ < initial margin [0-9]+: withdrawal would leave equity below initial margin/);
    expect(c.snapshot(["subaccounts", "clob", "options", "margin", "liquidation"])).toEqual(before.state);
    expect(await c.usdcBalances()).toEqual(before.usdc);
  });
});

describe("scenario 1, continued: order lifetimes", () => {
  it("a resting reduce-only order never opens a position once the position it reduced is gone", async () => {
    const third = c.addrs[3]!;
    const atm = quotes[11]!.seriesId;
    expect(await c.position(taker, atm)).toBe(3n);
    const setup = c.block([
      await c.sign(third, [msgs.deposit({ sender: third, amount: usdc(10_000_000_000n) })]),
      await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: atm, side: "sell", priceTicks: 50_000n, sizeContracts: 3n, postOnly: true, reduceOnly: true, clientId: 500n } })]),
    ]);
    expect(setup.txResults.map((t) => [t.code, t.log])).toEqual([
      [0, ""],
      [0, ""],
    ]);
    await c.ok(third, [msgs.placeOrder({ owner: third, order: { seriesId: atm, side: "buy", priceTicks: 100n, sizeContracts: 3n, postOnly: true } })]);
    const close = await c.ok(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: atm, side: "sell", priceTicks: 100n, sizeContracts: 3n, timeInForce: "ioc" } })]);
    expect(orderEventsOf(close).filled.map((f) => f.sizeContracts)).toEqual([3n]);
    expect(await c.position(taker, atm)).toBe(0n);
    // Whatever is left of the reduce-only ask must not fill into a new short.
    const lift = await c.ok(third, [msgs.placeOrder({ owner: third, order: { seriesId: atm, side: "buy", priceTicks: 50_000n, sizeContracts: 3n, timeInForce: "ioc" } })]);
    expect(orderEventsOf(lift).filled).toEqual([]);
    expect(await c.position(taker, atm)).toBe(0n);
    expect((await c.q.clob.openOrders(taker, 0, atm)).orders.filter((o) => o.reduceOnly && o.remainingContracts > 0n)).toEqual([]);
  });

  it("good-til-time and good-til-block orders expire in BeginBlock", async () => {
    const third = c.addrs[3]!;
    const s = quotes[0]!.seriesId;
    const r = await c.ok(third, [
      msgs.batch({
        owner: third,
        places: [
          { seriesId: s, side: "buy", priceTicks: 1n, sizeContracts: 1n, postOnly: true, timeInForce: "gtt", goodTilTimeNs: c.timeNs + 5n * 1_000_000_000n },
          { seriesId: s, side: "buy", priceTicks: 2n, sizeContracts: 1n, postOnly: true, timeInForce: "gtb", goodTilBlock: c.height + 4n },
        ],
      }),
    ]);
    const ids = orderEventsOf(r).placed.map((p) => p.orderId);
    const expired: bigint[] = [];
    for (let i = 0; i < 4; i++) expired.push(...orderEventsOf({ events: c.block().events }).expired.map((e) => e.orderId));
    expect(expired.sort()).toEqual([...ids].sort());
    expect((await c.q.clob.openOrders(third, 0, s)).orders).toEqual([]);
  });
});

const max = (a: bigint, b: bigint) => (a > b ? a : b);

