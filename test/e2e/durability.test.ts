/**
 * Crash durability of a real `vanna dev` process: it is killed with SIGKILL while several accounts stream signed
 * MsgSends into it, then restarted on the same home. What the node reported before it died (blocks, their
 * commits and app hashes, committed txs, balances) must still be there, the accounting of every committed tx
 * must add up (balances, fees, supply, sequences), and the chain must carry on.
 *
 * Also: a second process on a home in use must be refused without harming the node that runs there (`dev`,
 * `start`, and the destructive `dev --reset` and `init --overwrite`); txs CheckTx accepted are not dropped by
 * the running node; and queries never report state the node has not yet written to disk.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { assertIsDeliverTxSuccess, SigningStargateClient } from "@cosmjs/stargate";
import { freePort, removeHome, startDevNode, tempHome, waitForHeight, type NodeProcess } from "../support/nodeProcess.js";
import {
  accountInfo,
  allBalances,
  ChainObserver,
  coinsObject,
  DEV_CHAIN_ID,
  DEV_INITIAL,
  devKeys,
  expectedBalances,
  FEE_COLLECTOR,
  fetchBlock,
  LoadGenerator,
  lookupTx,
  rpcCall,
  runVanna,
  sleep,
  status,
  totalSupply,
  until,
  type Balances,
  type BalanceRead,
  type CommittedTx,
  type DevKeys,
  type LedgerTx,
  type LoadSender,
  type Movement,
} from "../support/load.js";

const BLOCK_TIME = ["--block-time", "200ms"];
const SENDERS = [1, 2, 3, 4];
const RECIPIENTS = [5, 6, 7];
const CYCLES = 3;

let keys: DevKeys;
let home: string;
let port: number;
let node: NodeProcess | undefined;
/** Accounts whose balances are followed: senders, recipients and the fee collector. */
let watch: string[];
let initial: Balances;
let initialSupply: Map<string, bigint>;
/** Every tx ever signed in this file, by hash (load txs whatever CheckTx said, and the cosmjs sends). */
const ledger = new Map<string, LedgerTx>();

const addr = (i: number): string => keys.addresses[i]!;
const url = (): string => node!.rpcUrl;

beforeAll(async () => {
  keys = await devKeys(10);
  home = tempHome("vanna-durability-");
  port = await freePort();
  node = await startDevNode(home, port, BLOCK_TIME);
  watch = [...SENDERS.map(addr), ...RECIPIENTS.map(addr), FEE_COLLECTOR];
  initial = new Map();
  for (const a of watch) initial.set(a, (await allBalances(url(), a)).coins);
  initialSupply = await totalSupply(url());
});

afterAll(async () => {
  await node?.stop();
  removeHome(home);
});

describe("a second process on a home in use", () => {
  it("`vanna dev` and `vanna start` on the same home fail with a clear 'in use' error and leave the running node alone", async () => {
    const before = await status(url());
    const files = ["config/genesis.json", "config/config.json", "config/priv_validator_key.json", "config/node_key.json"];
    const contents = files.map((f) => readFileSync(join(home, f), "utf8"));
    const otherPort = await freePort();
    for (const command of [
      ["dev", "--home", home, "--rpc-port", String(otherPort), ...BLOCK_TIME],
      ["start", "--home", home, "--rpc-port", String(otherPort)],
    ]) {
      const r = await runVanna(command, { timeoutMs: 20_000 });
      expect(r.timedOut, `${command[0]} kept running`).toBe(false);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^error: cannot start node: database at .*node\.db is in use by another process$/)]);
      await expect(fetch(`http://127.0.0.1:${otherPort}/status`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    }
    // The first node never noticed: still alive, still producing blocks on the same chain, files untouched.
    expect(node!.proc.exitCode).toBeNull();
    await waitForHeight(url(), before.height + 3, 10_000);
    expect((await fetchBlock(url(), before.height)).blockHash).toBe(before.blockHash);
    expect(files.map((f) => readFileSync(join(home, f), "utf8"))).toEqual(contents);
  });
});

// Two properties a crash test relies on, checked on their own first (each on the live node, before any crash):
// txs CheckTx accepts are not lost by the node while it runs, and what queries report is already on disk.

