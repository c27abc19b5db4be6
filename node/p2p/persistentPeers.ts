/**
 * Keeps connections to the configured persistent peers: dial at start, redial with a short capped backoff while
 * disconnected, and immediately after `heal()`. libp2p's own reconnect queue gives up after a few retries; a
 * validator must keep trying for as long as it runs, so this loop owns reconnection.
 */
import { peerIdFromString } from "@libp2p/peer-id";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import type { Logger } from "../logger.js";

const TICK_MS = 200;
const INITIAL_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2000;
const DIAL_TIMEOUT_MS = 5000;

export interface PersistentPeer {
  peerId: string;
  addr: Multiaddr;
}

interface DialState extends PersistentPeer {
  nextDialAtMs: number;
  backoffMs: number;
  dialing: boolean;
}

export interface DialerDeps {
  dial: (addr: Multiaddr, signal: AbortSignal) => Promise<unknown>;
  isConnected: (peerId: string) => boolean;
  isIsolated: (peerId: string) => boolean;
  log: Logger;
}

/** Parses `/ip4/.../tcp/.../p2p/<id>` entries; bad entries are logged and skipped, never fatal. */
export function parsePersistentPeers(addrs: readonly string[], selfPeerId: string, log: Logger): PersistentPeer[] {
  const out = new Map<string, PersistentPeer>();
  for (const raw of addrs) {
    try {
      const addr = multiaddr(raw.trim());
      const peerId = addr.getPeerId();
      if (peerId === null) {
        log.warn("persistent peer without /p2p/<peerId> ignored", { addr: raw });
        continue;
      }
      peerIdFromString(peerId); // throws on an id that is not a valid multihash
      if (peerId === selfPeerId) continue; // shared peer lists usually include ourselves
      out.set(peerId, { peerId, addr });
    } catch (err) {
      log.warn("invalid persistent peer address ignored", { addr: raw, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return [...out.values()];
}

export class PersistentDialer {
  private readonly peers: DialState[];
  private timer: ReturnType<typeof setInterval> | undefined;
  private abort = new AbortController();

  constructor(
    peers: readonly PersistentPeer[],
    private readonly deps: DialerDeps,
  ) {
    this.peers = peers.map((p) => ({ ...p, nextDialAtMs: 0, backoffMs: INITIAL_BACKOFF_MS, dialing: false }));
  }

  has(peerId: string): boolean {
    return this.peers.some((p) => p.peerId === peerId);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.abort = new AbortController();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }

  /** Forget backoff and dial everything now (after heal, or when a peer just dropped). */
  redialNow(peerId?: string): void {
    for (const p of this.peers) {
      if (peerId !== undefined && p.peerId !== peerId) continue;
      p.nextDialAtMs = 0;
      p.backoffMs = INITIAL_BACKOFF_MS;
    }
    if (this.timer !== undefined) this.tick();
  }

  private tick(): void {
    try {
      this.tickUnsafe();
    } catch (err) {
      this.deps.log.error("persistent peer tick failed", {}, err);
    }
  }

  private tickUnsafe(): void {
    const now = Date.now();
    for (const p of this.peers) {
      if (p.dialing || this.deps.isIsolated(p.peerId)) continue;
      if (this.deps.isConnected(p.peerId)) {
        p.backoffMs = INITIAL_BACKOFF_MS;
        continue;
      }
      if (now < p.nextDialAtMs) continue;
      void this.dial(p);
    }
  }

  private async dial(p: DialState): Promise<void> {
    p.dialing = true;
    try {
      await this.deps.dial(p.addr, AbortSignal.any([this.abort.signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]));
      p.backoffMs = INITIAL_BACKOFF_MS;
      p.nextDialAtMs = 0;
    } catch (err) {
      if (this.abort.signal.aborted) return;
      // Jitter so restarted validators do not dial each other in lockstep.
      p.nextDialAtMs = Date.now() + p.backoffMs * (0.8 + 0.4 * Math.random());
      this.deps.log.debug("persistent peer dial failed", {
        peer: p.peerId,
        retryInMs: Math.round(p.nextDialAtMs - Date.now()),
        error: err instanceof Error ? err.message : String(err),
      });
      p.backoffMs = Math.min(p.backoffMs * 2, MAX_BACKOFF_MS);
    } finally {
      p.dialing = false;
    }
  }
}
