import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeNode } from "./fakeNode.js";
import { ABANDON, vanna } from "./io.js";

const ALICE = "vanna19rl4cm2hmr8afy4kldpxz3fka4jguq0aamlvd2"; // abandon…about, index 0
const BOB = "vanna1jrkmdcwgq94uaamx6zax2luewlhf7u4kar5qya"; // index 1

let node: FakeNode;
let home: string;
let common: string[];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-cli-client-"));
  node = new FakeNode();
  await node.start();
  common = ["--home", home, "--node", node.url, "--keyring-backend", "test"];
  expect((await vanna(["keys", "add", "alice", "--mnemonic", ABANDON, "--home", home, "--keyring-backend", "test"])).code).toBe(0);
});

afterAll(async () => {
  await node.stop();
  await rm(home, { recursive: true, force: true });
});

beforeEach(() => {
  node.accounts.clear();
  node.accounts.set(ALICE, { accountNumber: 3n, sequence: 0n, balances: [{ denom: "uusdc", amount: "5000" }, { denom: "uvanna", amount: "1000000" }] });
  node.deliverCode = 0;
  node.inclusionPolls = 1;
  node.methods.length = 0;
});

describe("status and queries", () => {
  it("vanna status", async () => {
    const r = await vanna(["status", "--node", node.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^chain id:\s+vanna-test-1$/m);
    expect(r.stdout).toMatch(/^latest height:\s+7$/m);
    const json = JSON.parse((await vanna(["status", "--node", node.url, "-o", "json"])).stdout) as { node_info: { network: string }; sync_info: { latest_block_height: string; catching_up: boolean } };
    expect(json.node_info.network).toBe("vanna-test-1");
    expect(json.sync_info).toMatchObject({ latest_block_height: "7", catching_up: false });
  });

  it("vanna query bank balances, by address or key name, all or one denom", async () => {
    const r = await vanna(["query", "bank", "balances", "alice", ...common]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("uusdc:  5000\nuvanna: 1000000\n");
    const one = JSON.parse((await vanna(["query", "bank", "balances", ALICE, "--denom", "uusdc", "-o", "json", ...common])).stdout);
    expect(one).toEqual({ address: ALICE, balances: [{ denom: "uusdc", amount: "5000" }] });
    const empty = await vanna(["query", "bank", "balances", BOB, ...common]);
    expect(empty.stdout).toBe(`${BOB} has no balances\n`);
  });

  it("vanna query account: found and not found", async () => {
    const found = JSON.parse((await vanna(["query", "account", "alice", "-o", "json", ...common])).stdout);
    expect(found).toEqual({ address: ALICE, account_number: "3", sequence: "0", pubkey: null });
    const missing = await vanna(["query", "account", BOB, ...common]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: account ${BOB} not found (it has never received funds)\n`);
  });

  it("vanna query block: latest, by height, and a future height as one line", async () => {
    const latest = JSON.parse((await vanna(["query", "block", "--node", node.url, "-o", "json"])).stdout);
    expect(latest).toMatchObject({ height: String(node.height), chain_id: "vanna-test-1", time: "2025-06-01T12:00:00.123456789Z", num_txs: 0 });
    const text = await vanna(["query", "block", "2", "--node", node.url]);
    expect(text.stdout).toMatch(/^height:\s+2$/m);
    const future = await vanna(["query", "block", "99999", "--node", node.url]);
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/^error: node error: Internal error: height 99999 must be less than .* \(JSON-RPC -32603\)\n$/);
  });
});

describe("vanna tx bank send", () => {
  it("simulates, signs with SIGN_MODE_DIRECT, broadcasts, waits for the block and prints the result", async () => {
    const r = await vanna(["tx", "bank", "send", "alice", BOB, "1000uusdc,5uvanna", "--memo", "hi", ...common]);
    expect(r.stderr).toBe("fee 258uvanna (0.0025uvanna per gas), gas limit 102872\n");
    expect(r.code).toBe(0);
    const hash = /^txhash:\s+([0-9A-F]{64})$/m.exec(r.stdout)?.[1];
    expect(hash).toBe(node.txs.at(-1)?.hash);
    expect(r.stdout).toMatch(/^code:\s+0 \(success\)$/m);
    expect(r.stdout).toMatch(/^gas used\/wanted:\s+74330\/102872$/m);
    expect(node.sent.at(-1)).toMatchObject({
      fromAddress: ALICE,
      toAddress: BOB,
      amount: [
        { denom: "uusdc", amount: "1000" },
        { denom: "uvanna", amount: "5" },
      ],
    });
    expect(node.methods).toContain("broadcast_tx_sync");
    expect(node.methods.filter((m) => m === "tx_search").length).toBe(2);

    // The tx is queryable by hash, decoded.
    const shown = await vanna(["query", "tx", hash!.toLowerCase(), "--node", node.url, "-o", "json"]);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.stdout) as { hash: string; memo: string; fee: unknown; messages: Array<Record<string, unknown>> };
    expect(view.hash).toBe(hash);
    expect(view.memo).toBe("hi");
    expect(view.fee).toEqual({ amount: [{ denom: "uvanna", amount: "258" }], gas_limit: "102872" });
    expect(view.messages[0]).toMatchObject({ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: ALICE, toAddress: BOB });
    const shownText = await vanna(["query", "tx", hash!, "--node", node.url]);
    expect(shownText.stdout).toMatch(/amount:\s+1000uusdc,5uvanna/);
  });

  it("uses fixed fees and gas without simulating, and the sequence advances between sends", async () => {
    for (const expectedSeq of [0n, 1n]) {
      expect(node.accounts.get(ALICE)?.sequence).toBe(expectedSeq);
      const r = await vanna(["tx", "bank", "send", ALICE, BOB, "1uusdc", "--fees", "600uvanna", "--gas", "200000", "--broadcast-mode", "sync", "-o", "json", ...common]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ txhash: node.txs.at(-1)?.hash, chain_id: "vanna-test-1", gas_limit: "200000", fee: [{ denom: "uvanna", amount: "600" }] });
    }
    expect(node.methods.filter((m) => m === "tx_search")).toEqual([]);
  });

  it("reports a CheckTx rejection in one line", async () => {
    const r = await vanna(["tx", "bank", "send", "alice", BOB, "1uusdc", "--fees", "1uvanna", "--gas", "200000", ...common]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "fee 1uvanna (fixed), gas limit 200000\nerror: tx rejected by the node (code 13, codespace sdk): insufficient fee; got 1uvanna: insufficient fee\n",
    );
  });

  it("exits 1 when the tx fails in the block, after printing its result", async () => {
    node.deliverCode = 5;
    const r = await vanna(["tx", "bank", "send", "alice", BOB, "1uusdc", "-o", "json", ...common]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 5, raw_log: "failed to execute message: insufficient funds" });
    expect(r.stderr).toMatch(/^error: tx [0-9A-F]{64} failed in block \d+ with code 5: failed to execute message: insufficient funds\n$/);
  });

  it("times out clearly when the tx is never included", async () => {
    node.inclusionPolls = 1000;
    const r = await vanna(["tx", "bank", "send", "alice", BOB, "1uusdc", "--wait-timeout", "1", ...common]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was broadcast but not included within 1 s; check later with: vanna query tx [0-9A-F]{64}\n$/);
  });

  it("checks --chain-id against the node and refuses unknown senders and accounts", async () => {
    const wrong = await vanna(["tx", "bank", "send", "alice", BOB, "1uusdc", "--chain-id", "other-chain", ...common]);
    expect(wrong.stderr).toBe("error: --chain-id other-chain does not match the node's chain vanna-test-1\n");
    expect(node.methods).not.toContain("broadcast_tx_sync");
    const right = await vanna(["tx", "bank", "send", "alice", BOB, "1uusdc", "--chain-id", "vanna-test-1", "--broadcast-mode", "sync", ...common]);
    expect(right.code).toBe(0);

    const unknownKey = await vanna(["tx", "bank", "send", "carol", BOB, "1uusdc", ...common]);
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toMatch(/^error: no key "carol" in /);

    node.accounts.clear();
    const noAccount = await vanna(["tx", "bank", "send", "alice", BOB, "1uusdc", ...common]);
    expect(noAccount.code).toBe(1);
    expect(noAccount.stderr).toMatch(/^error: Account '.*' does not exist on chain/);
  });
});
