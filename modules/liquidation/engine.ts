/**
 * The liquidation engine (BeginBlock, after oracle → options → clob → margin):
 * 0. The fund pays outstanding settlement shortfall claims (keeper.payClaims) and reconciles its subaccount.
 * 1. Scan: every subaccount holding positions, in key order, starting at the stored cursor (set when a cap
 *    stopped the previous block; otherwise from the start), the fund's own subaccount excluded. A linear scan is
 *    used because margin is derived, not stored: there is no "liquidation price" to index for a portfolio of
 *    options (payoffs are non-linear in spot and vol), and every price update (and time, through the marks) can
 *    move every account. The holders come from one pass over the positions table plus one collateral read each;
 *    each is judged by one positions-only evaluation (margin's HealthScan: equity and MM together, open orders
 *    not read, every series priced once per block and shared by all holders; portfolio accounts answered from
 *    the portfolio engine's per-account cache unless their positions or scenario values changed). No per-account
 *    state is kept between blocks: decisions depend on the store and the block time only (restart-safe).
 * 2. Trigger: equity < maintenance margin (positions only, the subaccount's margin mode). Skipped (left for a
 *    later block): a subaccount holding an unpriced series, or holding a series whose underlying's oracle price
 *    is stale (asked once per underlying per block) — no liquidation on a stale oracle.
 * 3. Partial liquidation: cancel all its orders (clob.cancelAllOf, reason "liquidation"); then while
 *    equity < target = ceil(MM × (1e6 + target_buffer_ppm) / 1e6), pick the position with the largest
 *    maintenance requirement (ties: lower series id) not yet exhausted this block and send a liquidation order
 *    (IOC, reduce-only) for k = ceil((target − equity) × 1e6 / (mmPerContract × (1e6 + buffer))) contracts,
 *    rounded up to the lot, at most the position and the max order size, with a limit of mark ± band where
 *    band = max(mark × price_band_ppm / 1e6, min_price_band_ticks × tick) (buy: floor to ticks; sell: ceil, ≥ 1).
 *    Each fill pays a fee of ceil(premium × liquidation_fee_ppm / 1e6), capped at the equity left (never
 *    below zero), into the fund. A position whose order does not fill in full is exhausted for this block.
 * 4. Waterfall (waterfall.ts): when equity < 0 (before or after step 3), or when every position is exhausted and
 *    equity is still below MM (the books cannot absorb within the band), the fund takes the account over or, if
 *    it cannot cover the deficit, auto-deleveraging socializes the rest.
 * Caps: at most max_liquidations_per_block subaccounts acted on and max_liquidation_orders_per_block orders; when
 * a cap is reached the cursor is set to the next subaccount to look at.
 */
import type { Context } from "../../src/app/context.js";
import { ChainError } from "../../src/errors.js";
import type { KVReader } from "../../src/store/types.js";
import { formatSubaccountId, type Subaccount, type SubaccountId } from "../subaccounts/index.js";
import type { HealthScanView } from "./expectedKeepers.js";
import * as events from "./events.js";
import type { LiquidationKeeper } from "./keeper.js";
import { LiquidationKeys, subaccountOrderKey } from "./keys.js";
import { appendRecord } from "./ledger.js";
import { PPM, type LiquidationParams } from "./params.js";
import type { LiquidationBlockResult } from "./types.js";
import { runWaterfall } from "./waterfall.js";

const abs = (x: bigint) => (x < 0n ? -x : x);
const ceilDiv = (a: bigint, b: bigint) => (a <= 0n ? -(-a / b) : (a + b - 1n) / b);
const cmpBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface Budget {
  orders: number;
}