describe("CheckTx while a block is being written", () => {
  it("every tx CheckTx accepted from a sender streaming sequential txs is committed with code 0 (no eviction, no sequence gap)", async () => {
    await waitForHeight(url(), (await status(url())).height + 1, 10_000); // the chain is live
    const sender = addr(8);
    const a = await accountInfo(url(), sender);
    const count = 80;
    const load = new LoadGenerator({
      url: url(),
      keys,
      chainId: DEV_CHAIN_ID,
      senders: [{ address: sender, accountNumber: a.accountNumber, nextSequence: Number(a.sequence) }],
      recipients: [addr(9)],
      tag: "race",
      pauseMs: 0,
      maxTxsPerSender: count,
    });
    load.start();
    await load.finished();
    for (const t of load.txs) ledger.set(t.hash, t);
    await until("the mempool to drain", async () => Number((await rpcCall<{ n_txs: string }>(url(), "num_unconfirmed_txs")).n_txs) === 0, 20_000);
    await waitForHeight(url(), (await status(url())).height + 2, 10_000);
    const problems: string[] = [];
    for (const t of load.txs) {
      if (t.status !== "accepted") {
        problems.push(`sequence ${t.sequence}: CheckTx said code ${t.checkCode ?? "?"}: ${t.checkLog ?? "no answer"}`);
        continue;
      }
      const found = await lookupTx(url(), t.hash);
      if (found === undefined) problems.push(`sequence ${t.sequence}: accepted by CheckTx, never committed (dropped from the mempool)`);
      else if (found.code !== 0) problems.push(`sequence ${t.sequence}: accepted by CheckTx, committed at height ${found.height} with code ${found.code}`);
    }
    expect(problems.slice(0, 5), `${problems.length} of ${load.txs.length} txs went wrong`).toEqual([]);
    expect((await accountInfo(url(), sender)).sequence).toBe(a.sequence + BigInt(count));
  });
});

describe("queries and durability", () => {
  it("abci_query never answers from a state newer than the node's written head", async () => {
    const load = new LoadGenerator({
      url: url(),
      keys,
      chainId: DEV_CHAIN_ID,
      // A light load: the probes, not the txs, need the CPU (each write window is only a few ms).
      senders: (await loadSenders()).slice(0, 1),
      recipients: RECIPIENTS.map(addr),
      tag: "query-probe",
      pauseMs: 20,
      maxTxsPerSender: 5_000,
      resyncOnMismatch: true,
    });
    const startHeight = (await status(url())).height;
    load.start();
    const ahead: string[] = [];
    let probes = 0;
    try {
      const end = Date.now() + 3_000;
      while (Date.now() < end) {
        // The status is asked after the query: a query height above it is a state the node had not yet written.
        const read = await allBalances(url(), addr(SENDERS[0]!));
        const s = await status(url());
        probes++;
        if (read.height > s.height) ahead.push(`query answered at height ${read.height} while status (asked later) said ${s.height}`);
      }
    } finally {
      await load.stop();
      for (const t of load.txs) ledger.set(t.hash, t);
    }
    // Leave nothing pending for the tests that follow (they start from on-chain sequences).
    await until("the mempool to drain", async () => Number((await rpcCall<{ n_txs: string }>(url(), "num_unconfirmed_txs")).n_txs) === 0, 20_000);
    // Blocks were written meanwhile (a halted chain has no write window to catch).
    expect((await status(url())).height - startHeight).toBeGreaterThanOrEqual(5);
    expect(probes).toBeGreaterThan(30);
    expect(load.accepted().length).toBeGreaterThan(20);
    expect(ahead.slice(0, 3), `${ahead.length} of ${probes} queries were ahead`).toEqual([]);
  });
});

interface CycleReport {
  cycle: number;
  killDelayMs: number;
  lastReportedHeight: number;
  restoredHeight: number;
  signed: number;
  accepted: number;
  rejected: number;
  committedInCycle: number;
  lostAccepted: number;
}

describe("kill -9 under load, restart on the same home", () => {
  const reports: CycleReport[] = [];

  it(`keeps every reported block, tx, balance and the supply across ${CYCLES} crashes, and the chain continues`, async () => {
    const startedMs = Date.now();
    for (const a of watch.filter((w) => w !== FEE_COLLECTOR)) expect(coinsObject(initial.get(a)!)).toEqual(coinsObject(new Map(Object.entries(DEV_INITIAL))));
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      try {
        reports.push(await crashAndRecover(cycle));
      } catch (err) {
        const log = node?.output() ?? "";
        const notable = log.split("\n").filter((l) => /evicted|removedFromMempool|WARN|ERROR/.test(l)).slice(-15).join("\n");
        console.log(`cycle ${cycle} failed; notable node log lines:\n${notable}\nnode log tail:\n${tail(log, 10)}`);
        throw err;
      }
    }
    console.log(reports.map((r) => JSON.stringify(r)).join("\n"));
    // The crashes really hit a node that was committing load txs.
    for (const r of reports) expect(r.committedInCycle, `cycle ${r.cycle}`).toBeGreaterThan(0);
    expect(Date.now() - startedMs).toBeLessThan(100_000);
  });
});

