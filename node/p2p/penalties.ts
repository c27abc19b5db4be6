/**
 * Penalties for misbehaviour gossipsub cannot see (request-response abuse). They decay exponentially and are
 * fed into gossipsub as the application-specific score (P5), so a peer that floods us with oversized requests
 * ends up graylisted for gossip too, by the same thresholds.
 */

/** Points for one offence. Ten quick offences reach the graylist threshold (-1000). */
export const PENALTY_POINTS = {
  oversizedFrame: 100,
  malformedFrame: 50,
  slowStream: 50,
} as const;

export type PenaltyReason = keyof typeof PENALTY_POINTS;

const HALF_LIFE_MS = 60_000;
/** Entries smaller than this are dropped so the map does not grow with every peer ever seen. */
const FORGET_BELOW_POINTS = 1;
const MAX_TRACKED_PEERS = 10_000;

interface Entry {
  points: number;
  atMs: number;
}

export class PeerPenalties {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  penalise(peerId: string, reason: PenaltyReason): void {
    const now = this.nowMs();
    const current = this.decayed(peerId, now);
    if (this.entries.size >= MAX_TRACKED_PEERS && !this.entries.has(peerId)) this.prune(now);
    this.entries.set(peerId, { points: current + PENALTY_POINTS[reason], atMs: now });
  }

  /** Non-positive gossipsub P5 value for the peer. */
  score(peerId: string): number {
    const points = this.decayed(peerId, this.nowMs());
    return points === 0 ? 0 : -points;
  }

  private decayed(peerId: string, now: number): number {
    const e = this.entries.get(peerId);
    if (e === undefined) return 0;
    const points = e.points * Math.pow(0.5, Math.max(0, now - e.atMs) / HALF_LIFE_MS);
    if (points < FORGET_BELOW_POINTS) {
      this.entries.delete(peerId);
      return 0;
    }
    return points;
  }

  private prune(now: number): void {
    for (const id of [...this.entries.keys()]) this.decayed(id, now);
  }
}
