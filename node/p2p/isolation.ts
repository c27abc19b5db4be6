/**
 * The connection gater behind `isolate()` / `heal()`: an application-level partition (reliability matrix F9-F12).
 * It refuses dials to isolated peers and inbound connections from them once their identity is known (after the
 * noise handshake); isolating "all" also refuses every inbound socket before the handshake.
 */
import type { ConnectionGater, PeerId } from "@libp2p/interface";

export class Isolation {
  private all = false;
  private readonly peers = new Set<string>();

  isolate(peerIds: readonly string[] | "all"): void {
    if (peerIds === "all") this.all = true;
    else for (const id of peerIds) this.peers.add(id);
  }

  heal(): void {
    this.all = false;
    this.peers.clear();
  }

  isIsolated(peerId: string): boolean {
    return this.all || this.peers.has(peerId);
  }

  get active(): boolean {
    return this.all || this.peers.size > 0;
  }

  gater(): ConnectionGater {
    const denyPeer = (peerId: PeerId): boolean => this.isIsolated(peerId.toString());
    return {
      denyDialPeer: denyPeer,
      denyDialMultiaddr: () => this.all,
      denyInboundConnection: () => this.all,
      denyOutboundConnection: denyPeer,
      denyInboundEncryptedConnection: denyPeer,
      denyOutboundEncryptedConnection: denyPeer,
      denyInboundUpgradedConnection: denyPeer,
      denyOutboundUpgradedConnection: denyPeer,
    };
  }
}
