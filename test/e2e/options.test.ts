/**
 * Options markets end to end on a real 4-validator testnet (4 `vanna start` processes, libp2p, LevelDB, the `sim`
 * oracle feeder on every validator, every node checking every invariant after each block), driven only through
 * the package's client entry (`node/client`: registry, message builders, query extension) over cosmjs:
 * deposit, quote a batch of strikes in one signed message, take liquidity from another account, see fills,
 * positions and margin; cancel; withdraw; and a short-dated series listed by the authority expires and is
 * cash-settled against the TWAP of the oracle prices the chain recorded (recomputed here from block events).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { DeliverTxResponse } from "@cosmjs/stargate";
import { DEV_MNEMONIC } from "../../node/config/devAccounts.js";
import { connectVanna, fillsOf, msgs, orderEventsOf, seriesStatusName, usdc, type VannaConnection } from "../../node/client/index.js";
import { rpc, Testnet, waitUntil } from "../support/testnet.js";

const BLOCK_TIME_MS = 400;
const USD = 1_000_000n;
const TICK = 10_000n; // BTC: uusdc per contract per tick (genesis default)
const CONTRACT_PPM = 10_000n; // 0.01 BTC per contract

let net: Testnet;
let failed = false;
let vanna: VannaConnection;
let authority: string;
let maker: string;
let taker: string;

function ok(res: DeliverTxResponse): DeliverTxResponse {
  expect(res.code, res.rawLog).toBe(0);
  return res;
}

/** "auto" fees simulate first, and a simulation of a failing tx throws: expected failures pay a fixed fee. */
async function send(from: string, messages: Array<{ typeUrl: string; value: unknown }>, fee: "auto" | "fixed" = "auto"): Promise<DeliverTxResponse> {
  return vanna.signing!.signAndBroadcast(from, messages, fee === "auto" ? "auto" : { amount: [{ denom: "uvanna", amount: "2000" }], gas: "500000" });
}

async function activeBtcSeriesWithMarks(): Promise<Array<{ id: bigint; strike: bigint; kind: number; expiry: bigint; markMicroUsdc: bigint }>> {
  const list = await vanna.query.options.seriesList({ underlying: "BTC", status: "active" });
  const out = [];
  for (const s of list.series) {
    const m = await vanna.query.options.mark(s.id);
    if (m.mark !== undefined && !m.stale) out.push({ id: s.id, strike: s.strikeMicroUsd, kind: s.kind, expiry: s.expiryUnixS, markMicroUsdc: BigInt(m.mark.markMicroUsdcPerContract) });
  }
  return out;
}

beforeAll(async () => {
  net = await Testnet.create({
    validators: 4,
    blockTimeMs: BLOCK_TIME_MS,
    chainId: "vanna-e2e-options-1",
    configure: (config) => {
      config.oracle.source = "sim";
    },
  });
  net.start(net.nodes, ["--check-invariants"]);
  await net.waitReady(net.nodes, 2);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "vanna", hdPaths: [0, 1, 2].map((i) => makeCosmoshubPath(i)) });
  [authority, maker, taker] = (await wallet.getAccounts()).map((a) => a.address) as [string, string, string];
  vanna = await connectVanna(net.nodes[0]!.rpcUrl, wallet, { broadcastPollIntervalMs: 150 });
}, 120_000);

afterAll(async () => {
  vanna?.disconnect();
  await net?.destroy(failed);
});

