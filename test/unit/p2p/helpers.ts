/**
 * Multi-node p2p test harness: real libp2p nodes on 127.0.0.1 with port 0, deterministic node keys, and a
 * registry that afterEach drains so no node (and no socket or timer) outlives its test.
 */
import { createLogger, type Logger } from "../../../node/logger.js";
import { createP2PNetwork, type Libp2pNetwork, type P2PTuning } from "../../../node/p2p/libp2pNetwork.js";
import type { GossipTopic, GossipVerdict, P2POptions } from "../../../node/p2p/types.js";

export const CHAIN_ID = "vanna-p2p-test";

/** Logs only errors unless VANNA_LOG_LEVEL asks for more, so failures stay readable. */
export const quietLog: Logger = createLogger({ level: (process.env["VANNA_LOG_LEVEL"] as "debug" | undefined) ?? "error", module: "p2p-test" });

export function seedOf(index: number): Uint8Array {
  const seed = new Uint8Array(32);
  seed.fill(index + 1);
  return seed;
}

const started = new Set<Libp2pNetwork>();

export interface NodeSpec extends Partial<P2POptions> {
  index: number;
  tuning?: Partial<P2PTuning>;
}

export async function startNode(spec: NodeSpec): Promise<Libp2pNetwork> {
  const { index, tuning, ...opts } = spec;
  const net = createP2PNetwork(
    {
      chainId: CHAIN_ID,
      nodeKeySeed: seedOf(index),
      listenHost: "127.0.0.1",
      listenPort: 0,
      persistentPeers: [],
      ...opts,
    },
    quietLog,
    tuning,
  );
  started.add(net);
  await net.start();
  return net;
}

/** Stops every node started by startNode; call from afterEach. */
export async function stopAll(): Promise<void> {
  const nets = [...started];
  started.clear();
  await Promise.all(nets.map((n) => n.stop()));
}

export async function stopNode(net: Libp2pNetwork): Promise<void> {
  started.delete(net);
  await net.stop();
}

export function addrOf(net: Libp2pNetwork): string {
  const addr = net.listenAddrs().find((a) => a.startsWith("/ip4/127.0.0.1/tcp/"));
  if (addr === undefined) throw new Error(`node ${net.peerId} has no loopback listen address`);
  return addr;
}

export function portOf(net: Libp2pNetwork): number {
  return Number(addrOf(net).split("/")[4]);
}

/**
 * Starts nodes one after another; node i lists the already-started nodes it should link to as persistent peers
 * (port 0 means later nodes cannot be known in advance; links are bidirectional anyway).
 */
export async function startCluster(
  count: number,
  topology: "full" | "line",
  specFor: (index: number) => Omit<NodeSpec, "index"> = () => ({}),
): Promise<Libp2pNetwork[]> {
  const nets: Libp2pNetwork[] = [];
  for (let i = 0; i < count; i++) {
    const links = topology === "full" ? nets : nets.slice(-1);
    const extra = specFor(i);
    nets.push(await startNode({ ...extra, index: i, persistentPeers: [...links.map(addrOf), ...(extra.persistentPeers ?? [])] }));
  }
  return nets;
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const connected = (a: Libp2pNetwork, b: Libp2pNetwork) => a.peers().some((p) => p.peerId === b.peerId);

/** Waits until every listed pair is connected and knows the other's subscription to `topic`. */
export async function waitLinked(pairs: Array<[Libp2pNetwork, Libp2pNetwork]>, topic: GossipTopic = "tx"): Promise<void> {
  await waitFor(
    () => pairs.every(([a, b]) => a.topicPeers(topic).includes(b.peerId) && b.topicPeers(topic).includes(a.peerId)),
    `gossip links on ${topic}`,
  );
}

export function allPairs(nets: Libp2pNetwork[]): Array<[Libp2pNetwork, Libp2pNetwork]> {
  const out: Array<[Libp2pNetwork, Libp2pNetwork]> = [];
  for (let i = 0; i < nets.length; i++) for (let j = i + 1; j < nets.length; j++) out.push([nets[i]!, nets[j]!]);
  return out;
}

export interface Received {
  data: string;
  from: string;
}

/** Registers a handler on `topic` that records every message and answers with `verdict(data)`. */
export function record(net: Libp2pNetwork, topic: GossipTopic, verdict: (data: string) => GossipVerdict = () => "accept"): Received[] {
  const got: Received[] = [];
  net.onGossip(topic, (bytes, from) => {
    const data = new TextDecoder().decode(bytes);
    got.push({ data, from });
    return verdict(data);
  });
  return got;
}

export const utf8 = (s: string) => new TextEncoder().encode(s);
