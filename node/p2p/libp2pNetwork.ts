/**
 * P2PNetwork over libp2p 2.x: TCP + noise + yamux, identify and ping (the connection monitor pings peers),
 * gossipsub for the four chain topics and length-prefixed request-response. The only file that builds a libp2p
 * node; everything libp2p-specific stays inside node/p2p/.
 */
// libp2p calls Promise.withResolvers, which Node 20 lacks; evaluate the polyfill before any libp2p module.
import "../polyfills.js";
import { gossipsub, type GossipSub, type GossipsubEvents } from "@chainsafe/libp2p-gossipsub";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { privateKeyFromRaw } from "@libp2p/crypto/keys";
import { identify, type Identify } from "@libp2p/identify";
import { TopicValidatorResult, type Connection, type Libp2p, type Message, type PeerId, type PrivateKey, type PubSub } from "@libp2p/interface";
import { peerIdFromPrivateKey, peerIdFromString } from "@libp2p/peer-id";
import { ping, type Ping } from "@libp2p/ping";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import { ed25519PublicKeyFromSeed } from "../../src/crypto/ed25519.js";
import { createLogger, type Logger } from "../logger.js";
import { DEFAULT_MAX_GOSSIP_BYTES, GOSSIP_TOPICS, gossipsubOptions, topicName } from "./gossipConfig.js";
import { Isolation } from "./isolation.js";
import { PeerPenalties } from "./penalties.js";
import { parsePersistentPeers, PersistentDialer } from "./persistentPeers.js";
import { penaltyForClientError, ReqRespError, requestOnce, serveOnce, type ServerLimits } from "./reqResp.js";
import type { GossipHandler, GossipTopic, P2PNetwork, P2POptions, PeerInfo, ReqRespProtocol, RequestHandler } from "./types.js";

export const DEFAULT_MAX_REQ_RESP_BYTES = 16 * 1024 * 1024;

/** Timing knobs that are not operator config; tests shorten them. */
export interface P2PTuning {
  reqRespReadTimeoutMs: number;
  reqRespHandlerTimeoutMs: number;
  reqRespWriteTimeoutMs: number;
}

const DEFAULT_TUNING: P2PTuning = {
  reqRespReadTimeoutMs: 5_000,
  reqRespHandlerTimeoutMs: 15_000,
  reqRespWriteTimeoutMs: 30_000,
};

const CONNECTION_CLOSE_TIMEOUT_MS = 500;
const REQ_RESP_MAX_STREAMS = 32;

interface Services extends Record<string, unknown> {
  identify: Identify;
  ping: Ping;
  pubsub: PubSub<GossipsubEvents>;
}

const VERDICT_RESULT = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
} as const;

export function createP2PNetwork(opts: P2POptions, log?: Logger, tuning?: Partial<P2PTuning>): Libp2pNetwork {
  return new Libp2pNetwork(opts, log ?? createLogger({ module: "p2p" }), { ...DEFAULT_TUNING, ...tuning });
}

export function nodeKeyFromSeed(seed: Uint8Array): PrivateKey {
  if (seed.length !== 32) throw new Error(`node key seed must be 32 bytes, got ${seed.length}`);
  const raw = new Uint8Array(64);
  raw.set(seed, 0);
  raw.set(ed25519PublicKeyFromSeed(seed), 32);
  return privateKeyFromRaw(raw);
}

/** The libp2p peer id (base58 `12D3Koo...`) that a node key seed yields. */
export function peerIdFromSeed(seed: Uint8Array): string {
  return peerIdFromPrivateKey(nodeKeyFromSeed(seed)).toString();
}

