/**
 * Connects consensus to the network: decodes and checks gossiped proposals, parts and votes (the verdict feeds
 * gossipsub's peer scoring), hands valid ones to the state machine, publishes this node's own messages, and
 * re-gossips them periodically, because gossipsub delivers a message once and a peer that was cut off when it
 * passed would otherwise never see it.
 */
import { ConsensusDecodeError, EvidenceMessage, VannaConsensusMessage, type ConsensusMessage } from "../../src/codec/index.js";
import type { P2PNetwork, GossipVerdict } from "../p2p/types.js";
import type { Logger } from "../logger.js";
import type { ConsensusState } from "./state.js";
import type { EvidencePool } from "./evidencePool.js";

export interface ReactorOptions {
  regossipIntervalMs: number;
}

export class ConsensusReactor {
  private timer: NodeJS.Timeout | undefined;
  private publishSeq = 0n;
  private readonly stats = { accepted: 0, ignored: 0, rejected: 0 };

  constructor(
    private readonly net: P2PNetwork,
    private readonly consensus: ConsensusState,
    private readonly evidence: EvidencePool,
    private readonly log: Logger,
    private readonly opts: ReactorOptions,
  ) {}

  start(): void {
    this.net.onGossip("consensus", (data, from) => this.onConsensusGossip(data, from));
    this.net.onGossip("vote", (data, from) => this.onConsensusGossip(data, from));
    this.net.onGossip("evidence", (data) => this.onEvidenceGossip(data));
    this.evidence.onNew((e) => void this.publish("evidence", EvidenceMessage.encode(e)));
    this.timer = setInterval(() => this.regossip(), this.opts.regossipIntervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** The ConsensusDeps.broadcast of a networked node. */
  broadcast = (message: ConsensusMessage): void => {
    void this.publish(message.kind === "vote" ? "vote" : "consensus", VannaConsensusMessage.encode(message));
  };

  gossipStats(): { accepted: number; ignored: number; rejected: number } {
    return { ...this.stats };
  }

  private onConsensusGossip(data: Uint8Array, from: string): GossipVerdict {
    const payload = unwrap(data);
    if (payload === undefined) return this.count("reject");
    let message: ConsensusMessage;
    try {
      message = VannaConsensusMessage.decodeCanonical(payload);
    } catch (err) {
      if (!(err instanceof ConsensusDecodeError) && !(err instanceof Error)) throw err;
      return this.count("reject");
    }
    const verdict = this.consensus.checkMessage(message);
    if (verdict === "accept") this.consensus.enqueue({ kind: "message", message, from });
    return this.count(verdict);
  }

  private onEvidenceGossip(data: Uint8Array): GossipVerdict {
    const payload = unwrap(data);
    if (payload === undefined) return this.count("reject");
    try {
      const evidence = EvidenceMessage.decodeCanonical(payload);
      const outcome = this.evidence.offer(evidence, this.consensus.currentHeight);
      return this.count(outcome === "added" ? "accept" : outcome === "known" ? "ignore" : "reject");
    } catch {
      return this.count("reject");
    }
  }

  private regossip(): void {
    for (const m of this.consensus.ownMessages()) this.broadcast(m);
  }

  /**
   * Every publish carries an 8-byte sequence number in front of the payload, so a re-gossiped message is a new
   * gossipsub message (gossipsub drops byte-identical repeats); consensus itself ignores duplicates.
   */
  private async publish(topic: "consensus" | "vote" | "evidence", payload: Uint8Array): Promise<void> {
    const data = new Uint8Array(8 + payload.length);
    new DataView(data.buffer).setBigUint64(0, this.publishSeq++);
    data.set(payload, 8);
    try {
      await this.net.publish(topic, data);
    } catch (err) {
      this.log.debug("publish failed", { topic, err: (err as Error).message });
    }
  }

  private count(v: GossipVerdict): GossipVerdict {
    if (v === "accept") this.stats.accepted++;
    else if (v === "ignore") this.stats.ignored++;
    else this.stats.rejected++;
    return v;
  }
}

function unwrap(data: Uint8Array): Uint8Array | undefined {
  return data.length < 8 ? undefined : data.subarray(8);
}
