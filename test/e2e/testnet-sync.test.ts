/**
 * Block sync from real peers (reliability matrix C6; issue target: catch-up at 200 blocks/s or more). A
 * 4-validator testnet runs fast empty blocks (and a few txs) past height 100; then full nodes that have never run
 * join with the same genesis and the validators as persistent peers. Each must fetch every block with its commit
 * over libp2p, verify and apply it, reach the head and then follow consensus live.
 *
 * - full0 joins the live chain (the validators keep producing blocks and competing for the CPU);
 * - full1 joins while the chain is halted (two validators killed), so it syncs from a minority of the validators
 *   with nothing else running: its speed is block sync alone. The halted validators then come back.
 *
 * Speeds come from each node's own log (first to last "committed block" line up to the head) and are printed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { assertIsDeliverTxSuccess, GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { DEV_MNEMONIC } from "../../node/config/devAccounts.js";
import { checkSameHeaders, commitTimesFromLog, rpc, sleep, Testnet, tryHeight, waitUntil, type StatusJson, type TestNode } from "../support/testnet.js";

/** The full nodes join once the chain is past this height. */
const JOIN_AT = Number(process.env["VANNA_E2E_SYNC_HEIGHT"] ?? 120);
const TARGET_BLOCKS_PER_SEC = 200;

let net: Testnet;
let failed = false;
const sent: Array<{ hash: string; height: number }> = [];
const speeds: string[] = [];

beforeAll(async () => {
  net = await Testnet.create({
    validators: 4,
    fullNodes: 2,
    chainId: "vanna-e2e-sync-1",
    // Empty blocks back to back (10 ms is the minimum block time), no pause after a commit.
    blockTimeMs: 10,
    configure: (c) => {
      c.consensus.commitMs = 0;
    },
  });
  net.start(net.validators);
  await net.waitReady(net.validators, 1);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    failed = true;
  });
});

afterAll(async () => {
  if (speeds.length > 0) console.log(speeds.join("\n"));
  await net?.destroy(failed);
});

