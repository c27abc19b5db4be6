/**
 * BFT consensus on a real 4-validator testnet: four `vanna start` processes on 127.0.0.1 talking libp2p, each
 * killed (SIGKILL), restarted on its home, or cut off from its peers (`unsafe_isolate_peers`) while the others
 * carry on. Reliability matrix (b): F1 (kill one), F2 (kill the proposer right after it proposed, restart at
 * once: WAL replay mid-height), F4 (kill two: halt without fork), F9 (partition 1 | 3), with checkers C1 (same
 * chain on every node at every height), C3 (what cosmjs saw committed is on every node), C5 (no validator ever
 * signed two different messages for one height/round/type, in any commit, block last commit or validator WAL; no
 * evidence committed) and C6 (the network recovers and every restarted or healed node catches up and votes again).
 *
 * The scenarios run in order on one network; each ends with all four validators running and caught up.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { assertIsDeliverTxSuccess, GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { DEV_MNEMONIC, DEV_USDC_MICRO } from "../../node/config/devAccounts.js";
import { Step } from "../../node/consensus/types.js";
import { homePaths } from "../../node/home.js";
import {
  checkSameChain,
  height,
  hex,
  findEquivocations,
  rpc,
  signedRecordsFromChains,
  sleep,
  Testnet,
  tryHeight,
  waitUntil,
  walRecords,
  type CommitResponseJson,
  type BlockResponseJson,
  type StatusJson,
  type TestNode,
} from "../support/testnet.js";

const BLOCK_TIME_MS = 300;

let net: Testnet;
let wallet: DirectSecp256k1HdWallet;
let addrs: string[];
/** Every tx cosmjs saw committed: hash -> height. Checked on every node at the end. */
const committedTxs = new Map<string, number>();
/** uusdc each dev account has received (or, negative, sent) through the txs above. */
const usdcDelta = new Map<string, bigint>();
let failed = false;

const v = (i: number): TestNode => net.validators[i]!;

/** Heights of the nodes that are up (undefined for a node that does not answer). */
async function heightsOf(nodes: readonly TestNode[]): Promise<number[]> {
  const hs = await net.heights(nodes);
  return hs.map((h) => h ?? -1);
}

/** Waits until every given node has advanced `by` blocks past the height it reports now. */
async function waitAdvance(nodes: readonly TestNode[], by: number, timeoutMs: number): Promise<number[]> {
  const start = await heightsOf(nodes);
  let now = start;
  await waitUntil(
    `${nodes.map((n) => n.moniker).join(", ")} to advance ${by} blocks`,
    async () => {
      now = await heightsOf(nodes);
      return now.every((h, i) => h >= start[i]! + by);
    },
    timeoutMs,
    200,
    () => `from ${start.join(",")} to ${now.join(",")}`,
  );
  return now;
}

/** Waits until `node` is at (or past) the highest height the `others` report, and no longer catching up. */
async function waitCaughtUp(node: TestNode, others: readonly TestNode[], timeoutMs: number): Promise<number> {
  let mine = -1;
  let theirs = -1;
  await waitUntil(
    `${node.moniker} to catch up`,
    async () => {
      theirs = Math.max(...(await heightsOf(others)));
      const s = await rpc<StatusJson>(node.rpcUrl, "status");
      mine = Number(s.sync_info.latest_block_height);
      return mine >= theirs && !s.sync_info.catching_up;
    },
    timeoutMs,
    100,
    () => `${node.moniker} at ${mine}, others at ${theirs}`,
  );
  return mine;
}

async function sendUsdc(signer: SigningStargateClient, from: number, to: number, amount: bigint, memo: string): Promise<{ hash: string; height: number }> {
  const res = await signer.sendTokens(addrs[from]!, addrs[to]!, [{ denom: "uusdc", amount: amount.toString() }], "auto", memo);
  assertIsDeliverTxSuccess(res);
  committedTxs.set(res.transactionHash, res.height);
  usdcDelta.set(addrs[from]!, (usdcDelta.get(addrs[from]!) ?? 0n) - amount);
  usdcDelta.set(addrs[to]!, (usdcDelta.get(addrs[to]!) ?? 0n) + amount);
  return { hash: res.transactionHash, height: res.height };
}

async function signerOn(node: TestNode): Promise<SigningStargateClient> {
  return SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, { gasPrice: GasPrice.fromString("0.0025uvanna"), broadcastPollIntervalMs: 200 });
}

