/**
 * Bad input from peers (reliability matrix (c), p2p rows): garbage gossip, a spammer being graylisted while
 * honest peers keep a healthy score, and raw hostile streams (garbage RPC frames, oversized length prefixes,
 * truncated and slow-loris requests). The receiver must stay up and keep serving honest peers.
 */
import "../../../node/polyfills.js";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import type { Libp2p, Stream } from "@libp2p/interface";
import { tcp } from "@libp2p/tcp";
import { multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { SCORE_THRESHOLDS } from "../../../node/p2p/gossipConfig.js";
import { addrOf, allPairs, record, sleep, startCluster, startNode, stopAll, utf8, waitFor, waitLinked } from "./helpers.js";

const raws: Libp2p[] = [];
afterEach(async () => {
  await Promise.all(raws.splice(0).map((n) => n.stop()));
  await stopAll();
});

/** A bare libp2p node (no gossipsub, no identify) that speaks raw bytes on any protocol. */
async function rawNode(): Promise<Libp2p> {
  const node = await createLibp2p({
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
  });
  raws.push(node);
  return node;
}

/** Drains a stream; resolves with how it ended (remote close or reset). */
async function drain(stream: Stream, timeoutMs: number): Promise<"closed" | "reset" | "timeout"> {
  const timer = setTimeout(() => stream.abort(new Error("test timeout")), timeoutMs);
  try {
    for await (const _ of stream.source) {
      // discard
    }
    return "closed";
  } catch (err) {
    return String(err).includes("test timeout") ? "timeout" : "reset";
  } finally {
    clearTimeout(timer);
  }
}

function varint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

describe("p2p hostile input", () => {
  it("survives garbage on every topic and graylists the spammer, never the honest peer", async () => {
    // victim (0) hears honest (1) and spammer (2).
    const [victim, honest, spammer] = await startCluster(3, "full");
    await waitLinked(allPairs([victim!, honest!, spammer!]));
    const decoded: unknown[] = [];
    for (const topic of ["tx", "consensus", "vote", "evidence"] as const) {
      victim!.onGossip(topic, (bytes) => {
        decoded.push(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown); // throws on garbage
        return "accept";
      });
      honest!.onGossip(topic, () => "ignore"); // honest relays do not vouch for what they cannot parse
    }
    for (let i = 0; i < 12; i++) {
      for (const topic of ["tx", "consensus", "vote", "evidence"] as const) {
        await spammer!.publish(topic, new Uint8Array([0xff, 0xfe, ...randomBytes(1 + (i % 200))]));
      }
    }
    await waitFor(() => victim!.gossipScore(spammer!.peerId) < SCORE_THRESHOLDS.graylistThreshold, "spammer to be graylisted");
    expect(decoded).toEqual([]);
    // gossipsub lets a peer that last scored >= 0 through for up to 1 s (ACCEPT_FROM_WHITELIST_DURATION_MS).
    await sleep(1100);

    // Graylisted: even well-formed messages from the spammer are now dropped unread.
    await spammer!.publish("tx", utf8('{"from":"spammer"}'));
    await honest!.publish("tx", utf8('{"from":"honest"}'));
    await waitFor(() => decoded.length === 1, "the honest message");
    await sleep(600);
    expect(decoded).toEqual([{ from: "honest" }]);
    expect(victim!.gossipScore(honest!.peerId)).toBeGreaterThanOrEqual(0);
  });

  it("survives garbage and oversized frames on the gossipsub stream itself", async () => {
    const [victim, honest] = await startCluster(2, "full", () => ({ maxGossipBytes: 4096 }));
    await waitLinked([[victim!, honest!]]);
    const got = record(victim!, "tx");
    const attacker = await rawNode();
    for (const protocol of ["/meshsub/1.2.0", "/meshsub/1.1.0"]) {
      const stream = await attacker.dialProtocol(multiaddr(addrOf(victim!)), protocol);
      const junk = randomBytes(300);
      // Three well-framed garbage RPCs, then a length prefix far above maxInboundDataLength.
      await stream.sink([varint(junk.length), junk, varint(5), utf8("\x0a\x03abc"), varint(1), new Uint8Array([0xff]), varint(1 << 30), randomBytes(64)]);
      // The victim ends the stream itself (our drain would otherwise report "timeout").
      expect(["closed", "reset"]).toContain(await drain(stream, 2000));
    }
    await honest!.publish("tx", utf8("still alive"));
    await waitFor(() => got.length === 1, "gossip after the attack");
  });

  it("resets oversized, truncated and slow request streams and keeps serving", async () => {
    const server = await startNode({ index: 0, maxReqRespBytes: 1024, tuning: { reqRespReadTimeoutMs: 300 } });
    server.handle("status", async (req) => req);
    const attacker = await rawNode();
    const protocol = server.protocolId("status");
    const target = multiaddr(addrOf(server));

    // Declares 1 GiB: refused on the header, before any payload is buffered.
    const huge = await attacker.dialProtocol(target, protocol);
    void huge.sink([u32(1 << 30), randomBytes(512)]).catch(() => undefined);
    expect(await drain(huge, 2000)).toBe("reset");

    // Truncated: header promises 100 bytes, 10 arrive, then the write side closes.
    const short = await attacker.dialProtocol(target, protocol);
    await short.sink([u32(100), randomBytes(10)]);
    expect(await drain(short, 2000)).toBe("reset");

    // Slow-loris: half a header, then silence until the server's read deadline.
    const slow = await attacker.dialProtocol(target, protocol);
    const t0 = Date.now();
    void slow.sink((async function* () {
      yield new Uint8Array([0, 0]);
      await sleep(3000);
    })()).catch(() => undefined);
    expect(await drain(slow, 2500)).toBe("reset");
    expect(Date.now() - t0).toBeLessThan(1500);

    expect(server.penaltyScore(attacker.peerId.toString())).toBeLessThan(0);

    // An honest client is still served.
    const client = await startNode({ index: 1, persistentPeers: [addrOf(server)] });
    await waitFor(() => client.peers().length === 1, "honest client connection");
    expect(new TextDecoder().decode(await client.request(server.peerId, "status", utf8("hi"), 2000))).toBe("hi");
    expect(server.penaltyScore(client.peerId)).toBe(0);
  });
});