async function loadSenders(): Promise<LoadSender[]> {
  return Promise.all(
    SENDERS.map(async (i) => {
      const a = await accountInfo(url(), addr(i));
      return { address: addr(i), accountNumber: a.accountNumber, nextSequence: Number(a.sequence) };
    }),
  );
}

async function crashAndRecover(cycle: number): Promise<CycleReport> {
  // --- Load, and a client following the chain, until the node is killed at a moment of our choosing, not its.
  const pre = new ChainObserver(url(), watch, 30);
  await pre.pollOnce();
  const committedBefore = pre.committed.size;
  const load = new LoadGenerator({
    url: url(),
    keys,
    chainId: DEV_CHAIN_ID,
    senders: await loadSenders(),
    recipients: RECIPIENTS.map(addr),
    tag: `cycle${cycle}`,
    pauseMs: 2,
    maxTxsPerSender: 5_000,
  });
  load.start();
  pre.start();
  await until("load txs accepted and committed", () => load.accepted().length >= 20 && pre.committed.size >= committedBefore + 5, 20_000);
  const killDelayMs = 100 + Math.floor(Math.random() * 1_200);
  await sleep(killDelayMs);
  expect(load.endings, "the load must still be running when the node is killed").toEqual([]);
  await node!.kill9();
  expect(node!.proc.signalCode).toBe("SIGKILL");
  await load.stop();
  await pre.stop();
  for (const t of load.txs) ledger.set(t.hash, t);
  expect(load.endings.filter((e) => e.startsWith("network")).length, "senders cut off by the crash").toBeGreaterThan(0);
  // The follower stopped because the node died, not because the node gave it a wrong or missing answer.
  expect(pre.ending).not.toMatch(/^(RpcCallError|Error)/);
  const last = pre.last!;
  expect(last.height).toBeGreaterThan(0);

  // --- Restart on the same home: it must come back, not refuse.
  node = await startDevNode(home, port, BLOCK_TIME);
  const restored = /restored state height=(\d+)/.exec(node.output());
  expect(restored, "the restarted node logs the height it restored").not.toBeNull();
  const restoredHeight = Number(restored![1]);
  expect(restoredHeight).toBeGreaterThanOrEqual(last.height);
  const post = new ChainObserver(url(), watch);
  await post.pollOnce();
  const head = post.last!.height;
  expect(head).toBeGreaterThanOrEqual(last.height);

  // Every block reported before death is unchanged: id, header app hash, txs, and its commit (id, signature).
  for (let h = 1; h <= last.height; h++) expect(post.blocks.get(h), `block ${h}`).toEqual(pre.blocks.get(h));
  // The app hash the node reported after each height is the one the restarted chain carries.
  for (const [h, appHash] of pre.statusAppHash) {
    const carried = h < head ? post.blocks.get(h + 1)!.headerAppHash : post.last!.appHash;
    expect(carried, `app hash after height ${h}`).toBe(appHash);
  }
  // Every tx seen committed before the crash, in any cycle: same height, index and code, by tx_search and by tx.
  for (const [hash, seen] of pre.committed) {
    expect(post.committed.get(hash), `tx ${hash}`).toEqual(seen);
    expect(await lookupTx(url(), hash), `tx ${hash}`).toEqual({ height: seen.height, index: seen.index, code: seen.code });
  }

  // --- What the chain holds now, and what it implies.
  const onChain = [...post.committed.values()];
  const unknown = onChain.filter((t) => !ledger.has(t.hash)).map((t) => t.hash);
  expect(unknown, "txs on chain that nobody signed").toEqual([]);
  const rejectedButCommitted = onChain.filter((t) => ledger.get(t.hash)!.status === "rejected").map((t) => t.hash);
  expect(rejectedButCommitted, "txs CheckTx rejected but a block includes").toEqual([]);
  // Every committed load tx succeeded (correct sequences, funded senders), and CheckTx refused none of them.
  const badCodes = onChain.filter((t) => t.code !== 0).map((t) => `${t.hash} (${ledger.get(t.hash)!.memo}): code ${t.code}`);
  expect(badCodes.slice(0, 5), `${badCodes.length} committed txs failed`).toEqual([]);
  expect(load.rejected().map((t) => `${t.memo}: ${t.checkLog ?? ""}`).slice(0, 5), "CheckTx rejections").toEqual([]);

  // Balances the node reported before dying, and reports now, are those the committed txs imply at that height.
  const postReads = [...post.reads];
  const covered = Math.max(maxHeight(pre.reads), maxHeight(postReads));
  await until("the scan to cover every balance read", async () => (await post.pollOnce(), post.last!.height >= covered), 10_000);
  const moved = movementsOf(post.committed);
  expect(mismatchedReads(pre.reads, moved), "balances reported before the crash").toEqual([]);
  expect(mismatchedReads(postReads, moved), "balances reported after the restart").toEqual([]);

  // Conservation: what the involved accounts hold plus the fees paid is what they started with; supply unchanged.
  const now = new Map<string, Map<string, bigint>>();
  for (const a of watch) now.set(a, (await allBalances(url(), a)).coins);
  const users = watch.filter((a) => a !== FEE_COLLECTOR);
  const allFees = sumCoins([...moved.values()].flatMap((m) => m.fee));
  const usersFees = sumCoins([...moved.values()].filter((m) => users.includes(m.from)).flatMap((m) => m.fee));
  expect(coinsObject(addMaps([...users.map((a) => now.get(a)!), usersFees]))).toEqual(coinsObject(addMaps(users.map((a) => initial.get(a)!))));
  expect(coinsObject(now.get(FEE_COLLECTOR)!)).toEqual(coinsObject(addMaps([initial.get(FEE_COLLECTOR)!, allFees])));
  expect(coinsObject(await totalSupply(url()))).toEqual(coinsObject(initialSupply));

  // Sequences: one per successful tx of each sender, over every cycle so far.
  for (const i of SENDERS) {
    const successes = [...moved.values()].filter((m) => m.from === addr(i)).length;
    expect((await accountInfo(url(), addr(i))).sequence, `sequence of dev${i}`).toBe(BigInt(successes));
  }

  // --- The chain continues: new blocks, and a cosmjs wallet's send from a load account with the next sequence.
  await waitForHeight(url(), head + 2, 10_000);
  const from = addr(SENDERS[cycle % SENDERS.length]!);
  const to = addr(RECIPIENTS[cycle % RECIPIENTS.length]!);
  const expectedSequence = (await accountInfo(url(), from)).sequence;
  const client = await SigningStargateClient.connectWithSigner(url(), keys.wallet, { broadcastPollIntervalMs: 100, broadcastTimeoutMs: 10_000 });
  try {
    const fee = { amount: [{ denom: "uvanna", amount: "600" }], gas: "200000" };
    const amount = [{ denom: "uusdc", amount: String(700 + cycle) }];
    const balanceBefore = (await allBalances(url(), to)).coins.get("uusdc")!;
    const evictionsBefore = evictions(node!.output());
    const sent = await client.sendTokens(from, to, amount, fee, `after crash ${cycle}`).catch((err: unknown) => {
      // Name the likely cause: CheckTx accepted the tx while a block was being written, and the mempool's recheck
      // then evicted it (the race the CheckTx test below isolates).
      const evicted = evictions(node!.output()) > evictionsBefore;
      throw new Error(`${(err as Error).message}${evicted ? " [the node log shows a mempool eviction meanwhile: the CheckTx/commit race]" : ""}`);
    });
    assertIsDeliverTxSuccess(sent);
    const indexed = await client.getTx(sent.transactionHash);
    expect(decodeTxRaw(indexed!.tx).authInfo.signerInfos[0]!.sequence).toBe(expectedSequence);
    expect((await accountInfo(url(), from)).sequence).toBe(expectedSequence + 1n);
    expect((await allBalances(url(), to)).coins.get("uusdc")).toBe(balanceBefore + BigInt(amount[0]!.amount));
    ledger.set(sent.transactionHash, { hash: sent.transactionHash, from, to, amount, fee: fee.amount, sequence: Number(expectedSequence), memo: `after crash ${cycle}`, status: "accepted" });
  } finally {
    client.disconnect();
  }

  const cycleTxs = new Set(load.txs.map((t) => t.hash));
  const committedInCycle = onChain.filter((t) => cycleTxs.has(t.hash));
  return {
    cycle,
    killDelayMs,
    lastReportedHeight: last.height,
    restoredHeight,
    signed: load.txs.length,
    accepted: load.accepted().length,
    rejected: load.rejected().length,
    committedInCycle: committedInCycle.length,
    lostAccepted: load.accepted().filter((t) => !post.committed.has(t.hash)).length,
  };
}