/** Does `address` sign for the block (flag 2) in a commit or last commit that any of `nodes` stored above `after`? */
async function signsAfter(nodes: readonly TestNode[], address: string, after: number): Promise<number | undefined> {
  for (const n of nodes) {
    const h = await tryHeight(n.rpcUrl);
    if (h === undefined) continue;
    for (let x = after + 1; x <= h; x++) {
      const [c, b] = await Promise.all([rpc<CommitResponseJson>(n.rpcUrl, "commit", { height: String(x) }), rpc<BlockResponseJson>(n.rpcUrl, "block", { height: String(x) })]);
      const sigs = [...c.signed_header.commit.signatures, ...b.block.last_commit.signatures];
      if (sigs.some((s) => s.validator_address === address && s.block_id_flag === 2)) return x;
    }
  }
  return undefined;
}

beforeAll(async () => {
  net = await Testnet.create({ validators: 4, blockTimeMs: BLOCK_TIME_MS, unsafeRpc: true, chainId: "vanna-e2e-consensus-1" });
  net.start();
  await net.waitReady(net.nodes, 2);
  wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "vanna", hdPaths: [0, 1, 2, 3, 4, 5].map((i) => makeCosmoshubPath(i)) });
  addrs = (await wallet.getAccounts()).map((a) => a.address);
});

beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    failed = true;
  });
});

afterAll(async () => {
  await net?.destroy(failed);
});