/** Starts `node`, waits until it has `head`, and returns its sync speed measured from its log. */
async function joinAndMeasure(node: TestNode, head: number, label: string): Promise<number> {
  const t0 = Date.now();
  node.start();
  let at = 0;
  await waitUntil(`${node.moniker} to reach ${head}`, async () => (at = (await tryHeight(node.rpcUrl)) ?? 0) >= head, 120_000, 50, () => `at ${at}`);
  const wallMs = Date.now() - t0;
  const times = commitTimesFromLog(node.log()).filter((t) => t.height <= head);
  // Every height applied exactly once, in order.
  expect(times.map((t) => t.height)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const syncMs = Math.max(1, last.ms - first.ms);
  const rate = ((last.height - first.height) * 1000) / syncMs;
  speeds.push(
    `sync (${label}): ${node.moniker} caught up ${head} blocks at ${rate.toFixed(0)} blocks/s ` +
      `(${last.height - first.height} blocks in ${syncMs} ms from its log; ${((head * 1000) / wallMs).toFixed(0)} blocks/s over ${wallMs} ms including process start); target ${TARGET_BLOCKS_PER_SEC} blocks/s`,
  );
  console.log(speeds[speeds.length - 1]);
  return rate;
}

describe(`new full nodes join a 4-validator chain above height ${JOIN_AT}`, () => {
  it("full0 block-syncs the live chain from its start, then follows consensus; txs indexed; same headers (C1)", async () => {
    const v0 = net.validators[0]!;
    // A few txs early on, so the synced blocks are not all empty and the tx index is rebuilt by sync.
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "vanna", hdPaths: [0, 1].map((i) => makeCosmoshubPath(i)) });
    const [a, b] = (await wallet.getAccounts()).map((x) => x.address);
    const signer = await SigningStargateClient.connectWithSigner(v0.rpcUrl, wallet, { gasPrice: GasPrice.fromString("0.0025uvanna"), broadcastPollIntervalMs: 100 });
    for (let i = 0; i < 3; i++) {
      const res = await signer.sendTokens(a!, b!, [{ denom: "uusdc", amount: String(1000 + i) }], "auto");
      assertIsDeliverTxSuccess(res);
      sent.push({ hash: res.transactionHash, height: res.height });
    }
    signer.disconnect();

    const tProduce = Date.now();
    const h0 = (await tryHeight(v0.rpcUrl)) ?? 0;
    await waitUntil(`the chain past height ${JOIN_AT}`, async () => ((await tryHeight(v0.rpcUrl)) ?? 0) > JOIN_AT, 240_000, 500);
    const head = (await tryHeight(v0.rpcUrl))!;
    console.log(`sync: 4 validators produced ${head - h0} blocks in ${Date.now() - tProduce} ms at --block-time 10ms`);

    const full = net.fullNodes[0]!;
    expect(full.validator).toBe(false);
    const rate = await joinAndMeasure(full, head, "live chain, 4 validators producing");
    expect(rate).toBeGreaterThan(0);

    // catching_up clears once at the head; then it follows consensus live (blocks come by gossip, not sync).
    await waitUntil(
      `${full.moniker} caught up`,
      async () => {
        const [s, vh] = await Promise.all([rpc<StatusJson>(full.rpcUrl, "status"), tryHeight(v0.rpcUrl)]);
        return !s.sync_info.catching_up && Number(s.sync_info.latest_block_height) >= (vh ?? 0) - 1;
      },
      30_000,
      100,
    );
    const followFrom = (await tryHeight(full.rpcUrl))!;
    await waitUntil(`${full.moniker} following the chain live`, async () => ((await tryHeight(full.rpcUrl)) ?? 0) >= followFrom + 10, 30_000, 100);
    expect((await rpc<{ n_peers: string }>(full.rpcUrl, "net_info")).n_peers).toBe("4");

    const client = await StargateClient.connect(full.rpcUrl);
    for (const s of sent) expect(await client.getTx(s.hash)).toMatchObject({ hash: s.hash, height: s.height, code: 0 });
    client.disconnect();

    const upTo = Math.min(...(await net.heights([...net.validators, full])).map((h) => h ?? 0));
    expect(await checkSameHeaders([...net.validators, full], upTo)).toEqual([]);
  }, 300_000);

  it("full1 syncs a halted chain from two of four validators alone; the chain resumes and all six nodes agree (C1)", async () => {
    const [v0, v1, v2, v3] = net.validators as [TestNode, TestNode, TestNode, TestNode];
    const [full0, full1] = net.fullNodes as [TestNode, TestNode];
    await Promise.all([v2.kill9(), v3.kill9()]);
    await sleep(1_500);
    const head = Math.max(...(await net.heights([v0, v1, full0])).map((h) => h ?? 0));
    await waitUntil("the survivors to agree on the head", async () => (await net.heights([v0, v1, full0])).every((h) => h === head), 10_000);

    const rate = await joinAndMeasure(full1, head, "halted chain, peers idle: block sync alone");
    // Loose floor (this machine is shared): a sync that fell back to one block per poll would be far below it.
    expect(rate).toBeGreaterThan(10);
    expect(await tryHeight(v0.rpcUrl)).toBe(head);
    const s = await rpc<StatusJson>(full1.rpcUrl, "status");
    expect(s.sync_info.latest_block_hash).toBe((await rpc<StatusJson>(v0.rpcUrl, "status")).sync_info.latest_block_hash);

    v2.start();
    v3.start();
    await net.waitReady([v2, v3], head);
    const all = net.nodes;
    await waitUntil("every node past the halt", async () => (await net.heights(all)).every((h) => (h ?? 0) >= head + 5), 60_000, 200);
    const upTo = Math.min(...(await net.heights(all)).map((h) => h ?? 0));
    expect(await checkSameHeaders(all, upTo)).toEqual([]);
    const client = await StargateClient.connect(full1.rpcUrl);
    for (const t of sent) expect(await client.getTx(t.hash)).toMatchObject({ hash: t.hash, height: t.height, code: 0 });
    client.disconnect();
    for (const n of all) expect(n.unexpectedExits, n.moniker).toEqual([]);
    for (const n of net.fullNodes) expect(n.errorLines(), n.moniker).toEqual([]);
  }, 180_000);
});
