/**
 * Gossipsub settings for a small validator network (4-20 nodes): topic names, mesh degrees, message ids and
 * peer-score parameters. Kept apart from the network class so the numbers and the reasoning behind them sit
 * in one place.
 */
import { createHash } from "node:crypto";
import type { GossipsubOpts } from "@chainsafe/libp2p-gossipsub";
import type { PeerScoreParams, PeerScoreThresholds, TopicScoreParams } from "@chainsafe/libp2p-gossipsub/score";
import { StrictNoSign, type Message } from "@libp2p/interface";
import type { GossipTopic } from "./types.js";

export const GOSSIP_TOPICS: readonly GossipTopic[] = ["tx", "consensus", "vote", "evidence"];

export const DEFAULT_MAX_GOSSIP_BYTES = 4 * 1024 * 1024;

/** Room for the protobuf RPC envelope (topic string, control messages) around one message's data. */
const RPC_FRAME_OVERHEAD_BYTES = 64 * 1024;

/** Lodestar-style versioned, chain-scoped topic: `/vanna/<chainId>/<topic>/1`. */
export function topicName(chainId: string, topic: GossipTopic): string {
  return `/vanna/${chainId}/${topic}/1`;
}

/**
 * Message id = first 20 bytes of SHA-256(data). Content addressing makes the same vote or tx arriving from two
 * peers (or published by two nodes) a duplicate, which gossipsub drops before validation.
 */
export function messageIdOf(msg: Message): Uint8Array {
  return new Uint8Array(createHash("sha256").update(msg.data).digest().subarray(0, 20));
}

/*
 * Score calibration. P4 (invalid deliveries) is quadratic: score = -INVALID_WEIGHT_ABS * n^2 per topic, where n
 * decays by INVALID_DECAY every second. With weight 10: ~3 quick rejects cross the gossip threshold (-100), ~7 the
 * publish threshold (-500), 10 the graylist threshold (-1000, after which every RPC from the peer is dropped).
 * Honest peers validate before forwarding, so they only reach us with messages we also accept or ignore;
 * consensus code must answer "ignore" (never "reject") for messages that depend on local state (a vote for a
 * height we have not reached, a tx whose nonce we already saw).
 * Mesh-delivery penalties (P3/P3b) are off: on quiet topics such as "evidence" honest mesh peers deliver
 * nothing for long periods, and P3 would push them below zero.
 */
const INVALID_WEIGHT_ABS = 10;
const INVALID_DECAY = 0.99; // per decayInterval (1 s): a rejected message is mostly forgotten after ~5 minutes

export const SCORE_THRESHOLDS: PeerScoreThresholds = {
  gossipThreshold: -100,
  publishThreshold: -500,
  graylistThreshold: -1000,
  acceptPXThreshold: 100,
  opportunisticGraftThreshold: 5,
};

function topicScoreParams(): TopicScoreParams {
  return {
    topicWeight: 1,
    // P1: a little credit for staying in the mesh; capped so a long-lived peer cannot bank immunity.
    timeInMeshWeight: 0.01,
    timeInMeshQuantum: 1000,
    timeInMeshCap: 300,
    // P2: credit for being first to deliver valid messages.
    firstMessageDeliveriesWeight: 1,
    firstMessageDeliveriesDecay: 0.9,
    firstMessageDeliveriesCap: 20,
    meshMessageDeliveriesWeight: 0,
    meshMessageDeliveriesDecay: 0.5,
    meshMessageDeliveriesCap: 100,
    meshMessageDeliveriesThreshold: 1,
    meshMessageDeliveriesWindow: 10,
    meshMessageDeliveriesActivation: 60_000,
    meshFailurePenaltyWeight: 0,
    meshFailurePenaltyDecay: 0.5,
    invalidMessageDeliveriesWeight: -INVALID_WEIGHT_ABS,
    invalidMessageDeliveriesDecay: INVALID_DECAY,
  };
}

export function scoreParams(chainId: string, appSpecificScore: (peerId: string) => number): Partial<PeerScoreParams> {
  const topics: Record<string, TopicScoreParams> = {};
  for (const t of GOSSIP_TOPICS) topics[topicName(chainId, t)] = topicScoreParams();
  return {
    topics,
    topicScoreCap: 50,
    // P5: request-response misbehaviour (oversized or malformed frames, slow-loris) feeds the same score.
    appSpecificScore,
    appSpecificWeight: 1,
    // P6: local testnets put every validator on 127.0.0.1; colocation is not a signal there.
    IPColocationFactorWeight: -5,
    IPColocationFactorThreshold: 10,
    IPColocationFactorWhitelist: new Set(["127.0.0.1", "::1"]),
    // P7: broken IWANT promises and GRAFT-during-backoff; decays fast so a reconnect storm is forgiven.
    behaviourPenaltyWeight: -10,
    behaviourPenaltyThreshold: 2,
    behaviourPenaltyDecay: 0.5,
    decayInterval: 1000,
    decayToZero: 0.01,
    // A graylisted peer that reconnects keeps its score for this long.
    retainScore: 10 * 60_000,
  };
}

export interface GossipConfigInput {
  chainId: string;
  maxGossipBytes: number;
  appSpecificScore: (peerId: string) => number;
}

/**
 * StrictNoSign: our payloads (votes, proposals, txs) carry their own application signatures, so a libp2p author
 * signature would only add bytes and a per-message verify. It also keeps `from`/`seqno` off the wire, which is
 * what lets the content-hash message id deduplicate identical payloads from different origins (Lodestar does
 * the same). The propagation source — the peer that handed us the message — is what gets scored.
 */
export function gossipsubOptions(input: GossipConfigInput): Partial<GossipsubOpts> {
  return {
    globalSignaturePolicy: StrictNoSign,
    allowedTopics: GOSSIP_TOPICS.map((t) => topicName(input.chainId, t)),
    emitSelf: false,
    // Small network: every validator is typically in every mesh.
    D: 4,
    Dlo: 3,
    Dhi: 6,
    Dscore: 2,
    Dout: 1,
    Dlazy: 4,
    heartbeatInterval: 500,
    // Long enough to stop a message looping in a small mesh, short enough that a deliberate re-broadcast of the
    // same bytes (e.g. re-gossiping a vote for a peer that was partitioned) gets through again after it expires.
    seenTTL: 30_000,
    fanoutTTL: 60_000,
    mcacheLength: 5,
    mcacheGossip: 3,
    floodPublish: true,
    doPX: false,
    fallbackToFloodsub: false,
    allowPublishToZeroTopicPeers: true,
    ignoreDuplicatePublishError: true,
    msgIdFn: messageIdOf,
    scoreParams: scoreParams(input.chainId, input.appSpecificScore),
    scoreThresholds: SCORE_THRESHOLDS,
    // Frames above this are refused by the length-prefix decoder before protobuf decoding allocates anything.
    maxInboundDataLength: input.maxGossipBytes + RPC_FRAME_OVERHEAD_BYTES,
    // Bound what one slow peer can make us buffer.
    maxOutboundBufferSize: 4 * (input.maxGossipBytes + RPC_FRAME_OVERHEAD_BYTES),
    decodeRpcLimits: {
      maxSubscriptions: 64,
      maxMessages: 256,
      maxIhaveMessageIDs: 5000,
      maxIwantMessageIDs: 5000,
      maxIdontwantMessageIDs: 5000,
      maxControlMessages: 128,
      maxPeerInfos: 16,
    },
  };
}
