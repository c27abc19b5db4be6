/**
 * Portfolio maintenance margin of many accounts at once, kept current incrementally.
 *
 * Series live in a SeriesTable (portfolioSeries.ts: terms in one typed array, scenario P&L of both roundings in
 * one flat array); accounts hold their positions in one shared arena of typed arrays (series slot, contracts),
 * sorted by underlying then slot. Each account caches its MM with the clock tick it was computed at; an
 * underlying's row carries the tick of its last repricing and the set of accounts holding it, so `refresh()`
 * recomputes exactly the accounts whose positions changed plus those of repriced underlyings: idle accounts are
 * not touched. Reading one account re-checks its underlyings' ticks (O(positions)).
 *
 * Positions are loaded without allocation: beginAccount, addPosition (bigint) / addPositionNumber, commitAccount
 * write straight into scratch typed arrays; setAccount wraps them for a list of positions.
 *
 * Arithmetic (portfolioGroup.ts, portfolioArith.ts): doubles holding exact integers, every sum and product
 * bounded below 2^52 before it is trusted; when a bound fails the account is evaluated by the bigint reference
 * (portfolio.ts evaluatePortfolio). Both paths give the same integer, and the order of legs inside an underlying
 * changes no sum, so results are a pure function of the inputs on every engine.
 */
import { evaluatePortfolio, type PortfolioLine } from "./portfolio.js";
import { SAFE } from "./portfolioArith.js";
import { GroupEvaluator } from "./portfolioGroup.js";
import { SeriesTable } from "./portfolioSeries.js";
import type { SeriesScenarios } from "./scenarioValues.js";
import type { PortfolioParams } from "./scenarios.js";

export interface EnginePosition {
  seriesId: bigint;
  sizeContracts: bigint;
}

const MAX_QTY = 2_147_483_647;
const MAX_QTY_N = 2_147_483_647n;

export class PortfolioEngine {
  private readonly sr: SeriesTable;
  // Accounts (by slot); positions live in the arena at [off, off + len).
  private readonly accountSlot = new Map<string, number>();
  private readonly keys: Array<string | undefined> = [];
  private readonly freeSlots: number[] = [];
  private off = new Int32Array(1024);
  private len = new Int32Array(1024);
  private cap = new Int32Array(1024);
  private mm = new Float64Array(1024);
  private computedAt = new Float64Array(1024);
  private dirty = new Uint8Array(1024);
  private readonly bigMm = new Map<number, bigint>();
  /** Accounts with a size beyond 31 bits: their positions, for the bigint path (never seen in practice). */
  private readonly oversized = new Map<number, EnginePosition[]>();
  private arenaSeries = new Int32Array(16_384);
  /** Contracts per leg: 31 bits (larger sizes keep the account on the bigint path, out of the arena). */
  private arenaQty = new Int32Array(16_384);
  private arenaUsed = 0;
  private arenaLive = 0;
  private readonly dirtyList: number[] = [];
  // The account being loaded (beginAccount … commitAccount).
  private inSlot = new Int32Array(64);
  private inQty = new Float64Array(64);
  private inCount = 0;
  private inOver: Array<[number, bigint]> = [];
  private readonly group: GroupEvaluator;
  /** Accounts evaluated / answered from their cache, and those that needed the bigint path. */
  recomputed = 0;
  reused = 0;
  bigintFallbacks = 0;

  constructor(readonly params: PortfolioParams) {
    this.sr = new SeriesTable(params);
    this.group = new GroupEvaluator(this.sr);
  }

  get seriesCount(): number {
    return this.sr.count;
  }

  get accountCount(): number {
    return this.accountSlot.size;
  }

  /** Installs or replaces a series' scenario values and marks; true when it changed (its underlying reprices). */
  setSeries(scen: SeriesScenarios, markLongMicroUsdc: bigint, markShortMicroUsdc: bigint): boolean {
    return this.sr.set(scen, markLongMicroUsdc, markShortMicroUsdc);
  }

  hasSeries(seriesId: bigint): boolean {
    return this.sr.slotOf(seriesId) !== undefined;
  }

