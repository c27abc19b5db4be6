/** WebSocket subscriptions: cosmjs streams and the raw protocol (ids, ack order, limits, unsubscribe). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Comet38Client, type comet38 } from "@cosmjs/tendermint-rpc";
import { toHex } from "@cosmjs/encoding";
import type { Subscription } from "xstream";
import { sha256 } from "./fakeBackend.js";
import { RawWs, sleep, startHarness, type Harness } from "./harness.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.server.close();
  expect(h.errors).toEqual([]);
});

/** Produces blocks (each with one alice and one bob tx) until `done()` or the deadline. */
async function produceUntil(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let n = 0;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("no event arrived");
    n++;
    h.backend.mempool.push(utf8(`sub-${Date.now()}-${n}-alice`), utf8(`sub-${Date.now()}-${n}-bob`));
    h.backend.produceBlock();
    await sleep(30);
  }
}

describe("cosmjs Comet38Client subscriptions", () => {
  let client: Comet38Client;
  beforeAll(async () => {
    client = await Comet38Client.connect(h.wsUrl);
  });
  afterAll(() => client.disconnect());

  it("subscribeNewBlock and subscribeNewBlockHeader receive pushed blocks", async () => {
    const blocks: comet38.NewBlockEvent[] = [];
    const headers: comet38.NewBlockHeaderEvent[] = [];
    const subs: Subscription[] = [
      client.subscribeNewBlock().subscribe({ next: (b) => blocks.push(b), error: (e) => blocks.push(e as never) }),
      client.subscribeNewBlockHeader().subscribe({ next: (x) => headers.push(x) }),
    ];
    await produceUntil(() => blocks.length >= 2 && headers.length >= 2);
    subs.forEach((s) => s.unsubscribe());
    const last = blocks[blocks.length - 1]!;
    expect(last.header.chainId).toBe("vanna-test-1");
    expect(last.txs).toHaveLength(2);
    expect(last.lastCommit?.height).toBe(last.header.height - 1);
    expect(blocks[1]!.header.height).toBe(blocks[0]!.header.height + 1);
    expect(headers.map((x) => x.height)).toContain(last.header.height);
  });

  it("subscribeTx receives every tx; with a query only the matching ones", async () => {
    const all: comet38.TxEvent[] = [];
    const alice: comet38.TxEvent[] = [];
    const errors: unknown[] = [];
    const s1 = client.subscribeTx().subscribe({ next: (t) => all.push(t), error: (e) => errors.push(e) });
    const s2 = client.subscribeTx("message.sender='cosmos1alice'").subscribe({ next: (t) => alice.push(t), error: (e) => errors.push(e) });
    await produceUntil(() => errors.length > 0 || (all.length >= 4 && alice.length >= 2));
    expect(errors).toEqual([]);
    await produceUntil(() => all.length >= 4 && alice.length >= 2);
    s1.unsubscribe();
    s2.unsubscribe();
    expect(alice.every((t) => new TextDecoder().decode(t.tx).endsWith("alice"))).toBe(true);
    expect(all.some((t) => new TextDecoder().decode(t.tx).endsWith("bob"))).toBe(true);
    const t = alice[0]!;
    expect(t.hash).toEqual(sha256(t.tx));
    expect(t.result.code).toBe(0);
    expect(t.height).toBeGreaterThan(5);
  });
});

