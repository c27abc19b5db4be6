/**
 * The context a message or query handler runs in: the store (gas-metered), the block header, the gas meter
 * and the events emitted so far. Handlers get nothing else: no clock but the header, no I/O.
 */
import type { KVStore } from "../store/types.js";
import type { Header } from "../types/block.js";
import type { Event } from "../types/events.js";
import type { GasMeter } from "./gas.js";
import type { CommitVote } from "./application.js";

export type ExecMode = "check" | "recheck" | "simulate" | "deliver" | "genesis" | "block";

export interface Context {
  readonly mode: ExecMode;
  readonly chainId: string;
  readonly height: bigint;
  /** Block time in nanoseconds since the Unix epoch, from the header. */
  readonly blockTimeNs: bigint;
  readonly header: Header | undefined;
  readonly store: KVStore;
  readonly gasMeter: GasMeter;
  readonly events: Event[];
  /** In block hooks: the previous height's commit votes with their vote extensions (oracle observations). */
  readonly lastCommitVotes?: readonly CommitVote[];
}

export function withStore(ctx: Context, store: KVStore, events: Event[] = ctx.events): Context {
  return { ...ctx, store, events };
}
