/**
 * Expiry and cash settlement (BeginBlock, before auto-listing), in the first block whose time is at or after a
 * series' expiry:
 * 1. Once per series: the lifecycle hook ("expired": clob cancels its resting orders) and a series_expired event.
 * 2. Settlement price: the oracle TWAP over settlement_twap_window_ns ending AT THE EXPIRY (prices after expiry
 *    do not count, however late the block). With no price recorded at or before the expiry, the TWAP ending at
 *    the block time is used; with no price history at all, settlement is postponed to the next block (step 1 is
 *    not repeated).
 * 3. Value per contract v = floor(intrinsic × contract_size_ppm / 1e6) uusdc, the same for both sides, so
 *    money is conserved exactly. Each short owes |size| × v and pays min(owed, max(collateral, 0)); each long is
 *    owed size × v. Without a shortfall every long is paid in full. With one, the collected amount C is shared
 *    pro rata: long i gets floor(e_i × C / E) (E = Σ e_i), and the C − Σ floor(…) leftover uusdc go one each to
 *    the longs with the largest fractional remainders (ties: holder key order). Longs never receive more than C
 *    in all, nor more than they are owed; each long's unpaid rest is recorded as a shortfall claim.
 * 4. All holders in ONE subaccounts batch of kind "settlement" (positions closed, net collateral zero), then the
 *    series is archived (status settled) with its Settlement record.
 * Relies on positions netting to zero per series (subaccounts enforces it on every batch).
 */
import type { Context } from "../../src/app/context.js";
import type { Twap } from "../oracle/index.js";
import { formatSubaccountId, type SubaccountId, type SubaccountUpdate } from "../subaccounts/index.js";
import * as events from "./events.js";
import type { OptionsKeeper } from "./keeper.js";
import type { Series, SettlementRecord } from "./types.js";

const NS_PER_S = 1_000_000_000n;
const PPM = 1_000_000n;

export function intrinsicMicroUsd(s: Pick<Series, "kind" | "strikeMicroUsd">, priceMicroUsd: bigint): bigint {
  const v = s.kind === "call" ? priceMicroUsd - s.strikeMicroUsd : s.strikeMicroUsd - priceMicroUsd;
  return v > 0n ? v : 0n;
}

export function payoutPerContract(s: Pick<Series, "kind" | "strikeMicroUsd">, priceMicroUsd: bigint, contractSizePpm: bigint): bigint {
  return (intrinsicMicroUsd(s, priceMicroUsd) * contractSizePpm) / PPM;
}

/**
 * Pro-rata shares of `collected` over `entitlements` (Σ = total, collected ≤ total), largest remainder, ties by
 * index. Σ result == collected and result[i] ≤ entitlements[i].
 */
export function proRata(entitlements: readonly bigint[], collected: bigint): bigint[] {
  const total = entitlements.reduce((a, b) => a + b, 0n);
  if (total === 0n || collected >= total) return entitlements.slice();
  const shares = entitlements.map((e) => (e * collected) / total);
  const remainders = entitlements.map((e, i) => ({ i, r: e * collected - shares[i]! * total }));
  let left = collected - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.i - b.i));
  for (const { i, r } of remainders) {
    if (left === 0n || r === 0n) break;
    shares[i]! += 1n;
    left--;
  }
  return shares;
}

/** Settles every series due at the block time; returns the ids settled in this block. */
export function settleDue(keeper: OptionsKeeper, ctx: Context): bigint[] {
  const due = keeper.dueSeries(ctx.store, ctx.blockTimeNs / NS_PER_S);
  if (due.length === 0) return [];
  const window = keeper.params(ctx.store).settlementTwapWindowNs;
  const twaps = new Map<string, Twap | undefined>();
  const settled: bigint[] = [];
  for (const { expiryUnixS, id } of due) {
    const s = keeper.series(ctx.store, id);
    if (s === undefined || s.status === "settled") continue; // unreachable: the queue holds unsettled series only
    if (!keeper.isExpiredPending(ctx.store, id)) {
      keeper.lifecycleHooks.onSeriesClosing(ctx, id, "expired");
      keeper.markExpiredPending(ctx.store, id);
      ctx.events.push(events.seriesExpired(s));
    }
    const key = `${s.underlying}|${expiryUnixS}`;
    if (!twaps.has(key)) {
      const oracle = keeper.deps.oracle;
      twaps.set(key, oracle.twap(ctx.store, s.underlying, window, expiryUnixS * NS_PER_S) ?? oracle.twap(ctx.store, s.underlying, window, ctx.blockTimeNs));
    }
    const twap = twaps.get(key);
    if (twap === undefined) continue; // postponed: no price history yet
    settleSeries(keeper, ctx, s, twap);
    settled.push(id);
  }
  return settled;
}

