/**
 * Request-response over real libp2p on 127.0.0.1: round trip, handler errors, timeouts, size caps in both
 * directions, unsupported protocols and isolated peers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { connected, portOf, startCluster, startNode, stopAll, utf8, waitFor, sleep } from "./helpers.js";
import { ReqRespError } from "../../../node/p2p/reqResp.js";

afterEach(stopAll);

const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ReqRespError);
    return (err as ReqRespError).code;
  }
  throw new Error("expected the request to fail");
}

describe("p2p request-response", () => {
  it("round-trips a request, tells the handler who asked, and handles empty payloads", async () => {
    const [a, b] = await startCluster(2, "full");
    await waitFor(() => connected(a!, b!), "a-b connection");
    const askers: string[] = [];
    b!.handle("status", async (req, from) => {
      askers.push(from);
      return utf8(`pong:${text(req)}`);
    });
    b!.handle("blocks", async () => new Uint8Array(0));

    expect(text(await a!.request(b!.peerId, "status", utf8("ping"), 2000))).toBe("pong:ping");
    expect(await a!.request(b!.peerId, "blocks", new Uint8Array(0), 2000)).toEqual(new Uint8Array(0));
    expect(askers).toEqual([a!.peerId]);

    // A large response near the cap streams across many yamux frames.
    const big = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    b!.handle("blocks", async () => big);
    const got = await a!.request(b!.peerId, "blocks", utf8("all"), 10_000);
    // Buffer.equals, not toEqual: vitest's deep equality walks 3M elements one by one.
    expect(Buffer.from(got).equals(big)).toBe(true);

    // Concurrent requests on separate streams do not interfere.
    const replies = await Promise.all([1, 2, 3, 4, 5].map((i) => a!.request(b!.peerId, "status", utf8(String(i)), 2000)));
    expect(replies.map(text)).toEqual(["pong:1", "pong:2", "pong:3", "pong:4", "pong:5"]);
  });

  it("answers a throwing handler with an error frame and keeps serving", async () => {
    const [a, b] = await startCluster(2, "full");
    await waitFor(() => connected(a!, b!), "a-b connection");
    let calls = 0;
    b!.handle("blocks", async () => {
      calls++;
      if (calls === 1) throw new Error("block store unavailable");
      return utf8("block-1");
    });
    await expect(a!.request(b!.peerId, "blocks", utf8("1"), 2000)).rejects.toThrow(/remote error: block store unavailable/);
    expect(text(await a!.request(b!.peerId, "blocks", utf8("1"), 2000))).toBe("block-1");
    // A remote error is not misbehaviour.
    expect(a!.penaltyScore(b!.peerId)).toBe(0);
  });

  it("rejects on timeout without waiting for a slow handler, and without penalising it", async () => {
    const [a, b] = await startCluster(2, "full");
    await waitFor(() => connected(a!, b!), "a-b connection");
    b!.handle("status", async () => {
      await sleep(1500);
      return utf8("late");
    });
    const t0 = Date.now();
    expect(await codeOf(a!.request(b!.peerId, "status", utf8("?"), 300))).toBe("TIMEOUT");
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(a!.penaltyScore(b!.peerId)).toBe(0);
    // The late handler finishing into a reset stream must not hurt b.
    await sleep(1400);
    b!.handle("status", async () => utf8("on time"));
    expect(text(await a!.request(b!.peerId, "status", utf8("?"), 2000))).toBe("on time");
  });

  it("caps sizes: local oversize request, oversize response (penalised), response over the server's own cap", async () => {
    const [a, b] = await startCluster(2, "full", (i) => ({ maxReqRespBytes: i === 0 ? 1024 : 8192 }));
    await waitFor(() => connected(a!, b!), "a-b connection");
    b!.handle("blocks", async (req) => new Uint8Array(Number(text(req))));

    expect(await codeOf(a!.request(b!.peerId, "blocks", new Uint8Array(1025), 2000))).toBe("OVERSIZED_REQUEST");
    expect((await a!.request(b!.peerId, "blocks", utf8("1024"), 2000)).length).toBe(1024);
    expect(await codeOf(a!.request(b!.peerId, "blocks", utf8("4096"), 2000))).toBe("OVERSIZED_RESPONSE");
    expect(a!.penaltyScore(b!.peerId)).toBeLessThan(0);
    // b refuses to send more than its own cap and says so.
    await expect(a!.request(b!.peerId, "blocks", utf8("9000"), 2000)).rejects.toThrow(/remote error: response too large/);
  });

  it("fails cleanly for unsupported protocols, unknown peers, bad peer ids and isolated peers", async () => {
    const [a, b] = await startCluster(2, "full");
    await waitFor(() => connected(a!, b!), "a-b connection");
    const stranger = await startNode({ index: 7 });
    expect(["DIAL_FAILED", "STREAM_ERROR"]).toContain(await codeOf(a!.request(b!.peerId, "status", utf8("?"), 2000)));
    expect(["DIAL_FAILED", "TIMEOUT"]).toContain(await codeOf(a!.request(stranger.peerId, "status", utf8("?"), 1000)));
    expect(await codeOf(a!.request("not-a-peer-id", "status", utf8("?"), 1000))).toBe("DIAL_FAILED");

    b!.handle("status", async () => utf8("ok"));
    await a!.isolate([b!.peerId]);
    expect(await codeOf(a!.request(b!.peerId, "status", utf8("?"), 1000))).toBe("DIAL_FAILED");
    await a!.heal();
    await waitFor(() => connected(a!, b!), "a-b reconnection");
    expect(text(await a!.request(b!.peerId, "status", utf8("?"), 2000))).toBe("ok");
  });

  it("rejects requests and publishes on a stopped network, and can start again", async () => {
    const [a] = await startCluster(1, "full");
    await a!.stop();
    await expect(a!.request(a!.peerId, "status", utf8("?"), 100)).rejects.toThrow(/not started/);
    await expect(a!.publish("tx", utf8("?"))).rejects.toThrow(/not started/);
    expect(a!.peers()).toEqual([]);
    expect(a!.listenAddrs()).toEqual([]);
    // The same instance can start again (a node restart within one process).
    await a!.start();
    expect(a!.listenAddrs().length).toBe(1);
    await expect(a!.publish("tx", utf8("back"))).resolves.toBeUndefined();
    // A second node on the same port fails to start, cleanly.
    await expect(startNode({ index: 3, listenPort: portOf(a!) })).rejects.toThrow();
  });
});
