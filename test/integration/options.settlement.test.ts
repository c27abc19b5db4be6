/**
 * Scenario 4 through the real app: the authority lists a series expiring five minutes of block time ahead, it
 * trades, the oracle is fed a price path (one price point per 20 s block), and blocks run past expiry. Checked
 * independently of the modules: the settlement price is the time-weighted average of the fed prices over the
 * 30 minutes before expiry (step function over block times, floored), every position is closed, longs receive
 * and shorts pay floor(intrinsic × contract size) per contract, a short who cannot pay leaves a shortfall
 * shared pro rata among the longs and recorded as claims, resting orders are cancelled and the series is
 * archived (settled, settlement queryable).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { fromBech32 } from "@cosmjs/encoding";
import { msgs, orderEventsOf, usdc, OptionsCodec } from "../../node/client/index.js";
import { followerApp, MarketChain, responsesOf, SEC } from "../support/marketChain.js";

const K = 100_000_000_000n; // strike: 100,000 USD
const CS = 10_000n;
const WINDOW_NS = 1_800n * SEC;

let c: MarketChain;
let authority: string; // long 2
let richShort: string; // short 2
let long: string; // long 3
let poorShort: string; // short 3, cannot pay
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
  // back around 100k before the series is listed. The spike is in the settlement window but before anyone
  // holds the series, so nobody is liquidated for it: the shorts open at a 100k spot (standard margin prices
  // them on the spot and smile, not on the TWAP already accrued) and meet a settlement far above it.
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
    expect(quotes.txResults.map((t) => [t.code, t.log])).toEqual([
      [0, ""],
      [0, ""],
      [0, ""],
      [0, ""],
    ]);
    restingBid = orderEventsOf(quotes.txResults[0]!).placed[1]!.orderId;
    expect(orderEventsOf(quotes.txResults[2]!).filled.map((f) => f.maker)).toEqual([`${richShort}/0`]); // time priority
    expect(orderEventsOf(quotes.txResults[3]!).filled.map((f) => f.maker)).toEqual([`${poorShort}/0`]);
    expect(await Promise.all([authority, richShort, long, poorShort].map((a) => c.position(a, id)))).toEqual([2n, -2n, 3n, -3n]);
  });

  it("settles at the oracle TWAP of the 30 minutes before expiry; the short that cannot pay leaves pro-rata claims", async () => {
    // The spot stays near 100k until expiry; the TWAP carries the spike: the poor short's 500 USDC cannot pay.
    const steps = Number((expiry * SEC - c.timeNs - 1n) / (20n * SEC));
    run(steps, (i) => 100_000_000_000n + BigInt(i) * 1_000_000n);
    expect(await Promise.all([authority, richShort, long, poorShort].map((a) => c.position(a, id)))).toEqual([2n, -2n, 3n, -3n]); // nobody liquidated
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
      openInterestContracts: "5",
      height: b.height,
    });
    expect(expected.price).toBeGreaterThan(K);

    // Shorts pay: the rich one in full, the poor one all it has. Longs share what was collected, pro rata.
    const collected = 2n * payout + col[poorShort]!;
    expect(col[poorShort]!).toBeLessThan(3n * payout);
    const longs = [
      { who: authority, owed: 2n * payout },
      { who: long, owed: 3n * payout },
    ];
    const total = 5n * payout;
    const shares = longs.map((l) => ({ ...l, paid: (l.owed * collected) / total, rem: (l.owed * collected) % total, key: Buffer.from(fromBech32(l.who).data).toString("hex") }));
    let left = collected - shares.reduce((a, s) => a + s.paid, 0n);
    for (const s of [...shares].sort((x, y) => (x.rem !== y.rem ? (x.rem > y.rem ? -1 : 1) : x.key < y.key ? -1 : 1))) {
      if (left === 0n || s.rem === 0n) break;
      s.paid += 1n;
      left--;
    }
    expect(await c.collateral(richShort)).toBe(col[richShort]! - 2n * payout);
    expect(await c.collateral(poorShort)).toBe(0n);
    for (const s of shares) expect(await c.collateral(s.who)).toBe(col[s.who]! + s.paid);
    expect(settlement.totalShortfallMicroUsdc).toBe((total - collected).toString());
    const claims = (await c.q.options.shortfallClaims()).claims;
    expect(claims.map((x) => [x.owner, x.seriesId, x.amountMicroUsdc])).toEqual(
      shares
        .filter((s) => s.owed > s.paid)
        .sort((x, y) => (x.key < y.key ? -1 : 1))
        .map((s) => [s.who, id, (s.owed - s.paid).toString()]),
    );

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
