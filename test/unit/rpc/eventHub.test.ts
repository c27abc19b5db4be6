/** EventHub in isolation: ack-before-events buffering, commit waiters, closing. */
import { describe, expect, it } from "vitest";
import { EventHub, type EventSink } from "../../../node/rpc/subscriptions.js";
import { RpcError } from "../../../node/rpc/jsonrpc.js";
import { FakeBackend } from "./fakeBackend.js";

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function setup(): { hub: EventHub; backend: FakeBackend; sink: EventSink & { sent: string[] } } {
  const backend = new FakeBackend([1]);
  const hub = new EventHub({ maxSubscriptionClients: 10, maxSubscriptionsPerClient: 5, maxCommitWaiters: 2, maxQueryLength: 512 });
  hub.attach(backend);
  const sent: string[] = [];
  return { hub, backend, sink: { sent, send: (t) => sent.push(t) } };
}

describe("EventHub", () => {
  it("holds events back until the subscription is activated, then delivers them in order", async () => {
    const { hub, backend, sink } = setup();
    const activate = hub.subscribe(sink, "tm.event='NewBlock'", 5);
    backend.produceBlock();
    backend.produceBlock();
    await flush();
    await flush();
    expect(sink.sent).toEqual([]);
    activate();
    expect(sink.sent.map((t) => (JSON.parse(t) as { result: { data: { value: { block: { header: { height: string } } } } } }).result.data.value.block.header.height)).toEqual(["2", "3"]);
    backend.produceBlock();
    await flush();
    expect(sink.sent).toHaveLength(3);
    expect(JSON.parse(sink.sent[2]!)).toMatchObject({ jsonrpc: "2.0", id: 5, result: { query: "tm.event='NewBlock'" } });
    hub.close();
  });

  it("resolves a commit waiter on its tx, and cancels cleanly", async () => {
    const { hub, backend } = setup();
    const tx = utf8("wait-for-me-alice");
    const hash = Buffer.from(await crypto.subtle.digest("SHA-256", tx)).toString("hex").toUpperCase();
    const waiter = hub.waitForTx(hash);
    const other = hub.waitForTx("00".repeat(32));
    expect(() => hub.waitForTx("11".repeat(32))).toThrow(expect.objectContaining({ data: "too many broadcast_tx_commit calls waiting (max 2)" }));
    backend.mempool.push(tx);
    backend.produceBlock();
    const ev = await waiter.promise;
    expect(ev.tx).toEqual(tx);
    expect(ev.height).toBe(2n);
    other.cancel();
    await expect(other.promise).rejects.toBeInstanceOf(RpcError);
    // Both slots are free again.
    hub.waitForTx("22".repeat(32)).cancel();
    const last = hub.waitForTx("33".repeat(32));
    hub.close();
    await expect(last.promise).rejects.toMatchObject({ data: "server is shutting down" });
    expect(backend.listenerCount).toBe(0);
  });

  it("survives a sink that throws and keeps delivering to the others", async () => {
    const { hub, backend, sink } = setup();
    const errors: unknown[] = [];
    const hub2 = new EventHub({ maxSubscriptionClients: 10, maxSubscriptionsPerClient: 5, maxCommitWaiters: 2, maxQueryLength: 512, onError: (e) => errors.push(e) });
    hub2.attach(backend);
    // The broken sink is registered first, so it is served first for the same event.
    hub2.subscribe({ send: () => { throw new Error("boom"); } }, "tm.event='NewBlock'", 1)();
    hub2.subscribe(sink, "tm.event='NewBlock'", 2)();
    backend.mempool.push(utf8("x-alice"));
    backend.produceBlock();
    await flush();
    await flush();
    expect(errors.map((e) => (e as Error).message)).toContain("boom");
    expect(sink.sent).toHaveLength(1);
    hub.close();
    hub2.close();
  });
});