/** The successful committed txs, by hash, as balance movements at their height. */
function movementsOf(committed: Map<string, CommittedTx>): Map<string, Movement & { height: number }> {
  const out = new Map<string, Movement & { height: number }>();
  for (const t of committed.values()) {
    if (t.code !== 0) continue;
    const l = ledger.get(t.hash)!;
    out.set(t.hash, { from: l.from, to: l.to, amount: l.amount, fee: l.fee, height: t.height });
  }
  return out;
}

/** How many txs the node's "committed block" log lines say were evicted from the mempool by recheck. */
function evictions(log: string): number {
  return [...log.matchAll(/evicted=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function maxHeight(reads: BalanceRead[]): number {
  return reads.reduce((m, r) => Math.max(m, r.height), 0);
}

/** Reads that differ from the balances implied by the txs committed up to the read's height. */
function mismatchedReads(reads: BalanceRead[], moved: Map<string, Movement & { height: number }>): string[] {
  const all = [...moved.values()];
  const out: string[] = [];
  for (const r of reads) {
    const expected = expectedBalances(initial, all.filter((m) => m.height <= r.height)).get(r.address)!;
    const got = coinsObject(r.coins);
    const want = coinsObject(expected);
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${r.address} at height ${r.height}: reported ${JSON.stringify(got)}, committed txs imply ${JSON.stringify(want)}`);
  }
  return out.slice(0, 10);
}

function sumCoins(coins: Array<{ denom: string; amount: string }>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const c of coins) out.set(c.denom, (out.get(c.denom) ?? 0n) + BigInt(c.amount));
  return out;
}

function addMaps(maps: Array<Map<string, bigint>>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const m of maps) for (const [d, v] of m) out.set(d, (out.get(d) ?? 0n) + v);
  return out;
}

// These commands, when they misbehave, wreck the home they are pointed at: each gets a node of its own.
describe("destructive commands on a home in use", () => {
  async function scratchNode(run: (n: NodeProcess, dir: string) => Promise<void>): Promise<void> {
    const dir = tempHome("vanna-inuse-");
    let n: NodeProcess | undefined;
    try {
      n = await startDevNode(dir, await freePort(), BLOCK_TIME);
      await run(n, dir);
    } finally {
      await n?.stop();
      removeHome(dir);
    }
  }

  async function expectRefusedAndHarmless(command: (dir: string, otherPort: number) => string[]): Promise<void> {
    await scratchNode(async (n, dir) => {
      await waitForHeight(n.rpcUrl, 3, 10_000);
      const before = await status(n.rpcUrl);
      const genesis = readFileSync(join(dir, "config/genesis.json"), "utf8");
      const r = await runVanna(command(dir, await freePort()), { timeoutMs: 8_000 });
      // The running node's home is as it was (checked first: the worst outcome), and the command said why not.
      expect(readFileSync(join(dir, "config/genesis.json"), "utf8"), "the running node's genesis was replaced").toBe(genesis);
      expect(existsSync(join(dir, "data/node.db/CURRENT")), "the running node's database was deleted").toBe(true);
      expect(r.timedOut, "the second process ran a node instead of refusing").toBe(false);
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^error: .*in use/)]);
      // Its chain survives a restart.
      expect(n.proc.exitCode).toBeNull();
      await n.stop();
      const again = await startDevNode(dir, Number(new URL(n.rpcUrl).port), BLOCK_TIME);
      try {
        expect((await fetchBlock(again.rpcUrl, before.height)).blockHash).toBe(before.blockHash);
      } finally {
        await again.stop();
      }
    });
  }

  it("`vanna dev --reset` refuses a home whose node is running", async () => {
    await expectRefusedAndHarmless((dir, otherPort) => ["dev", "--reset", "--home", dir, "--rpc-port", String(otherPort), ...BLOCK_TIME]);
  });

  it("`vanna init --overwrite` refuses a home whose node is running", async () => {
    await expectRefusedAndHarmless((dir) => ["init", "--overwrite", "--home", dir, "--chain-id", "other-1"]);
  });
});
