/**
 * Economic stress on a real 4-validator testnet (4 `vanna start` processes, each checking every invariant after
 * every block and halting if one breaks), the oracle driven from ONE file every validator's `file:` feeder
 * re-reads each block (rewritten atomically). Scenarios run one after the other on the same chain, each on its
 * own series (its own expiry, an hour apart) and accounts, the market restored to spot 100k / vol 60% between
 * them; the order is chosen so that what earlier scenarios leave behind only gets healthier under later shocks
 * (so the set of liquidated accounts is exact at every shock):
 *
 *   F  spot −50% with the fund holding 1,000 USD: a bankrupt short is deleveraged against the long;
 *   E  spot −35% against a thin book with a 300k fund: partial fills use up the book, the fund takes over the rest;
 *   A  spot −30% in one block: the tight short puts are partially liquidated, the healthy short untouched;
 *   D  ETH's feed stops for 60 s while BTC falls 30%: an underwater account holding ETH is not liquidated while
 *      ETH is stale, and is as soon as ETH is fresh again;
 *   B  spot +50%: tight short calls are liquidated;
 *   C  volatility doubled at the same spot: tight short puts are liquidated.
 *
 * After each: the liquidated set is exactly the intended accounts, healthy ones are untouched, bad debt is
 * accounted for to the micro-USDC (fund ledger vs records), uusdc supply is unchanged, every series nets to zero
 * over its known holders plus the fund's subaccount, the fund's history sums to its balance. At the end all four
 * nodes still run and agree on every header (app hash included).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { DEV_MNEMONIC } from "../../node/config/devAccounts.js";
import { connectVanna, msgs } from "../../node/client/index.js";
import { checkSameHeaders, rpc, sleep, Testnet, waitForHeight, waitUntil } from "../support/testnet.js";
import { disableAutoListing, name, OracleFile, StressClient, USD, type Acct, type Market } from "../support/stressMarket.js";

const BLOCK_TIME_MS = 400;
const BASE: Market = { spots: { BTC: "100000", ETH: "3000" }, vols: { BTC: "0.6", ETH: "0.6" } };
const big = (s: string) => BigInt(s);

let net: Testnet;
let failed = false;
let c: StressClient;
let oracle: OracleFile;
let addrs: string[];
let authority: string;
let baseExpiryS: bigint;
let supply0: bigint;
let fundAddress: string;
/** Every series traded and everyone known to hold it (the fund's subaccount is added by the check). */
const holders = new Map<bigint, Acct[]>();

interface Scenario {
  series: bigint;
  shorts: Acct[];
  healthy: Acct;
  long: Acct;
  maker: Acct;
}

function guard<T>(fn: () => Promise<T>): () => Promise<T> {
  return async () => {
    try {
      return await fn();
    } catch (err) {
      failed = true;
      throw err;
    }
  };
}

async function chainHeight(): Promise<number> {
  return Number((await rpc<{ sync_info: { latest_block_height: string } }>(net.nodes[0]!.rpcUrl, "status")).sync_info.latest_block_height);
}

async function waitBlocks(n: number): Promise<void> {
  await waitForHeight(net.nodes[0]!.rpcUrl, (await chainHeight()) + n, 20_000);
}

/** Writes the market and waits until the chain has recorded it (BTC spot, and BTC's vol at `expiry`). */
async function setMarket(m: Market, expiry?: bigint): Promise<void> {
  oracle.write(m);
  const spot = big(m.spots.BTC!) * USD;
  const volPpm = BigInt(Math.round(Number(m.vols.BTC!) * 1e6));
  await waitUntil(
    `BTC at ${m.spots.BTC} / vol ${m.vols.BTC}`,
    async () => {
      const p = await c.price("BTC");
      if (p.priceMicroUsd !== spot || p.stale) return false;
      if (expiry === undefined) return true;
      return (await c.q.oracle.smile("BTC", expiry)).smile?.atmVolPpm === volPpm;
    },
    20_000,
    150,
  );
}

