/**
 * Market maker protection, per (subaccount, underlying). Fills of the subaccount's RESTING orders on that
 * underlying accumulate over a window that starts at the first fill after the previous window ended:
 * contracts (Σ|size|), net delta in micro-units of the underlying (Σ signed size × deltaPpm × contractSizePpm
 * / 1e6, truncated) and net vega in micro-USDC per vol point (Σ signed size × vega of one contract). When any
 * enabled limit (> 0) is reached (>=), every resting order of the subaccount on the underlying is cancelled
 * (reason "mmp") and new orders that are not reduce-only are refused until the freeze ends (freeze_ns after the
 * trip, lifted in BeginBlock) or MsgResetMmp (freeze_ns 0). Greeks come from the options mark; without a mark
 * the delta and vega of that fill count as 0.
 */
import type { Context } from "../../src/app/context.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { MmpConfigProto, MmpStateProto } from "./codec.js";
import * as events from "./events.js";
import { formatSubaccountId } from "../subaccounts/index.js";
import { ClobKeys, decodeSubaccountKey, decodeUnderlying } from "./keys.js";
import type { ClobOp, SeriesInfo } from "./op.js";
import { ownerOf } from "./orderStore.js";
import type { MakerFlow } from "./settle.js";
import { cancelWhere } from "./trading.js";
import type { MmpConfig, MmpState } from "./types.js";

const EMPTY = new Uint8Array(0);
const ZERO_STATE: MmpState = { windowStartNs: 0n, contracts: 0n, deltaMicroUnits: 0n, vegaMicroUsdc: 0n, frozen: false, frozenUntilNs: 0n };
const abs = (x: bigint) => (x < 0n ? -x : x);

export function getMmpConfig(store: KVReader, sub: Uint8Array, underlying: string): MmpConfig | undefined {
  const raw = store.get(ClobKeys.mmpConfig(sub, underlying));
  return raw === undefined ? undefined : MmpConfigProto.decode(raw);
}

export function setMmpConfig(store: KVStore, sub: Uint8Array, underlying: string, cfg: MmpConfig | undefined): void {
  if (cfg === undefined) store.delete(ClobKeys.mmpConfig(sub, underlying));
  else store.set(ClobKeys.mmpConfig(sub, underlying), MmpConfigProto.encode(cfg));
}

export function getMmpState(store: KVReader, sub: Uint8Array, underlying: string): MmpState {
  const raw = store.get(ClobKeys.mmpState(sub, underlying));
  if (raw === undefined) return ZERO_STATE;
  const s = MmpStateProto.decode(raw);
  return { ...s, deltaMicroUnits: BigInt(s.deltaMicroUnits || "0"), vegaMicroUsdc: BigInt(s.vegaMicroUsdc || "0") };
}

function setMmpState(store: KVStore, sub: Uint8Array, underlying: string, s: MmpState): void {
  const key = ClobKeys.mmpState(sub, underlying);
  if (!s.frozen && s.contracts === 0n && s.deltaMicroUnits === 0n && s.vegaMicroUsdc === 0n) store.delete(key);
  else store.set(key, MmpStateProto.encode({ ...s, deltaMicroUnits: s.deltaMicroUnits.toString(), vegaMicroUsdc: s.vegaMicroUsdc.toString() }));
}

const frozenKey = (sub: Uint8Array, underlying: string) => `mmp|${ownerOf(sub)}|${underlying}`;

export function isMmpFrozen(op: ClobOp, sub: Uint8Array, underlying: string): boolean {
  return op.memo(frozenKey(sub, underlying), () => getMmpState(op.ctx.store, sub, underlying).frozen);
}

/** Lifts a freeze and clears the window (MsgResetMmp, a timed freeze ending, or a config change). */
export function resetMmp(ctx: Context, op: ClobOp | undefined, sub: Uint8Array, underlying: string, cause: string): void {
  const s = getMmpState(ctx.store, sub, underlying);
  if (s.frozen && s.frozenUntilNs > 0n) ctx.store.delete(ClobKeys.mmpUnfreeze(s.frozenUntilNs, sub, underlying));
  setMmpState(ctx.store, sub, underlying, ZERO_STATE);
  op?.forget(frozenKey(sub, underlying));
  if (s.frozen) ctx.events.push(events.mmpReset(decodeName(sub), underlying, cause));
}

