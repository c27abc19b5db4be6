/**
 * Scenario 4 through the real app: the authority lists a series expiring five minutes of block time ahead, it
 * trades, the oracle is fed a price path (one price point per 20 s block), and blocks run past expiry. Checked
 * independently of the modules: the settlement price is the time-weighted average of the fed prices over the
 * 30 minutes before expiry (step function over block times, floored), every position is closed, longs receive
 * and shorts pay floor(intrinsic × contract size) per contract, resting orders are cancelled and the series is
 * archived (settled, settlement queryable). Margin prices the series on the projected settlement price (the TWAP
 * already accrued in the window, the spot for the rest): a short that could not pay the settlement is refused
 * up front although the spot is back at 100k, so nobody is left with a shortfall.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { msgs, orderEventsOf, usdc, OptionsCodec } from "../../node/client/index.js";
import { followerApp, MarketChain, responsesOf, SEC } from "../support/marketChain.js";

const K = 100_000_000_000n; // strike: 100,000 USD
const CS = 10_000n;
const WINDOW_NS = 1_800n * SEC;

let c: MarketChain;
let authority: string; // long 2
let richShort: string; // short 2
let long: string; // long 3
let poorShort: string; // tries to sell 3 it could not pay for: refused by margin
/** (block time, price) of every price point the oracle recorded: every block with votes (20 s >= heartbeat). */
const fed: Array<{ timeNs: bigint; price: bigint }> = [];

function run(blocks: number, price: (i: number) => bigint): void {
  for (let i = 0; i < blocks; i++) {
    c.feed.spots.BTC = price(i);
    const b = c.block();
    if (b.height > 1n) fed.push({ timeNs: b.timeNs, price: price(i) });
  }
}

/** The TWAP over [end − window, end] of the step function through `points`, floored; and the samples read. */
function twapOf(points: Array<{ timeNs: bigint; price: bigint }>, endNs: bigint, windowNs: bigint) {
  const start = endNs - windowNs;
  const upTo = points.filter((p) => p.timeNs <= endNs);
  let weighted = 0n;
  let coveredFrom = endNs;
  let samples = 0;
  for (let i = upTo.length - 1; i >= 0; i--) {
    const p = upTo[i]!;
    const segEnd = i === upTo.length - 1 ? endNs : upTo[i + 1]!.timeNs;
    const segStart = p.timeNs > start ? p.timeNs : start;
    weighted += p.price * (segEnd - segStart);
    coveredFrom = segStart;
    samples++;
    if (p.timeNs <= start) break;
  }
  return { price: weighted / (endNs - coveredFrom), startNs: coveredFrom, samples };
}

beforeAll(async () => {
  c = await MarketChain.create({ blockSeconds: 20n });
  c.followers.push(followerApp(c.addrs)); // a second node executes every block and must agree
  [authority, richShort, long, poorShort] = c.addrs as [string, string, string, string];
  // 35 minutes of history, longer than the 30-minute window: around 100k, a spike to 300k for 20 minutes, then
  // back around 100k before the series is listed. The spike is in the settlement window before anyone holds the
  // series: the spot is 100k when the shorts sell, but margin counts the TWAP already accrued (~230k projected).
  run(105, (i) => (i >= 30 && i < 90 ? 300_000_000_000n : 100_000_000_000n) + BigInt((i * 7) % 11) * 50_000_000n);
});

