/**
 * Orders through consensus on a real 4-validator testnet (4 processes, libp2p, LevelDB, the sim oracle):
 * - batch messages: market makers cancel and re-quote a ladder over many series in one MsgBatch per tx, takers
 *   send batches of crossing IOC orders; committed orders per second (places, cancels and fills counted from
 *   the blocks' tx results), and time from broadcast to the tx's fill events;
 * - single-order txs: one MsgPlaceOrder per tx (crossing IOC), orders per second and broadcast-to-fill latency.
 * Every tx is signed before its phase starts, so signing costs nothing during the measurement. The peer figure
 * in the same run is the bank-send rate of the `testnet` bench's method: a signed tx costs the same signature
 * check, so orders per signature is what a batch buys.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { createTestnet } from "../../testnet/layout.js";
import { startTestnet, type RunningTestnet } from "../../testnet/launch.js";
import { devAccounts } from "../../node/config/devAccounts.js";
import { devFunding } from "../../node/config/appState.js";
import { connectVanna, createVannaRegistry, msgs, usdc, type OrderInput, type VannaConnection } from "../../node/client/index.js";
import { devSigners, round, signMsgs, sleep, summarize, type DevSigner } from "./harness.js";

const CHAIN_ID = "vanna-bench-options-1";
const MAKERS = 4;
const TAKERS = 4;
const SERIES = 20;
const LEVELS = 5; // price levels per side per series per maker
const TAKER_ORDERS_PER_BATCH = 100;
const ROUNDS = Number(process.env.VANNA_BENCH_OPTIONS_ROUNDS ?? 6);
const SINGLE_ORDERS = Number(process.env.VANNA_BENCH_OPTIONS_SINGLES ?? 200);
const TICK = 10_000n;
const BIG_FEE = { amount: [{ denom: "uvanna", amount: "250000" }], gas: "100000000" };
const SMALL_FEE = { amount: [{ denom: "uvanna", amount: "2500" }], gas: "1000000" };

interface TxJson {
  code: number;
  log?: string;
  events?: Array<{ type: string; attributes: Array<{ key: string; value: string }> }>;
}

async function rpc<T>(url: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
      const body = (await res.json()) as { result?: T; error?: unknown };
      if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
      return body.result as T;
    } catch (err) {
      if (attempt >= 3 || (err as Error).message.startsWith(method)) throw err;
      await sleep(50);
    }
  }
}

const hashOf = (tx: Uint8Array) => createHash("sha256").update(tx).digest("hex").toUpperCase();

/** Commit time and result of every tx, from the node's WebSocket Tx events. */
function watchTxs(wsUrl: string): Promise<{ seen: Map<string, { atMs: number; result: TxJson }>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/websocket`, { maxPayload: 1 << 30 });
    const seen = new Map<string, { atMs: number; result: TxJson }>();
    ws.on("open", () => {
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='Tx'" } }));
      resolve({ seen, close: () => ws.close() });
    });
    ws.on("error", reject);
    ws.on("message", (data) => {
      const atMs = performance.now();
      const msg = JSON.parse(data.toString()) as { result?: { data?: { value?: { TxResult?: { tx: string; result: TxJson } } } } };
      const r = msg.result?.data?.value?.TxResult;
      if (r !== undefined) seen.set(createHash("sha256").update(Buffer.from(r.tx, "base64")).digest("hex").toUpperCase(), { atMs, result: r.result });
    });
  });
}

function countEvents(result: TxJson, type: string): number {
  return (result.events ?? []).filter((e) => e.type === type).length;
}

async function waitForSeries(vanna: VannaConnection): Promise<Array<{ id: bigint; midTicks: bigint }>> {
  for (let i = 0; i < 600; i++) {
    const list = await vanna.query.options.seriesList({ underlying: "BTC", status: "active" }).catch(() => undefined);
    const out: Array<{ id: bigint; midTicks: bigint }> = [];
    for (const s of list?.series ?? []) {
      const m = await vanna.query.options.mark(s.id);
      const mark = m.mark === undefined ? 0n : BigInt(m.mark.markMicroUsdcPerContract);
      if (mark / TICK >= 500n) out.push({ id: s.id, midTicks: mark / TICK });
      if (out.length === SERIES) return out;
    }
    await sleep(500);
  }
  throw new Error("the testnet listed no BTC series with marks");
}

/** Sends each signer's txs in order (one request in flight per signer), all signers in parallel. */
async function broadcastAll(urls: string[], perSigner: Uint8Array[][], sentAt: Map<string, number>): Promise<{ refused: number; firstRefusal?: string }> {
  let refused = 0;
  let firstRefusal: string | undefined;
  await Promise.all(
    perSigner.map(async (txs, s) => {
      for (const tx of txs) {
        sentAt.set(hashOf(tx), performance.now());
        const r = await rpc<{ code: number; log: string }>(urls[s % urls.length]!, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
        if (r.code !== 0) {
          refused++;
          firstRefusal ??= r.log;
        }
      }
    }),
  );
  return firstRefusal === undefined ? { refused } : { refused, firstRefusal };
}

async function waitCommitted(seen: Map<string, unknown>, hashes: string[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (hashes.some((h) => !seen.has(h)) && performance.now() < deadline) await sleep(20);
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "vanna-bench-options-"));
  const accounts = await devAccounts();
  const layout = createTestnet({
    dir,
    chainId: CHAIN_ID,
    validators: 4,
    fullNodes: 0,
    basePort: 38800,
    accounts: devFunding(accounts.map((a) => a.address)),
    configure: (c) => {
      c.consensus.blockTimeMs = 500;
      c.mempool.maxTxs = 20_000;
      c.oracle.source = "sim";
    },
  });
  let net: RunningTestnet | undefined;
  let watcher: Awaited<ReturnType<typeof watchTxs>> | undefined;
  let vanna: VannaConnection | undefined;
  try {
    net = startTestnet(layout);
    const urls = net.nodes.map((n) => n.rpcUrl);
    for (const url of urls) {
      for (let i = 0; ; i++) {
        const h = await rpc<{ sync_info: { latest_block_height: string } }>(url, "status").then((s) => Number(s.sync_info.latest_block_height)).catch(() => 0);
        if (h >= 2) break;
        if (i > 600) throw new Error(`node ${url} did not start`);
        await sleep(100);
      }
    }
    vanna = await connectVanna(urls[0]!);
    const series = await waitForSeries(vanna);
    const signers = await devSigners(1 + MAKERS + TAKERS, 0, createVannaRegistry());
    const makers = signers.slice(1, 1 + MAKERS);
    const takers = signers.slice(1 + MAKERS);
    const seqs = new Map<string, number>(signers.map((s) => [s.address, 0]));
    const sign = async (s: DevSigner, m: EncodeObject[], fee = SMALL_FEE) => {
      const seq = seqs.get(s.address)!;
      seqs.set(s.address, seq + 1);
      return signMsgs(s, m, seq, CHAIN_ID, fee);
    };
    watcher = await watchTxs(urls[0]!.replace("http", "ws"));

    // Deposits (one block).
    const deposits = await Promise.all([...makers, ...takers].map(async (s) => [await sign(s, [msgs.deposit({ sender: s.address, amount: usdc(500_000_000_000n) })])]));
    const depositSent = new Map<string, number>();
    await broadcastAll(urls, deposits, depositSent);
    await waitCommitted(watcher.seen, [...depositSent.keys()], 30_000);

    // ---- 1. batch messages ----
    const makerLadder = (m: number, r: number): OrderInput[] =>
      series.flatMap((s, si) =>
        Array.from({ length: LEVELS }, (_, l) => [
          { seriesId: s.id, side: "buy" as const, priceTicks: s.midTicks - 10n - BigInt(l * 5), sizeContracts: 2n, postOnly: true, clientId: BigInt(r * 100_000 + m * 10_000 + si * 100 + l * 2 + 1) },
          { seriesId: s.id, side: "sell" as const, priceTicks: s.midTicks + 10n + BigInt(l * 5), sizeContracts: 2n, postOnly: true, clientId: BigInt(r * 100_000 + m * 10_000 + si * 100 + l * 2 + 2) },
        ]).flat(),
      );
    const makerTxs: Uint8Array[][] = makers.map(() => []);
    const takerTxs: Uint8Array[][] = takers.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let m = 0; m < makers.length; m++) {
        const cancels = r === 0 ? [] : makerLadder(m, r - 1).map((o) => ({ clientId: o.clientId! }));
        makerTxs[m]!.push(await sign(makers[m]!, [msgs.batch({ owner: makers[m]!.address, cancels, places: makerLadder(m, r) })], BIG_FEE));
      }
      for (let t = 0; t < takers.length; t++) {
        const places: OrderInput[] = Array.from({ length: TAKER_ORDERS_PER_BATCH }, (_, i) => {
          const s = series[(i + t * 7 + r * 3) % series.length]!;
          const buy = (i + t) % 2 === 0;
          return { seriesId: s.id, side: buy ? ("buy" as const) : ("sell" as const), priceTicks: buy ? s.midTicks + 40n : s.midTicks - 40n, sizeContracts: 1n, timeInForce: "ioc" as const };
        });
        takerTxs[t]!.push(await sign(takers[t]!, [msgs.batch({ owner: takers[t]!.address, places })], BIG_FEE));
      }
    }
    const sentAt = new Map<string, number>();
    const t0 = performance.now();
    const sent = await broadcastAll(urls, [...makerTxs, ...takerTxs], sentAt);
    const batchHashes = [...sentAt.keys()];
    await waitCommitted(watcher.seen, batchHashes, 120_000);
    const done = batchHashes.filter((h) => watcher!.seen.has(h));
    const lastMs = Math.max(...done.map((h) => watcher!.seen.get(h)!.atMs));
    let placed = 0;
    let cancelled = 0;
    let fills = 0;
    let failedTxs = 0;
    const takerLatencies: number[] = [];
    const takerHashes = new Set(takerTxs.flat().map(hashOf));
    for (const h of done) {
      const { atMs, result } = watcher.seen.get(h)!;
      if (result.code !== 0) failedTxs++;
      placed += countEvents(result, "order_placed");
      cancelled += countEvents(result, "order_cancelled");
      fills += countEvents(result, "order_filled");
      if (takerHashes.has(h) && countEvents(result, "order_filled") > 0) takerLatencies.push(atMs - sentAt.get(h)!);
    }
    const seconds = (lastMs - t0) / 1000;
    const batchFigures = {
      txs: batchHashes.length,
      committedTxs: done.length,
      failedTxs,
      refusedAtCheckTx: sent.refused,
      firstRefusal: sent.firstRefusal ?? null,
      ordersPlaced: placed,
      ordersCancelled: cancelled,
      fills,
      seconds: round(seconds, 2),
      ordersPlacedPerSec: round(placed / seconds),
      orderOpsPerSec: round((placed + cancelled) / seconds),
      takerBroadcastToFillMs: summarize(takerLatencies),
    };

    // ---- 2. single-order txs ----
    const singleTxs: Uint8Array[][] = takers.map(() => []);
    for (let i = 0; i < SINGLE_ORDERS; i++) {
      const t = i % takers.length;
      const s = series[i % series.length]!;
      const buy = i % 2 === 0;
      const order: OrderInput = { seriesId: s.id, side: buy ? "buy" : "sell", priceTicks: buy ? s.midTicks + 40n : s.midTicks - 40n, sizeContracts: 1n, timeInForce: "ioc" };
      singleTxs[t]!.push(await sign(takers[t]!, [msgs.placeOrder({ owner: takers[t]!.address, order })]));
    }
    // Fresh quotes to take from.
    const requote = await Promise.all(
      makers.map(async (mk, m) => [await sign(mk, [msgs.batch({ owner: mk.address, cancels: makerLadder(m, ROUNDS - 1).map((o) => ({ clientId: o.clientId! })), places: makerLadder(m, ROUNDS) })], BIG_FEE)]),
    );
    const requoteSent = new Map<string, number>();
    await broadcastAll(urls, requote, requoteSent);
    await waitCommitted(watcher.seen, [...requoteSent.keys()], 60_000);
    const singleSent = new Map<string, number>();
    const s0 = performance.now();
    const singleRefused = await broadcastAll(urls, singleTxs, singleSent);
    const singleHashes = [...singleSent.keys()];
    await waitCommitted(watcher.seen, singleHashes, 120_000);
    const singleDone = singleHashes.filter((h) => watcher!.seen.has(h));
    const singleLast = Math.max(...singleDone.map((h) => watcher!.seen.get(h)!.atMs));
    const singleLatencies = singleDone.filter((h) => countEvents(watcher!.seen.get(h)!.result, "order_filled") > 0).map((h) => watcher!.seen.get(h)!.atMs - singleSent.get(h)!);
    const singleFigures = {
      txs: singleHashes.length,
      committed: singleDone.length,
      refusedAtCheckTx: singleRefused.refused,
      withFills: singleLatencies.length,
      ordersPerSec: round(singleDone.length / ((singleLast - s0) / 1000), 1),
      broadcastToFillMs: summarize(singleLatencies),
    };
    return {
      setup: { validators: 4, makers: MAKERS, takers: TAKERS, series: SERIES, makerOrdersPerBatch: SERIES * LEVELS * 2, takerOrdersPerBatch: TAKER_ORDERS_PER_BATCH, rounds: ROUNDS },
      batch: batchFigures,
      single: singleFigures,
      ordersPerSignatureRatio: round(batchFigures.ordersPlacedPerSec / Math.max(singleFigures.ordersPerSec, 1), 1),
      targetOrdersPerSec: 20_000,
      meetsTarget: batchFigures.ordersPlacedPerSec >= 20_000,
    };
  } finally {
    watcher?.close();
    vanna?.disconnect();
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
