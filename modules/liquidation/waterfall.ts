/**
 * The loss waterfall for a subaccount that is bankrupt (equity < 0) or whose positions the books cannot absorb
 * within the price band. All positions are valued at the margin report's mark m_i per contract; with C the
 * collateral, the account's value at mark is W = C + Σ p_i·m_i and its deficit D = max(0, −W).
 *
 * 1. Takeover (D ≤ fund balance B): every position moves to the fund's subaccount (cost basis p_i·m_i) together
 *    with the account's collateral C, and the fund's balance pays D into the fund's subaccount. The account ends
 *    with zero collateral and no positions (bankruptcy value: any positive residual W goes to the fund).
 * 2. Auto-deleveraging (D > B): the fund pays B into the account, and U = D − B is socialized: U is split over
 *    the positions pro rata to |p_i·m_i| (to |p_i| when all marks are 0; largest remainders first, ties in series
 *    order), and each position is closed against opposite-side holders at the bankruptcy price — the account
 *    receives p_i·m_i plus its share u_i, the counterparty pays it (its loss is its part of u_i, split by contracts,
 *    the rest on the last chunk). Counterparties are taken in ADL rank order:
 *        score = PnL × Notional / Equity²   (= profit ratio PnL/Equity × leverage Notional/Equity)
 *    with PnL = Σ (size × mark − cost basis) over the holder's positions, Notional = Σ |size × mark|, Equity its
 *    margin equity; holders with PnL ≤ 0 or Equity ≤ 0 come after all others; ties in subaccount key order.
 *    The fund's subaccount and the account itself are never counterparties. A counterparty's loss is capped at
 *    its equity (never below zero: deleveraging leaves no one with negative equity); what it could not take
 *    moves to the next one. Contracts no one else holds, and any loss no counterparty could absorb, go to the
 *    fund's subaccount (recorded as bad debt; its negative collateral is topped up from later fund deposits).
 * Either way the account ends at exactly zero collateral and no positions: C + B + Σ p_i·m_i + U = W + D = 0.
 */
import type { Context } from "../../src/app/context.js";
import { formatSubaccountId, type SubaccountId, type SubaccountUpdate } from "../subaccounts/index.js";
import * as events from "./events.js";
import type { LiquidationKeeper } from "./keeper.js";
import { appendRecord } from "./ledger.js";
import { PPM } from "./params.js";

const abs = (x: bigint) => (x < 0n ? -x : x);
const sign = (x: bigint) => (x < 0n ? -1n : 1n);

interface Line {
  seriesId: bigint;
  size: bigint;
  markPerContract: bigint;
}

/** Pro-rata split of `total` by `weights` (largest remainder, ties by index); Σ == total. */
export function splitProRata(weights: readonly bigint[], total: bigint): bigint[] {
  const w = weights.some((x) => x > 0n) ? weights : weights.map(() => 1n);
  const sum = w.reduce((a, b) => a + b, 0n);
  const shares = w.map((x) => (x * total) / sum);
  let left = total - shares.reduce((a, b) => a + b, 0n);
  const order = w.map((x, i) => ({ i, r: x * total - shares[i]! * sum })).sort((a, b) => (a.r > b.r ? -1 : a.r < b.r ? 1 : a.i - b.i));
  for (const { i } of order) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left--;
  }
  return shares;
}

export interface RankedHolder {
  id: SubaccountId;
  size: bigint;
  /** score × 1 (integer); -1 for holders ranked last. */
  score: bigint;
}

