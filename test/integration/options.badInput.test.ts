/**
 * Scenario 2 through the real app: every bad order input is refused with a clear error (codespace, stable code,
 * a log naming the problem) and changes nothing: each bad tx runs alone in a block, and the state of the
 * trading modules (options, subaccounts, clob, margin, liquidation) and every uusdc balance are compared before and after
 * (the tx's gas fee and sequence still count, as for any failed tx). Stale underlyings accept only cancels and
 * reduce-only orders.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { InputError, msgs, orderEventsOf, priceToTicks, usdc, ClobCodec, OptionsCodec, type OrderInput } from "../../node/client/index.js";
import type { TxResult } from "../../src/app/application.js";
import { expectTxError, followerApp, MarketChain, responsesOf, SEC } from "../support/marketChain.js";

const MONTHLY = 1_769_760_000n;
const ETH_DAILY = 1_767_254_400n;

let c: MarketChain;
let authority: string;
let maker: string;
let taker: string;
let atmCall: bigint;
let ethCall: bigint;
let ask: bigint;
let bid: bigint;

async function state() {
  return { modules: c.snapshot(["options", "subaccounts", "clob", "margin", "liquidation"]), usdc: await c.usdcBalances() };
}

/** Runs `msg` alone in a block; it must fail with (codespace, code, log) and leave the trading state as it was. */
async function refused(from: string, msg: EncodeObject, codespace: string, code: number, log: RegExp): Promise<TxResult> {
  const before = await state();
  const r = await c.exec(from, [msg]);
  expectTxError(r, codespace, code, log);
  expect(await state()).toEqual(before);
  return r;
}

const place = (owner: string, order: OrderInput) => msgs.placeOrder({ owner, order });

beforeAll(async () => {
  c = await MarketChain.create();
  c.followers.push(followerApp(c.addrs)); // a second node executes every block and must agree
  [authority, maker, taker] = c.addrs as [string, string, string];
  c.block();
  c.block();
  c.block();
  const calls = (await c.q.options.seriesList({ underlying: "BTC", expiryUnixS: MONTHLY, status: "active" })).series.filter((s) => s.kind === 1);
  atmCall = calls.find((s) => s.strikeMicroUsd === 100_000_000_000n)!.id;
  ethCall = (await c.q.options.seriesList({ underlying: "ETH", expiryUnixS: ETH_DAILY })).series.find((s) => s.kind === 1)!.id;
  const mark = BigInt((await c.q.options.mark(atmCall)).mark!.markMicroUsdcPerContract) / 10_000n;
  [ask, bid] = [mark + 100n, mark - 100n];
  const setup = c.block([
    await c.sign(maker, [msgs.deposit({ sender: maker, amount: usdc(100_000_000_000n) })]),
    await c.sign(taker, [msgs.deposit({ sender: taker, amount: usdc(1_000_000_000n) })]),
    await c.sign(maker, [
      msgs.batch({
        owner: maker,
        places: [
          { seriesId: atmCall, side: "sell", priceTicks: ask, sizeContracts: 10n, postOnly: true, clientId: 1n },
          { seriesId: atmCall, side: "buy", priceTicks: bid, sizeContracts: 10n, postOnly: true, clientId: 2n },
        ],
      }),
    ]),
  ]);
  expect(setup.txResults.map((t) => t.code)).toEqual([0, 0, 0]);
  // The taker holds one long call (for the reduce-only cases); the maker is short one.
  const r = await c.ok(taker, [place(taker, { seriesId: atmCall, side: "buy", priceTicks: ask, sizeContracts: 1n, timeInForce: "ioc" })]);
  expect(orderEventsOf(r).filled).toHaveLength(1);
});