export function runLiquidations(k: LiquidationKeeper, ctx: Context): LiquidationBlockResult {
  const store = ctx.store;
  const params = k.params(store);
  const result: LiquidationBlockResult = { scanned: 0, skippedStale: 0, skippedUnpriced: 0, liquidated: 0, ordersPlaced: 0, takenOver: 0, deleveraged: 0, claimsPaidMicroUsdc: 0n, capped: false };
  result.claimsPaidMicroUsdc = k.payClaims(ctx);
  k.reconcileFundSubaccount(ctx);

  const holders = collectHolders(k, store);
  const cursor = store.get(LiquidationKeys.cursor);
  let start = 0;
  if (cursor !== undefined) {
    start = holders.findIndex((s) => cmpBytes(subaccountOrderKey(s.id), cursor) >= 0);
    if (start < 0) start = 0;
  }
  const order = start === 0 ? holders : [...holders.slice(start), ...holders.slice(0, start)];
  const budget: Budget = { orders: params.maxLiquidationOrdersPerBlock };
  // One scan for the block: every series priced once, each account one positions-only evaluation.
  const scan = k.margin.healthScan(store, ctx.blockTimeNs);
  const stale = new Map<string, boolean>();
  // Snapshots from the one pass over positions are exact until the first liquidation moves state (fills,
  // takeovers, ADL touch other accounts); from then on each account is read again before it is judged.
  let moved = false;
  let nextCursor: Uint8Array | undefined;
  for (let i = 0; i < order.length; i++) {
    const snapshot = order[i]!;
    const id = snapshot.id;
    if (result.liquidated >= params.maxLiquidationsPerBlock || budget.orders <= 0) {
      nextCursor = subaccountOrderKey(id);
      break;
    }
    result.scanned++;
    const h = scan.health(moved ? k.subaccounts.get(store, id) : snapshot);
    if (h.unpricedSeriesIds.length > 0) {
      result.skippedUnpriced++;
      continue;
    }
    if (h.equityMicroUsdc >= h.maintenanceMarginMicroUsdc) continue;
    if (hasStaleUnderlying(k, ctx, id, stale)) {
      result.skippedStale++;
      ctx.events.push(events.liquidationSkipped(formatSubaccountId(id), "stale oracle"));
      continue;
    }
    result.liquidated++;
    moved = true;
    const outcome = liquidateOne(k, ctx, params, id, h.equityMicroUsdc, h.maintenanceMarginMicroUsdc, budget, result, scan);
    if (outcome === "incomplete") {
      // The order cap stopped it mid-way: the next block starts with it.
      nextCursor = subaccountOrderKey(id);
      break;
    }
  }
  if (nextCursor === undefined) store.delete(LiquidationKeys.cursor);
  else {
    store.set(LiquidationKeys.cursor, nextCursor);
    result.capped = true;
  }
  k.reconcileFundSubaccount(ctx);
  return result;
}

/**
 * Every subaccount holding positions (the fund's excluded), in key order, with its collateral and positions:
 * one pass over the positions table (key order is subaccount order) and one collateral read per holder.
 */
