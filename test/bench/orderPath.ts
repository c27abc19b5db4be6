/**
 * The order path inside block execution: what one order costs a validator in finalizeBlock (DeliverTx through
 * the ante chain, the clob, margin and subaccounts), measured on an in-process app with the real modules.
 *
 * Genesis funds 4 market makers and 4 takers (dev accounts); oracle prices and smiles arrive as vote extensions
 * of 4 validators in lastCommitVotes, so the options module lists its series by itself. Each maker deposits and
 * quotes 500 post-only orders (bids and asks over the liquid BTC series, 3 contracts each) in one MsgBatch; each
 * taker sends a MsgBatch of 250 crossing IOC orders (buys and sells alternating, so positions stay flat).
 *
 * Blocks of one kind each isolate a cost: "adds" (makers' 4 × 500 resting orders), "fills" (takers' 4 × 250
 * crossing orders, each filling 1 contract of a maker), "cancels" (makers' 4 × 500 cancels by client id), and
 * "steady" (cancel-and-replace of every quote plus the taker flow, as market makers do each block). Per-order
 * cost = (block time − an empty block's time) / orders, medians over the rounds. Rounds alternate between
 * signatures verified in the block (nobody saw the tx before) and excluded (CheckTx verified them first and the
 * signature cache spares DeliverTx, as on a validator whose mempool received the tx).
 *
 * Peer, in the same run: the same order stream through the bare OrderBook engine (one book per series, no
 * state, no fees, no margin): the ratio says how much the chain adds around matching.
 */
import { makeCosmoshubPath } from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { DirectSecp256k1Wallet, type EncodeObject } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { createVannaApp, readLiveExpiries } from "../../modules/app.js";
import { OrderBook, type PlaceOrder } from "../../modules/clob/orderbook/index.js";
import { OPTIONS_QUERY_SERVICE } from "../../modules/options/index.js";
import { createOracleVoteExtensionHandler, readOracleParams, type Observation, type ObservationSource } from "../../modules/oracle/index.js";
import type { CommitVote } from "../../src/app/application.js";
import type { BaseApp } from "../../src/app/baseApp.js";
import { buildAppState, devFunding } from "../../node/config/appState.js";
import { DEV_MNEMONIC } from "../../node/config/devAccounts.js";
import { ClobCodec, OptionsCodec } from "../../node/client/wire.js";
import { createVannaRegistry } from "../../node/client/registry.js";
import { msgs, orderSpec, usdc, type OrderInput } from "../../node/client/msgs.js";
import { header } from "../support/devChain.js";
import { collectGarbage, median, msSince, nowNs, round } from "./harness.js";

const CHAIN_ID = "vanna-bench-orders";
const GENESIS_NS = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
const BLOCK_NS = 333_000_000n; // ~3 blocks a second
const MAKERS = 4;
const TAKERS = 4;
const QUOTES_PER_SIDE = 250;
const MAKER_SIZE = 3n;
const TAKER_ORDERS = 250;
const MAX_SERIES = 50;
const ROUNDS = Number(process.env.VANNA_BENCH_ORDER_ROUNDS ?? 6);
const BTC_MICRO_USD = 100_000_000_000n;
const TICK_MICRO_USDC = 10_000n;
const FEE = { amount: [{ denom: "uvanna", amount: "1000" }], gas: "90000000" };

interface Trader {
  address: string;
  accountNumber: bigint;
  sequence: number;
  client: SigningStargateClient;
}

async function traders(count: number): Promise<Trader[]> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(DEV_MNEMONIC));
  const out: Trader[] = [];
  for (let i = 0; i < count; i++) {
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(i));
    const wallet = await DirectSecp256k1Wallet.fromKey(privkey, "vanna");
    const [account] = await wallet.getAccounts();
    out.push({ address: account!.address, accountNumber: BigInt(i), sequence: 0, client: await SigningStargateClient.offline(wallet, { registry: createVannaRegistry() }) });
  }
  return out;
}

async function sign(t: Trader, m: EncodeObject[]): Promise<Uint8Array> {
  const raw = await t.client.sign(t.address, m, FEE, "", { accountNumber: t.accountNumber, sequence: t.sequence++, chainId: CHAIN_ID });
  return TxRaw.encode(raw).finish();
}