describe("scenario 2: bad inputs are clear errors and change nothing", () => {
  it("unknown series", async () => {
    await refused(taker, place(taker, { seriesId: 999_999n, side: "buy", priceTicks: 10n, sizeContracts: 1n }), "clob", 3, /series 999999: unknown series/);
  });

  it("price zero, above the maximum, or far beyond uint63 (overflow); off-tick prices cannot be expressed", async () => {
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: 0n, sizeContracts: 1n }), "clob", 6, /price_ticks must be positive/);
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: 100_000_001n, sizeContracts: 1n }), "clob", 6, /price 100000001 ticks is outside 1\.\.100000000/);
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: (1n << 64n) - 1n, sizeContracts: 1n }), "clob", 6, /price 18446744073709551615 ticks is outside/);
    // Prices are integer ticks on the wire; the client refuses a decimal premium that is not on the tick.
    expect(() => priceToTicks("70.005", 10_000n)).toThrow(InputError);
    expect(() => priceToTicks("70.005", 10_000n)).toThrow(/not on the tick of 0.01 USDC/);
  });

  it("size zero, off the lot, above the maximum", async () => {
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: 10n, sizeContracts: 0n }), "clob", 7, /size must be positive/);
    await refused(taker, place(taker, { seriesId: ethCall, side: "buy", priceTicks: 10n, sizeContracts: 15n }), "clob", 7, /size 15 is not a multiple of the lot 10/);
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: 10n, sizeContracts: 100_001n }), "clob", 7, /size 100001 is above the maximum 100000/);
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: 10n, sizeContracts: (1n << 64n) - 1n }), "clob", 7, /above the maximum/);
  });

  it("post-only that would cross, reduce-only that would increase, duplicate client id", async () => {
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: ask, sizeContracts: 1n, postOnly: true }), "clob", 9, /post-only order would take liquidity/);
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: bid, sizeContracts: 1n, reduceOnly: true }), "clob", 11, /reduce-only order would increase the position/);
    await refused(maker, place(maker, { seriesId: atmCall, side: "sell", priceTicks: ask + 5n, sizeContracts: 1n, postOnly: true, clientId: 1n }), "clob", 12, /client id 1.*in use/);
  });

  it("an order beyond margin names equity and requirement", async () => {
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: bid, sizeContracts: 1_000n }), "margin", 2, /equity [0-9]+uusdc is below the initial margin of [0-9]+uusdc required with this order \(series [0-9]+\)/);
    await refused(taker, place(taker, { seriesId: atmCall, side: "sell", priceTicks: ask, sizeContracts: 100n }), "margin", 2, /below the initial margin/);
  });

  it("too many orders in one batch (param max_batch_orders 500)", async () => {
    const places = Array.from({ length: 501 }, (_, i): OrderInput => ({ seriesId: atmCall, side: "buy", priceTicks: 1n + BigInt(i), sizeContracts: 1n, postOnly: true }));
    await refused(maker, msgs.batch({ owner: maker, places }), "clob", 18, /501 items, at most 500 \(param max_batch_orders\)/);
  });

  it("in a batch, each bad item is reported in place and only the good ones take effect", async () => {
    const r = await c.ok(maker, [
      msgs.batch({
        owner: maker,
        places: [
          { seriesId: 999_999n, side: "buy", priceTicks: 1n, sizeContracts: 1n, postOnly: true },
          { seriesId: atmCall, side: "buy", priceTicks: 1n, sizeContracts: 0n, postOnly: true },
          { seriesId: atmCall, side: "buy", priceTicks: ask, sizeContracts: 1n, postOnly: true },
          { seriesId: atmCall, side: "buy", priceTicks: 3n, sizeContracts: 1n, postOnly: true, clientId: 9n },
        ],
      }),
    ]);
    const resp = responsesOf(r)[0] as ClobCodec.MsgBatchResponse;
    expect(resp.places.map((p) => [p.ok, p.codespace, p.code])).toEqual([
      [false, "clob", 3],
      [false, "clob", 7],
      [false, "clob", 9],
      [true, "", 0],
    ]);
    await c.ok(maker, [msgs.cancelOrder({ owner: maker, clientId: 9n })]);
  });

  it("withdrawing more than free collateral (a short holder): the margin error", async () => {
    const all = await c.collateral(maker);
    await refused(maker, msgs.withdraw({ sender: maker, amount: usdc(all) }), "subaccounts", 4, /equity -?[0-9]+ < initial margin [0-9]+: withdrawal would leave equity below initial margin/);
    await refused(taker, msgs.withdraw({ sender: taker, amount: usdc((await c.collateral(taker)) + 1n) }), "subaccounts", 5, /insufficient collateral/);
  });

  it("expired and settled series refuse orders", async () => {
    const expiry = c.timeNs / SEC + 2n + 61n; // the next block is 2 s later; the authority needs >= 60 s
    const r = await c.ok(authority, [msgs.listSeries({ authority, underlying: "BTC", expiryUnixS: expiry, strikeMicroUsd: 100_000_000_000n, kind: "call" })]);
    const id = (responsesOf(r)[0] as OptionsCodec.MsgListSeriesResponse).seriesId;
    await c.ok(maker, [place(maker, { seriesId: id, side: "sell", priceTicks: 500n, sizeContracts: 1n, postOnly: true })]);
    c.advanceTo(expiry * SEC, 10n);
    const series = (await c.q.options.series(id))!;
    expect(OptionsCodec.statusFromWire(series.status)).toBe("settled");
    expect((await c.q.clob.openOrders(maker, 0, id)).orders).toEqual([]);
    await refused(taker, place(taker, { seriesId: id, side: "buy", priceTicks: 500n, sizeContracts: 1n }), "clob", 4, new RegExp(`series ${id} is settled: series is settled or expired`));
  });

  it("a stale underlying refuses new risk but accepts cancels and reduce-only orders", async () => {
    c.feed.on = false;
    c.block([], 10n);
    c.block([], 10n);
    c.block([], 10n);
    c.block([], 5n); // the last price is now 35 s old (max age 30 s)
    expect((await c.q.oracle.price("BTC")).stale).toBe(true);
    await refused(taker, place(taker, { seriesId: atmCall, side: "buy", priceTicks: bid, sizeContracts: 1n }), "clob", 14, /underlying BTC: underlying price is stale/);
    await refused(maker, place(maker, { seriesId: atmCall, side: "sell", priceTicks: ask + 1n, sizeContracts: 1n, postOnly: true }), "clob", 14, /stale/);
    // Reduce-only (the taker's long) is accepted, and fills against the resting bid.
    const ro = await c.ok(taker, [place(taker, { seriesId: atmCall, side: "sell", priceTicks: bid, sizeContracts: 1n, reduceOnly: true, timeInForce: "ioc" })]);
    expect(orderEventsOf(ro).filled.map((f) => [f.priceTicks, f.sizeContracts])).toEqual([[bid, 1n]]);
    expect(await c.position(taker, atmCall)).toBe(0n);
    const cancel = await c.ok(maker, [msgs.cancelAll({ owner: maker })]);
    expect(orderEventsOf(cancel).cancelled.length).toBeGreaterThan(0);
    // Fresh prices again: new risk is accepted.
    c.feed.on = true;
    c.block();
    await c.ok(maker, [place(maker, { seriesId: atmCall, side: "sell", priceTicks: ask, sizeContracts: 1n, postOnly: true })]);
  });
});
