/** Timeout tickers: timers in production, a hand-driven virtual clock in tests. */
import type { TimeoutInfo, TimeoutTicker } from "./types.js";

export class RealTicker implements TimeoutTicker {
  private readonly timers = new Set<NodeJS.Timeout>();

  schedule(ti: TimeoutInfo, fire: (ti: TimeoutInfo) => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fire(ti);
    }, Math.max(0, ti.durationMs));
    this.timers.add(timer);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/**
 * A virtual clock shared by every node of an in-process test network: `advance` moves time forward and fires
 * due timeouts in time order, so a test of round changes runs in milliseconds and the same way every time.
 */
export class FakeClock {
  private nowMs = 0;
  private seq = 0;
  private readonly pending: Array<{ dueMs: number; seq: number; fire: () => void }> = [];

  constructor(private readonly epochNs = 1_767_225_600_000_000_000n) {}

  nowNs(): bigint {
    return this.epochNs + BigInt(this.nowMs) * 1_000_000n;
  }

  get elapsedMs(): number {
    return this.nowMs;
  }

  ticker(): TimeoutTicker {
    const owned = new Set<{ dueMs: number; seq: number; fire: () => void }>();
    let stopped = false;
    return {
      schedule: (ti, fire) => {
        if (stopped) return;
        const entry = { dueMs: this.nowMs + ti.durationMs, seq: this.seq++, fire: () => !stopped && fire(ti) };
        owned.add(entry);
        this.pending.push(entry);
      },
      stop: () => {
        stopped = true;
      },
    };
  }

  /** Fires, in order, every timeout due within `ms`, letting `settle` run the nodes' queues after each. */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      await settle();
      this.pending.sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq);
      const next = this.pending[0];
      if (next === undefined || next.dueMs > target) break;
      this.pending.shift();
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      next.fire();
    }
    this.nowMs = target;
    await settle();
  }
}
