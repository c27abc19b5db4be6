/**
 * Settlement of one operation's fills, gathered: every fill's collateral and position deltas are folded in
 * memory and applied with one subaccounts.applyUpdates call when the op finishes, so a batch of 250 taker
 * orders plans, reads and writes each (subaccount, series) once instead of once per fill.
 *
 * Same state as applying each fill on its own:
 * - positions are folded with applyUpdates' own rule (a position reaching zero is gone, its cost basis with
 *   it), starting from the stored position read at first touch, and the flush hands applyUpdates the
 *   difference between the stored and the folded position;
 * - collateral deltas add up; fees are never negative, so the net always flows to the fee pool and the one
 *   check at the end is as strict as the last of the per-fill checks;
 * - open interest and the holder index follow the final positions (per-change sums telescope);
 * - reduce-only checks read positions through `position()`, which sees the folded values.
 * Anything that could come near applyUpdates' overflow bound (2^256) is not folded: the buffer flushes and
 * that fill is applied on its own, so the same error is raised at the same fill.
 * Inside an op, positions and collateral changed by fills reach the store at finish(): code running inside the
 * op must read positions through ClobOp.position (the only such reader today is the reduce-only cap).
 */
import type { Context } from "../../src/app/context.js";
import type { SubaccountId, SubaccountUpdate, SubaccountsKeeper } from "./expectedKeepers.js";
import { ownerOf } from "./orderStore.js";

/** Far above any real amount, far below applyUpdates' 2^256 bound: below it, folding cannot hide an overflow. */
const FOLD_LIMIT = 1n << 200n;

interface Folded {
  instrumentId: bigint;
  storedSize: bigint;
  storedCost: bigint;
  size: bigint;
  cost: bigint;
}

interface PendingSubaccount {
  id: SubaccountId;
  collateralDelta: bigint;
  positions: Map<bigint, Folded>;
}

const abs = (x: bigint) => (x < 0n ? -x : x);

export class TradeBuffer {
  private readonly pending = new Map<string, PendingSubaccount>();
  /** Set once a fill was too large to fold: the rest of the op applies fills directly. */
  private direct = false;

  constructor(
    private readonly ctx: Context,
    private readonly subaccounts: SubaccountsKeeper,
    private readonly counterparty: Uint8Array,
  ) {}

  /** The folded position size of a subaccount (key bytes) in a series, if this buffer holds it. */
  position(sub: Uint8Array, seriesId: bigint): bigint | undefined {
    return this.pending.get(ownerOf(sub))?.positions.get(seriesId)?.size;
  }

  /** Folds one taker order's updates (`subs[i]` is the key of `updates[i]`'s subaccount). */
  add(updates: readonly SubaccountUpdate[], subs: readonly Uint8Array[]): void {
    if (!this.direct && this.foldable(updates, subs)) {
      for (let i = 0; i < updates.length; i++) {
        const u = updates[i]!;
        const p = this.entry(u.id, subs[i]!);
        p.collateralDelta += u.collateralDelta;
        for (const d of u.positionDeltas) {
          const costDelta = d.costBasisDelta ?? 0n;
          if (d.sizeDelta === 0n && costDelta === 0n) continue;
          const f = this.folded(p, d.instrumentId);
          f.size += d.sizeDelta;
          f.cost += costDelta;
          if (f.size === 0n) f.cost = 0n; // applyUpdates drops a closed position, cost basis included
        }
      }
      return;
    }
    this.flush();
    this.direct = true;
    this.subaccounts.applyUpdates(this.ctx, updates, { kind: "trade", counterparty: this.counterparty });
  }

  /** Applies everything folded so far in one applyUpdates call (subaccounts and series in first-touch order). */
  flush(): void {
    if (this.pending.size === 0) return;
    const updates: SubaccountUpdate[] = [];
    for (const p of this.pending.values()) {
      const positionDeltas = [];
      for (const f of p.positions.values()) {
        const sizeDelta = f.size - f.storedSize;
        const costBasisDelta = f.cost - f.storedCost;
        if (sizeDelta !== 0n || costBasisDelta !== 0n) positionDeltas.push({ instrumentId: f.instrumentId, sizeDelta, costBasisDelta });
      }
      updates.push({ id: p.id, collateralDelta: p.collateralDelta, positionDeltas });
    }
    this.pending.clear();
    this.subaccounts.applyUpdates(this.ctx, updates, { kind: "trade", counterparty: this.counterparty });
  }

  /** Every value the fold would reach stays below FOLD_LIMIT (reads the positions it will fold into). */
  private foldable(updates: readonly SubaccountUpdate[], subs: readonly Uint8Array[]): boolean {
    const big = (x: bigint) => abs(x) >= FOLD_LIMIT;
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i]!;
      const p = this.entry(u.id, subs[i]!);
      if (big(u.collateralDelta) || big(p.collateralDelta + u.collateralDelta)) return false;
      for (const d of u.positionDeltas) {
        const costDelta = d.costBasisDelta ?? 0n;
        if (big(d.sizeDelta) || big(costDelta)) return false;
        if (d.sizeDelta === 0n && costDelta === 0n) continue;
        const f = this.folded(p, d.instrumentId);
        if (big(f.size + d.sizeDelta) || big(f.cost + costDelta)) return false;
      }
    }
    return true;
  }

  private entry(id: SubaccountId, sub: Uint8Array): PendingSubaccount {
    const k = ownerOf(sub);
    let p = this.pending.get(k);
    if (p === undefined) {
      p = { id, collateralDelta: 0n, positions: new Map() };
      this.pending.set(k, p);
    }
    return p;
  }

  private folded(p: PendingSubaccount, instrumentId: bigint): Folded {
    let f = p.positions.get(instrumentId);
    if (f === undefined) {
      const stored = this.subaccounts.position(this.ctx.store, p.id, instrumentId);
      const size = stored?.sizeContracts ?? 0n;
      const cost = stored?.costBasisMicroUsdc ?? 0n;
      f = { instrumentId, storedSize: size, storedCost: cost, size, cost };
      p.positions.set(instrumentId, f);
    }
    return f;
  }
}
