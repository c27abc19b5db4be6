/**
 * Consensus benchmarks on a real 4-validator testnet (4 processes, libp2p, LevelDB) on this machine:
 * - latency from broadcast_tx_sync to commit (the Tx event on the node's WebSocket) with no load;
 * - committed txs per second under offered loads, whether every node keeps up, and latency under load;
 * - CPU time and resident memory of each node process.
 * Txs are signed before each run, so signing costs nothing during the measurement.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { createHash } from "node:crypto";
import { createTestnet } from "../../testnet/layout.js";
import { startTestnet, type RunningTestnet } from "../../testnet/launch.js";
import { devAccounts } from "../../node/config/devAccounts.js";
import { devFunding } from "../../node/config/appState.js";
import { devSigners, round, signSend, sleep, summarize, type DevSigner } from "./harness.js";

const CHAIN_ID = "vanna-bench-1";

async function rpc<T>(url: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  let res: Response | undefined;
  // A keep-alive socket the server has just closed fails once; retry on a fresh one.
  for (let attempt = 0; res === undefined; attempt++) {
    try {
      res = await fetch(url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(50);
    }
  }
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

async function height(url: string): Promise<number> {
  return Number((await rpc<{ sync_info: { latest_block_height: string } }>(url, "status")).sync_info.latest_block_height);
}

/** Commit times of txs (by uppercase hex hash), from the node's Tx events. */
function watchCommits(wsUrl: string): Promise<{ commits: Map<string, number>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/websocket`);
    const commits = new Map<string, number>();
    ws.on("open", () => {
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='Tx'" } }));
      resolve({ commits, close: () => ws.close() });
    });
    ws.on("error", reject);
    ws.on("message", (data) => {
      const now = performance.now();
      const msg = JSON.parse(data.toString()) as { result?: { data?: { value?: { TxResult?: { tx: string } } } } };
      const tx = msg.result?.data?.value?.TxResult?.tx;
      if (tx !== undefined) commits.set(createHash("sha256").update(Buffer.from(tx, "base64")).digest("hex").toUpperCase(), now);
    });
  });
}

function hashOf(tx: Uint8Array): string {
  return createHash("sha256").update(tx).digest("hex").toUpperCase();
}

/** CPU seconds (user + system) and resident MB of a process, from /proc. */
function procStats(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssMb: round(rssKb / 1024, 1) };
}

async function signBatch(signers: DevSigner[], seqs: number[], perSigner: number, to: string): Promise<Uint8Array[][]> {
  const out: Uint8Array[][] = signers.map(() => []);
  for (let round_ = 0; round_ < perSigner; round_++) {
    for (let i = 0; i < signers.length; i++) {
      out[i]!.push(await signSend(signers[i]!, to, { denom: "uusdc", amount: "1" }, seqs[i]!, CHAIN_ID));
      seqs[i]!++;
    }
  }
  return out;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "vanna-bench-testnet-"));
  const accounts = await devAccounts();
  const layout = createTestnet({
    dir,
    chainId: CHAIN_ID,
    validators: 4,
    fullNodes: 0,
    basePort: 38600,
    accounts: devFunding(accounts.map((a) => a.address)),
    configure: (c) => {
      c.consensus.blockTimeMs = 1000;
      c.mempool.maxTxs = 20_000;
    },
  });
  let net: RunningTestnet | undefined;
  try {
    net = startTestnet(layout);
    const urls = net.nodes.map((n) => n.rpcUrl);
    for (const url of urls) {
      for (let i = 0; ; i++) {
        try {
          if ((await height(url)) >= 2) break;
        } catch {
          // not up yet
        }
        if (i > 600) throw new Error(`node ${url} did not start`);
        await sleep(100);
      }
    }
    const signers = await devSigners(10);
    const seqs = signers.map(() => 0);
    const sink = accounts[9]!.address;
    const watcher = await watchCommits(urls[0]!.replace("http", "ws"));

    // 1. Latency with no load: one tx at a time, 60 txs, spread over time so each meets an idle chain.
    const idleTxs = (await signBatch(signers.slice(0, 3), seqs, 20, sink)).flat();
    const idleLatencies: number[] = [];
    for (const tx of idleTxs) {
      const sent = performance.now();
      const res = await rpc<{ code: number; log: string }>(urls[0]!, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
      if (res.code !== 0) throw new Error(`tx refused: ${res.log}`);
      const h = hashOf(tx);
      while (!watcher.commits.has(h)) await sleep(2);
      idleLatencies.push(watcher.commits.get(h)! - sent);
      await sleep(150);
    }

    // 2. Throughput: offered loads spread over the 4 nodes' RPC; committed rate over the window.
    const loads: Array<Record<string, unknown>> = [];
    for (const offered of [200, 500, 1000]) {
      const durationS = 8;
      const perSigner = Math.ceil((offered * durationS) / signers.length);
      const batches = await signBatch(signers, seqs, perSigner, sink);
      // Interleave senders so every block mixes accounts; each sender's txs stay in sequence order.
      const txs: Uint8Array[] = [];
      for (let r = 0; r < perSigner; r++) for (const b of batches) txs.push(b[r]!);
      const startHeight = await height(urls[0]!);
      const t0 = performance.now();
      const t0Wall = Date.now();
      // Wall-clock send times: commit times come from block headers (BFT time from the validators' clocks,
      // the same clock on this machine), which survives a flood that a WebSocket consumer might not.
      const sentAt = new Map<string, number>();
      let refused = 0;
      let firstRefusal: string | undefined;
      // Each sender's txs must reach CheckTx in sequence order: one request at a time per sender, senders in
      // parallel (concurrent HTTP requests may overtake each other).
      const chains: Promise<void>[] = signers.map(() => Promise.resolve());
      for (let i = 0; i < txs.length; i++) {
        const due = t0 + (i * 1000) / offered;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        const tx = txs[i]!;
        const sender = i % signers.length;
        const url = urls[sender % urls.length]!;
        chains[sender] = chains[sender]!.then(async () => {
          sentAt.set(hashOf(tx), Date.now());
          try {
            const r = await rpc<{ code: number; log: string }>(url, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
            if (r.code !== 0) {
              refused++;
              firstRefusal ??= r.log;
            }
          } catch (err) {
            refused++;
            firstRefusal ??= (err as Error).message;
          }
        });
      }
      await Promise.all(chains);
      const sendEnd = performance.now();
      // Drain: wait until every node's mempool is empty (or 30 s pass), then read the blocks.
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        const pending = await Promise.all(urls.map((u) => rpc<{ n_txs: string }>(u, "num_unconfirmed_txs").then((r) => Number(r.n_txs))));
        if (pending.every((n) => n === 0)) break;
        await sleep(200);
      }
      const heights = await Promise.all(urls.map(height));
      // Block h is committed at about the BFT time of block h+1 (the median of the precommits for h).
      const commitTimeMs = new Map<string, number>();
      const blockAt = (h: number) => rpc<{ block: { header: { time: string }; data: { txs: string[] | null } } }>(urls[0]!, "block", { height: String(h) });
      let current = await blockAt(startHeight + 1);
      for (let h = startHeight + 1; h < heights[0]!; h++) {
        const next = await blockAt(h + 1);
        const timeMs = Date.parse(next.block.header.time.replace(/\.(\d{3})\d*Z$/, ".$1Z"));
        for (const tx of current.block.data.txs ?? []) commitTimeMs.set(createHash("sha256").update(Buffer.from(tx, "base64")).digest("hex").toUpperCase(), timeMs);
        current = next;
      }
      const committed = [...sentAt].filter(([h]) => commitTimeMs.has(h));
      const lastCommit = committed.length === 0 ? performance.now() : t0 + (Math.max(...committed.map(([h]) => commitTimeMs.get(h)!)) - t0Wall);
      loads.push({
        offeredTxPerSec: offered,
        sent: txs.length,
        sendSeconds: round((sendEnd - t0) / 1000, 2),
        refusedAtCheckTx: refused,
        firstRefusal: firstRefusal ?? null,
        committed: committed.length,
        committedTxPerSec: round(committed.length / ((lastCommit - t0) / 1000), 0),
        latencyMs: committed.length === 0 ? null : summarize(committed.map(([h, s]) => Math.max(0, commitTimeMs.get(h)! - s))),
        blocks: heights[0]! - startHeight,
        nodeHeights: heights,
        allNodesKeptUp: Math.max(...heights) - Math.min(...heights) <= 2,
      });
    }
    watcher.close();
    const processes = net.nodes.map((n) => ({ moniker: n.moniker, ...procStats(n.pid) }));
    return {
      idleLatencyMs: summarize(idleLatencies),
      targets: { idleMedianMs: 250, idleP99Ms: 1000, sustainedTxPerSec: 1000 },
      loads,
      nodeProcesses: processes,
      finalHeight: await height(urls[0]!),
    };
  } finally {
    await net?.stop();
    if (process.env.VANNA_BENCH_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}