export class Libp2pNetwork implements P2PNetwork {
  readonly peerId: string;
  private readonly privateKey: PrivateKey;
  private readonly maxGossipBytes: number;
  private readonly maxReqRespBytes: number;
  private readonly isolation = new Isolation();
  private readonly penalties = new PeerPenalties();
  private readonly dialer: PersistentDialer;
  private readonly gossipHandlers = new Map<GossipTopic, GossipHandler>();
  private readonly requestHandlers = new Map<ReqRespProtocol, RequestHandler>();
  private readonly connectListeners = new Set<(peerId: string) => void>();
  private node: Libp2p<Services> | undefined;
  /** The node being started; lets handle() during start() register on it instead of being missed. */
  private pendingNode: Libp2p<Services> | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly opts: P2POptions,
    private readonly log: Logger,
    private readonly tuning: P2PTuning,
  ) {
    this.privateKey = nodeKeyFromSeed(opts.nodeKeySeed);
    this.peerId = peerIdFromPrivateKey(this.privateKey).toString();
    this.maxGossipBytes = opts.maxGossipBytes ?? DEFAULT_MAX_GOSSIP_BYTES;
    this.maxReqRespBytes = opts.maxReqRespBytes ?? DEFAULT_MAX_REQ_RESP_BYTES;
    this.dialer = new PersistentDialer(parsePersistentPeers(opts.persistentPeers, this.peerId, log), {
      dial: (addr, signal) => this.mustNode().dial(addr, { signal }),
      isConnected: (id) => this.isConnected(id),
      isIsolated: (id) => this.isolation.isIsolated(id),
      log,
    });
  }

  listenAddrs(): string[] {
    return this.node?.getMultiaddrs().map((a) => a.toString()) ?? [];
  }

  async start(): Promise<void> {
    if (this.node !== undefined) return;
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const node = await createLibp2p<Services>({
      start: false,
      privateKey: this.privateKey,
      addresses: { listen: [listenAddr(this.opts.listenHost, this.opts.listenPort)] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionGater: this.isolation.gater(),
      connectionManager: {
        maxConnections: 64,
        // Every validator of a local testnet shares one IP; the default (5/s per host) trips on reconnect storms.
        inboundConnectionThreshold: 50,
        maxIncomingPendingConnections: 32,
        dialTimeout: 5_000,
      },
      services: {
        identify: identify(),
        ping: ping(),
        pubsub: gossipsub(
          gossipsubOptions({
            chainId: this.opts.chainId,
            maxGossipBytes: this.maxGossipBytes,
            appSpecificScore: (id) => this.penalties.score(id),
          }),
        ),
      },
    });
    this.pendingNode = node;
    node.addEventListener("peer:connect", (evt) => this.onPeerConnect(evt.detail));
    node.addEventListener("connection:open", (evt) => this.enforceIsolation(evt.detail));
    const pubsub = node.services.pubsub;
    for (const topic of GOSSIP_TOPICS) {
      pubsub.topicValidators.set(topicName(this.opts.chainId, topic), (peer, msg) => this.validateGossip(topic, peer, msg));
    }
    for (const [protocol, handler] of this.requestHandlers) await this.registerRequestHandler(node, protocol, handler);
    try {
      await node.start();
      for (const topic of GOSSIP_TOPICS) pubsub.subscribe(topicName(this.opts.chainId, topic));
    } catch (err) {
      // e.g. the listen port is taken: release whatever did start so the process is not held open.
      try {
        await node.stop();
      } catch {
        // the start error is the one worth reporting
      }
      throw err;
    } finally {
      this.pendingNode = undefined;
    }
    this.node = node;
    this.dialer.start();
    this.log.info("p2p started", { peerId: this.peerId, addrs: this.listenAddrs().join(",") });
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const node = this.node;
    if (node === undefined) return;
    this.dialer.stop();
    this.node = undefined;
    await node.stop();
    this.log.info("p2p stopped", { peerId: this.peerId });
  }

  async publish(topic: GossipTopic, data: Uint8Array): Promise<void> {
    if (data.length > this.maxGossipBytes) {
      throw new Error(`gossip message of ${data.length} bytes exceeds maxGossipBytes ${this.maxGossipBytes}`);
    }
    await this.mustNode().services.pubsub.publish(topicName(this.opts.chainId, topic), data);
  }

  onGossip(topic: GossipTopic, handler: GossipHandler): void {
    if (this.gossipHandlers.has(topic)) this.log.warn("gossip handler replaced", { topic });
    this.gossipHandlers.set(topic, handler);
  }

  handle(protocol: ReqRespProtocol, handler: RequestHandler): void {
    this.requestHandlers.set(protocol, handler);
    const node = this.node ?? this.pendingNode;
    if (node !== undefined) {
      this.registerRequestHandler(node, protocol, handler).catch((err: unknown) => {
        this.log.error("registering request handler failed", { protocol }, err);
      });
    }
  }

  async request(peerId: string, protocol: ReqRespProtocol, request: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const node = this.mustNode();
    try {
      return await requestOnce({
        openStream: (signal) => node.dialProtocol(peerIdFromString(peerId), this.protocolId(protocol), { signal }),
        request,
        maxBytes: this.maxReqRespBytes,
        timeoutMs,
      });
    } catch (err) {
      if (err instanceof ReqRespError) {
        const reason = penaltyForClientError(err.code);
        if (reason !== undefined) {
          this.penalties.penalise(peerId, reason);
          this.log.debug("peer penalised", { peer: peerId, reason, protocol });
        }
      }
      throw err;
    }
  }

  peers(): PeerInfo[] {
    const byPeer = new Map<string, PeerInfo>();
    for (const conn of this.node?.getConnections() ?? []) {
      if (conn.status !== "open") continue;
      const id = conn.remotePeer.toString();
      if (!byPeer.has(id)) byPeer.set(id, { peerId: id, remoteAddr: conn.remoteAddr.toString(), direction: conn.direction });
    }
    return [...byPeer.values()];
  }

  onPeerConnected(listener: (peerId: string) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  async isolate(peerIds: readonly string[] | "all"): Promise<void> {
    this.isolation.isolate(peerIds);
    const node = this.node;
    if (node === undefined) return;
    const doomed = node.getConnections().filter((c) => this.isolation.isIsolated(c.remotePeer.toString()));
    await Promise.all(doomed.map((c) => this.closeConnection(c)));
    this.log.info("isolated", { peers: peerIds === "all" ? "all" : peerIds.join(","), closed: doomed.length });
  }

  async heal(): Promise<void> {
    this.isolation.heal();
    this.dialer.redialNow();
    this.log.info("healed");
  }

  // ---- diagnostics (tests, status RPC); not part of P2PNetwork ----

  /** Gossipsub score this node gives a peer (0 for unknown peers). */
  gossipScore(peerId: string): number {
    return this.gossipsub()?.getScore(peerId) ?? 0;
  }

  /** Request-response penalty points currently held against a peer (non-positive; part of the gossip score). */
  penaltyScore(peerId: string): number {
    return this.penalties.score(peerId);
  }

  /** Peers we know to be subscribed to a topic. */
  topicPeers(topic: GossipTopic): string[] {
    return this.gossipsub()?.getSubscribers(topicName(this.opts.chainId, topic)).map((p) => p.toString()) ?? [];
  }

  /** Peers in our gossipsub mesh for a topic (the ones we forward to). */
  meshPeers(topic: GossipTopic): string[] {
    return this.gossipsub()?.getMeshPeers(topicName(this.opts.chainId, topic)) ?? [];
  }

  /** Wire protocol id of a request-response protocol. */
  protocolId(protocol: ReqRespProtocol): string {
    return `/vanna/${this.opts.chainId}/${protocol}/1`;
  }

  // ---- internals ----

  private mustNode(): Libp2p<Services> {
    if (this.node === undefined) throw new Error("p2p network is not started");
    return this.node;
  }

  private gossipsub(): GossipSub | undefined {
    // gossipsub() is typed as the generic PubSub; the instance is a GossipSub with scoring and mesh accessors.
    return this.node?.services.pubsub as unknown as GossipSub | undefined;
  }

  private isConnected(peerId: string): boolean {
    const node = this.node;
    if (node === undefined) return false;
    return node.getConnections(peerIdFromString(peerId)).some((c) => c.status === "open");
  }

  /**
   * Runs synchronously inside gossipsub validation. The verdict decides delivery, forwarding and the sender's
   * score, so it must never throw: size first, then the registered handler, any exception counting as reject.
   */
  private validateGossip(topic: GossipTopic, peer: PeerId, msg: Message): TopicValidatorResult {
    const from = peer.toString();
    if (msg.data.length > this.maxGossipBytes) {
      this.log.debug("gossip rejected: oversized", { topic, peer: from, bytes: msg.data.length });
      return TopicValidatorResult.Reject;
    }
    const handler = this.gossipHandlers.get(topic);
    // Without a handler we cannot vouch for the message, so we neither deliver nor forward it.
    if (handler === undefined) return TopicValidatorResult.Ignore;
    try {
      const verdict = handler(msg.data, from);
      const result = VERDICT_RESULT[verdict as keyof typeof VERDICT_RESULT] as TopicValidatorResult | undefined;
      if (result === undefined) {
        this.log.warn("gossip handler returned no verdict; treating as reject", { topic });
        return TopicValidatorResult.Reject;
      }
      if (result === TopicValidatorResult.Reject) this.log.debug("gossip rejected", { topic, peer: from });
      return result;
    } catch (err) {
      this.log.debug("gossip handler threw; rejecting", { topic, peer: from, error: err instanceof Error ? err.message : String(err) });
      return TopicValidatorResult.Reject;
    }
  }

  private async registerRequestHandler(node: Libp2p<Services>, protocol: ReqRespProtocol, handler: RequestHandler): Promise<void> {
    const limits: ServerLimits = {
      maxBytes: this.maxReqRespBytes,
      readTimeoutMs: this.tuning.reqRespReadTimeoutMs,
      handlerTimeoutMs: this.tuning.reqRespHandlerTimeoutMs,
      writeTimeoutMs: this.tuning.reqRespWriteTimeoutMs,
    };
    await node.handle(
      this.protocolId(protocol),
      ({ stream, connection }) => {
        const from = connection.remotePeer.toString();
        void serveOnce({
          ...limits,
          stream,
          handle: (req) => handler(req, from),
          onPeerFault: (reason, detail) => {
            this.penalties.penalise(from, reason);
            this.log.debug("peer penalised", { peer: from, protocol, reason, detail });
          },
          onHandlerError: (err) => this.log.warn("request handler failed", { protocol, peer: from, error: err instanceof Error ? err.message : String(err) }),
        });
      },
      { maxInboundStreams: REQ_RESP_MAX_STREAMS, maxOutboundStreams: REQ_RESP_MAX_STREAMS, force: true },
    );
  }

  private onPeerConnect(peer: PeerId): void {
    const id = peer.toString();
    this.log.debug("peer connected", { peer: id });
    for (const listener of this.connectListeners) {
      try {
        listener(id);
      } catch (err) {
        this.log.error("peer-connected listener threw", { peer: id }, err);
      }
    }
  }

  /** A dial that passed the gater just before isolate() was called can still complete; close it here. */
  private enforceIsolation(conn: Connection): void {
    if (this.isolation.isIsolated(conn.remotePeer.toString())) void this.closeConnection(conn);
  }

  private async closeConnection(conn: Connection): Promise<void> {
    try {
      await conn.close({ signal: AbortSignal.timeout(CONNECTION_CLOSE_TIMEOUT_MS) });
    } catch (err) {
      conn.abort(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

function listenAddr(host: string, port: number): string {
  return host.includes(":") ? `/ip6/${host}/tcp/${port}` : `/ip4/${host}/tcp/${port}`;
}
