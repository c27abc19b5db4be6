/**
 * The network as consensus, mempool and sync see it: gossip topics with synchronous validation verdicts (which
 * feed gossipsub peer scoring) and request-response protocols. libp2p itself stays behind node/p2p/.
 */

/** Gossip topics; the wire name is `/vanna/<chainId>/<topic>/1`. */
export type GossipTopic = "tx" | "consensus" | "vote" | "evidence";

/**
 * accept: valid, deliver and forward. ignore: not useful now (stale, duplicate), drop without penalty.
 * reject: invalid (bad signature, malformed, oversized), drop and penalise the sender.
 */
export type GossipVerdict = "accept" | "ignore" | "reject";

/** Request-response protocols; the wire name is `/vanna/<chainId>/<protocol>/1`. */
export type ReqRespProtocol = "status" | "blocks";

export interface PeerInfo {
  /** libp2p peer id (base58). */
  peerId: string;
  /** Remote multiaddr of the connection. */
  remoteAddr: string;
  direction: "inbound" | "outbound";
}

export interface GossipHandler {
  /** Runs synchronously inside gossipsub validation; must not throw (a throw counts as reject). */
  (data: Uint8Array, fromPeerId: string): GossipVerdict;
}

export interface RequestHandler {
  (request: Uint8Array, fromPeerId: string): Promise<Uint8Array>;
}

export interface P2PNetwork {
  readonly peerId: string;
  /** Listen multiaddrs including `/p2p/<peerId>`, e.g. `/ip4/127.0.0.1/tcp/26656/p2p/12D3...`. */
  listenAddrs(): string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Publishes to a topic; resolves even when no peer is subscribed yet. */
  publish(topic: GossipTopic, data: Uint8Array): Promise<void>;
  /** One handler per topic; messages from this node itself are not delivered to it. */
  onGossip(topic: GossipTopic, handler: GossipHandler): void;
  handle(protocol: ReqRespProtocol, handler: RequestHandler): void;
  /** Sends one request and reads one response, both size-limited; rejects on timeout or error. */
  request(peerId: string, protocol: ReqRespProtocol, request: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  peers(): PeerInfo[];
  onPeerConnected(listener: (peerId: string) => void): () => void;
  /**
   * Test and operator control: drops and refuses connections to the given peers (or to everyone) until
   * `heal()`. Persistent peers are redialled after healing.
   */
  isolate(peerIds: readonly string[] | "all"): Promise<void>;
  heal(): Promise<void>;
}

export interface P2POptions {
  chainId: string;
  /** 32-byte ed25519 seed of the node key (`<home>/config/node_key.json`). */
  nodeKeySeed: Uint8Array;
  listenHost: string;
  listenPort: number;
  /** Multiaddrs with /p2p/<peerId>, dialled at start and redialled while disconnected. */
  persistentPeers: string[];
  /** Largest gossip message accepted, in bytes (default 4 MiB). */
  maxGossipBytes?: number;
  /** Largest request or response, in bytes (default 16 MiB). */
  maxReqRespBytes?: number;
}