/** Every validator's feeder: BTC and ETH spots and a flat 60% smile for every listed expiry. */
const feeder: ObservationSource = {
  name: "bench",
  observe(req): Observation {
    const smiles = [];
    for (const [underlying, expiries] of req.expiries ?? new Map<string, readonly bigint[]>()) {
      for (const expiryUnixS of expiries.slice(0, req.maxExpiries)) smiles.push({ underlying, expiryUnixS, atmVolPpm: 600_000n, skewPpm: 0n, curvaturePpm: 0n });
    }
    return { spots: [{ underlying: "BTC", priceMicroUsd: BTC_MICRO_USD }, { underlying: "ETH", priceMicroUsd: 3_000_000_000n }], smiles };
  },
};

class Chain {
  readonly app: BaseApp;
  private timeNs = GENESIS_NS;

  constructor(addresses: string[]) {
    this.app = createVannaApp({ chainId: CHAIN_ID, minGasPrices: [] });
    this.app.initChain({ chainId: CHAIN_ID, genesisTimeNs: GENESIS_NS, initialHeight: 1n, appState: buildAppState(devFunding(addresses)), validators: [] });
    this.app.commit();
  }

  /** The 4 validators' extensions for the block after the last one (as their nodes would make them). */
  votes(): CommitVote[] {
    const app = this.app;
    const handler = createOracleVoteExtensionHandler({ source: feeder, params: () => readOracleParams(app), expiries: () => readLiveExpiries(app, ["BTC", "ETH"]) });
    const height = app.info().lastBlockHeight;
    if (height === 0n) return [];
    const extension = handler.extend({ height, round: 0, blockHash: new Uint8Array(32) });
    return [0, 1, 2, 3].map((i) => ({ validatorAddress: new Uint8Array(20).fill(i + 1), votingPower: 10n, signed: true, extension }));
  }

  /** Runs one block; returns finalizeBlock and commit times (ms) and the results. */
  block(txs: Uint8Array[], opts: { preCheck?: boolean } = {}) {
    if (opts.preCheck === true) for (const tx of txs) this.app.checkTx(tx, "new");
    const votes = this.votes();
    this.timeNs += BLOCK_NS;
    const height = this.app.info().lastBlockHeight + 1n;
    const start = nowNs();
    const result = this.app.finalizeBlock({ header: header(height, this.timeNs, CHAIN_ID), txs, lastCommitVotes: votes });
    const finalizeMs = msSince(start);
    const c = nowNs();
    this.app.commit();
    const commitMs = msSince(c);
    for (const r of result.txResults) if (r.code !== 0) throw new Error(`bench tx failed: ${r.codespace} ${r.code} ${r.log}`);
    return { result, finalizeMs, commitMs };
  }

  query<Req, Res>(path: string, req: { encode(v: Req): Uint8Array }, res: { decode(b: Uint8Array): Res }, value: Req): Res {
    const r = this.app.query({ path: `${OPTIONS_QUERY_SERVICE}/${path}`, data: req.encode(value), height: 0n, prove: false });
    if (r.code !== 0) throw new Error(`query ${path}: ${r.log}`);
    return res.decode(r.value);
  }
}

interface Quote {
  seriesId: bigint;
  midTicks: bigint;
}

/** The liquid BTC series (mark ≥ 100 ticks) of the nearest expiries, up to MAX_SERIES, with their mid in ticks. */
function liquidSeries(chain: Chain): Quote[] {
  const expiries = readLiveExpiries(chain.app, ["BTC"]).get("BTC") ?? [];
  const out: Quote[] = [];
  for (const expiryUnixS of expiries) {
    const marks = chain.query("Marks", OptionsCodec.QueryMarksRequest, OptionsCodec.QueryMarksResponse, { underlying: "BTC", expiryUnixS });
    for (const m of marks.marks) {
      const midTicks = BigInt(m.markMicroUsdcPerContract) / TICK_MICRO_USDC;
      if (midTicks >= 100n && out.length < MAX_SERIES) out.push({ seriesId: m.seriesId, midTicks });
    }
  }
  if (out.length < 10) throw new Error(`only ${out.length} liquid series listed`);
  return out;
}

/** Maker m's 500 quotes: bids at mid−1−j, asks at mid+1+j over every series; client ids 1..500. */
function quotes(series: Quote[]): OrderInput[] {
  const perSeries = Math.ceil(QUOTES_PER_SIDE / series.length);
  const out: OrderInput[] = [];
  for (const side of ["buy", "sell"] as const) {
    for (let k = 0; k < QUOTES_PER_SIDE; k++) {
      const s = series[k % series.length]!;
      const j = BigInt(Math.floor(k / series.length) % perSeries);
      const priceTicks = side === "buy" ? s.midTicks - 1n - j : s.midTicks + 1n + j;
      out.push({ seriesId: s.seriesId, side, priceTicks, sizeContracts: MAKER_SIZE, postOnly: true, clientId: BigInt(out.length + 1) });
    }
  }
  return out;
}