describe("options markets on a 4-validator testnet", () => {
  it("lists series from the oracle, trades a batch of quotes, cancels, withdraws", async () => {
    try {
      // The policy lists series as soon as the validators' median price is on chain; marks follow the smiles.
      let series: Awaited<ReturnType<typeof activeBtcSeriesWithMarks>> = [];
      await waitUntil("BTC series with marks", async () => (series = await activeBtcSeriesWithMarks()).length >= 10, 60_000, 500);
      const calls = series.filter((s) => s.kind === 1 && s.markMicroUsdc >= 50n * TICK).slice(0, 10);
      expect(calls.length).toBeGreaterThanOrEqual(5);

      ok(await send(maker, [msgs.deposit({ sender: maker, amount: usdc(200_000n * USD) })]));
      ok(await send(taker, [msgs.deposit({ sender: taker, amount: usdc(50_000n * USD) })]));

      // One signed message quotes every strike on both sides (post-only: a maker tx under the fairness rule).
      const quotes = calls.flatMap((s) => {
        const mid = s.markMicroUsdc / TICK;
        return [
          { seriesId: s.id, side: "buy" as const, priceTicks: mid - 20n, sizeContracts: 5n, postOnly: true, clientId: s.id * 10n + 1n },
          { seriesId: s.id, side: "sell" as const, priceTicks: mid + 20n, sizeContracts: 5n, postOnly: true, clientId: s.id * 10n + 2n },
        ];
      });
      const quoted = ok(await send(maker, [msgs.batch({ owner: maker, places: quotes })]));
      expect(orderEventsOf(quoted).placed).toHaveLength(quotes.length);
      const open = await vanna.query.clob.openOrders(maker);
      expect(open.orders).toHaveLength(quotes.length);

      // The taker lifts one offer: the fill is at the maker's price, partly (3 of 5).
      const target = calls[0]!;
      const ask = target.markMicroUsdc / TICK + 20n;
      const taken = ok(await send(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: target.id, side: "buy", priceTicks: ask + 50n, sizeContracts: 3n, timeInForce: "ioc" } })]));
      const fills = fillsOf(taken);
      expect(fills).toHaveLength(1);
      expect(fills[0]).toMatchObject({ seriesId: target.id, priceTicks: ask, sizeContracts: 3n, maker: expect.stringContaining(maker), taker: expect.stringContaining(taker) });
      const premium = ask * TICK * 3n;
      expect(fills[0]!.premiumMicroUsdc).toBe(premium);

      const takerAccount = await vanna.query.subaccounts.subaccount(taker);
      const makerAccount = await vanna.query.subaccounts.subaccount(maker);
      expect(takerAccount!.positions).toEqual([expect.objectContaining({ instrumentId: target.id, sizeContracts: "3" })]);
      expect(makerAccount!.positions).toEqual([expect.objectContaining({ instrumentId: target.id, sizeContracts: "-3" })]);
      expect(BigInt(takerAccount!.quoteMicroUsdc)).toBe(50_000n * USD - premium - fills[0]!.takerFeeMicroUsdc);
      expect(BigInt(makerAccount!.quoteMicroUsdc)).toBe(200_000n * USD + premium - fills[0]!.makerFeeMicroUsdc);
      const book = await vanna.query.clob.bookL2(target.id);
      expect(book.asks[0]).toMatchObject({ priceTicks: ask, sizeContracts: 2n });

      // Margin: the short needs more than its mark; the long needs its premium only.
      const makerMargin = await vanna.query.margin.subaccountMargin(maker);
      expect(BigInt(makerMargin.initialMarginMicroUsdc)).toBeGreaterThan(3n * target.markMicroUsdc);
      expect(BigInt(makerMargin.equityMicroUsdc)).toBeGreaterThan(BigInt(makerMargin.initialMarginMicroUsdc));
      const takerMargin = await vanna.query.margin.subaccountMargin(taker);
      const free = BigInt(takerMargin.freeCollateralMicroUsdc);
      expect(free).toBeGreaterThan(0n);

      // The maker pulls every quote on BTC in one message.
      const pulled = ok(await send(maker, [msgs.cancelAll({ owner: maker, underlying: "BTC" })]));
      expect(orderEventsOf(pulled).cancelled.length).toBe(quotes.length); // the lifted offer rests with 2 of 5
      expect((await vanna.query.clob.openOrders(maker)).orders).toHaveLength(0);

      // Withdrawing more than the free collateral fails with a clear error and changes nothing; less works. (A long
      // option counts nothing towards margin, so the taker's free collateral is exactly its cash.)
      const collateralBefore = (await vanna.query.subaccounts.subaccount(taker))!.quoteMicroUsdc;
      const tooMuch = await send(taker, [msgs.withdraw({ sender: taker, amount: usdc(free + 1n) })], "fixed");
      expect(tooMuch.code).not.toBe(0);
      expect(tooMuch.rawLog).toMatch(/insufficient collateral|below initial margin/);
      expect((await vanna.query.subaccounts.subaccount(taker))!.quoteMicroUsdc).toBe(collateralBefore);
      const bankBefore = BigInt((await vanna.query.bank.balance(taker, "uusdc")).amount);
      ok(await send(taker, [msgs.withdraw({ sender: taker, amount: usdc(1_000n * USD) })]));
      expect(BigInt((await vanna.query.bank.balance(taker, "uusdc")).amount)).toBe(bankBefore + 1_000n * USD);
    } catch (err) {
      failed = true;
      throw err;
    }
  }, 240_000);

  it("a short-dated series listed by the authority expires and settles at the TWAP of the recorded oracle prices", async () => {
    try {
      const spot = (await vanna.query.oracle.price("BTC")).price!.priceMicroUsd;
      const strike = (spot / (1_000n * USD)) * 1_000n * USD - 1_000n * USD; // in the money
      const status = await rpc<{ sync_info: { latest_block_time: string } }>(net.nodes[0]!.rpcUrl, "status");
      const nowS = BigInt(Math.floor(Date.parse(status.sync_info.latest_block_time) / 1000));
      const expiry = nowS + 75n;
      const listed = ok(await send(authority, [msgs.listSeries({ authority, underlying: "BTC", expiryUnixS: expiry, strikeMicroUsd: strike, kind: "call" })]));
      const seriesId = BigInt(listed.events.find((e) => e.type === "series_listed")!.attributes.find((a) => a.key === "series_id")!.value);

      // The validators report a smile for the new expiry from the next heights on.
      await waitUntil("a mark for the new series", async () => (await vanna.query.options.mark(seriesId)).mark !== undefined, 30_000, 300);
      const mark = BigInt((await vanna.query.options.mark(seriesId)).mark!.markMicroUsdcPerContract);
      const ask = mark / TICK + 10n;
      ok(await send(maker, [msgs.placeOrder({ owner: maker, order: { seriesId, side: "sell", priceTicks: ask, sizeContracts: 4n, postOnly: true } })]));
      ok(await send(taker, [msgs.placeOrder({ owner: taker, order: { seriesId, side: "buy", priceTicks: ask, sizeContracts: 2n, timeInForce: "ioc" } })]));
      ok(await send(maker, [msgs.placeOrder({ owner: maker, order: { seriesId, side: "buy", priceTicks: 1n, sizeContracts: 1n, postOnly: true } })]));
      const takerBefore = BigInt((await vanna.query.subaccounts.subaccount(taker))!.quoteMicroUsdc);
      const makerBefore = BigInt((await vanna.query.subaccounts.subaccount(maker))!.quoteMicroUsdc);

      await waitUntil("the series settles", async () => seriesStatusName((await vanna.query.options.series(seriesId))!.status) === "settled", 150_000, 1_000);
      const settlement = (await vanna.query.options.settlement(seriesId))!;
      expect(settlement.twapEndNs).toBe(expiry * 1_000_000_000n);

      // Recompute the TWAP from the chain's own record: every oracle_price event and its block's time.
      const settledHeight = Number(settlement.height);
      const points: Array<{ timeNs: bigint; price: bigint }> = [];
      for (let h = 1; h <= settledHeight; h++) {
        const [block, results] = await Promise.all([
          rpc<{ block: { header: { time: string } } }>(net.nodes[1]!.rpcUrl, "block", { height: String(h) }),
          rpc<{ finalize_block_events?: Array<{ type: string; attributes: Array<{ key: string; value: string }> }> }>(net.nodes[1]!.rpcUrl, "block_results", { height: String(h) }),
        ]);
        for (const e of results.finalize_block_events ?? []) {
          if (e.type !== "oracle_price" || e.attributes.find((a) => a.key === "underlying")?.value !== "BTC") continue;
          points.push({ timeNs: rfc3339ToNs(block.block.header.time), price: BigInt(e.attributes.find((a) => a.key === "price_micro_usd")!.value) });
        }
      }
      const endNs = expiry * 1_000_000_000n;
      const window = 1_800_000_000_000n;
      const inRange = points.filter((p) => p.timeNs <= endNs);
      const startNs = endNs - window;
      let weighted = 0n;
      let from = endNs;
      let segmentEnd = endNs;
      for (let i = inRange.length - 1; i >= 0; i--) {
        const p = inRange[i]!;
        const segStart = p.timeNs > startNs ? p.timeNs : startNs;
        weighted += p.price * (segmentEnd - segStart);
        from = segStart;
        if (p.timeNs <= startNs) break;
        segmentEnd = p.timeNs;
      }
      const twap = weighted / (endNs - from);
      expect(settlement.settlementPriceMicroUsd).toBe(twap);
      expect(settlement.twapStartNs).toBe(from);

      // Long receives and short pays floor(intrinsic × contract size) per contract; the resting bid was cancelled.
      const perContract = twap > strike ? ((twap - strike) * CONTRACT_PPM) / 1_000_000n : 0n;
      expect(BigInt(settlement.payoutPerContractMicroUsdc)).toBe(perContract);
      expect(BigInt((await vanna.query.subaccounts.subaccount(taker))!.quoteMicroUsdc)).toBe(takerBefore + 2n * perContract);
      expect(BigInt((await vanna.query.subaccounts.subaccount(maker))!.quoteMicroUsdc)).toBe(makerBefore - 2n * perContract);
      expect((await vanna.query.clob.openOrders(maker, 0, seriesId)).orders).toHaveLength(0);
      const after = await vanna.query.subaccounts.subaccount(taker);
      expect(after!.positions.some((p) => p.instrumentId === seriesId)).toBe(false);

      // Every node is still running: none found a broken invariant (--check-invariants halts a node).
      for (const n of net.nodes) expect(n.running, n.moniker).toBe(true);
    } catch (err) {
      failed = true;
      throw err;
    }
  }, 300_000);
});

function rfc3339ToNs(text: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (m === null) throw new Error(`bad time ${text}`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}