describe("raw subscription protocol", () => {
  it("acks with the request id, then events reuse that id with result.query, data and events", async () => {
    const ws = await RawWs.open(`${h.wsUrl}/websocket`);
    const ack = await ws.call(77, "subscribe", { query: "tm.event='Tx'" });
    expect(ack).toEqual({ jsonrpc: "2.0", id: 77, result: {} });
    const ackIndex = ws.messages.indexOf(ack);
    await produceUntil(() => ws.messages.length > ackIndex + 1);
    const ev = ws.messages[ackIndex + 1] as { id: number; result: { query: string; data: { type: string; value: { TxResult: Record<string, unknown> } }; events: Record<string, string[]> } };
    expect(ev.id).toBe(77);
    expect(ev.result.query).toBe("tm.event='Tx'");
    expect(ev.result.data.type).toBe("tendermint/event/Tx");
    const txr = ev.result.data.value.TxResult;
    expect(typeof txr.height).toBe("string");
    expect(typeof txr.index).toBe("number");
    const tx = Buffer.from(txr.tx as string, "base64");
    expect(ev.result.events["tm.event"]).toEqual(["Tx"]);
    expect(ev.result.events["tx.hash"]).toEqual([toHex(sha256(tx)).toUpperCase()]);
    expect(ev.result.events["tx.height"]).toEqual([txr.height]);
    expect(ev.result.events["message.sender"]).toHaveLength(1);
    ws.close();
  });

  it("keeps string ids, publishes NewBlockEvents with block.height, and filters by block.height", async () => {
    const ws = await RawWs.open(`${h.wsUrl}/websocket`);
    const next = BigInt(h.backend.blocks.length + 1);
    await ws.call("s-1", "subscribe", { query: `tm.event='NewBlockEvents' AND block.height=${next}` });
    await produceUntil(() => ws.messages.length >= 2);
    await sleep(100);
    h.backend.produceBlock();
    await sleep(100);
    const events = ws.messages.filter((m) => m.id === "s-1" && (m.result as { query?: string }).query);
    expect(events).toHaveLength(1);
    const data = (events[0]!.result as { data: { type: string; value: { height: string } } }).data;
    expect(data).toMatchObject({ type: "tendermint/event/NewBlockEvents", value: { height: String(next) } });
    ws.close();
  });

  it("rejects duplicates, bad queries and too many subscriptions; unsubscribe stops events", async () => {
    const ws = await RawWs.open(h.wsUrl.replace(/\/?$/, "/websocket"));
    expect((await ws.call(1, "subscribe", { query: "tm.event='NewBlock'" })).result).toEqual({});
    expect((await ws.call(2, "subscribe", { query: "tm.event = 'NewBlock'" })).error).toMatchObject({ code: -32603, data: "already subscribed" });
    expect((await ws.call(3, "subscribe", { query: "tm.event=='x'" })).error).toMatchObject({ code: -32602 });
    expect((await ws.call(4, "subscribe", {})).error).toMatchObject({ code: -32602, data: "query: required" });
    expect((await ws.call(5, "subscribe", { query: "tm.event='Tx'" })).result).toEqual({});
    expect((await ws.call(6, "subscribe", { query: "tm.event='NewBlockHeader'" })).result).toEqual({});
    expect((await ws.call(61, "subscribe", { query: "tm.event='NewBlockEvents'" })).result).toEqual({});
    expect((await ws.call(62, "subscribe", { query: "tm.event='Tx' AND tx.height>1" })).result).toEqual({});
    const over = await ws.call(7, "subscribe", { query: "tm.event='Tx' AND tx.height>2" });
    expect(over.error).toMatchObject({ code: -32603, data: "max_subscriptions_per_client 5 reached" });

    expect((await ws.call(8, "unsubscribe", { query: "tm.event='NewBlock'" })).result).toEqual({});
    expect((await ws.call(9, "unsubscribe", { query: "tm.event='NewBlock'" })).error).toMatchObject({ data: "subscription not found" });
    expect((await ws.call(10, "unsubscribe_all")).result).toEqual({});
    expect((await ws.call(11, "unsubscribe_all")).error).toMatchObject({ data: "subscription not found" });
    const before = ws.messages.length;
    h.backend.mempool.push(utf8("after-unsubscribe-alice"));
    h.backend.produceBlock();
    await sleep(150);
    expect(ws.messages.length).toBe(before);
    // Normal calls still work on the same socket.
    expect((await ws.call(12, "health")).result).toEqual({});
    ws.close();
  });

  it("refuses subscriptions over HTTP and drops a closed socket's subscriptions", async () => {
    const res = await fetch(h.httpUrl, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='Tx'" } }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(-32601);

    const ws = await RawWs.open(`${h.wsUrl}/websocket`);
    await ws.call(1, "subscribe", { query: "tm.event='Tx'" });
    ws.ws.terminate();
    await sleep(50);
    h.backend.mempool.push(utf8("after-close-alice"));
    h.backend.produceBlock(); // delivering to a dead socket must not throw
    await sleep(50);
    expect(h.backend.listenerCount).toBe(1);
  });
});

describe("subscription client limit", () => {
  it("refuses more subscribing clients than allowed, and frees the slot on close", async () => {
    const hh = await startHarness({ maxSubscriptionClients: 1 });
    try {
      const a = await RawWs.open(`${hh.wsUrl}/websocket`);
      const b = await RawWs.open(`${hh.wsUrl}/websocket`);
      expect((await a.call(1, "subscribe", { query: "tm.event='Tx'" })).result).toEqual({});
      expect((await b.call(1, "subscribe", { query: "tm.event='Tx'" })).error).toMatchObject({ data: "max_subscription_clients 1 reached" });
      a.close();
      await sleep(100);
      expect((await b.call(2, "subscribe", { query: "tm.event='Tx'" })).result).toEqual({});
      b.close();
    } finally {
      await hh.server.close();
    }
  });
});
