/**
 * Long-chain benchmarks: a validator produces 10,000 (empty) blocks as fast as consensus allows; its resident
 * memory is sampled on the way (it must not grow with the chain), then a fresh full node joins over libp2p and
 * block-syncs the whole chain: catch-up speed in blocks per second (target at least 200).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestnet } from "../../testnet/layout.js";
import { startTestnet, type RunningTestnet } from "../../testnet/launch.js";
import { devAccounts } from "../../node/config/devAccounts.js";
import { devFunding } from "../../node/config/appState.js";
import { round, sleep } from "./harness.js";

/** 10,000 is the figure; a validator here makes ~20-40 blocks/s (fsyncs per signature), so the default
 * run uses 2,000 to fit the bench time limit; set VANNA_BENCH_CHAIN_BLOCKS=10000 for the full run. */
const TARGET_BLOCKS = Number(process.env.VANNA_BENCH_CHAIN_BLOCKS ?? 2_000);

async function height(url: string): Promise<number> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "status", params: {} }) });
  const body = (await res.json()) as { result: { sync_info: { latest_block_height: string } } };
  return Number(body.result.sync_info.latest_block_height);
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return round(kb / 1024, 1);
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), "vanna-bench-sync-"));
  const accounts = await devAccounts();
  const layout = createTestnet({
    dir,
    chainId: "vanna-bench-sync-1",
    validators: 1,
    fullNodes: 1,
    basePort: 38800,
    accounts: devFunding(accounts.map((a) => a.address)),
    configure: (c) => {
      // Blocks back to back: no wait for txs beyond the 10 ms minimum, no commit pause.
      c.consensus.blockTimeMs = 10;
      c.consensus.commitMs = 0;
    },
  });
  const [validator, full] = layout.nodes;
  let net: RunningTestnet | undefined;
  let follower: RunningTestnet | undefined;
  try {
    net = startTestnet({ ...layout, nodes: [validator!] });
    const url = validator!.rpcUrl;
    const samples: Array<{ height: number; rssMb: number }> = [];
    const t0 = performance.now();
    let next = Math.min(1000, Math.max(100, Math.floor(TARGET_BLOCKS / 5)));
    const step = next;
    for (;;) {
      let h = 0;
      try {
        h = await height(url);
      } catch {
        // starting
      }
      if (h >= next) {
        samples.push({ height: h, rssMb: rssMb(net.nodes[0]!.pid) });
        next += step;
      }
      if (h >= TARGET_BLOCKS) break;
      if (performance.now() - t0 > 400_000) throw new Error(`only ${h} blocks after 400 s`);
      await sleep(200);
    }
    const produceSeconds = (performance.now() - t0) / 1000;
    const headAtJoin = await height(url);

    follower = startTestnet({ ...layout, nodes: [full!] });
    const t1 = performance.now();
    let synced = 0;
    for (;;) {
      try {
        synced = await height(full!.rpcUrl);
      } catch {
        // starting
      }
      if (synced >= headAtJoin) break;
      if (performance.now() - t1 > 300_000) throw new Error(`follower reached only ${synced} of ${headAtJoin} in 300 s`);
      await sleep(100);
    }
    const syncSeconds = (performance.now() - t1) / 1000;
    const first = samples[0];
    const last = samples[samples.length - 1];
    return {
      blocks: headAtJoin,
      produceBlocksPerSec: round(headAtJoin / produceSeconds, 1),
      validatorRssMb: samples,
      rssGrowthMbFirstToLastSample: first && last ? round(last.rssMb - first.rssMb, 1) : null,
      followerCatchUpSeconds: round(syncSeconds, 2),
      followerCatchUpBlocksPerSec: round(headAtJoin / syncSeconds, 1),
      followerRssMb: rssMb(follower.nodes[0]!.pid),
      targets: { rssMbAfter10kBlocks: 400, catchUpBlocksPerSec: 200 },
    };
  } finally {
    await follower?.stop();
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