  private ensureAccountCapacity(slot: number): void {
    if (slot < this.off.length) return;
    const size = Math.max(slot + 1, this.off.length * 2);
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.off = grow(this.off, (n) => new Int32Array(n));
    this.len = grow(this.len, (n) => new Int32Array(n));
    this.cap = grow(this.cap, (n) => new Int32Array(n));
    this.mm = grow(this.mm, (n) => new Float64Array(n));
    this.computedAt = grow(this.computedAt, (n) => new Float64Array(n));
    this.dirty = grow(this.dirty, (n) => new Uint8Array(n));
  }

  /** Room for `need` more arena entries; compacts when more than half the arena is garbage. */
  private reserve(need: number): void {
    if (this.arenaUsed + need <= this.arenaSeries.length) return;
    const live = this.arenaLive + need;
    const size = Math.max(this.arenaSeries.length, 1024);
    const target = live * 2 > size ? (size * 2 > live * 2 ? size * 2 : live * 2) : size;
    const series = new Int32Array(target);
    const qty = new Int32Array(target);
    let used = 0;
    for (let a = 0; a < this.keys.length; a++) {
      if (this.keys[a] === undefined) continue;
      const o = this.off[a]!, l = this.len[a]!;
      series.set(this.arenaSeries.subarray(o, o + l), used);
      qty.set(this.arenaQty.subarray(o, o + l), used);
      this.off[a] = used;
      this.cap[a] = l;
      used += l;
    }
    this.arenaSeries = series;
    this.arenaQty = qty;
    this.arenaUsed = used;
  }

  /**
   * Replaces an account's positions (zero sizes ignored; every series must have been set). A no-op when they
   * are the same as before, so callers may pass the current positions every time.
   */
  setAccount(key: string, positions: readonly EnginePosition[]): void {
    this.beginAccount();
    for (let i = 0; i < positions.length; i++) this.addPosition(positions[i]!.seriesId, positions[i]!.sizeContracts);
    this.commitAccount(key);
  }

  /** Starts loading an account's positions (addPosition…, then commitAccount). */
  beginAccount(): void {
    this.inCount = 0;
    if (this.inOver.length > 0) this.inOver = [];
  }

  private push(slot: number, qty: number): void {
    if (this.inCount === this.inSlot.length) {
      const s = new Int32Array(this.inCount * 2), q = new Float64Array(this.inCount * 2);
      s.set(this.inSlot);
      q.set(this.inQty);
      this.inSlot = s;
      this.inQty = q;
    }
    this.inSlot[this.inCount] = slot;
    this.inQty[this.inCount++] = qty;
  }

  addPosition(seriesId: bigint, sizeContracts: bigint): void {
    if (sizeContracts === 0n) return;
    const s = this.sr.slotOf(seriesId);
    if (s === undefined) throw new Error(`portfolio engine: series ${seriesId} was not set`);
    if (sizeContracts > MAX_QTY_N || sizeContracts < -MAX_QTY_N) this.inOver.push([this.inCount, sizeContracts]);
    this.push(s, Number(sizeContracts));
  }

  /** addPosition for ids and sizes held as safe integers (no bigint on the way). */
  addPositionNumber(seriesId: number, sizeContracts: number): void {
    if (sizeContracts === 0) return;
    if (!Number.isSafeInteger(seriesId) || !Number.isSafeInteger(sizeContracts)) throw new Error("portfolio engine: ids and sizes must be safe integers");
    const s = this.sr.slotOfNumber(seriesId);
    if (s === undefined) throw new Error(`portfolio engine: series ${seriesId} was not set`);
    if (sizeContracts > MAX_QTY || sizeContracts < -MAX_QTY) this.inOver.push([this.inCount, BigInt(sizeContracts)]);
    this.push(s, sizeContracts);
  }

