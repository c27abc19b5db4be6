/**
 * Options invariants: series ids are 1..next-1; the indexes agree with the series (contract keys, live counts
 * per expiry and per underlying, the expiry queue); settled series have a settlement record and no open
 * interest left; each settlement's shortfall equals the sum of its claims.
 */
import type { QueryContext } from "../../src/app/module.js";
import type { OptionsKeeper } from "./keeper.js";

export function optionsInvariants(ctx: QueryContext, keeper: OptionsKeeper): string[] {
  const broken: string[] = [];
  const store = ctx.store;
  const next = keeper.nextSeriesId(store);
  let expected = 1n;
  const livePerExpiry = new Map<string, bigint>();
  const livePerUnderlying = new Map<string, bigint>();
  let queued = 0n;
  for (const s of keeper.iterateSeries(store)) {
    if (s.id !== expected) broken.push(`options: series id ${s.id} found where ${expected} was expected (ids must be contiguous)`);
    expected = s.id + 1n;
    if (keeper.seriesIdOf(store, s.underlying, s.expiryUnixS, s.strikeMicroUsd, s.kind) !== s.id) broken.push(`options: series ${s.id} is missing from the contract index`);
    if (s.status === "settled") {
      const oi = keeper.deps.subaccounts.openInterest(store, s.id);
      if (oi.longContracts !== 0n || oi.shortContracts !== 0n) broken.push(`options: settled series ${s.id} still has open interest ${oi.longContracts}/${oi.shortContracts}`);
      const r = keeper.settlement(store, s.id);
      if (r === undefined) broken.push(`options: settled series ${s.id} has no settlement record`);
      else {
        let claims = 0n;
        for (const c of keeper.iterateClaims(store, s.id)) claims += c.amountMicroUsdc;
        // Outstanding claims: the insurance fund may have paid part of them (x/liquidation), never more.
        if (claims > r.totalShortfallMicroUsdc) broken.push(`options: claims of series ${s.id} sum to ${claims}, above the shortfall of ${r.totalShortfallMicroUsdc}`);
      }
    } else {
      const k = `${s.underlying}|${s.expiryUnixS}`;
      livePerExpiry.set(k, (livePerExpiry.get(k) ?? 0n) + 1n);
      livePerUnderlying.set(s.underlying, (livePerUnderlying.get(s.underlying) ?? 0n) + 1n);
      queued++;
    }
  }
  if (expected !== next) broken.push(`options: next series id ${next}, but the last series is ${expected - 1n}`);
  for (const [k, n] of livePerExpiry) {
    const [u, e] = k.split("|") as [string, string];
    const stored = keeper.liveSeriesAt(store, u, BigInt(e));
    if (stored !== n) broken.push(`options: live count of ${u} ${e} is ${stored}, ${n} series are live`);
  }
  for (const [u, n] of livePerUnderlying) {
    const stored = keeper.liveSeriesCount(store, u);
    if (stored !== n) broken.push(`options: live count of ${u} is ${stored}, ${n} series are live`);
  }
  const due = keeper.dueSeries(store, (1n << 64n) - 2n).length;
  if (BigInt(due) !== queued) broken.push(`options: expiry queue holds ${due} series, ${queued} are unsettled`);
  for (const id of keeper.iterateExpiredPending(store)) {
    const s = keeper.series(store, id);
    if (s === undefined || s.status === "settled") broken.push(`options: expired marker for series ${id}, which is not an unsettled series`);
  }
  for (const r of keeper.iterateSettlements(store)) {
    if (keeper.series(store, r.seriesId)?.status !== "settled") broken.push(`options: settlement record of series ${r.seriesId}, which is not settled`);
  }
  return broken;
}