/** Lists a series, funds and opens the positions: shorts and a healthy short sell to one long at the mark; a maker's ask ladder rests above. */
async function setup(k: number, o: { kind: "call" | "put"; strikeUsd: bigint; shorts: number; shortUsd: bigint; size: bigint; ladder: { levels: number; size: bigint }; fundUsd?: bigint }): Promise<Scenario> {
  const expiry = baseExpiryS + BigInt(k) * 3600n;
  const [a1, a2] = [addrs[1]!, addrs[2]!];
  const shorts = Array.from({ length: o.shorts }, (_, i) => ({ owner: a1, number: k * 10 + i + 1 }));
  const healthy = { owner: a1, number: k * 10 + 9 };
  const long = { owner: a2, number: k };
  const maker = { owner: addrs[3 + k]!, number: 0 };
  const [series] = await Promise.all([
    c.list(authority, "BTC", expiry, o.strikeUsd, o.kind),
    c.deposit([[maker, 500_000n * USD], [long, 100_000n * USD], [healthy, 100_000n * USD], ...shorts.map((s) => [s, o.shortUsd] as [Acct, bigint])]),
  ]);
  const mark = await c.markTicks(series);
  await Promise.all([
    c.ok(a1, [...shorts.map((s) => c.order(s, { seriesId: series, side: "sell", priceTicks: mark, sizeContracts: o.size })), c.order(healthy, { seriesId: series, side: "sell", priceTicks: mark, sizeContracts: 10n })]),
    c.ok(maker.owner, [c.ladder(maker, series, mark * 2n > 0n ? mark * 2n : 1n, o.ladder.levels, o.ladder.size)]),
  ]);
  const total = o.size * BigInt(o.shorts) + 10n;
  await Promise.all([
    c.ok(a2, [c.order(long, { seriesId: series, side: "buy", priceTicks: mark, sizeContracts: total, timeInForce: "ioc" })]),
    o.fundUsd === undefined ? Promise.resolve() : c.ok(authority, [msgs.depositInsurance({ sender: authority, amountMicroUsdc: o.fundUsd * USD })]),
  ]);
  expect(await c.position(long, series)).toBe(total);
  for (const s of shorts) expect(await c.position(s, series)).toBe(-o.size);
  for (const s of [...shorts, healthy]) {
    const m = await c.margin(s);
    expect(m.equity, `${name(s)} healthy before the shock`).toBeGreaterThanOrEqual(m.mm);
  }
  holders.set(series, [...shorts, healthy, long, maker]);
  return { series, shorts, healthy, long, maker };
}

async function snapshot(a: Acct, series: bigint): Promise<[bigint, bigint]> {
  return [await c.position(a, series), await c.collateral(a)];
}

/** Records since `from`, after waiting 2 more blocks; then 3 blocks later none more (the same market liquidates no one twice). */
async function settledRecords(from: number) {
  await waitBlocks(2);
  const recs = (await c.records()).slice(from);
  await waitBlocks(3);
  expect((await c.records()).length, "no further liquidation at an unchanged market").toBe(from + recs.length);
  return recs;
}

async function expectPartiallyLiquidated(s: Scenario, size: bigint): Promise<void> {
  for (const a of s.shorts) {
    const left = await c.position(a, s.series);
    const m = await c.margin(a);
    expect(left === 0n || m.equity >= m.mm, `${name(a)}: ${left} left, equity ${m.equity}, MM ${m.mm}`).toBe(true);
    expect(left, `${name(a)} was reduced`).toBeGreaterThan(-size);
  }
}