interface Holder {
  id: SubaccountId;
  size: bigint;
}

export function settleSeries(keeper: OptionsKeeper, ctx: Context, s: Series, twap: Twap): SettlementRecord {
  const subaccounts = keeper.deps.subaccounts;
  const u = keeper.underlying(ctx.store, s.underlying);
  // An underlying removed from the params since listing settles with the contract size it no longer has: 0 value.
  const payout = u === undefined ? 0n : payoutPerContract(s, twap.priceMicroUsd, u.contractSizePpm);
  const longs: Holder[] = [];
  const shorts: Holder[] = [];
  for (const id of subaccounts.holders(ctx.store, s.id)) {
    const size = subaccounts.position(ctx.store, id, s.id)?.sizeContracts ?? 0n;
    if (size > 0n) longs.push({ id, size });
    else if (size < 0n) shorts.push({ id, size: -size });
  }
  const shortPaid = shorts.map((h) => {
    const owed = h.size * payout;
    const has = subaccounts.collateral(ctx.store, h.id);
    const can = has > 0n ? has : 0n;
    return owed < can ? owed : can;
  });
  const collected = shortPaid.reduce((a, b) => a + b, 0n);
  const entitled = longs.map((h) => h.size * payout);
  const owedToLongs = entitled.reduce((a, b) => a + b, 0n);
  const longPaid = proRata(entitled, collected);
  const shortfall = owedToLongs - longPaid.reduce((a, b) => a + b, 0n);

  const close = (h: Holder, sign: bigint) => [{ instrumentId: s.id, sizeDelta: -sign * h.size }];
  const updates: SubaccountUpdate[] = [
    ...longs.map((h, i) => ({ id: h.id, collateralDelta: longPaid[i]!, positionDeltas: close(h, 1n) })),
    ...shorts.map((h, i) => ({ id: h.id, collateralDelta: -shortPaid[i]!, positionDeltas: close(h, -1n) })),
  ];
  if (updates.length > 0) subaccounts.applyUpdates(ctx, updates, { kind: "settlement" });

  longs.forEach((h, i) => {
    const unpaid = entitled[i]! - longPaid[i]!;
    if (unpaid > 0n) keeper.addClaim(ctx.store, { owner: h.id.owner, subaccountNumber: h.id.number, seriesId: s.id, amountMicroUsdc: unpaid });
    ctx.events.push(events.positionSettled(s.id, formatSubaccountId(h.id), h.size, longPaid[i]!, unpaid));
  });
  shorts.forEach((h, i) => {
    ctx.events.push(events.positionSettled(s.id, formatSubaccountId(h.id), -h.size, -shortPaid[i]!, h.size * payout - shortPaid[i]!));
  });
  if (shortfall > 0n) ctx.events.push(events.settlementShortfall(s.id, owedToLongs, collected, shortfall));

  const record: SettlementRecord = {
    seriesId: s.id,
    settlementPriceMicroUsd: twap.priceMicroUsd,
    twapStartNs: twap.startTimeNs,
    twapEndNs: twap.endTimeNs,
    twapSamples: twap.samples,
    payoutPerContractMicroUsdc: payout,
    totalShortfallMicroUsdc: shortfall,
    openInterestContracts: longs.reduce((a, h) => a + h.size, 0n),
    height: ctx.height,
  };
  keeper.setSettlement(ctx.store, record);
  const archived: Series = { ...s, status: "settled", settlementPriceMicroUsd: twap.priceMicroUsd, settledHeight: ctx.height };
  keeper.archiveSeries(ctx.store, archived);
  ctx.events.push(events.seriesSettled(archived, record));
  return record;
}
