/**
 * Portfolio maintenance margin of many accounts at once, kept current incrementally.
 *
 * Series rows hold each series' scenario P&L per contract (Float64Array of exact integers, from scenarioValues)
 * and marks; accounts hold their positions in one shared arena of typed arrays (series slot, contracts), sorted
 * by underlying then series. Each account caches its MM with the clock tick it was computed at; an underlying's
 * row carries the tick of its last repricing and the set of accounts holding it, so `refresh()` recomputes
 * exactly the accounts whose positions changed plus those of repriced underlyings: idle accounts are not
 * touched. Reading one account re-checks its underlyings' ticks (O(positions)).
 *
 * Arithmetic: doubles holding exact integers. Every sum and product is bounded below 2^52 before it is trusted
 * (scenario losses by Σ|q|·max|pnl|, delta by Σ|q|·|delta notional|, caps by strikes × contract size); divisions
 * are exact integer floor/ceil with a remainder correction. When a bound fails the account is evaluated by the
 * bigint reference (portfolio.ts evaluatePortfolio). Both paths give the same integer, so results are a pure
 * function of the inputs on every engine.
 */
import { ceilDivPos, evaluatePortfolio, type PortfolioLine } from "./portfolio.js";
import type { SeriesScenarios } from "./scenarioValues.js";
import { gridFor, scenariosOf, type PortfolioParams } from "./scenarios.js";

const SAFE = 4_503_599_627_370_496; // 2^52
const SAFE_N = 4_503_599_627_370_496n;
const PPM = 1_000_000;
const PPM_N = 1_000_000n;
const MAX_CAP_LEGS = 64;

/** floor(a / d) for integers a ≥ 0 (a < 2^53), d > 0, exactly. */
function floorDivExact(a: number, d: number): number {
  let q = Math.floor(a / d);
  let r = a - q * d;
  if (r < 0) { q--; r += d; } else if (r >= d) { q++; r -= d; }
  return q;
}

/** ceil(a / d) for integers a ≥ 0 (a < 2^53), d > 0, exactly. */
function ceilDivExact(a: number, d: number): number {
  const q = floorDivExact(a, d);
  return a - q * d > 0 ? q + 1 : q;
}

/** ceil(a · w / 1e6) for integers 0 ≤ a < 2^52, 0 ≤ w ≤ 1e6, without forming a · w (which may pass 2^53). */
function mulCeilPpm(a: number, w: number): number {
  const h = floorDivExact(a, PPM);
  const l = a - h * PPM;
  return h * w + ceilDivExact(l * w, PPM);
}

interface UnderlyingRow {
  name: string;
  n: number;
  /** Per scenario: -1 full weight, else an index into `weights`. */
  weightClass: Int8Array;
  weights: number[];
  nakedChargePpm: bigint;
  oracleChargePpm: number;
  /** Clock tick of its last repricing. */
  changedAt: number;
  accounts: Set<number>;
  /** Naked charge by naked contracts, for memoSpot and memoCs. */
  nakedMemo: number[];
  memoSpot: number;
  memoCs: number;
}

export interface EnginePosition {
  seriesId: bigint;
  sizeContracts: bigint;
}

export class PortfolioEngine {
  // Series rows (by slot).
  private readonly seriesSlot = new Map<bigint, number>();
  private readonly sScen: SeriesScenarios[] = [];
  private readonly sUnd: number[] = [];
  private readonly sMarkLong: number[] = [];
  private readonly sMarkShort: number[] = [];
  private readonly sMarkBig: Array<[bigint, bigint]> = [];
  private readonly sDelta: number[] = [];
  private readonly sExact: boolean[] = [];
  private readonly sSpot: number[] = [];
  private readonly sCs: number[] = [];
  private readonly sStrike: number[] = [];
  private readonly sExpiry: number[] = [];
  private readonly sCall: boolean[] = [];
  private readonly sSettled: boolean[] = [];
  private readonly sMaxAbs: number[] = [];
  /** Scenario P&L per contract of every series, flat: slot × STRIDE + scenario (longs rounded down, shorts up). */
  private pnlFloor = new Float64Array(0);
  private pnlCeil = new Float64Array(0);
  private stride = 0;
  private readonly underlyings: UnderlyingRow[] = [];
  private readonly underlyingIdx = new Map<string, number>();
  // Accounts (by slot); positions live in the arena at [off, off + len).
  private readonly accountSlot = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly freeSlots: number[] = [];
  private off = new Int32Array(1024);
  private len = new Int32Array(1024);
  private cap = new Int32Array(1024);
  private mm = new Float64Array(1024);
  private computedAt = new Float64Array(1024);
  private dirty = new Uint8Array(1024);
  private readonly bigMm = new Map<number, bigint>();
  private arenaSeries = new Int32Array(16_384);
  private arenaQty = new Float64Array(16_384);
  private arenaUsed = 0;
  private arenaLive = 0;
  private readonly dirtyList: number[] = [];
  private readonly dirtyUnderlyings = new Set<number>();
  private clock = 1;
  private readonly loss = new Float64Array(256);
  private readonly classMax = new Float64Array(16);
  /** Accounts evaluated / answered from their cache, and those that needed the bigint path. */
  recomputed = 0;
  reused = 0;
  bigintFallbacks = 0;

