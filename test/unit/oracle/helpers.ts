/** Shared fixtures for the oracle tests: votes carrying encoded observations, block contexts over a memory store. */
import type { CommitVote } from "../../../src/app/application.js";
import type { Context } from "../../../src/app/context.js";
import { GasMeter, INFINITE_GAS } from "../../../src/app/gas.js";
import { memoryStore } from "../../../src/store/index.js";
import type { KVStore } from "../../../src/store/types.js";
import type { Event } from "../../../src/types/events.js";
import { encodeObservation, type Observation, type SmileObservation } from "../../../modules/oracle/index.js";

export const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z
export const SEC = 1_000_000_000n;
export const EXPIRY = 1_767_254_400n; // 2026-01-01T08:00:00Z

export function address(i: number): Uint8Array {
  return new Uint8Array(20).fill(i + 1);
}

export function observation(spots: Record<string, bigint>, smiles: SmileObservation[] = []): Observation {
  const sorted = Object.keys(spots).sort();
  return { spots: sorted.map((u) => ({ underlying: u, priceMicroUsd: spots[u]! })), smiles };
}

export function smileObs(underlying: string, atmVolPpm: bigint, skewPpm = -100_000n, curvaturePpm = 200_000n, expiryUnixS = EXPIRY): SmileObservation {
  return { underlying, expiryUnixS, atmVolPpm, skewPpm, curvaturePpm };
}

export function vote(i: number, power: bigint, obs: Observation | Uint8Array | undefined, signed = true): CommitVote {
  const extension = obs === undefined ? new Uint8Array() : obs instanceof Uint8Array ? obs : encodeObservation(obs);
  return { validatorAddress: address(i), votingPower: power, signed, extension: signed ? extension : new Uint8Array() };
}

/** Votes where validator i reports BTC at prices[i] (undefined: no extension). */
export function btcVotes(powers: bigint[], prices: Array<bigint | undefined>): CommitVote[] {
  return powers.map((p, i) => vote(i, p, prices[i] === undefined ? undefined : observation({ BTC: prices[i]! })));
}

export function blockCtx(store: KVStore, height: bigint, timeNs: bigint, votes: CommitVote[] = [], events: Event[] = []): Context {
  return {
    mode: "block",
    chainId: "vanna-test-1",
    height,
    blockTimeNs: timeNs,
    header: undefined,
    store,
    gasMeter: new GasMeter(INFINITE_GAS),
    events,
    lastCommitVotes: votes,
  };
}

export { memoryStore };