describe("scenario 4: expiry and settlement", () => {
  let id: bigint;
  let expiry: bigint;
  let restingBid: bigint;

  it("the authority lists a short-dated series; it is marked and trades", async () => {
    expiry = c.timeNs / SEC + 20n + 300n;
    const r = await c.ok(authority, [msgs.listSeries({ authority, underlying: "BTC", expiryUnixS: expiry, strikeMicroUsd: K, kind: "call" })]);
    fed.push({ timeNs: c.timeNs, price: c.feed.spots.BTC! });
    id = (responsesOf(r)[0] as OptionsCodec.MsgListSeriesResponse).seriesId;
    expect(await c.q.options.liveExpiries("BTC")).toContain(expiry);
    const deposits = c.block([
      await c.sign(richShort, [msgs.deposit({ sender: richShort, amount: usdc(50_000_000_000n) })]),
      await c.sign(poorShort, [msgs.deposit({ sender: poorShort, amount: usdc(500_000_000n) })]),
      await c.sign(long, [msgs.deposit({ sender: long, amount: usdc(1_000_000_000n) })]),
      await c.sign(authority, [msgs.deposit({ sender: authority, amount: usdc(1_000_000_000n) })]),
    ]);
    fed.push({ timeNs: deposits.timeNs, price: c.feed.spots.BTC! });
    expect(deposits.txResults.map((t) => t.code)).toEqual([0, 0, 0, 0]);
    expect((await c.q.options.mark(id)).mark).toBeDefined(); // the feeder reported a smile for the new expiry

    const quotes = c.block([
      await c.sign(richShort, [
        msgs.batch({
          owner: richShort,
          places: [
            { seriesId: id, side: "sell", priceTicks: 100n, sizeContracts: 2n, postOnly: true },
            { seriesId: id, side: "buy", priceTicks: 1n, sizeContracts: 1n, postOnly: true },
          ],
        }),
      ]),
      await c.sign(poorShort, [msgs.placeOrder({ owner: poorShort, order: { seriesId: id, side: "sell", priceTicks: 100n, sizeContracts: 3n, postOnly: true } })]),
      await c.sign(authority, [msgs.placeOrder({ owner: authority, order: { seriesId: id, side: "buy", priceTicks: 100n, sizeContracts: 2n, timeInForce: "ioc" } })]),
      await c.sign(long, [msgs.placeOrder({ owner: long, order: { seriesId: id, side: "buy", priceTicks: 100n, sizeContracts: 3n, timeInForce: "ioc" } })]),
    ]);
    fed.push({ timeNs: quotes.timeNs, price: c.feed.spots.BTC! });
    expect(quotes.txResults.map((t) => t.code)).toEqual([0, 2, 0, 0]);
    // 500 USDC against ~1,330 USDC per contract of intrinsic value at the projected settlement price (plus add-on).
    expect(quotes.txResults[1]!.codespace).toBe("margin");
    const m = /equity (\d+)uusdc is below the initial margin of (\d+)uusdc/.exec(quotes.txResults[1]!.log);
    expect(m, quotes.txResults[1]!.log).not.toBeNull();
    expect(BigInt(m![2]!)).toBeGreaterThan(3n * 1_300_000_000n);
    restingBid = orderEventsOf(quotes.txResults[0]!).placed[1]!.orderId;
    expect(orderEventsOf(quotes.txResults[2]!).filled.map((f) => f.maker)).toEqual([`${richShort}/0`]);
    expect(orderEventsOf(quotes.txResults[3]!).filled).toEqual([]); // nothing left to buy
    expect(await Promise.all([authority, richShort, long, poorShort].map((a) => c.position(a, id)))).toEqual([2n, -2n, 0n, 0n]);
  });

  it("settles at the oracle TWAP of the 30 minutes before expiry; the short margined on it pays in full", async () => {
    // The spot stays near 100k until expiry; the TWAP carries the spike.
    const steps = Number((expiry * SEC - c.timeNs - 1n) / (20n * SEC));
    run(steps, (i) => 100_000_000_000n + BigInt(i) * 1_000_000n);
    expect(await Promise.all([authority, richShort, long, poorShort].map((a) => c.position(a, id)))).toEqual([2n, -2n, 0n, 0n]); // nobody liquidated
    const col = Object.fromEntries(await Promise.all([authority, richShort, long, poorShort].map(async (a) => [a, await c.collateral(a)] as const)));
    expect(c.timeNs).toBeLessThan(expiry * SEC);
    // Keep feeding past expiry: prices after the expiry must not count.
    c.feed.spots.BTC = 1_000_000_000_000n;
    const b = c.block([], (expiry * SEC - c.timeNs) / SEC);
    fed.push({ timeNs: b.timeNs, price: 1_000_000_000_000n });
    expect(b.timeNs).toBe(expiry * SEC);

    const expected = twapOf(fed, expiry * SEC, WINDOW_NS);
    expect(expected.startNs).toBe(expiry * SEC - WINDOW_NS); // the history is longer than the window
    const settlement = (await c.q.options.settlement(id))!;
    const payout = ((expected.price - K) * CS) / 1_000_000n;
    expect(settlement).toMatchObject({
      seriesId: id,
      settlementPriceMicroUsd: expected.price,
      twapStartNs: expiry * SEC - WINDOW_NS,
      twapEndNs: expiry * SEC,
      twapSamples: expected.samples,
      payoutPerContractMicroUsdc: payout.toString(),
      openInterestContracts: "2",
      height: b.height,
    });
    expect(expected.price).toBeGreaterThan(K);

    // The short pays in full, the long is paid in full: no shortfall, no claims; the refused ones are untouched.
    expect(await c.collateral(richShort)).toBe(col[richShort]! - 2n * payout);
    expect(await c.collateral(authority)).toBe(col[authority]! + 2n * payout);
    expect(await c.collateral(poorShort)).toBe(col[poorShort]!);
    expect(await c.collateral(long)).toBe(col[long]!);
    expect(settlement.totalShortfallMicroUsdc).toBe("0");
    expect((await c.q.options.shortfallClaims()).claims).toEqual([]);

    // Positions closed, resting orders cancelled, series archived.
    expect(await Promise.all([authority, richShort, long, poorShort].map((a) => c.position(a, id)))).toEqual([0n, 0n, 0n, 0n]);
    const cancelled = orderEventsOf({ events: b.events }).cancelled;
    expect(cancelled).toMatchObject([{ orderId: restingBid, seriesId: id, reason: "expired" }]);
    expect((await c.q.clob.openOrders(richShort, 0, id)).orders).toEqual([]);
    const series = (await c.q.options.series(id))!;
    expect([OptionsCodec.statusFromWire(series.status), series.settlementPriceMicroUsd, series.settledHeight]).toEqual(["settled", expected.price, b.height]);
    expect(await c.q.options.liveExpiries("BTC")).not.toContain(expiry);
    // Later blocks leave it settled once (no second payout).
    const again = Object.fromEntries(await Promise.all([authority, long].map(async (a) => [a, await c.collateral(a)] as const)));
    c.block();
    expect(Object.fromEntries(await Promise.all([authority, long].map(async (a) => [a, await c.collateral(a)] as const)))).toEqual(again);
  });
});