/** Conservation after every scenario: supply, nets per series, the fund's ledger, every node alive. */
async function checkBooks(): Promise<void> {
  expect(BigInt((await c.q.bank.supplyOf("uusdc")).amount), "uusdc supply unchanged").toBe(supply0);
  const fund = await c.q.liquidation.insuranceFund();
  const history = await c.history();
  let running = 0n;
  for (const e of history) {
    running += big(e.amountMicroUsdc);
    expect(big(e.balanceAfterMicroUsdc), `fund entry ${e.id} (${e.kind})`).toBe(running);
  }
  expect(running, "Σ fund history == fund balance").toBe(big(fund.balanceMicroUsdc));
  expect(BigInt((await c.q.bank.balance(fund.address, "uusdc")).amount), "fund's bank balance").toBe(big(fund.balanceMicroUsdc));
  const fundSub = { owner: fund.address, number: 0 };
  for (const [series, hs] of holders) {
    let net0 = await c.position(fundSub, series);
    for (const h of hs) net0 += await c.position(h, series);
    expect(net0, `series ${series} nets to zero over its holders and the fund`).toBe(0n);
  }
  for (const n of net.nodes) expect(n.running, `${n.moniker} running`).toBe(true);
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "vanna-stress-oracle-"));
  oracle = new OracleFile(join(dir, "market.json"));
  oracle.write(BASE);
  net = await Testnet.create({
    validators: 4,
    blockTimeMs: BLOCK_TIME_MS,
    chainId: "vanna-e2e-stress-1",
    configure: (config) => {
      config.oracle.source = `file:${oracle.path}`;
    },
  });
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "vanna", hdPaths: Array.from({ length: 10 }, (_, i) => makeCosmoshubPath(i)) });
  addrs = (await wallet.getAccounts()).map((a) => a.address);
  authority = addrs[0]!;
  disableAutoListing(net, authority);
  net.start(net.nodes, ["--check-invariants"]);
  await net.waitReady(net.nodes, 2);
  c = new StressClient(await connectVanna(net.nodes[0]!.rpcUrl, wallet, { broadcastPollIntervalMs: 150 }));
  await setMarket(BASE);
  // Expiries: the first 08:00 UTC at least 30 days out, one hour apart per scenario.
  const status = await rpc<{ sync_info: { latest_block_time: string } }>(net.nodes[0]!.rpcUrl, "status");
  const nowS = BigInt(Math.floor(Date.parse(status.sync_info.latest_block_time) / 1000));
  const day = 86_400n;
  baseExpiryS = ((nowS + 30n * day) / day) * day + 8n * 3600n;
  if (baseExpiryS < nowS + 30n * day) baseExpiryS += day;
  supply0 = BigInt((await c.q.bank.supplyOf("uusdc")).amount);
  fundAddress = (await c.q.liquidation.insuranceFund()).address;
}, 120_000);

afterAll(async () => {
  c?.v.disconnect();
  await net?.destroy(failed);
});