describe("4 validators over libp2p", () => {
  it("cosmjs sends to validator0 and reads back from validator3; every node has the same blocks (C1)", async () => {
    const signer = await signerOn(v(0));
    const sent = [await sendUsdc(signer, 0, 1, 1_000_001n, "to node 0 #1"), await sendUsdc(signer, 0, 1, 2_000_002n, "to node 0 #2"), await sendUsdc(signer, 2, 3, 333n, "to node 0 #3")];
    signer.disconnect();

    const reader = await StargateClient.connect(v(3).rpcUrl);
    for (const s of sent) {
      await waitUntil(`tx ${s.hash} on validator3`, async () => (await reader.getTx(s.hash)) !== null, 10_000);
      const tx = await reader.getTx(s.hash);
      expect(tx).toMatchObject({ hash: s.hash, height: s.height, code: 0 });
    }
    await waitUntil("validator3 past the last tx", async () => (await reader.getHeight()) > Math.max(...sent.map((s) => s.height)), 10_000);
    expect(await reader.getBalance(addrs[1]!, "uusdc")).toEqual({ denom: "uusdc", amount: (DEV_USDC_MICRO + 3_000_003n).toString() });
    expect(await reader.getBalance(addrs[3]!, "uusdc")).toEqual({ denom: "uusdc", amount: (DEV_USDC_MICRO + 333n).toString() });
    // The sender's sequence moved on every node: the account state is the same everywhere.
    for (const n of net.validators) {
      const c = await StargateClient.connect(n.rpcUrl);
      await waitUntil(`${n.moniker} past the last tx`, async () => (await c.getHeight()) > Math.max(...sent.map((s) => s.height)), 10_000);
      expect((await c.getAccount(addrs[0]!))?.sequence, n.moniker).toBe(2);
      c.disconnect();
    }
    reader.disconnect();

    const upTo = Math.min(...(await heightsOf(net.validators)));
    const { records, problems } = await checkSameChain(net.validators, upTo);
    expect(problems).toEqual([]);
    // Every height carries a commit of at least 3 of the 4 validators.
    for (const r of records.get(v(0).moniker)!) expect(r.commit.signatures.filter((s) => s.block_id_flag === 2).length, `h${r.height}`).toBeGreaterThanOrEqual(3);
  });

  it("F1: kill -9 one validator; the other three keep committing; restarted, it block-syncs to the head and votes again", async () => {
    const victim = v(1);
    const others = [v(0), v(2), v(3)];
    await victim.kill9();
    expect(await tryHeight(victim.rpcUrl)).toBeUndefined();
    const killedAt = Math.max(...(await heightsOf(others)));
    // Three of four (75% > 2/3) keep going, including through the heights where the victim should propose.
    await waitAdvance(others, 8, 40_000);
    // A tx committed while the victim is down: it must get it through block sync.
    const signer = await signerOn(v(0));
    const whileDown = await sendUsdc(signer, 4, 5, 4_444n, "while validator1 is down");
    signer.disconnect();
    await waitAdvance(others, 2, 20_000);
    const downHeight = Math.max(...(await heightsOf(others)));
    expect(downHeight).toBeGreaterThanOrEqual(killedAt + 10);

    victim.start();
    const t0 = Date.now();
    const caughtUp = await waitCaughtUp(victim, others, 60_000);
    console.log(`F1: validator1 restarted ${downHeight - killedAt} blocks behind; caught up to ${caughtUp} in ${Date.now() - t0} ms`);
    expect(caughtUp).toBeGreaterThanOrEqual(downHeight);
    expect(victim.log()).toMatch(/restored state/);
    const got = await rpc<{ height: string; tx_result: { code: number } }>(victim.rpcUrl, "tx", { hash: Buffer.from(whileDown.hash, "hex").toString("base64") });
    expect(got).toMatchObject({ height: String(whileDown.height), tx_result: { code: 0 } });

    // It votes again: its precommit for the block appears in a later commit.
    let signedAt: number | undefined;
    await waitUntil("validator1's precommit in a commit after its restart", async () => (signedAt = await signsAfter([v(0), victim], victim.address, caughtUp)) !== undefined, 30_000, 500);
    console.log(`F1: validator1 signs again at height ${signedAt}`);
    await waitAdvance(net.validators, 2, 20_000);
  });

  it("F2: kill -9 the proposer just after it proposed, restart it at once: it resumes its height from the WAL and signs nothing conflicting", async () => {
    const victims: TestNode[] = [];
    const rejoinedAt = new Map<TestNode, number>();
    for (let i = 0; i < 2; i++) {
      let victim: TestNode | undefined;
      let caught = "";
      await waitUntil(
        "a proposer caught just after proposing",
        async () => {
          const next = BigInt((await height(v(0).rpcUrl)) + 1);
          const p = net.nodeByAddress(hex(net.proposerOf(next, 0).address));
          if (p === undefined || victims.includes(p)) return false;
          const d = await rpc<{ round_state: { height: string; round: number; step: number; proposal: { height: string } | null } }>(p.rpcUrl, "dump_consensus_state");
          const rs = d.round_state;
          if (rs.proposal === null || rs.height !== String(next) || rs.round !== 0 || rs.step >= Step.Commit) return false;
          victim = p;
          caught = `height ${rs.height} round ${rs.round} step ${Step[rs.step]}`;
          return true;
        },
        30_000,
        10,
      );
      await victim!.kill9();
      victims.push(victim!);
      // Its private validator had already signed in the height it died in (that state is fsynced before release).
      const signState = JSON.parse(readFileSync(homePaths(victim!.home).privvalState, "utf8")) as { height: string; round: number; step: number };
      expect(signState.height, caught).toBe(caught.split(" ")[1]);
      const others = net.validators.filter((n) => n !== victim);
      victim!.start();
      await net.waitReady([victim!], 1);
      const caughtUp = await waitCaughtUp(victim!, others, 60_000);
      rejoinedAt.set(victim!, caughtUp);
      const starts = [...victim!.log().matchAll(/node started .* replayed=(\d+)/g)];
      const replayed = Number(starts[starts.length - 1]![1]);
      console.log(`F2: ${victim!.moniker} killed at ${caught} (last signed step ${signState.step}); restarted with ${replayed} WAL records replayed; caught up to ${caughtUp}`);
    }
    await waitAdvance(net.validators, 3, 30_000);
    for (const n of victims) {
      let signedAt: number | undefined;
      await waitUntil(`${n.moniker}'s precommit in a commit after its restart`, async () => (signedAt = await signsAfter([v(0), n], n.address, rejoinedAt.get(n)!)) !== undefined, 30_000, 500);
      console.log(`F2: ${n.moniker} signs again at height ${signedAt}`);
    }
  });

  it("F9: a validator isolated from all peers stalls while the other three commit; healed, it catches up", async () => {
    const target = v(2);
    const others = [v(0), v(1), v(3)];
    await rpc(target.rpcUrl, "unsafe_isolate_peers", { peers: "all" });
    await waitUntil("the isolated node to have no peers", async () => (await rpc<{ n_peers: string }>(target.rpcUrl, "net_info")).n_peers === "0", 10_000);
    // It may still finish the height it was in; after that it is stuck.
    await sleep(1_500);
    const frozenAt = (await tryHeight(target.rpcUrl))!;
    const othersAt = await waitAdvance(others, 8, 40_000);
    expect(await tryHeight(target.rpcUrl)).toBe(frozenAt);
    expect(Math.min(...othersAt)).toBeGreaterThanOrEqual(frozenAt + 8);
    // The others no longer list it as a peer either (the gater refuses their redials).
    for (const o of others) {
      const info = await rpc<{ peers: Array<{ node_info: { moniker: string } }> }>(o.rpcUrl, "net_info");
      expect(info.peers.map((p) => p.node_info.moniker), o.moniker).not.toContain(target.peerId);
    }

    await rpc(target.rpcUrl, "unsafe_heal_peers");
    const t0 = Date.now();
    const caughtUp = await waitCaughtUp(target, others, 60_000);
    console.log(`F9: validator2 healed ${Math.max(...othersAt) - frozenAt}+ blocks behind; caught up to ${caughtUp} in ${Date.now() - t0} ms`);
    let signedAt: number | undefined;
    await waitUntil("validator2's precommit in a commit after healing", async () => (signedAt = await signsAfter([v(0), target], target.address, caughtUp)) !== undefined, 30_000, 500);
    await waitAdvance(net.validators, 2, 20_000);
  });

  it("F4: kill -9 two of four; the chain halts without forking; restarted, it resumes and every node agrees (C1)", async () => {
    const down = [v(2), v(3)];
    const up = [v(0), v(1)];
    await Promise.all(down.map((n) => n.kill9()));
    // A height whose precommits were already out may still complete; then nothing.
    await sleep(2_000);
    const haltedAt = await heightsOf(up);
    await sleep(6_000);
    expect(await heightsOf(up)).toEqual(haltedAt);
    // Alive and stuck in the next height: without +2/3 of any votes there is not even a round change.
    for (const n of up) {
      const cs = await rpc<{ round_state: { "height/round/step": string } }>(n.rpcUrl, "consensus_state");
      expect(Number(cs.round_state["height/round/step"].split("/")[0]), n.moniker).toBe(Math.max(...haltedAt) + 1);
    }
    // No fork among the survivors.
    const { problems } = await checkSameChain(up, Math.min(...haltedAt));
    expect(problems).toEqual([]);

    for (const n of down) n.start();
    const t0 = Date.now();
    await net.waitReady(down, 1);
    const resumed = await waitAdvance(net.validators, 3, 60_000);
    console.log(`F4: halted at ${Math.max(...haltedAt)}; resumed ${Date.now() - t0} ms after the restart, now at ${resumed.join(",")}`);
    for (const n of down) await waitCaughtUp(n, up, 30_000);
    const upTo = Math.min(...(await heightsOf(net.validators)));
    const check = await checkSameChain(net.validators, upTo);
    expect(check.problems).toEqual([]);
  });

  it("C1/C3/C5 over the whole run: same chain everywhere, every acknowledged tx everywhere, no double sign, no evidence", async () => {
    for (const n of net.validators) expect(n.unexpectedExits, n.moniker).toEqual([]);
    await waitAdvance(net.validators, 2, 20_000);
    const upTo = Math.min(...(await heightsOf(net.validators)));
    const { records, problems } = await checkSameChain(net.validators, upTo);
    expect(problems).toEqual([]);

    // C3: every tx cosmjs saw committed is in that block on every node, with code 0; balances add up.
    for (const n of net.validators) {
      const byHeight = new Map(records.get(n.moniker)!.map((r) => [r.height, r]));
      for (const [hash, h] of committedTxs) {
        const txHashes = byHeight.get(h)!.txs.map((t) => txHash(t));
        expect(txHashes, `${n.moniker} h${h}`).toContain(hash);
      }
      const client = await StargateClient.connect(n.rpcUrl);
      for (const [addr, delta] of usdcDelta) {
        if (delta <= 0n) continue; // senders also paid fees; the receivers' balances are exact
        expect((await client.getBalance(addr, "uusdc")).amount, `${n.moniker} ${addr}`).toBe((DEV_USDC_MICRO + delta).toString());
      }
      client.disconnect();
    }

    // No evidence in any block: nobody equivocated, and nobody was framed.
    for (const [name, rs] of records) for (const r of rs) expect(r.evidence, `${name} h${r.height}`).toEqual([]);

    // C5 from the chain: every precommit in every commit and last commit, signatures verified.
    const bad: string[] = [];
    const signed = signedRecordsFromChains(net, records, bad);
    expect(bad).toEqual([]);
    // C5 from the WALs: every vote and proposal each validator signed or accepted, after a clean stop.
    await net.stopAll();
    for (const n of net.validators) signed.push(...(await walRecords(net, n)));
    const byType = { prevote: 0, precommit: 0, proposal: 0 };
    for (const s of signed) byType[s.type as keyof typeof byType]++;
    console.log(`C5: ${signed.length} signed messages checked (${JSON.stringify(byType)}) over ${upTo} heights`);
    expect(byType.prevote).toBeGreaterThan(upTo);
    expect(byType.proposal).toBeGreaterThan(0);
    expect(findEquivocations(signed)).toEqual([]);
    for (const n of net.validators) {
      expect(n.log(), n.moniker).not.toMatch(/conflicting votes: evidence recorded/);
      // The only errors allowed: the private validator refusing, after a restart, to sign what would conflict with
      // what it signed before the crash (the WAL replay re-enters a step it had already passed).
      const errors = n.errorLines();
      const refusals = errors.filter((l) => /refused to sign/.test(l));
      if (refusals.length > 0) console.log(`${n.moniker}: the private validator refused ${refusals.length} sign request(s) after a restart:\n${refusals.map((l) => l.slice(0, 260)).join("\n")}`);
      expect(errors.filter((l) => !/refused to sign/.test(l)), n.moniker).toEqual([]);
    }
  });
});

function txHash(txBase64: string): string {
  return createHash("sha256").update(Buffer.from(txBase64, "base64")).digest("hex").toUpperCase();
}