/** Opposite-side holders of a series in ADL rank order (see the module header). */
export function rankCounterparties(k: LiquidationKeeper, ctx: Context, seriesId: bigint, wantSign: bigint, exclude: SubaccountId): RankedHolder[] {
  const store = ctx.store;
  const out: RankedHolder[] = [];
  const same = (a: SubaccountId, b: SubaccountId) => a.number === b.number && Buffer.compare(Buffer.from(a.owner), Buffer.from(b.owner)) === 0;
  for (const id of k.subaccounts.holders(store, seriesId)) {
    if (same(id, exclude) || k.isFundSubaccount(id)) continue;
    const size = k.subaccounts.position(store, id, seriesId)?.sizeContracts ?? 0n;
    if (size === 0n || sign(size) !== wantSign) continue;
    const report = k.margin.report(store, id, ctx.blockTimeNs);
    const cost = new Map(k.subaccounts.positions(store, id).map((p) => [p.instrumentId, p.costBasisMicroUsdc]));
    let pnl = 0n;
    let notional = 0n;
    for (const l of report.positions) {
      pnl += l.valueMicroUsdc - (cost.get(l.seriesId) ?? 0n);
      notional += abs(l.valueMicroUsdc);
    }
    const eq = report.equityMicroUsdc;
    const score = pnl > 0n && eq > 0n ? (pnl * notional * PPM) / (eq * eq) : -1n;
    out.push({ id, size, score });
  }
  // Stable: ties keep key order.
  return out.map((h, i) => ({ h, i })).sort((a, b) => (a.h.score > b.h.score ? -1 : a.h.score < b.h.score ? 1 : a.i - b.i)).map((x) => x.h);
}

export interface WaterfallResult {
  kind: "takeover" | "deleverage";
  deficitMicroUsdc: bigint;
  fundPaidMicroUsdc: bigint;
  socializedMicroUsdc: bigint;
  badDebtMicroUsdc: bigint;
}