/** Taker t's crossing IOC orders: alternately buy through the asks and sell through the bids, 1 contract each. */
function takerOrders(series: Quote[], t: number): OrderInput[] {
  return Array.from({ length: TAKER_ORDERS }, (_, k) => {
    const s = series[(Math.floor(k / 2) + t * 7) % series.length]!;
    const buy = k % 2 === 0;
    return { seriesId: s.seriesId, side: buy ? "buy" : "sell", priceTicks: buy ? s.midTicks + 3n : s.midTicks - 3n, sizeContracts: 1n, timeInForce: "ioc" };
  });
}

const batchMsg = (t: Trader, cancels: bigint[], places: OrderInput[]): EncodeObject => ({
  typeUrl: ClobCodec.MsgBatch.typeUrl,
  value: { owner: t.address, subaccountNumber: 0, cancels: cancels.map((clientId) => ({ orderId: 0n, clientId })), places: places.map(orderSpec) },
});

/** The same stream on bare engine books (one per series): adds, fills, cancels; returns ms per phase. */
function enginePeer(series: Quote[], makerQuotes: OrderInput[], takers: OrderInput[][], rounds: number) {
  const adds: number[] = [];
  const fills: number[] = [];
  const cancels: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const books = new Map(series.map((s) => [s.seriesId, new OrderBook()]));
    let nextId = 1n;
    const addOps: Array<[OrderBook, PlaceOrder]> = [];
    for (let m = 0; m < MAKERS; m++) {
      for (const q of makerQuotes) addOps.push([books.get(q.seriesId)!, { orderId: nextId++, owner: `m${m}`, side: q.side, priceTicks: q.priceTicks, sizeContracts: q.sizeContracts, postOnly: true }]);
    }
    const takeOps: Array<[OrderBook, PlaceOrder]> = [];
    for (let t = 0; t < TAKERS; t++) {
      for (const o of takers[t]!) takeOps.push([books.get(o.seriesId)!, { orderId: nextId++, owner: `t${t}`, side: o.side, priceTicks: o.priceTicks, sizeContracts: o.sizeContracts, timeInForce: "IOC" }]);
    }
    let start = nowNs();
    for (const [book, o] of addOps) book.place(o);
    const a = msSince(start);
    start = nowNs();
    for (const [book, o] of takeOps) book.place(o);
    const f = msSince(start);
    start = nowNs();
    for (const [book, o] of addOps) book.cancel(o.orderId);
    const c = msSince(start);
    if (r >= 2) {
      adds.push(a);
      fills.push(f);
      cancels.push(c);
    }
  }
  const per = (ms: number[], n: number) => round((median(ms) * 1000) / n, 3);
  return { addUs: per(adds, MAKERS * makerQuotes.length), fillUs: per(fills, TAKERS * TAKER_ORDERS), cancelUs: per(cancels, MAKERS * makerQuotes.length) };
}

