/**
 * A real `vanna dev` process, used by unmodified cosmjs exactly as a trader's wallet would: StargateClient
 * reads, SigningStargateClient sends with fee "auto" and a fixed fee, WebSocket subscriptions, proofs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient, assertIsDeliverTxSuccess } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { toHex } from "@cosmjs/encoding";
import { QueryBalanceRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { DEV_MNEMONIC } from "../../node/config/devAccounts.js";
import { verifyKeyProof } from "../../src/store/index.js";
import { parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import { freePort, removeHome, rpc, startDevNode, tempHome, type NodeProcess } from "../support/nodeProcess.js";

let node: NodeProcess;
let home: string;
let wallet: DirectSecp256k1HdWallet;
let addrs: string[];
let client: StargateClient;

beforeAll(async () => {
  home = tempHome();
  node = await startDevNode(home, await freePort(), ["--block-time", "200ms"]);
  wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "vanna", hdPaths: [0, 1, 2, 3].map((i) => makeCosmoshubPath(i)) });
  addrs = (await wallet.getAccounts()).map((a) => a.address);
  client = await StargateClient.connect(node.rpcUrl);
});

afterAll(async () => {
  client?.disconnect();
  await node?.stop();
  removeHome(home);
});

describe("StargateClient against a live node", () => {
  it("reads chain id, height, accounts, balances and blocks", async () => {
    expect(await client.getChainId()).toBe("vanna-dev-1");
    expect(await client.getHeight()).toBeGreaterThanOrEqual(1);
    const account = await client.getAccount(addrs[3]!);
    expect(account).toMatchObject({ address: addrs[3], accountNumber: 3n, sequence: 0, pubkey: null });
    expect(await client.getAccount(toBech32Address("vanna", new Uint8Array(20).fill(7)))).toBeNull();
    expect(await client.getAllBalances(addrs[3]!)).toEqual([
      { denom: "uusdc", amount: "1000000000000" },
      { denom: "uvanna", amount: "1000000000" },
    ]);
    expect(await client.getBalance(addrs[3]!, "uatom")).toEqual({ denom: "uatom", amount: "0" });
    const block = await client.getBlock(1);
    expect(block.header.height).toBe(1);
    expect(block.header.chainId).toBe("vanna-dev-1");
    expect(block.id).toMatch(/^[0-9A-F]{64}$/);
  });
});

describe("SigningStargateClient against a live node", () => {
  it("sends with fee auto and with a fixed fee; balances move by exactly the amount plus the fee", async () => {
    const signer = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, {
      gasPrice: GasPrice.fromString("0.0025uvanna"),
      broadcastPollIntervalMs: 200,
    });
    const [a, b] = [addrs[0]!, addrs[1]!];
    const before = { aU: BigInt((await client.getBalance(a, "uusdc")).amount), aV: BigInt((await client.getBalance(a, "uvanna")).amount), bU: BigInt((await client.getBalance(b, "uusdc")).amount) };

    const auto = await signer.sendTokens(a, b, [{ denom: "uusdc", amount: "1234567" }], "auto", "fee auto");
    assertIsDeliverTxSuccess(auto);
    const autoTx = await client.getTx(auto.transactionHash);
    expect(autoTx?.code).toBe(0);
    // The fee cosmjs computed: ceil(gasWanted * 0.0025).
    const autoFee = (auto.gasWanted * 25n + 9999n) / 10000n;
    expect(auto.gasUsed).toBeLessThanOrEqual(auto.gasWanted);

    const fixed = await signer.sendTokens(a, b, [{ denom: "uusdc", amount: "1000" }], { amount: [{ denom: "uvanna", amount: "600" }], gas: "200000" });
    assertIsDeliverTxSuccess(fixed);

    expect(BigInt((await client.getBalance(a, "uusdc")).amount)).toBe(before.aU - 1_235_567n);
    expect(BigInt((await client.getBalance(b, "uusdc")).amount)).toBe(before.bU + 1_235_567n);
    expect(BigInt((await client.getBalance(a, "uvanna")).amount)).toBe(before.aV - autoFee - 600n);
    const account = await client.getAccount(a);
    expect(account?.sequence).toBe(2);
    expect(account?.pubkey?.type).toBe("tendermint/PubKeySecp256k1");

    const found = await client.searchTx(`message.sender='${a}'`);
    expect(found.map((t) => t.hash)).toEqual(expect.arrayContaining([auto.transactionHash, fixed.transactionHash]));
    const byHeight = await client.searchTx(`tx.height=${fixed.height}`);
    expect(byHeight.map((t) => t.hash)).toContain(fixed.transactionHash);
    signer.disconnect();
  });

  it("a rejected tx surfaces the Cosmos code and log, and the node keeps running", async () => {
    const signer = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, { broadcastPollIntervalMs: 200 });
    await expect(
      signer.sendTokens(addrs[2]!, addrs[1]!, [{ denom: "uusdc", amount: "1" }], { amount: [{ denom: "uvanna", amount: "1" }], gas: "200000" }),
    ).rejects.toThrow(/code 13.*insufficient fees/);
    const garbage = await fetch(node.rpcUrl, { method: "POST", body: "{not json" });
    expect(garbage.status).toBe(200);
    expect(((await garbage.json()) as { error: { code: number } }).error.code).toBe(-32700);
    const bad = await rpc<{ code: number; log: string }>(node.rpcUrl, "broadcast_tx_sync", { tx: Buffer.from("garbage").toString("base64") });
    expect(bad.code).toBe(2);
    expect(await client.getHeight()).toBeGreaterThan(0);
    signer.disconnect();
  });
});

describe("WebSocket subscriptions", () => {
  it("delivers NewBlock and Tx events", async () => {
    const ws = await Comet38Client.connect(node.rpcUrl.replace("http", "ws"));
    const blocks: number[] = [];
    const blockSub = ws.subscribeNewBlock().subscribe({ next: (b) => blocks.push(b.header.height) });
    const txSeen = new Promise<{ height: number; hash: string }>((resolve) => {
      ws.subscribeTx(`tm.event='Tx' AND message.sender='${addrs[2]}'`).subscribe({ next: (t) => resolve({ height: t.height, hash: toHex(t.hash).toUpperCase() }) });
    });
    const signer = await SigningStargateClient.connectWithSigner(node.rpcUrl, wallet, { gasPrice: GasPrice.fromString("0.0025uvanna"), broadcastPollIntervalMs: 200 });
    const sent = await signer.sendTokens(addrs[2]!, addrs[3]!, [{ denom: "uusdc", amount: "77" }], "auto");
    const ev = await txSeen;
    expect(ev).toEqual({ height: sent.height, hash: sent.transactionHash });
    await new Promise((r) => setTimeout(r, 600));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(blocks[1]! - blocks[0]!).toBe(1);
    blockSub.unsubscribe();
    ws.disconnect();
    signer.disconnect();
  });
});

describe("abci_query with proofs", () => {
  it("serves a balance with a Merkle proof that verifies against the committed app hash", async () => {
    const addr = parseBech32Address(addrs[3]!, "vanna");
    // bank balance key inside the module: 0x02 ‖ len(addr) ‖ addr ‖ denom
    const key = new Uint8Array([0x02, addr.length, ...addr, ...new TextEncoder().encode("uusdc")]);
    const res = await rpc<{ response: { code: number; value: string; height: string; proofOps: { ops: Array<{ type: string; key: string; data: string }> } } }>(
      node.rpcUrl,
      "abci_query",
      { path: "/store/bank/key", data: toHex(key), prove: true },
    );
    expect(res.response.code ?? 0).toBe(0);
    const value = Buffer.from(res.response.value, "base64");
    const op = res.response.proofOps.ops[0]!;
    const height = Number(res.response.height);
    // The state after block H is committed by the app hash in block H+1's header.
    await new Promise((r) => setTimeout(r, 500));
    const next = await rpc<{ block: { header: { app_hash: string } } }>(node.rpcUrl, "block", { height: String(height + 1) });
    const appHash = Buffer.from(next.block.header.app_hash, "hex");
    expect(verifyKeyProof(appHash, Buffer.from(op.key, "base64"), value, Buffer.from(op.data, "base64"))).toBe(true);
    expect(verifyKeyProof(appHash, Buffer.from(op.key, "base64"), new Uint8Array([...value, 0x31]), Buffer.from(op.data, "base64"))).toBe(false);
    // The same balance through the gRPC path agrees.
    const grpc = await rpc<{ response: { value: string } }>(node.rpcUrl, "abci_query", {
      path: "/cosmos.bank.v1beta1.Query/Balance",
      data: toHex(QueryBalanceRequest.encode({ address: addrs[3]!, denom: "uusdc" }).finish()),
    });
    expect(grpc.response.value.length).toBeGreaterThan(0);
  });
});