  constructor(readonly params: PortfolioParams) {}

  private underlyingOf(name: string): number {
    let i = this.underlyingIdx.get(name);
    if (i !== undefined) return i;
    const grid = gridFor(this.params, name);
    const scen = scenariosOf(grid);
    const weights: number[] = [];
    const weightClass = new Int8Array(scen.length);
    scen.forEach((s, k) => {
      if (s.weightPpm === PPM_N) weightClass[k] = -1;
      else {
        let c = weights.indexOf(Number(s.weightPpm));
        if (c < 0) c = weights.push(Number(s.weightPpm)) - 1;
        weightClass[k] = c;
      }
    });
    i = this.underlyings.length;
    this.underlyings.push({
      name, n: scen.length, weightClass, weights, nakedChargePpm: grid.nakedShortChargePpm, oracleChargePpm: Number(grid.oracleChargePpm),
      changedAt: this.clock, accounts: new Set(), nakedMemo: [], memoSpot: -1, memoCs: -1,
    });
    this.underlyingIdx.set(name, i);
    return i;
  }

  get seriesCount(): number {
    return this.sScen.length;
  }

  get accountCount(): number {
    return this.accountSlot.size;
  }

  /** Installs or replaces a series' scenario values and marks; true when it changed (its underlying reprices). */
  setSeries(scen: SeriesScenarios, markLongMicroUsdc: bigint, markShortMicroUsdc: bigint): boolean {
    let slot = this.seriesSlot.get(scen.seriesId);
    if (slot !== undefined && this.sScen[slot]!.epoch === scen.epoch && this.sMarkBig[slot]![0] === markLongMicroUsdc && this.sMarkBig[slot]![1] === markShortMicroUsdc) {
      return false;
    }
    const u = slot === undefined ? this.underlyingOf(scen.underlying) : this.sUnd[slot]!;
    if (slot === undefined) {
      slot = this.sScen.length;
      this.seriesSlot.set(scen.seriesId, slot);
    }
    const safe = (v: bigint) => v < SAFE_N && v > -SAFE_N;
    this.sScen[slot] = scen;
    this.sUnd[slot] = u;
    this.sMarkBig[slot] = [markLongMicroUsdc, markShortMicroUsdc];
    this.sMarkLong[slot] = Number(markLongMicroUsdc);
    this.sMarkShort[slot] = Number(markShortMicroUsdc);
    this.sDelta[slot] = Number(scen.deltaNotionalMicroUsdc);
    this.sSpot[slot] = Number(scen.spotMicroUsd);
    this.sCs[slot] = Number(scen.contractSizePpm);
    this.sStrike[slot] = Number(scen.strikeMicroUsd);
    this.sExpiry[slot] = Number(scen.expiryUnixS);
    this.sCall[slot] = scen.kind === "call";
    this.sSettled[slot] = scen.settled;
    this.sMaxAbs[slot] = scen.maxAbsPnl;
    this.storePnl(slot, scen);
    this.sExact[slot] =
      safe(markLongMicroUsdc) && safe(markShortMicroUsdc) && safe(scen.deltaNotionalMicroUsdc) && safe(scen.strikeMicroUsd * scen.contractSizePpm) &&
      scen.maxAbsPnl < SAFE && scen.pnlFloor.length === this.underlyings[u]!.n && safe(scen.spotMicroUsd) && safe(scen.expiryUnixS) &&
      scen.spotMicroUsd >= 0n && scen.contractSizePpm > 0n && scen.strikeMicroUsd >= 0n;
    const row = this.underlyings[u]!;
    row.changedAt = ++this.clock;
    this.dirtyUnderlyings.add(u);
    return true;
  }