export async function run(): Promise<Record<string, unknown>> {
  const all = await traders(MAKERS + TAKERS);
  const makers = all.slice(0, MAKERS);
  const takers = all.slice(MAKERS);
  const chain = new Chain(all.map((t) => t.address));
  chain.block([]); // block 1: no last commit yet
  chain.block([]); // block 2: spots arrive, series get listed
  chain.block([]); // block 3: smiles for the listed expiries arrive: marks
  const series = liquidSeries(chain);
  chain.block(await Promise.all(all.map((t) => sign(t, [msgs.deposit({ sender: t.address, subaccountNumber: 0, amount: usdc(900_000_000_000n) })]))));
  const makerQuotes = quotes(series);
  const takerFlow = takers.map((_, t) => takerOrders(series, t));
  const clientIds = makerQuotes.map((q) => q.clientId!);

  const addsTxs = () => Promise.all(makers.map((t) => sign(t, [batchMsg(t, [], makerQuotes)])));
  const cancelTxs = () => Promise.all(makers.map((t) => sign(t, [batchMsg(t, clientIds, [])])));
  const fillTxs = () => Promise.all(takers.map((t, i) => sign(t, [batchMsg(t, [], takerFlow[i]!)])));
  // Cancel-and-replace in one tx of two batches (a batch holds at most max_batch_orders = 500 items): bids, asks.
  const half = QUOTES_PER_SIDE;
  const replace = (t: Trader) => [batchMsg(t, clientIds.slice(0, half), makerQuotes.slice(0, half)), batchMsg(t, clientIds.slice(half), makerQuotes.slice(half))];
  const steadyTxs = async () => [...(await Promise.all(makers.map((t) => sign(t, replace(t))))), ...(await fillTxs())];

  const phases = { empty: [[], []], adds: [[], []], fills: [[], []], cancels: [[], []], steady: [[], []], commit: [[], []] } as Record<string, [number[], number[]]>;
  const gas = { adds: 0n, fills: 0n, cancels: 0n };
  let fillsSeen = 0;
  for (let r = 0; r < ROUNDS + 2; r++) {
    const sigsExcluded = r % 2 === 1;
    const record = r >= 2; // two warm-up rounds
    // Signed in execution order (sequences).
    const [a, f, c, a2, s, s2] = [await addsTxs(), await fillTxs(), await cancelTxs(), await addsTxs(), await steadyTxs(), await cancelTxs()];
    collectGarbage();
    const empty = chain.block([], { preCheck: sigsExcluded });
    const adds = chain.block(a, { preCheck: sigsExcluded });
    const fills = chain.block(f, { preCheck: sigsExcluded });
    const cancels = chain.block(c, { preCheck: sigsExcluded });
    chain.block(a2, { preCheck: true });
    const steady = chain.block(s, { preCheck: sigsExcluded });
    chain.block(s2, { preCheck: true });
    if (!record) continue;
    const i = sigsExcluded ? 1 : 0;
    phases.empty![i].push(empty.finalizeMs);
    phases.adds![i].push(adds.finalizeMs - empty.finalizeMs);
    phases.fills![i].push(fills.finalizeMs - empty.finalizeMs);
    phases.cancels![i].push(cancels.finalizeMs - empty.finalizeMs);
    phases.steady![i].push(steady.finalizeMs - empty.finalizeMs);
    phases.commit![i].push(steady.commitMs);
    gas.adds = adds.result.txResults.reduce((x, t) => x + t.gasUsed, 0n);
    gas.fills = fills.result.txResults.reduce((x, t) => x + t.gasUsed, 0n);
    gas.cancels = cancels.result.txResults.reduce((x, t) => x + t.gasUsed, 0n);
    fillsSeen = fills.result.txResults.reduce((x, t) => x + t.events.filter((e) => e.type === "order_filled").length, 0);
  }
  const nAdds = MAKERS * makerQuotes.length;
  const nFills = TAKERS * TAKER_ORDERS;
  const nSteady = 2 * nAdds + nFills;
  const us = (ms: number[], n: number) => round((median(ms) * 1000) / n, 1);
  const perOrder = (i: 0 | 1) => ({
    restingAddUs: us(phases.adds![i], nAdds),
    crossingFillUs: us(phases.fills![i], nFills),
    cancelUs: us(phases.cancels![i], nAdds),
    steadyMixUs: us(phases.steady![i], nSteady),
  });
  const excluded = perOrder(1);
  const included = perOrder(0);
  const peer = enginePeer(series, makerQuotes, takerFlow, 5);
  const steadyOrdersPerSecPerCore = Math.round(1e6 / excluded.steadyMixUs);
  return {
    series: series.length,
    ordersPerBlock: { adds: nAdds, fills: nFills, cancels: nAdds, steady: nSteady },
    fillsPerFillBlock: fillsSeen,
    emptyBlockMs: round(median(phases.empty![1]), 2),
    steadyCommitMs: round(median(phases.commit![1]), 2),
    sigsExcludedUsPerOrder: excluded,
    sigsIncludedUsPerOrder: included,
    steadyOrdersPerSecPerCore,
    gasPerOrder: { restingAdd: Number(gas.adds) / nAdds, crossingFill: Number(gas.fills) / nFills, cancel: Number(gas.cancels) / nAdds },
    engineOnlyUsPerOrder: peer,
    ratioToEngine: {
      restingAdd: round(excluded.restingAddUs / peer.addUs, 0),
      crossingFill: round(excluded.crossingFillUs / peer.fillUs, 0),
      cancel: round(excluded.cancelUs / peer.cancelUs, 0),
    },
    targetUsPerOrder: 20,
    meetsTarget: excluded.steadyMixUs <= 20,
  };
}

// Standalone: node dist/test/bench/orderPath.js
if (import.meta.url === `file://${process.argv[1]}`) {
  run().then(
    (figures) => console.log(JSON.stringify(figures, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