function decodeName(sub: Uint8Array): string {
  return formatSubaccountId(decodeSubaccountKey(sub, 0).id);
}

/** Accumulates makers' fills of one taker order; trips protection where a limit is reached. */
export function onMakerFlows(op: ClobOp, seriesId: bigint, info: SeriesInfo, flows: MakerFlow[]): void {
  const store = op.ctx.store;
  const underlying = info.series.underlying;
  const now = op.ctx.blockTimeNs;
  for (const flow of flows) {
    const cfg = getMmpConfig(store, flow.sub, underlying);
    if (cfg === undefined) continue;
    const prev = getMmpState(store, flow.sub, underlying);
    if (prev.frozen) continue;
    const s: MmpState = now - prev.windowStartNs > cfg.windowNs || prev.contracts === 0n ? { ...ZERO_STATE, windowStartNs: now } : { ...prev };
    const mark = op.mark(seriesId);
    s.contracts += flow.contracts;
    if (mark !== undefined) {
      s.deltaMicroUnits += (flow.signedContracts * mark.deltaPpm * info.params!.contractSizePpm) / 1_000_000n;
      s.vegaMicroUsdc += flow.signedContracts * (mark.vegaMicroUsdcPerVolPoint ?? 0n);
    }
    const cause =
      cfg.maxContracts > 0n && s.contracts >= cfg.maxContracts
        ? "contracts"
        : cfg.maxDeltaMicroUnits > 0n && abs(s.deltaMicroUnits) >= cfg.maxDeltaMicroUnits
          ? "delta"
          : cfg.maxVegaMicroUsdc > 0n && abs(s.vegaMicroUsdc) >= cfg.maxVegaMicroUsdc
            ? "vega"
            : undefined;
    if (cause !== undefined) {
      s.frozen = true;
      s.frozenUntilNs = cfg.freezeNs > 0n ? now + cfg.freezeNs : 0n;
      if (s.frozenUntilNs > 0n) store.set(ClobKeys.mmpUnfreeze(s.frozenUntilNs, flow.sub, underlying), EMPTY);
      setMmpState(store, flow.sub, underlying, s);
      op.forget(frozenKey(flow.sub, underlying));
      op.ctx.events.push(events.mmpTriggered(op.name(flow.sub, flow.id), underlying, cause, s.frozenUntilNs));
      cancelWhere(op, { id: flow.id, sub: flow.sub }, "mmp", undefined, (i) => i?.series.underlying === underlying);
    } else {
      setMmpState(store, flow.sub, underlying, s);
    }
  }
}

/** BeginBlock: lifts timed freezes that ended (frozen_until_ns <= block time). */
export function liftEndedFreezes(ctx: Context, op: ClobOp): void {
  const prefix = ClobKeys.mmpUnfreezePrefix;
  const end = ClobKeys.mmpUnfreeze(ctx.blockTimeNs + 1n, new Uint8Array(0), "").subarray(0, prefix.length + 8);
  const due: Array<{ sub: Uint8Array; underlying: string }> = [];
  for (const [key] of ctx.store.iterate(prefix, end)) {
    const { end: subEnd } = decodeSubaccountKey(key, prefix.length + 8);
    due.push({ sub: key.slice(prefix.length + 8, subEnd), underlying: decodeUnderlying(key, subEnd) });
  }
  for (const d of due) resetMmp(ctx, op, d.sub, d.underlying, "freeze_ended");
}

/** Every config, for genesis export (key order). */
export function* iterateMmpConfigs(store: KVReader): IterableIterator<{ sub: Uint8Array; underlying: string; config: MmpConfig }> {
  const prefix = ClobKeys.mmpConfigPrefix;
  for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
    const { end } = decodeSubaccountKey(key, prefix.length);
    yield { sub: key.slice(prefix.length, end), underlying: decodeUnderlying(key, end), config: MmpConfigProto.decode(value) };
  }
}
