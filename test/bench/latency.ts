/**
 * Time from broadcast_tx_sync to the tx being findable with `tx`, median and p99, on the real `vanna dev`
 * binary (dist/node/cli/main.js) with --block-time 1s (the default) and 200ms. With the consensus engine,
 * --block-time is the interval of empty blocks and txs are proposed at once, so it matters mostly for a tx
 * that reaches an idle chain. TXS MsgSends, signed offline, go out at a modest, steady rate; each is then
 * polled with `tx` (base64 hash) every POLL_MS until found. A few warm-up txs go first and are not counted.
 *
 * Each tx comes from its own account (funded by dev0 in one multi-message tx first, sequence 0), so a tx that
 * the node accepts and then loses cannot make the same account's later txs fail: such txs are counted
 * (rejected / failedInBlock / lostAfterAccepted) instead of aborting the run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { freePort, removeHome, rpc, tempHome } from "../support/nodeProcess.js";
import { StargateClient } from "@cosmjs/stargate";
import { devSigners, msgSend, msSince, nowNs, round, signMsgs, signSend, sleep, summarize, type DevSigner } from "./harness.js";

const TXS = Number(process.env.VANNA_BENCH_LATENCY_TXS ?? 100);
const WARMUP_TXS = 10;
/** One tx every SEND_INTERVAL_MS (10 tx/s): far below capacity, so latency is block time plus overheads. */
const SEND_INTERVAL_MS = 100;
const POLL_MS = 20;
const BLOCK_TIMES = [
  { label: "1s", ms: 1000 },
  { label: "200ms", ms: 200 },
] as const;

/**
 * The built binary, relative to this file's compiled location (dist/test/bench). test/support/nodeProcess.ts
 * resolves "../../dist/node/cli/main.js", right from the TypeScript sources vitest runs but not from dist/.
 */
const VANNA_BIN = resolve(import.meta.dirname, "../../node/cli/main.js");