export function runWaterfall(k: LiquidationKeeper, ctx: Context, id: SubaccountId, equityBefore: bigint, mmBefore: bigint): WaterfallResult {
  const store = ctx.store;
  const report = k.margin.report(store, id, ctx.blockTimeNs);
  const held = new Map(k.subaccounts.positions(store, id).map((p) => [p.instrumentId, p.sizeContracts]));
  const lines: Line[] = report.positions
    .filter((l) => held.has(l.seriesId))
    .map((l) => ({ seriesId: l.seriesId, size: held.get(l.seriesId)!, markPerContract: l.markMicroUsdc }));
  const c = k.subaccounts.collateral(store, id);
  const w = lines.reduce((a, l) => a + l.size * l.markPerContract, c);
  const deficit = w < 0n ? -w : 0n;
  const balance = k.fundBalance(store);
  const name = formatSubaccountId(id);
  const fund = k.fundSubaccount;
  const fundName = formatSubaccountId(fund);
  const base = { subaccount: name, feeMicroUsdc: 0n, equityBeforeMicroUsdc: equityBefore, maintenanceMarginBeforeMicroUsdc: mmBefore };

  if (deficit <= balance) {
    const updates: SubaccountUpdate[] = [
      { id, collateralDelta: -c, positionDeltas: lines.map((l) => ({ instrumentId: l.seriesId, sizeDelta: -l.size })) },
      { id: fund, collateralDelta: c + deficit, positionDeltas: lines.map((l) => ({ instrumentId: l.seriesId, sizeDelta: l.size, costBasisDelta: l.size * l.markPerContract })) },
    ];
    k.subaccounts.applyUpdates(ctx, updates, { kind: "liquidation", counterparty: k.fundAddress });
    if (deficit > 0n) appendFundEntry(k, ctx, -deficit, name);
    const losses = splitProRata(lines.map((l) => abs(l.size * l.markPerContract)), deficit);
    lines.forEach((l, i) =>
      appendRecord(ctx, { ...base, kind: "takeover", seriesId: l.seriesId, sizeDeltaContracts: -l.size, cashMicroUsdc: l.size * l.markPerContract, counterparty: fundName, lossMicroUsdc: losses[i]! }),
    );
    return { kind: "takeover", deficitMicroUsdc: deficit, fundPaidMicroUsdc: deficit, socializedMicroUsdc: 0n, badDebtMicroUsdc: 0n };
  }

  // The fund cannot cover: it pays what it has, the rest is socialized.
  k.fundOut(ctx, id, balance, "takeover");
  const socialized = deficit - balance;
  const shares = splitProRata(lines.map((l) => abs(l.size * l.markPerContract)), socialized);
  let badDebt = 0n;
  lines.forEach((l, i) => {
    const s = sign(l.size);
    const total = abs(l.size);
    const share = shares[i]!;
    let remaining = total;
    // Loss assigned so far on this line; the target after n contracts closed is share·n/total (all of it at the
    // end). A counterparty's loss is capped at its equity, so what one could not take moves on to the next.
    let assigned = 0n;
    const closeAgainst = (cp: SubaccountId, kk: bigint, kind: "deleverage" | "takeover", cpName: string) => {
      const closed = total - remaining + kk;
      const target = closed === total ? share : (share * closed) / total;
      let adj = target - assigned;
      if (adj < 0n) adj = 0n;
      if (kind === "deleverage") {
        const eq = k.margin.report(store, cp, ctx.blockTimeNs).equityMicroUsdc;
        const cap = eq > 0n ? eq : 0n;
        if (adj > cap) adj = cap;
      } else adj = share - assigned; // the fund's subaccount takes the rest (bad debt)
      const cashToAccount = s * kk * l.markPerContract + adj;
      k.subaccounts.applyUpdates(
        ctx,
        [
          { id, collateralDelta: cashToAccount, positionDeltas: [{ instrumentId: l.seriesId, sizeDelta: -s * kk, costBasisDelta: -cashToAccount }] },
          { id: cp, collateralDelta: -cashToAccount, positionDeltas: [{ instrumentId: l.seriesId, sizeDelta: s * kk, costBasisDelta: cashToAccount }] },
        ],
        { kind: "liquidation" },
      );
      appendRecord(ctx, { ...base, kind, seriesId: l.seriesId, sizeDeltaContracts: -s * kk, cashMicroUsdc: cashToAccount, counterparty: cpName, lossMicroUsdc: adj });
      remaining -= kk;
      assigned += adj;
    };
    for (const h of rankCounterparties(k, ctx, l.seriesId, -s, id)) {
      if (remaining === 0n) break;
      const kk = abs(h.size) < remaining ? abs(h.size) : remaining;
      closeAgainst(h.id, kk, "deleverage", formatSubaccountId(h.id));
    }
    if (remaining > 0n) {
      // Only the fund's subaccount holds the other side: it takes the rest with the loss (bad debt).
      badDebt += share - assigned;
      closeAgainst(fund, remaining, "takeover", fundName);
    } else if (assigned < share) {
      // Every contract was closed but the counterparties' equity could not absorb the whole share: the fund's
      // subaccount carries the rest as bad debt (negative collateral, topped up by later deposits).
      const rest = share - assigned;
      badDebt += rest;
      k.subaccounts.applyUpdates(ctx, [{ id, collateralDelta: rest, positionDeltas: [] }, { id: fund, collateralDelta: -rest, positionDeltas: [] }], { kind: "liquidation" });
      appendRecord(ctx, { ...base, kind: "takeover", seriesId: l.seriesId, sizeDeltaContracts: 0n, cashMicroUsdc: rest, counterparty: fundName, lossMicroUsdc: rest });
      assigned = share;
    }
  });
  if (badDebt > 0n) ctx.events.push(events.badDebt(name, badDebt));
  return { kind: "deleverage", deficitMicroUsdc: deficit, fundPaidMicroUsdc: balance, socializedMicroUsdc: socialized - badDebt, badDebtMicroUsdc: badDebt };
}

/** The takeover's deficit left the fund's bank balance through applyUpdates' counterparty: ledger it. */
function appendFundEntry(k: LiquidationKeeper, ctx: Context, amount: bigint, counterparty: string): void {
  k.ledgerTakeover(ctx, amount, counterparty);
}