describe("economic stress on a 4-validator testnet, oracle from a file", () => {
  it(
    "the fund exhausted: spot −50% deleverages a bankrupt short against the long; Σ losses + fund paid == deficit",
    guard(async () => {
      const s = await setup(0, { kind: "put", strikeUsd: 100_000n, shorts: 1, shortUsd: 22_000n * USD, size: 100n, ladder: { levels: 1, size: 1n }, fundUsd: 1_000n });
      const short = s.shorts[0]!;
      const healthyBefore = await snapshot(s.healthy, s.series);
      const fundBefore = await c.fundBalance();
      expect(fundBefore).toBe(1_000n * USD);
      const [n0, h0] = [(await c.records()).length, (await c.history()).length];
      await setMarket({ ...BASE, spots: { ...BASE.spots, BTC: "50000" } });
      const recs = await settledRecords(n0);
      expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set([name(short)]));
      const adl = recs.filter((r) => r.kind === "deleverage");
      expect(adl.length).toBeGreaterThan(0);
      expect(adl.every((r) => r.counterparty === name(s.long))).toBe(true);
      // Bankrupt at the scan: no partial order, straight to the waterfall; the account ends flat at zero.
      expect(recs.filter((r) => r.kind === "partial")).toEqual([]);
      expect(await snapshot(short, s.series)).toEqual([0n, 0n]);
      expect(await c.fundBalance()).toBe(0n);
      const entries = (await c.history()).slice(h0);
      const fundPaid = entries.filter((e) => e.kind === "takeover").reduce((a, e) => a - big(e.amountMicroUsdc), 0n);
      expect(fundPaid).toBe(fundBefore);
      const equityBefore = big(recs[0]!.equityBeforeMicroUsdc);
      expect(equityBefore).toBeLessThan(0n);
      const losses = recs.reduce((a, r) => a + big(r.lossMicroUsdc), 0n);
      expect(losses + fundPaid, "bad debt accounted to the micro-USDC").toBe(-equityBefore);
      // The long took the 100 contracts back at the bankruptcy price; no one ends negative; the healthy short untouched.
      expect(await c.position(s.long, s.series)).toBe(10n);
      for (const a of [s.long, s.healthy, s.maker]) expect((await c.margin(a)).equity).toBeGreaterThanOrEqual(0n);
      expect(await snapshot(s.healthy, s.series)).toEqual(healthyBefore);
      await checkBooks();
      await setMarket(BASE);
    }),
    90_000,
  );

  it(
    "a cascade against a thin book (spot −35%): partial fills use the book up within the band, the fund takes the rest over",
    guard(async () => {
      const s = await setup(1, { kind: "put", strikeUsd: 70_000n, shorts: 5, shortUsd: 8_000n * USD, size: 100n, ladder: { levels: 18, size: 3n }, fundUsd: 300_000n });
      const healthyBefore = await snapshot(s.healthy, s.series);
      const fundBefore = await c.fundBalance();
      const [n0, h0] = [(await c.records()).length, (await c.history()).length];
      await setMarket({ ...BASE, spots: { ...BASE.spots, BTC: "65000" } });
      const recs = await settledRecords(n0);
      expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set(s.shorts.map(name)));
      expect(recs.some((r) => r.kind === "partial")).toBe(true);
      expect(recs.some((r) => r.kind === "takeover")).toBe(true);
      for (const a of s.shorts) {
        const left = await c.position(a, s.series);
        const m = await c.margin(a);
        if (left === 0n) expect(await c.collateral(a), `${name(a)} taken over ends at zero`).toBe(0n);
        else expect(m.equity).toBeGreaterThanOrEqual(m.mm);
      }
      expect(await snapshot(s.healthy, s.series)).toEqual(healthyBefore);
      // The fund's subaccount holds what it took over; the fund paid exactly the takeover deficits.
      expect(await c.position({ owner: fundAddress, number: 0 }, s.series)).toBeLessThan(0n);
      const entries = (await c.history()).slice(h0);
      const paid = entries.filter((e) => e.kind === "takeover").reduce((a, e) => a - big(e.amountMicroUsdc), 0n);
      const losses = recs.filter((r) => r.kind === "takeover").reduce((a, r) => a + big(r.lossMicroUsdc), 0n);
      expect(paid).toBe(losses);
      const feeEntries = entries.filter((e) => e.kind === "liquidation_fee").reduce((a, e) => a + big(e.amountMicroUsdc), 0n);
      expect(feeEntries).toBe(recs.reduce((a, r) => a + big(r.feeMicroUsdc), 0n));
      expect((await c.fundBalance()) - fundBefore).toBe(entries.reduce((a, e) => a + big(e.amountMicroUsdc), 0n));
      // The book was used up within the band (mark + 10%) before any takeover: what rests is priced above it.
      const bandTop = ((await c.markTicks(s.series)) * 110n) / 100n;
      for (const a of (await c.q.clob.bookL2(s.series)).asks) expect(a.priceTicks).toBeGreaterThan(bandTop);
      await checkBooks();
      await setMarket(BASE);
    }),
    90_000,
  );

  it(
    "spot −30% in one block: the tight short puts are partially liquidated against the book, the healthy one untouched",
    guard(async () => {
      const s = await setup(2, { kind: "put", strikeUsd: 70_000n, shorts: 3, shortUsd: 8_000n * USD, size: 100n, ladder: { levels: 18, size: 100n } });
      const healthyBefore = await snapshot(s.healthy, s.series);
      const fund0 = await c.fundBalance();
      const n0 = (await c.records()).length;
      await setMarket({ ...BASE, spots: { ...BASE.spots, BTC: "70000" } });
      const recs = await settledRecords(n0);
      expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set(s.shorts.map(name)));
      expect(recs.every((r) => r.kind === "partial")).toBe(true);
      expect(new Set(recs.map((r) => r.height)).size, "all in one block").toBe(1);
      await expectPartiallyLiquidated(s, 100n);
      for (const a of s.shorts) expect(await c.position(a, s.series)).toBeLessThan(0n);
      expect(await snapshot(s.healthy, s.series)).toEqual(healthyBefore);
      const fees = recs.reduce((a, r) => a + big(r.feeMicroUsdc), 0n);
      expect(fees).toBeGreaterThan(0n);
      expect((await c.fundBalance()) - fund0, "every fee into the fund").toBe(fees);
      await checkBooks();
      await setMarket(BASE);
    }),
    90_000,
  );

  it(
    "ETH's feed stops for 60 s while BTC falls 30%: the underwater account holding ETH is skipped while ETH is stale, liquidated once fresh",
    guard(async () => {
      const s = await setup(3, { kind: "put", strikeUsd: 70_000n, shorts: 1, shortUsd: 8_000n * USD, size: 100n, ladder: { levels: 18, size: 100n } });
      const short = s.shorts[0]!;
      // The short also buys 10 ETH calls from the maker.
      const eth = await c.list(authority, "ETH", baseExpiryS + 3n * 3600n, 3_000n, "call");
      const ethMark = await c.markTicks(eth);
      await c.ok(s.maker.owner, [c.order(s.maker, { seriesId: eth, side: "sell", priceTicks: ethMark, sizeContracts: 10n, postOnly: true })]);
      await c.ok(short.owner, [c.order(short, { seriesId: eth, side: "buy", priceTicks: ethMark, sizeContracts: 10n, timeInForce: "ioc" })]);
      expect(await c.position(short, eth)).toBe(10n);
      holders.set(eth, [short, s.maker]);
      const n0 = (await c.records()).length;

      // ETH disappears from the file; it goes stale within max_age (30 s); then BTC falls.
      const t0 = Date.now();
      oracle.write({ spots: { BTC: "100000" }, vols: { BTC: "0.6" } });
      await waitUntil("ETH stale", async () => (await c.price("ETH")).stale, 40_000, 500);
      expect(Date.now() - t0).toBeGreaterThan(15_000); // a heartbeat at most 10 s before the file changed
      await setMarket({ spots: { BTC: "70000" }, vols: { BTC: "0.6" } });
      const m = await c.margin(short);
      expect(m.equity, "underwater at the fresh BTC price").toBeLessThan(m.mm);
      // Skipped every block until 60 s are over: the chain says why.
      const h = await chainHeight();
      const res = await rpc<{ finalize_block_events?: Array<{ type: string; attributes: Array<{ key: string; value: string }> }> }>(net.nodes[0]!.rpcUrl, "block_results", { height: String(h) });
      const skipped = (res.finalize_block_events ?? []).filter((e) => e.type === "liquidation_skipped").map((e) => e.attributes.find((a) => a.key === "subaccount")?.value);
      expect(skipped).toEqual([name(short)]);
      while (Date.now() - t0 < 60_000) {
        expect((await c.records()).length, "no liquidation on a stale oracle").toBe(n0);
        await sleep(2_000);
      }
      expect((await c.price("ETH")).stale).toBe(true);
      expect(await c.position(short, s.series)).toBe(-100n);
      expect((await c.records()).length).toBe(n0);

      // ETH back: the next block liquidates.
      oracle.write({ ...BASE, spots: { ...BASE.spots, BTC: "70000" } });
      await waitUntil("ETH fresh", async () => !(await c.price("ETH")).stale, 20_000, 150);
      const recs = await settledRecords(n0);
      expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set([name(short)]));
      expect(await c.position(short, s.series)).toBeGreaterThan(-100n);
      const after = await c.margin(short);
      expect((await c.position(short, s.series)) === 0n || after.equity >= after.mm).toBe(true);
      await checkBooks();
      await setMarket(BASE);
    }),
    150_000,
  );

  it(
    "spot +50%: the tight short calls are liquidated, the healthy short untouched",
    guard(async () => {
      // 30k of collateral: underwater at 150k (MM ≈ 34k) but not bankrupt (with 11k they would be, and go
      // straight to the fund), so the book takes the partial orders. The ladder is small enough that the maker
      // still meets initial margin with its orders at 150k: otherwise margin cancels all of them in the shock
      // block, before liquidation runs, and the fund takes the shorts over for want of a book.
      const s = await setup(4, { kind: "call", strikeUsd: 130_000n, shorts: 2, shortUsd: 30_000n * USD, size: 100n, ladder: { levels: 13, size: 25n } });
      const healthyBefore = await snapshot(s.healthy, s.series);
      const fund0 = await c.fundBalance();
      const n0 = (await c.records()).length;
      await setMarket({ ...BASE, spots: { ...BASE.spots, BTC: "150000" } });
      const recs = await settledRecords(n0);
      expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set(s.shorts.map(name)));
      expect(recs.every((r) => r.kind === "partial")).toBe(true);
      await expectPartiallyLiquidated(s, 100n);
      expect(await snapshot(s.healthy, s.series)).toEqual(healthyBefore);
      expect((await c.fundBalance()) - fund0, "every fee into the fund").toBe(recs.reduce((a, r) => a + big(r.feeMicroUsdc), 0n));
      await checkBooks();
      await setMarket(BASE);
    }),
    90_000,
  );

  it(
    "volatility doubled at the same spot: the tight short puts are liquidated, the healthy one untouched",
    guard(async () => {
      const s = await setup(5, { kind: "put", strikeUsd: 90_000n, shorts: 2, shortUsd: 14_000n * USD, size: 100n, ladder: { levels: 12, size: 100n } });
      const healthyBefore = await snapshot(s.healthy, s.series);
      const fund0 = await c.fundBalance();
      const n0 = (await c.records()).length;
      await setMarket({ ...BASE, vols: { ...BASE.vols, BTC: "1.2" } }, baseExpiryS + 5n * 3600n);
      const recs = await settledRecords(n0);
      expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set(s.shorts.map(name)));
      expect(recs.every((r) => r.kind === "partial")).toBe(true);
      await expectPartiallyLiquidated(s, 100n);
      expect(await snapshot(s.healthy, s.series)).toEqual(healthyBefore);
      expect((await c.fundBalance()) - fund0, "every fee into the fund").toBe(recs.reduce((a, r) => a + big(r.feeMicroUsdc), 0n));
      await checkBooks();
    }),
    90_000,
  );

  it(
    "all four nodes still run (no invariant broke) and agree on every header, app hash included",
    guard(async () => {
      for (const n of net.nodes) {
        expect(n.running, n.moniker).toBe(true);
        expect(n.log()).not.toMatch(/invariant broken/);
      }
      const hs = await net.heights();
      const h = Math.min(...hs.map((x) => x ?? 0));
      expect(h).toBeGreaterThan(50);
      await waitForHeight(net.nodes[0]!.rpcUrl, h);
      expect(await checkSameHeaders(net.nodes, h)).toEqual([]);
    }),
    60_000,
  );
});