interface DevNode {
  rpcUrl: string;
  /** The tail of the node's stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `vanna dev` on a fresh home and waits for its first block. */
async function startDevNode(home: string, blockTime: string): Promise<DevNode> {
  const port = await freePort();
  const args = [VANNA_BIN, "dev", "--home", home, "--rpc-port", String(port), "--block-time", blockTime];
  const proc: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const killOnExit = () => proc.kill("SIGKILL");
  process.once("exit", killOnExit);
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  proc.stderr!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((res) => proc.once("exit", () => res()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
    const forceKill = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(forceKill);
    process.removeListener("exit", killOnExit);
  };
  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vanna dev exited with ${proc.exitCode}:\n${out}`);
    try {
      const status = await rpc<{ sync_info: { latest_block_height: string } }>(rpcUrl, "status");
      if (Number(status.sync_info.latest_block_height) >= 1) return { rpcUrl, output: () => out, stop };
    } catch {
      // not serving yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`vanna dev produced no block within 30 s:\n${out}`);
    }
    await sleep(100);
  }
}

interface TxTiming {
  outcome: "ok" | "rejected" | "failedInBlock" | "lost";
  latencyMs: number;
  broadcastMs: number;
  polls: number;
  height: number;
}

interface BroadcastResult {
  code: number;
  log: string;
  hash: string;
}

interface TxResponse {
  height: string;
  tx_result: { code: number; log: string };
}

/**
 * Broadcasts one tx and polls `tx` until it is found; latency counts from just before the broadcast. A tx
 * that broadcast_tx_sync accepted but that is not found within lostAfterMs is "lost" (evicted from the
 * mempool without being included).
 */
async function sendAndWait(node: DevNode, tx: Uint8Array, lostAfterMs: number): Promise<TxTiming> {
  const hash = createHash("sha256").update(tx).digest();
  const start = nowNs();
  const res = await rpc<BroadcastResult>(node.rpcUrl, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
  const broadcastMs = msSince(start);
  const timing = (outcome: TxTiming["outcome"], polls: number, height = 0): TxTiming => ({ outcome, latencyMs: msSince(start), broadcastMs, polls, height });
  if (res.code !== 0) return timing("rejected", 0);
  if (res.hash.toUpperCase() !== hash.toString("hex").toUpperCase()) throw new Error(`broadcast returned hash ${res.hash}, expected ${hash.toString("hex")}`);
  const hashB64 = hash.toString("base64");
  for (let polls = 1; ; polls++) {
    try {
      const found = await rpc<TxResponse>(node.rpcUrl, "tx", { hash: hashB64 });
      return timing(found.tx_result.code === 0 ? "ok" : "failedInBlock", polls, Number(found.height));
    } catch (err) {
      if (!(err instanceof Error && err.message.includes("not found"))) throw err;
    }
    if (msSince(start) > lostAfterMs) return timing("lost", polls);
    await sleep(POLL_MS);
  }
}

/** Sends one tx every SEND_INTERVAL_MS (each from its own account); each tx's wait overlaps later sends. */
async function sendAtRate(node: DevNode, txs: readonly Uint8Array[], lostAfterMs: number): Promise<TxTiming[]> {
  const pending: Array<Promise<TxTiming>> = [];
  const t0 = performance.now();
  for (let i = 0; i < txs.length; i++) {
    const wait = t0 + i * SEND_INTERVAL_MS - performance.now();
    if (wait > 0) await sleep(wait);
    const timing = sendAndWait(node, txs[i]!, lostAfterMs);
    timing.catch(() => undefined); // observed by Promise.all below; not an unhandled rejection meanwhile
    pending.push(timing);
  }
  return Promise.all(pending);
}

/**
 * Funds the senders from dev0 in one multi-message tx and returns them with their on-chain account numbers.
 * Each measured tx comes from its own fresh account (sequence 0), so one tx's fate cannot affect another's.
 */
async function fundSenders(node: DevNode, chainId: string, dev0: DevSigner, senders: readonly DevSigner[]): Promise<DevSigner[]> {
  const gas = 200_000 + 50_000 * senders.length;
  const fee = { amount: [{ denom: "uvanna", amount: String(Math.ceil(gas * 0.0025)) }], gas: String(gas) };
  const coins = [
    { denom: "uusdc", amount: "1000" },
    { denom: "uvanna", amount: "100000" },
  ];
  const tx = await signMsgs(dev0, senders.map((s) => msgSend(dev0.address, s.address, coins)), 0, chainId, fee);
  const funded = await sendAndWait(node, tx, 30_000);
  if (funded.outcome !== "ok") throw new Error(`funding tx ${funded.outcome}`);
  const client = await StargateClient.connect(node.rpcUrl);
  try {
    const out: DevSigner[] = [];
    for (const s of senders) {
      const account = await client.getAccount(s.address);
      if (account === null) throw new Error(`funded account ${s.address} not found`);
      out.push({ ...s, accountNumber: BigInt(account.accountNumber) });
    }
    return out;
  } finally {
    client.disconnect();
  }
}

async function measure(dev0: DevSigner, fresh: readonly DevSigner[], blockTime: { label: string; ms: number }): Promise<Record<string, unknown>> {
  const home = tempHome("vanna-bench-latency-");
  let node: DevNode | undefined;
  // If the bench process is made to exit (time limit), still remove the home (after the node was killed).
  const removeOnExit = () => removeHome(home);
  try {
    node = await startDevNode(home, blockTime.label);
    process.once("exit", removeOnExit);
    const status = await rpc<{ node_info: { network: string } }>(node.rpcUrl, "status");
    const chainId = status.node_info.network;
    const senders = await fundSenders(node, chainId, dev0, fresh);
    const txs: Uint8Array[] = [];
    for (const s of senders) txs.push(await signSend(s, dev0.address, { denom: "uusdc", amount: "1" }, 0, chainId));
    const lostAfterMs = Math.max(5_000, 10 * blockTime.ms);
    await sendAtRate(node, txs.slice(0, WARMUP_TXS), lostAfterMs);
    const start = nowNs();
    const timings = await sendAtRate(node, txs.slice(WARMUP_TXS), lostAfterMs);
    const wallMs = msSince(start);
    const ok = timings.filter((t) => t.outcome === "ok");
    const count = (outcome: TxTiming["outcome"]) => timings.filter((t) => t.outcome === outcome).length;
    const problems = { rejected: count("rejected"), failedInBlock: count("failedInBlock"), lostAfterAccepted: count("lost") };
    if (ok.length < timings.length / 2) {
      throw new Error(`only ${ok.length} of ${timings.length} txs were included successfully: ${JSON.stringify(problems)}`);
    }
    const lost = problems.rejected + problems.failedInBlock + problems.lostAfterAccepted;
    const latency = summarize(ok.map((t) => t.latencyMs), 1);
    const broadcast = summarize(ok.map((t) => t.broadcastMs), 1);
    return {
      latencyMedianMs: latency.median,
      latencyP99Ms: latency.p99,
      latencyMaxMs: latency.max,
      latencyMinMs: latency.min,
      latencyMeanMs: latency.mean,
      broadcastSyncMedianMs: broadcast.median,
      broadcastSyncP99Ms: broadcast.p99,
      txsMeasured: ok.length,
      ...problems,
      blocksUsed: new Set(ok.map((t) => t.height)).size,
      pollsPerTxMedian: summarize(ok.map((t) => t.polls), 0).median,
      wallMs: round(wallMs, 0),
      ...(lost > 0 ? { warning: `${lost} of ${timings.length} txs were not included successfully (rejected, failedInBlock, lostAfterAccepted: accepted by broadcast_tx_sync, then dropped)` } : {}),
    };
  } catch (err) {
    const log = node?.output().split("\n").slice(-40).join("\n") ?? "";
    throw new Error(`${blockTime.label} blocks: ${err instanceof Error ? err.message : String(err)}\n--- node log tail ---\n${log}`, { cause: err });
  } finally {
    await node?.stop();
    process.removeListener("exit", removeOnExit);
    removeHome(home);
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const [dev0] = await devSigners(1);
  // Fresh senders: HD indexes 100.. of the dev mnemonic, funded on each chain by dev0.
  const fresh = await devSigners(WARMUP_TXS + TXS, 100);
  const out: Record<string, unknown> = {
    txs: TXS,
    sendRatePerSec: 1000 / SEND_INTERVAL_MS,
    pollIntervalMs: POLL_MS,
  };
  for (const blockTime of BLOCK_TIMES) out[`blockTime${blockTime.label}`] = await measure(dev0!, fresh, blockTime);
  return out;
}