  /** Copies a series' P&L into the flat arrays (growing them, or widening the stride, when needed). */
  private storePnl(slot: number, scen: SeriesScenarios): void {
    const n = scen.pnlFloor.length;
    if (n > this.stride || (slot + 1) * this.stride > this.pnlFloor.length) {
      const stride = n > this.stride ? n : this.stride;
      const rows = Math.max(slot + 1, Math.floor(this.pnlFloor.length / Math.max(this.stride, 1)) * 2, 64);
      const floor = new Float64Array(rows * stride);
      const ceil = new Float64Array(rows * stride);
      for (let r = 0; r < this.sScen.length; r++) {
        if (r === slot || this.sScen[r] === undefined) continue;
        floor.set(this.sScen[r]!.pnlFloor, r * stride);
        ceil.set(this.sScen[r]!.pnlCeil, r * stride);
      }
      this.pnlFloor = floor;
      this.pnlCeil = ceil;
      this.stride = stride;
    }
    this.pnlFloor.set(scen.pnlFloor, slot * this.stride);
    this.pnlCeil.set(scen.pnlCeil, slot * this.stride);
  }

  hasSeries(seriesId: bigint): boolean {
    return this.seriesSlot.has(seriesId);
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
    const target = live * 2 > size ? size * 2 > live * 2 ? size * 2 : live * 2 : size;
    const series = new Int32Array(target);
    const qty = new Float64Array(target);
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
    const slots: number[] = [];
    const qtys: number[] = [];
    let exact = true;
    for (const p of positions) {
      if (p.sizeContracts === 0n) continue;
      const s = this.seriesSlot.get(p.seriesId);
      if (s === undefined) throw new Error(`portfolio engine: series ${p.seriesId} was not set`);
      if (p.sizeContracts > 2_147_483_647n || p.sizeContracts < -2_147_483_647n) exact = false;
      slots.push(s);
      qtys.push(Number(p.sizeContracts));
    }
    if (!exact) {
      // Sizes beyond 31 bits: kept aside for the bigint path (never seen in practice; correct regardless).
      slots.length = qtys.length = 0;
    }
    // Sort by (underlying, series id): insertion sort, accounts hold few positions.
    const order = slots.map((_, i) => i);
    for (let i = 1; i < order.length; i++) {
      const x = order[i]!;
      let j = i - 1;
      while (j >= 0 && this.before(slots[x]!, slots[order[j]!]!)) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = x;
    }
    let slot = this.accountSlot.get(key);
    if (slot !== undefined && exact && !this.oversized.has(slot) && this.len[slot] === order.length) {
      const o = this.off[slot]!;
      let same = true;
      for (let i = 0; same && i < order.length; i++) same = this.arenaSeries[o + i] === slots[order[i]!] && this.arenaQty[o + i] === qtys[order[i]!];
      if (same) return;
    }
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.keys.length;
      this.ensureAccountCapacity(slot);
      this.accountSlot.set(key, slot);
      this.keys[slot] = key;
      this.len[slot] = 0;
      this.cap[slot] = 0;
    } else {
      this.unindex(slot);
    }
    const n = order.length;
    if (n > this.cap[slot]!) {
      this.reserve(n);
      this.off[slot] = this.arenaUsed;
      this.cap[slot] = n;
      this.arenaUsed += n;
    }
    this.arenaLive += n - this.len[slot]!;
    const o = this.off[slot]!;
    for (let i = 0; i < n; i++) {
      this.arenaSeries[o + i] = slots[order[i]!]!;
      this.arenaQty[o + i] = qtys[order[i]!]!;
    }
    this.len[slot] = n;
    if (exact) this.oversized.delete(slot);
    else this.oversized.set(slot, positions.filter((p) => p.sizeContracts !== 0n).map((p) => ({ ...p })));
    this.index(slot);
    this.markDirty(slot);
  }

  private readonly oversized = new Map<number, EnginePosition[]>();

  private before(a: number, b: number): boolean {
    const ua = this.sUnd[a]!, ub = this.sUnd[b]!;
    if (ua !== ub) return ua < ub;
    return this.sScen[a]!.seriesId < this.sScen[b]!.seriesId;
  }

  private forEachUnderlying(slot: number, f: (u: number) => void): void {
    const o = this.off[slot]!, l = this.len[slot]!;
    let prev = -1;
    for (let i = o; i < o + l; i++) {
      const u = this.sUnd[this.arenaSeries[i]!]!;
      if (u !== prev) f(u);
      prev = u;
    }
    const big = this.oversized.get(slot);
    if (big !== undefined) for (const p of big) f(this.sUnd[this.seriesSlot.get(p.seriesId)!]!);
  }

  private index(slot: number): void {
    this.forEachUnderlying(slot, (u) => this.underlyings[u]!.accounts.add(slot));
  }

  private unindex(slot: number): void {
    this.forEachUnderlying(slot, (u) => this.underlyings[u]!.accounts.delete(slot));
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
    this.keys[slot] = undefined as unknown as string;
    this.freeSlots.push(slot);
  }

  /** Recomputes every account whose positions changed or whose underlyings repriced; returns how many. */
  refresh(): number {
    for (const u of this.dirtyUnderlyings) for (const a of this.underlyings[u]!.accounts) this.markDirty(a);
    this.dirtyUnderlyings.clear();
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
    let stale = false;
    this.forEachUnderlying(slot, (u) => {
      if (this.underlyings[u]!.changedAt > at) stale = true;
    });
    return stale;
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
    this.computedAt[slot] = this.clock;
    const v = this.oversized.has(slot) ? Number.NaN : this.fastMm(slot);
    if (Number.isNaN(v)) {
      this.bigintFallbacks++;
      this.bigMm.set(slot, this.referenceMm(slot));
      this.mm[slot] = 0;
    } else {
      this.bigMm.delete(slot);
      this.mm[slot] = v;
    }
  }

  /** The bigint reference over the account's positions. */
  private referenceMm(slot: number): bigint {
    const lines: PortfolioLine[] = [];
    const add = (s: number, q: bigint) => lines.push({ s: this.sScen[s]!, positionContracts: q, markLongMicroUsdc: this.sMarkBig[s]![0], markShortMicroUsdc: this.sMarkBig[s]![1] });
    const big = this.oversized.get(slot);
    if (big !== undefined) for (const p of big) add(this.seriesSlot.get(p.seriesId)!, p.sizeContracts);
    else for (let i = this.off[slot]!; i < this.off[slot]! + this.len[slot]!; i++) add(this.arenaSeries[i]!, BigInt(this.arenaQty[i]!));
    return evaluatePortfolio(lines, this.params).maintenanceMarginMicroUsdc;
  }

  /** MM on exact doubles; NaN when a bound fails (the caller takes the bigint path). */
  private fastMm(slot: number): number {
    if (this.params.crossUnderlyingOffset) return Number.NaN;
    const o = this.off[slot]!, end = o + this.len[slot]!;
    let total = 0;
    let start = o;
    while (start < end) {
      const u = this.sUnd[this.arenaSeries[start]!]!;
      let stop = start + 1;
      while (stop < end && this.sUnd[this.arenaSeries[stop]!]! === u) stop++;
      const v = this.groupMm(u, start, stop);
      if (Number.isNaN(v)) return v;
      total += v;
      start = stop;
    }
    return total < SAFE ? total : Number.NaN;
  }

  private groupMm(u: number, start: number, stop: number): number {
    const row = this.underlyings[u]!;
    const n = row.n;
    if (n > this.loss.length) return Number.NaN;
    const loss = this.loss;
    const stride = this.stride;
    loss.fill(0, 0, n);
    let bound = 0, deltaBound = 0, delta = 0, spot = 0, cs = 0;
    let longCall = 0, shortCall = 0, longPut = 0, shortPut = 0, callSlope = 0;
    let value = 0, valueBound = 0, maxStrikeSize = 0;
    let settledAny = false, oneExpiry = true;
    const expiry0 = this.sExpiry[this.arenaSeries[start]!]!;
    for (let p = start; p < stop; p++) {
      const s = this.arenaSeries[p]!;
      const q = this.arenaQty[p]!;
      if (!this.sExact[s]) return Number.NaN;
      const sSpot = this.sSpot[s]!, sCs = this.sCs[s]!;
      if (sSpot > spot) spot = sSpot;
      if (sCs > cs) cs = sCs;
      const aq = q < 0 ? -q : q;
      const mark = q > 0 ? this.sMarkLong[s]! : this.sMarkShort[s]!;
      value += q * mark;
      valueBound += aq * (mark < 0 ? -mark : mark);
      if (this.sExpiry[s] !== expiry0) oneExpiry = false;
      const ks = this.sStrike[s]! * sCs;
      if (ks > maxStrikeSize) maxStrikeSize = ks;
      if (this.sSettled[s]) {
        settledAny = true;
        continue;
      }
      bound += aq * this.sMaxAbs[s]!;
      const d = this.sDelta[s]!;
      deltaBound += aq * (d < 0 ? -d : d);
      delta += q * d;
      const v = q > 0 ? this.pnlFloor : this.pnlCeil;
      const base = s * stride;
      for (let i = 0; i < n; i++) loss[i] = loss[i]! - q * v[base + i]!;
      if (this.sCall[s]) {
        callSlope += q;
        if (q > 0) longCall += q;
        else shortCall -= q;
      } else if (q > 0) longPut += q;
      else shortPut -= q;
    }
    if (!(bound < SAFE && deltaBound < SAFE)) return Number.NaN;
    // Worst scenario: full-weight losses as they are, weighted classes by their max (ceil is monotone).
    const classMax = this.classMax;
    const nClasses = row.weights.length;
    if (nClasses > classMax.length) return Number.NaN;
    classMax.fill(0, 0, nClasses);
    let worst = 0;
    const wc = row.weightClass;
    for (let i = 0; i < n; i++) {
      const l = loss[i]!;
      const c = wc[i]!;
      if (c < 0) {
        if (l > worst) worst = l;
      } else if (l > classMax[c]!) classMax[c] = l;
    }
    for (let c = 0; c < nClasses; c++) {
      if (classMax[c]! > 0) {
        const e = mulCeilPpm(classMax[c]!, row.weights[c]!);
        if (e > worst) worst = e;
      }
    }
    const naked = (shortCall > longCall ? shortCall - longCall : 0) + (shortPut > longPut ? shortPut - longPut : 0);
    const nakedCharge = naked === 0 ? 0 : this.nakedCharge(row, naked, spot, cs);
    const oracleCharge = mulCeilPpm(delta < 0 ? -delta : delta, row.oracleChargePpm);
    const raw = worst + nakedCharge + oracleCharge;
    if (!(raw < SAFE)) return Number.NaN;
    if (settledAny || !oneExpiry || callSlope < 0 || stop - start > MAX_CAP_LEGS) return raw;
    const cap = this.capOf(start, stop, value, valueBound, maxStrikeSize);
    if (Number.isNaN(cap)) return cap;
    return cap < raw ? cap : raw;
  }

  private nakedCharge(row: UnderlyingRow, naked: number, spot: number, cs: number): number {
    if (spot !== row.memoSpot || cs !== row.memoCs) {
      row.memoSpot = spot;
      row.memoCs = cs;
      row.nakedMemo.length = 0;
    }
    if (naked < 4096) {
      const v = row.nakedMemo[naked];
      if (v !== undefined) return v;
    }
    const v = Number(ceilDivPos(BigInt(naked) * row.nakedChargePpm * BigInt(spot) * BigInt(cs), PPM_N * PPM_N));
    if (naked < 4096) row.nakedMemo[naked] = v;
    return v;
  }

  /** Max loss at expiry over S ∈ {0, strikes} (definedMaxLoss on doubles); NaN when a bound fails. */
  private capOf(start: number, stop: number, value: number, valueBound: number, maxStrikeSize: number): number {
    if (!(valueBound < SAFE && maxStrikeSize < SAFE)) return Number.NaN;
    let payoffBound = 0;
    for (let p = start; p < stop; p++) {
      const q = this.arenaQty[p]!;
      payoffBound += (q < 0 ? -q : q) * (maxStrikeSize / PPM + 1);
    }
    if (!(payoffBound < SAFE)) return Number.NaN;
    let worst = 0;
    let first = true;
    for (let c = start - 1; c < stop; c++) {
      const S = c < start ? 0 : this.sStrike[this.arenaSeries[c]!]!;
      let payoff = 0;
      for (let p = start; p < stop; p++) {
        const s = this.arenaSeries[p]!;
        const q = this.arenaQty[p]!;
        const k = this.sStrike[s]!;
        const m = this.sCall[s] ? S - k : k - S;
        if (m <= 0) continue;
        const intrinsic = m * this.sCs[s]!;
        payoff += q > 0 ? q * floorDivExact(intrinsic, PPM) : q * ceilDivExact(intrinsic, PPM);
      }
      const l = value - payoff;
      if (first || l > worst) worst = l;
      first = false;
    }
    return worst > 0 ? worst : 0;
  }
}
