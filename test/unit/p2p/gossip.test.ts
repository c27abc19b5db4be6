/**
 * Gossip over real libp2p on 127.0.0.1: persistent-peer connection, delivery to all but the sender, validation
 * verdicts stopping propagation, size caps, partition by isolate()/heal(), and restart with the same identity.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  addrOf,
  allPairs,
  connected,
  portOf,
  record,
  seedOf,
  sleep,
  startCluster,
  startNode,
  stopAll,
  stopNode,
  utf8,
  waitFor,
  waitLinked,
} from "./helpers.js";
import { peerIdFromSeed } from "../../../node/p2p/libp2pNetwork.js";

afterEach(stopAll);

describe("p2p gossip", () => {
  it("connects persistent peers into a full mesh and delivers to every peer but the sender, once", async () => {
    const nets = await startCluster(4, "full");
    await waitFor(() => nets.every((n) => n.peers().length === 3), "every node to see 3 peers");
    for (const n of nets) {
      expect(n.listenAddrs().every((a) => a.startsWith("/ip4/127.0.0.1/tcp/") && a.endsWith(`/p2p/${n.peerId}`))).toBe(true);
      expect(portOf(n)).toBeGreaterThan(0);
    }
    await waitLinked(allPairs(nets));
    const inboxes = nets.map((n) => record(n, "tx"));
    const votes = nets.map((n) => record(n, "vote"));

    await nets[0]!.publish("tx", utf8("tx-1"));
    await nets[2]!.publish("vote", utf8("vote-1"));
    await waitFor(() => [1, 2, 3].every((i) => inboxes[i]!.length === 1), "tx-1 on nodes 1-3");
    await waitFor(() => [0, 1, 3].every((i) => votes[i]!.length === 1), "vote-1 on nodes 0,1,3");
    await sleep(700); // a heartbeat or two for any duplicate or echo to show up
    expect(inboxes[0]).toEqual([]);
    expect(votes[2]).toEqual([]);
    for (const i of [1, 2, 3]) expect(inboxes[i]).toEqual([{ data: "tx-1", from: expect.any(String) as string }]);
    expect(inboxes[1]![0]!.from).not.toBe(nets[1]!.peerId);
    // Topics are separate: the vote did not show up as a tx.
    expect(inboxes.flat().map((r) => r.data)).not.toContain("vote-1");
  });

  it("publishing with no peers resolves, and oversize publishes fail locally", async () => {
    const lonely = await startNode({ index: 9, maxGossipBytes: 1024 });
    await expect(lonely.publish("evidence", utf8("nobody listens"))).resolves.toBeUndefined();
    await expect(lonely.publish("evidence", utf8("nobody listens"))).resolves.toBeUndefined(); // duplicate too
    await expect(lonely.publish("tx", new Uint8Array(1025))).rejects.toThrow(/exceeds maxGossipBytes/);
  });

  it("a reject verdict stops forwarding and lowers the sender's score; accept forwards across a line", async () => {
    // a - b - c: c only hears a through b.
    const [a, b, c] = await startCluster(3, "line");
    await waitLinked([
      [a!, b!],
      [b!, c!],
    ]);
    expect(connected(a!, c!)).toBe(false);
    await waitFor(() => b!.meshPeers("tx").includes(c!.peerId) && c!.meshPeers("tx").includes(b!.peerId), "b-c mesh");
    const atB = record(b!, "tx", (d) => (d.startsWith("ok") ? "accept" : d.startsWith("stale") ? "ignore" : "reject"));
    const atC = record(c!, "tx");

    await a!.publish("tx", utf8("ok-1"));
    await waitFor(() => atC.length === 1, "ok-1 forwarded to c");
    expect(atC[0]).toEqual({ data: "ok-1", from: b!.peerId });

    await a!.publish("tx", utf8("stale-1"));
    await a!.publish("tx", utf8("bad-1"));
    await waitFor(() => atB.length === 3, "b to judge stale-1 and bad-1");
    await sleep(800);
    expect(atC.map((r) => r.data)).toEqual(["ok-1"]);
    expect(b!.gossipScore(a!.peerId)).toBeLessThan(0);
    expect(c!.gossipScore(b!.peerId)).toBeGreaterThanOrEqual(0);
  });

  it("rejects oversized messages and messages whose handler throws, without delivering them", async () => {
    const [big, small] = await startCluster(2, "full", (i) => ({ maxGossipBytes: i === 0 ? 64 * 1024 : 1024 }));
    await waitLinked([[big!, small!]]);
    const atSmall = record(small!, "consensus");
    let thrown = 0;
    small!.onGossip("evidence", () => {
      thrown++;
      throw new Error("decoder blew up");
    });

    await big!.publish("consensus", new Uint8Array(2048).fill(1));
    await big!.publish("evidence", utf8("explodes"));
    await waitFor(() => thrown === 1, "the throwing handler to run");
    await sleep(500);
    expect(atSmall).toEqual([]);
    expect(small!.gossipScore(big!.peerId)).toBeLessThan(0);

    // The link still works for messages within the cap.
    await big!.publish("consensus", utf8("fits"));
    await waitFor(() => atSmall.length === 1, "a message within the cap");
  });

  it("isolate cuts delivery both ways and heal restores it", async () => {
    const [a, b, c] = await startCluster(3, "full");
    await waitLinked(allPairs([a!, b!, c!]));
    const atA = record(a!, "vote");
    const atB = record(b!, "vote");
    const atC = record(c!, "vote");

    await c!.isolate("all");
    await waitFor(() => c!.peers().length === 0 && !connected(a!, c!) && !connected(b!, c!), "c to be cut off");
    await a!.publish("vote", utf8("during-from-a"));
    await c!.publish("vote", utf8("during-from-c"));
    await waitFor(() => atB.length === 1, "b to get a's vote");
    await sleep(1500); // several redial attempts by a and b, all refused by c
    expect(c!.peers()).toEqual([]);
    expect(atC).toEqual([]);
    expect(atA).toEqual([]);
    expect(atB.map((r) => r.data)).toEqual(["during-from-a"]);

    await c!.heal();
    await waitLinked(allPairs([a!, b!, c!]), "vote");
    await a!.publish("vote", utf8("after-from-a"));
    await c!.publish("vote", utf8("after-from-c"));
    await waitFor(() => atC.some((r) => r.data === "after-from-a"), "c to get a's vote after heal");
    await waitFor(() => atA.some((r) => r.data === "after-from-c") && atB.some((r) => r.data === "after-from-c"), "a and b to get c's vote");
    // Messages published into the partition are not replayed by gossipsub; catch-up is req/resp's job.
    expect(atC.map((r) => r.data)).not.toContain("during-from-a");
  });

  it("isolating one peer drops that link only and refuses its redials", async () => {
    const [a, b, c] = await startCluster(3, "full");
    await waitLinked(allPairs([a!, b!, c!]));
    await b!.isolate([a!.peerId]);
    await waitFor(() => !connected(a!, b!) && !connected(b!, a!), "a-b link to drop");
    await sleep(1500);
    expect(connected(a!, b!)).toBe(false);
    expect(connected(b!, c!) && connected(a!, c!)).toBe(true);
    // Gossip still reaches b around the cut, through c.
    await waitFor(() => c!.meshPeers("tx").includes(b!.peerId) && c!.meshPeers("tx").includes(a!.peerId), "c's mesh");
    const atB = record(b!, "tx");
    record(c!, "tx"); // c must vouch for the message (accept) before it forwards it
    await a!.publish("tx", utf8("via-c"));
    await waitFor(() => atB.length === 1, "b to get a's tx via c");
    expect(atB[0]!.from).toBe(c!.peerId);

    await b!.heal();
    await waitFor(() => connected(a!, b!), "a-b link to come back");
  });

  it("a restarted node keeps its peer id and its persistent peers redial it", async () => {
    const b = await startNode({ index: 1 });
    const port = portOf(b);
    const a = await startNode({ index: 0, persistentPeers: [addrOf(b)] });
    await waitFor(() => connected(a, b), "a to dial b");
    const connectedEvents: string[] = [];
    const unsubscribe = a.onPeerConnected((id) => connectedEvents.push(id));
    const oldId = b.peerId;
    expect(oldId).toBe(peerIdFromSeed(seedOf(1)));

    await stopNode(b);
    await waitFor(() => a.peers().length === 0, "a to notice b is gone");
    await sleep(1200); // a's redials fail and back off meanwhile

    const b2 = await startNode({ index: 1, listenPort: port });
    expect(b2.peerId).toBe(oldId);
    await waitFor(() => connected(a, b2), "a to redial the restarted b", 8000);
    await waitFor(() => connectedEvents.includes(oldId), "onPeerConnected for b");
    unsubscribe();

    await waitLinked([[a, b2]]);
    const atB = record(b2, "tx");
    await a.publish("tx", utf8("after-restart"));
    await waitFor(() => atB.length === 1, "gossip to the restarted node");
  });
});

describe("peer ids without libp2p", () => {
  it("peerIdOfSeed equals libp2p's id for the same node key", async () => {
    const { peerIdOfSeed } = await import("../../../node/p2p/peerId.js");
    const { peerIdFromSeed } = await import("../../../node/p2p/libp2pNetwork.js");
    for (let i = 0; i < 5; i++) {
      const seed = new Uint8Array(32).fill(i * 37 + 1);
      expect(peerIdOfSeed(seed)).toBe(peerIdFromSeed(seed));
    }
  });
});