  /** Stores the loaded positions as the account's (a no-op when they equal its current ones). */
  commitAccount(key: string): void {
    const n = this.inCount, slots = this.inSlot, qtys = this.inQty, und = this.sr.und;
    const exact = this.inOver.length === 0;
    // Oversized sizes are kept (in load order, before the sort) for the bigint path.
    const over = exact ? undefined : this.loadedPositions();
    // Sort by (underlying, slot): insertion sort, accounts hold few positions.
    for (let i = 1; i < n; i++) {
      const s = slots[i]!, q = qtys[i]!, u = und[s]!;
      let j = i - 1;
      while (j >= 0 && (und[slots[j]!]! > u || (und[slots[j]!]! === u && slots[j]! > s))) {
        slots[j + 1] = slots[j]!;
        qtys[j + 1] = qtys[j]!;
        j--;
      }
      slots[j + 1] = s;
      qtys[j + 1] = q;
    }
    let slot = this.accountSlot.get(key);
    if (slot !== undefined && exact && !this.isOversized(slot) && this.len[slot] === n) {
      const o = this.off[slot]!;
      let i = 0;
      while (i < n && this.arenaSeries[o + i] === slots[i] && this.arenaQty[o + i] === qtys[i]) i++;
      if (i === n) return;
    }
    let reindex = true;
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.keys.length;
      this.ensureAccountCapacity(slot);
      this.accountSlot.set(key, slot);
      this.keys[slot] = key;
      this.len[slot] = 0;
      this.cap[slot] = 0;
    } else {
      // The underlying → accounts index changes only when the account's set of underlyings does.
      reindex = !(exact && !this.isOversized(slot) && this.sameUnderlyings(slot, n));
      if (reindex) this.unindex(slot);
    }
    const m = exact ? n : 0;
    if (m > this.cap[slot]!) {
      this.reserve(m);
      this.off[slot] = this.arenaUsed;
      this.cap[slot] = m;
      this.arenaUsed += m;
    }
    this.arenaLive += m - this.len[slot]!;
    const o = this.off[slot]!;
    const as = this.arenaSeries, aq = this.arenaQty;
    for (let i = 0; i < m; i++) {
      as[o + i] = slots[i]!;
      aq[o + i] = qtys[i]!;
    }
    this.len[slot] = m;
    if (over === undefined) this.oversized.delete(slot);
    else this.oversized.set(slot, over);
    if (reindex) this.index(slot);
    this.markDirty(slot);
  }

  /** Whether the account's stored legs span the same underlyings as the n sorted loaded ones. */
  private sameUnderlyings(slot: number, n: number): boolean {
    const und = this.sr.und, o = this.off[slot]!, l = this.len[slot]!;
    let i = 0, j = 0;
    while (i < l || j < n) {
      if (i >= l || j >= n) return false;
      const u = und[this.arenaSeries[o + i]!]!;
      if (u !== und[this.inSlot[j]!]!) return false;
      while (i < l && und[this.arenaSeries[o + i]!]! === u) i++;
      while (j < n && und[this.inSlot[j]!]! === u) j++;
    }
    return true;
  }

  /** No hash lookup in the common case of no oversized account at all. */
  private isOversized(slot: number): boolean {
    return this.oversized.size > 0 && this.oversized.has(slot);
  }

  /** The loaded positions as bigints, in load order (oversized sizes from inOver, the rest exact in inQty). */
  private loadedPositions(): EnginePosition[] {
    const big = new Map(this.inOver);
    const out: EnginePosition[] = [];
    for (let i = 0; i < this.inCount; i++) out.push({ seriesId: this.sr.scen[this.inSlot[i]!]!.seriesId, sizeContracts: big.get(i) ?? BigInt(this.inQty[i]!) });
    return out;
  }

  private index(slot: number): void {
    const o = this.off[slot]!, end = o + this.len[slot]!;
    let prev = -1;
    for (let i = o; i < end; i++) {
      const u = this.sr.und[this.arenaSeries[i]!]!;
      if (u !== prev) this.sr.underlyings[u]!.accounts.add(slot);
      prev = u;
    }
    const big = this.oversized.get(slot);
    if (big !== undefined) for (const p of big) this.sr.underlyings[this.sr.und[this.sr.slotOf(p.seriesId)!]!]!.accounts.add(slot);
  }

  private unindex(slot: number): void {
    const o = this.off[slot]!, end = o + this.len[slot]!;
    let prev = -1;
    for (let i = o; i < end; i++) {
      const u = this.sr.und[this.arenaSeries[i]!]!;
      if (u !== prev) this.sr.underlyings[u]!.accounts.delete(slot);
      prev = u;
    }
    const big = this.oversized.get(slot);
    if (big !== undefined) for (const p of big) this.sr.underlyings[this.sr.und[this.sr.slotOf(p.seriesId)!]!]!.accounts.delete(slot);
  }

  private markDirty(slot: number): void {
    if (this.dirty[slot] === 1) return;
    this.dirty[slot] = 1;
    this.dirtyList.push(slot);
  }

  removeAccount(key: string): void {
    const slot = this.accountSlot.get(key);
    if (slot === undefined) return;
    this.unindex(slot);
    this.arenaLive -= this.len[slot]!;
    this.len[slot] = 0;
    this.cap[slot] = 0;
    this.dirty[slot] = 0;
    this.oversized.delete(slot);
    this.bigMm.delete(slot);
    this.accountSlot.delete(key);
    this.keys[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** Recomputes every account whose positions changed or whose underlyings repriced; returns how many. */
  refresh(): number {
    for (const u of this.sr.dirtyUnderlyings) for (const a of this.sr.underlyings[u]!.accounts) this.markDirty(a);
    this.sr.dirtyUnderlyings.clear();
    const list = this.dirtyList;
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (this.dirty[a] === 0) continue; // removed meanwhile
      this.compute(a);
      n++;
    }
    list.length = 0;
    return n;
  }

  private stale(slot: number): boolean {
    if (this.dirty[slot] === 1) return true;
    const at = this.computedAt[slot]!;
    const o = this.off[slot]!, end = o + this.len[slot]!;
    for (let i = o; i < end; i++) if (this.sr.underlyings[this.sr.und[this.arenaSeries[i]!]!]!.changedAt > at) return true;
    const big = this.oversized.get(slot);
    if (big !== undefined) for (const p of big) if (this.sr.underlyings[this.sr.und[this.sr.slotOf(p.seriesId)!]!]!.changedAt > at) return true;
    return false;
  }

  /** The account's MM (positions only), recomputed first when stale; undefined for an unknown account. */
  maintenanceMargin(key: string): bigint | undefined {
    const slot = this.accountSlot.get(key);
    if (slot === undefined) return undefined;
    if (this.stale(slot)) this.compute(slot);
    else this.reused++;
    return this.bigMm.get(slot) ?? BigInt(this.mm[slot]!);
  }

  private compute(slot: number): void {
    this.recomputed++;
    this.dirty[slot] = 0;
    this.computedAt[slot] = this.sr.clock;
    const v = this.isOversized(slot) ? Number.NaN : this.fastMm(slot);
    if (Number.isNaN(v)) {
      this.bigintFallbacks++;
      this.bigMm.set(slot, this.referenceMm(slot));
      this.mm[slot] = 0;
    } else {
      if (this.bigMm.size > 0) this.bigMm.delete(slot);
      this.mm[slot] = v;
    }
  }

  /** The bigint reference over the account's positions. */
  private referenceMm(slot: number): bigint {
    const sr = this.sr;
    const lines: PortfolioLine[] = [];
    const add = (s: number, q: bigint) => lines.push({ s: sr.scen[s]!, positionContracts: q, markLongMicroUsdc: sr.markBig[s]![0], markShortMicroUsdc: sr.markBig[s]![1] });
    const big = this.oversized.get(slot);
    if (big !== undefined) for (const p of big) add(sr.slotOf(p.seriesId)!, p.sizeContracts);
    else for (let i = this.off[slot]!; i < this.off[slot]! + this.len[slot]!; i++) add(this.arenaSeries[i]!, BigInt(this.arenaQty[i]!));
    return evaluatePortfolio(lines, this.params).maintenanceMarginMicroUsdc;
  }

  /** MM on exact doubles; NaN when a bound fails (the caller takes the bigint path). */
  private fastMm(slot: number): number {
    if (this.params.crossUnderlyingOffset) return Number.NaN;
    const o = this.off[slot]!, end = o + this.len[slot]!;
    const und = this.sr.und, as = this.arenaSeries;
    let total = 0;
    let start = o;
    while (start < end) {
      const u = und[as[start]!]!;
      let stop = start + 1;
      while (stop < end && und[as[stop]!]! === u) stop++;
      const v = this.group.mm(as, this.arenaQty, u, start, stop);
      if (Number.isNaN(v)) return v;
      total += v;
      start = stop;
    }
    return total < SAFE ? total : Number.NaN;
  }
}
