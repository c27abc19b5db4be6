/** Unmodified cosmjs 0.39 against the real server (HTTP and WebSocket) over an in-memory backend. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Comet38Client, connectComet, type ReadonlyDateWithNanoseconds } from "@cosmjs/tendermint-rpc";
import { StargateClient } from "@cosmjs/stargate";
import { toHex } from "@cosmjs/encoding";
import { CHAIN_ID, MSG_SEND_DATA, sha256 } from "./fakeBackend.js";
import { startHarness, type Harness } from "./harness.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const upperHex = (b: Uint8Array): string => toHex(b).toUpperCase();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ broadcastTxCommitTimeoutMs: 3000 });
});
afterAll(async () => {
  await h.server.close();
  expect(h.errors).toEqual([]);
});

async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(["http", "ws"] as const)("Comet38Client over %s", (transport) => {
  let client: Comet38Client;
  beforeAll(async () => {
    client = await Comet38Client.connect(transport === "http" ? h.httpUrl : h.wsUrl);
  });
  afterAll(() => client.disconnect());

  it("status", async () => {
    const s = await client.status();
    expect(s.nodeInfo.network).toBe(CHAIN_ID);
    expect(s.nodeInfo.version).toBe("0.38.17");
    expect(s.nodeInfo.moniker).toBe("fake-node");
    expect(s.nodeInfo.other.get("tx_index")).toBe("on");
    expect(s.syncInfo.latestBlockHeight).toBeGreaterThanOrEqual(5);
    expect(s.syncInfo.earliestBlockHeight).toBe(1);
    expect(upperHex(s.syncInfo.latestBlockHash)).toBe(upperHex(h.backend.latest().stored.blockId.hash));
    expect(s.syncInfo.catchingUp).toBe(false);
    expect(s.validatorInfo.pubkey?.algorithm).toBe("ed25519");
  });

  it("block: first block has no last commit, later ones do; nanoseconds survive", async () => {
    const b1 = await client.block(1);
    expect(b1.block.header.height).toBe(1);
    expect(b1.block.header.lastBlockId).toBeNull();
    expect(b1.block.lastCommit).toBeNull();
    expect(b1.block.txs).toEqual([]);
    const b2 = await client.block(2);
    expect(b2.block.txs.map((t) => new TextDecoder().decode(t))).toEqual(["tx-2-0-from-alice", "tx-2-1-from-bob", "tx-2-2-from-alice"]);
    expect(b2.block.lastCommit?.height).toBe(1);
    expect(upperHex(b2.block.header.lastBlockId!.hash)).toBe(upperHex(b1.blockId.hash));
    expect(b2.blockId.parts.total).toBe(1);
    expect(b2.block.header.time.nanoseconds).toBe(456_789);
    const latest = await client.block();
    expect(latest.block.header.height).toBe((await client.status()).syncInfo.latestBlockHeight);
  });

  it("block errors for future or zero heights", async () => {
    await expect(client.block(1000)).rejects.toThrow(/must be less than or equal to the current blockchain height/);
    await expect(client.block(0)).rejects.toThrow(/-32602/);
  });

  it("blockResults", async () => {
    const r = await client.blockResults(2);
    expect(r.height).toBe(2);
    expect(r.results).toHaveLength(3);
    expect(r.results[0]?.code).toBe(0);
    expect(r.results[0]?.gasUsed).toBe(50_017n);
    expect(r.results[0]?.events.find((e) => e.type === "message")?.attributes[1]).toEqual({ key: "sender", value: "cosmos1alice" });
    expect(r.finalizeBlockEvents[0]?.type).toBe("block_reward");
    expect(r.validatorUpdates).toHaveLength(1);
    expect(r.validatorUpdates[0]?.pubkey.algorithm).toBe("ed25519");
  });

  it("blockchain: newest first, clamped", async () => {
    const all = await client.blockchain();
    expect(all.blockMetas[0]?.header.height).toBe(all.lastHeight);
    expect(all.blockMetas.map((m) => m.header.height).slice(-2)).toEqual([2, 1]);
    const some = await client.blockchain(2, 3);
    expect(some.blockMetas.map((m) => m.header.height)).toEqual([3, 2]);
    expect(some.blockMetas[1]?.numTxs).toBe(3);
    await expect(client.blockchain(4, 2)).rejects.toThrow(/can't be greater than max height/);
  });

  it("commit", async () => {
    const c = await client.commit(3);
    expect(c.canonical).toBe(true);
    expect(c.header.height).toBe(3);
    expect(c.commit.height).toBe(3);
    expect(c.commit.signatures.map((s) => s.blockIdFlag)).toEqual([2, 1]);
    expect((c.commit.signatures[0]?.timestamp as ReadonlyDateWithNanoseconds | undefined)?.nanoseconds).toBe(456_790);
    expect((await client.commit()).canonical).toBe(false);
  });

  it("validatorsAll pages through 75 validators", async () => {
    const v = await client.validatorsAll(3);
    expect(v.total).toBe(75);
    expect(v.validators).toHaveLength(75);
    expect(new Set(v.validators.map((x) => toHex(x.address))).size).toBe(75);
    const page2 = await client.validators({ height: 3, page: 2, per_page: 50 });
    expect(page2.count).toBe(25);
    await expect(client.validators({ page: 3, per_page: 50 })).rejects.toThrow(/page should be within \[1, 2\] range, given 3/);
  });

  it("genesis, health, numUnconfirmedTxs, abciInfo", async () => {
    const g = await client.genesis();
    expect(g.chainId).toBe(CHAIN_ID);
    expect(g.validators).toHaveLength(1);
    expect(g.consensusParams.block?.maxBytes).toBe(22020096);
    expect((g.genesisTime as ReadonlyDateWithNanoseconds).nanoseconds).toBe(456_789);
    expect(await client.health()).toBeNull();
    const u = await client.numUnconfirmedTxs();
    expect(u.total).toBe(h.backend.mempool.length);
    const info = await client.abciInfo();
    expect(info.lastBlockAppHash).toEqual(h.backend.abciInfo().lastBlockAppHash);
  });

  it("tx by hash", async () => {
    const raw = utf8("tx-3-1-from-bob");
    const t = await client.tx({ hash: sha256(raw) });
    expect(t.height).toBe(3);
    expect(t.index).toBe(1);
    expect(t.tx).toEqual(raw);
    expect(t.result.data).toEqual(MSG_SEND_DATA);
    await expect(client.tx({ hash: sha256(utf8("nope")) })).rejects.toThrow(/not found/);
  });

  it("txSearch pagination and txSearchAll with exact total_count", async () => {
    const page = await client.txSearch({ query: "tx.height=4", page: 2, per_page: 10 });
    expect(page.totalCount).toBe(40);
    expect(page.txs.map((t) => t.index)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const desc = await client.txSearch({ query: "tx.height=4", per_page: 3, order_by: "desc" });
    expect(desc.txs.map((t) => t.index)).toEqual([39, 38, 37]);
    const all = await client.txSearchAll({ query: "message.sender='cosmos1alice' AND tx.height<=5", per_page: 5 });
    expect(all.totalCount).toBe(24);
    expect(new Set(all.txs.map((t) => toHex(t.hash))).size).toBe(24);
    const none = await client.txSearch({ query: "tx.hash='00'" });
    expect(none).toMatchObject({ totalCount: 0, txs: [] });
    await expect(client.txSearch({ query: "tx.height=4", page: 5, per_page: 10 })).rejects.toThrow(/page should be within/);
    await expect(client.txSearch({ query: "tx.height=" })).rejects.toThrow(/failed to parse query/);
  });

  it("abciQuery", async () => {
    const r = await client.abciQuery({ path: "/echo", data: new Uint8Array([1, 2, 3]) });
    expect(r.code).toBe(0);
    expect(r.value).toEqual(new Uint8Array([3, 2, 1]));
    expect(r.height).toBeGreaterThan(0);
    const bad = await client.abciQuery({ path: "/nope", data: new Uint8Array() });
    expect(bad.code).toBe(6);
    expect(bad.log).toBe("unknown query path: unknown request");
    await expect(client.abciQuery({ path: "/echo", data: new Uint8Array([1]), height: 1000 })).rejects.toThrow(/current blockchain height/);
  });

  it("broadcastTxSync: ok, CheckTx failure, duplicate", async () => {
    const tx = utf8(`sync-${transport}-from-alice`);
    const r = await client.broadcastTxSync({ tx });
    expect(r.code).toBe(0);
    expect(r.hash).toEqual(sha256(tx));
    expect(h.backend.mempool.some((t) => toHex(t) === toHex(tx))).toBe(true);
    const bad = await client.broadcastTxSync({ tx: utf8(`bad-${transport}`) });
    expect(bad.code).toBe(13);
    expect(bad.log).toBe("insufficient fee");
    await expect(client.broadcastTxSync({ tx })).rejects.toThrow(/tx already exists in cache/);
    h.backend.produceBlock();
  });

  it("broadcastTxAsync returns the hash at once", async () => {
    const tx = utf8(`async-${transport}-from-alice`);
    const r = await client.broadcastTxAsync({ tx });
    expect(r.hash).toEqual(sha256(tx));
    expect(h.backend.mempool.some((t) => toHex(t) === toHex(tx))).toBe(true);
    h.backend.produceBlock();
  });

  it("broadcastTxCommit waits for inclusion", async () => {
    const tx = utf8(`commit-${transport}-from-bob`);
    const pending = client.broadcastTxCommit({ tx });
    await waitFor(() => h.backend.mempool.some((t) => toHex(t) === toHex(tx)));
    const block = h.backend.produceBlock();
    const r = await pending;
    expect(r.height).toBe(Number(block.block.header.height));
    expect(r.checkTx.code).toBe(0);
    expect(r.txResult?.code).toBe(0);
    expect(r.txResult?.data).toEqual(MSG_SEND_DATA);
    expect(r.hash).toEqual(sha256(tx));
  });

  it("broadcastTxCommit returns at once when CheckTx fails", async () => {
    const r = await client.broadcastTxCommit({ tx: utf8(`bad-commit-${transport}`) });
    expect(r.checkTx.code).toBe(13);
    expect(r.height).toBe(0);
    expect(r.txResult).toBeUndefined();
  });
});

describe("version detection", () => {
  it("connectComet picks Comet38Client", async () => {
    const c = await connectComet(h.httpUrl);
    expect(c).toBeInstanceOf(Comet38Client);
    c.disconnect();
  });
});

describe.each(["http", "ws"] as const)("StargateClient over %s", (transport) => {
  let client: StargateClient;
  beforeAll(async () => {
    client = await StargateClient.connect(transport === "http" ? h.httpUrl : h.wsUrl);
  });
  afterAll(() => client.disconnect());

  it("getChainId, getHeight, getBlock", async () => {
    expect(await client.getChainId()).toBe(CHAIN_ID);
    const height = await client.getHeight();
    expect(height).toBe(h.backend.blocks.length);
    const b = await client.getBlock(2);
    expect(b.id).toBe(upperHex(h.backend.blocks[1]!.stored.blockId.hash));
    expect(b.header.chainId).toBe(CHAIN_ID);
    expect(b.header.time).toBe("2025-06-15T15:06:42.123456789Z");
    expect(b.txs).toHaveLength(3);
    expect((await client.getBlock()).header.height).toBe(height);
  });

  it("getTx and searchTx", async () => {
    const raw = utf8("tx-4-7-from-bob");
    const t = await client.getTx(upperHex(sha256(raw)));
    expect(t).not.toBeNull();
    expect(t).toMatchObject({ height: 4, txIndex: 7, code: 0, rawLog: "", gasUsed: 50_015n, gasWanted: 200_000n });
    expect(t?.tx).toEqual(raw);
    expect(t?.msgResponses[0]?.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSendResponse");
    expect(await client.getTx(upperHex(sha256(utf8("missing"))))).toBeNull();
    expect(await client.getTx(toHex(sha256(raw)))).not.toBeNull(); // lowercase hash works too
    const bob = await client.searchTx([{ key: "message.sender", value: "cosmos1bob" }, { key: "tx.height", value: 4 }]);
    expect(bob).toHaveLength(20);
    expect(bob.every((x) => x.events.some((e) => e.attributes.some((a) => a.value === "cosmos1bob")))).toBe(true);
    expect(await client.searchTx("tx.height=3")).toHaveLength(2);
  });
});