function collectHolders(k: LiquidationKeeper, store: KVReader): Subaccount[] {
  const out: Subaccount[] = [];
  let cur: Subaccount | undefined;
  for (const { id, position } of k.subaccounts.iteratePositions(store)) {
    if (cur === undefined || cur.id.number !== id.number || !sameBytes(cur.id.owner, id.owner)) {
      cur = { id, quoteMicroUsdc: 0n, positions: [] };
      if (!k.isFundSubaccount(id)) out.push(cur);
    }
    cur.positions.push(position);
  }
  for (const s of out) s.quoteMicroUsdc = k.subaccounts.collateral(store, s.id);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Staleness per underlying is asked once per block (memo) however many holders share it. */
function hasStaleUnderlying(k: LiquidationKeeper, ctx: Context, id: SubaccountId, memo: Map<string, boolean>): boolean {
  const seen = new Set<string>();
  for (const p of k.subaccounts.positions(ctx.store, id)) {
    const s = k.options.series(ctx.store, p.instrumentId);
    if (s === undefined || s.status === "settled" || seen.has(s.underlying)) continue;
    seen.add(s.underlying);
    let stale = memo.get(s.underlying);
    if (stale === undefined) {
      stale = k.options.isStale(ctx.store, s.underlying, ctx.blockTimeNs);
      memo.set(s.underlying, stale);
    }
    if (stale) return true;
  }
  return false;
}

function liquidateOne(
  k: LiquidationKeeper,
  ctx: Context,
  params: LiquidationParams,
  id: SubaccountId,
  equity0: bigint,
  mm0: bigint,
  budget: Budget,
  result: LiquidationBlockResult,
  scan: HealthScanView,
): "done" | "incomplete" {
  const store = ctx.store;
  k.clob.cancelAllOf(ctx, id, "liquidation");
  const exhausted = new Set<bigint>();
  let equity = equity0;
  let mm = mm0;
  let allExhausted = false;
  while (equity >= 0n) {
    const target = ceilDiv(mm * (PPM + params.targetBufferPpm), PPM);
    if (equity >= target) return "done";
    if (budget.orders <= 0) return "incomplete";
    const before = k.subaccounts.get(store, id);
    let pick: ReturnType<HealthScanView["lines"]>[number] | undefined;
    for (const l of scan.lines(before)) {
      if (l.sizeContracts === 0n || exhausted.has(l.seriesId)) continue;
      if (pick === undefined || l.maintenanceMarginMicroUsdc > pick.maintenanceMarginMicroUsdc) pick = l;
    }
    if (pick === undefined) {
      allExhausted = true;
      break;
    }
    exhausted.add(pick.seriesId);
    const series = k.options.series(store, pick.seriesId);
    const u = series === undefined ? undefined : k.options.underlying(store, series.underlying);
    const size = before.positions.find((p) => p.instrumentId === pick!.seriesId)?.sizeContracts ?? 0n;
    if (series === undefined || u === undefined || series.status === "settled" || size === 0n) continue;
    const lot = u.minSizeContracts > 0n ? u.minSizeContracts : 1n;
    const mmPer = ceilDiv(pick.maintenanceMarginMicroUsdc, abs(size));
    const relief = mmPer * (PPM + params.targetBufferPpm);
    let n = relief > 0n ? ceilDiv((target - equity) * PPM, relief) : abs(size);
    n = ceilDiv(n, lot) * lot;
    const cap = ((abs(size) < u.maxOrderSizeContracts ? abs(size) : u.maxOrderSizeContracts) / lot) * lot;
    if (n > cap) n = cap;
    if (n <= 0n) continue;
    const side = size < 0n ? "buy" : "sell";
    const tick = u.tickSizeMicroUsdc;
    const mark = pick.markMicroUsdc;
    const bandByPpm = (mark * params.priceBandPpm) / PPM;
    const band = bandByPpm > params.minPriceBandTicks * tick ? bandByPpm : params.minPriceBandTicks * tick;
    let limit = side === "buy" ? (mark + band) / tick : ceilDiv(mark - band > 0n ? mark - band : 0n, tick);
    if (limit < 1n) limit = 1n;
    if (limit > u.maxPriceTicks) limit = u.maxPriceTicks;
    let filled = 0n;
    let premium = 0n;
    try {
      const r = k.clob.placeLiquidationOrder(ctx, id, pick.seriesId, side, n, limit);
      filled = r.filledContracts;
      premium = r.premiumMicroUsdc;
    } catch (err) {
      if (!(err instanceof ChainError)) throw err;
    }
    budget.orders--;
    result.ordersPlaced++;
    if (filled > 0n) {
      const h = scan.health(k.subaccounts.get(store, id));
      const after = h.equityMicroUsdc;
      let fee = ceilDiv(premium * params.liquidationFeePpm, PPM);
      const room = after > 0n ? after : 0n;
      if (fee > room) fee = room;
      k.fundIn(ctx, id, fee, "liquidation_fee", pick.seriesId);
      const sizeDelta = side === "buy" ? filled : -filled;
      appendRecord(ctx, {
        kind: "partial",
        subaccount: formatSubaccountId(id),
        seriesId: pick.seriesId,
        sizeDeltaContracts: sizeDelta,
        cashMicroUsdc: side === "buy" ? -premium : premium,
        feeMicroUsdc: fee,
        counterparty: "book",
        equityBeforeMicroUsdc: equity,
        maintenanceMarginBeforeMicroUsdc: mm,
        lossMicroUsdc: 0n,
      });
      // Not exhausted if it filled in full: it may be picked again.
      if (filled === n) exhausted.delete(pick.seriesId);
      // The fee moved collateral only: equity falls by it, MM (positions) is unchanged.
      equity = after - fee;
      mm = h.maintenanceMarginMicroUsdc;
    } else {
      // No fill should change nothing; read it again anyway (rare, and never trusted blindly).
      const h = scan.health(k.subaccounts.get(store, id));
      equity = h.equityMicroUsdc;
      mm = h.maintenanceMarginMicroUsdc;
    }
  }
  if (k.subaccounts.positions(store, id).length === 0) return "done";
  if (equity < 0n || (allExhausted && equity < mm)) {
    const w = runWaterfall(k, ctx, id, equity, mm);
    if (w.kind === "takeover") result.takenOver++;
    else result.deleveraged++;
  }
  return "done";
}
