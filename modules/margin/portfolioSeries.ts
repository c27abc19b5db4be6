/**
 * The portfolio engine's series table: per series slot, its terms and marks as doubles in one typed array (exact
 * integers below 2^52, else the series is flagged inexact and its accounts take the bigint path), its scenario
 * P&L rounded down and up in one flat Float64Array (per slot a row of both roundings); per underlying, its scenario weights, the clock tick of its last repricing and the accounts holding it.
 */
import {
  FLAG_CALL, FLAG_EXACT, FLAG_SETTLED, PPM_N, SAFE, SAFE_N, T_CS, T_DELTA, T_EXPIRY, T_MARK_LONG, T_MARK_SHORT, T_MAX_ABS, T_SPOT, T_STRIKE, TERMS,
} from "./portfolioArith.js";
import type { SeriesScenarios } from "./scenarioValues.js";
import { gridFor, scenariosOf, type PortfolioParams } from "./scenarios.js";

export interface UnderlyingRow {
  name: string;
  n: number;
  /**
   * Scenarios reordered by weight: stored column j holds scenario order[j]; full-weight ones first ([0, nFull)),
   * then those of weight class c at [classEnd[c-1] (nFull for c = 0), classEnd[c]). The MM is a max over
   * scenarios, so the order changes nothing but lets the max run over plain ranges.
   */
  order: Int32Array;
  nFull: number;
  classEnd: Int32Array;
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

const DENSE_MAX = 1 << 20;
const safe = (v: bigint) => v < SAFE_N && v > -SAFE_N;

export class SeriesTable {
  private readonly bySeriesId = new Map<bigint, number>();
  private readonly byNumber = new Map<number, number>();
  /** Slot by series id for ids below DENSE_MAX (-1: none). */
  private dense = new Int32Array(0);
  readonly scen: SeriesScenarios[] = [];
  readonly markBig: Array<[bigint, bigint]> = [];
  und = new Int32Array(64);
  /** Marks, delta notional, spot, contract size, strike, expiry, max |pnl|: TERMS per slot (portfolioArith.ts). */
  terms = new Float64Array(64 * TERMS);
  flags = new Uint8Array(64);
  /**
   * Scenario P&L per long contract, one row of 2 × stride per slot: rounded down at [slot·2·stride + scenario]
   * (what longs use), rounded up `stride` further (shorts). Interleaved so one array serves both signs.
   */
  pnl = new Float64Array(0);
  stride = 0;
  readonly underlyings: UnderlyingRow[] = [];
  private readonly underlyingIdx = new Map<string, number>();
  readonly dirtyUnderlyings = new Set<number>();
  clock = 1;

  constructor(private readonly params: PortfolioParams) {}

  get count(): number {
    return this.scen.length;
  }

  slotOf(seriesId: bigint): number | undefined {
    return this.bySeriesId.get(seriesId);
  }

  /** seriesId a safe integer. Small ids (the usual, sequential ones) are looked up in a table, not hashed. */
  slotOfNumber(seriesId: number): number | undefined {
    if (seriesId >= 0 && seriesId < this.dense.length) {
      const v = this.dense[seriesId]!;
      return v < 0 ? undefined : v;
    }
    return this.byNumber.get(seriesId);
  }

  private indexNumber(seriesId: number, slot: number): void {
    if (seriesId >= 0 && seriesId < DENSE_MAX) {
      if (seriesId >= this.dense.length) {
        const d = new Int32Array(Math.min(DENSE_MAX, Math.max(seriesId + 1, this.dense.length * 2, 1024))).fill(-1);
        d.set(this.dense);
        this.dense = d;
      }
      this.dense[seriesId] = slot;
    }
    this.byNumber.set(seriesId, slot);
  }

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
    const order: number[] = [];
    for (let k = 0; k < scen.length; k++) if (weightClass[k] === -1) order.push(k);
    const nFull = order.length;
    const classEnd = new Int32Array(weights.length);
    for (let c = 0; c < weights.length; c++) {
      for (let k = 0; k < scen.length; k++) if (weightClass[k] === c) order.push(k);
      classEnd[c] = order.length;
    }
    i = this.underlyings.length;
    this.underlyings.push({
      name, n: scen.length, order: Int32Array.from(order), nFull, classEnd, weights, nakedChargePpm: grid.nakedShortChargePpm, oracleChargePpm: Number(grid.oracleChargePpm),
      changedAt: this.clock, accounts: new Set(), nakedMemo: [], memoSpot: -1, memoCs: -1,
    });
    this.underlyingIdx.set(name, i);
    return i;
  }

  private grow(slot: number): void {
    if (slot < this.und.length) return;
    const size = Math.max(slot + 1, this.und.length * 2);
    const und = new Int32Array(size), flags = new Uint8Array(size);
    und.set(this.und);
    flags.set(this.flags);
    this.und = und;
    this.flags = flags;
    const terms = new Float64Array(size * TERMS);
    terms.set(this.terms);
    this.terms = terms;
  }

  /** Installs or replaces a series' scenario values and marks; true when it changed (its underlying reprices). */
  set(scen: SeriesScenarios, markLongMicroUsdc: bigint, markShortMicroUsdc: bigint): boolean {
    let slot = this.bySeriesId.get(scen.seriesId);
    if (slot !== undefined && this.scen[slot]!.epoch === scen.epoch && this.markBig[slot]![0] === markLongMicroUsdc && this.markBig[slot]![1] === markShortMicroUsdc) {
      return false;
    }
    const u = slot === undefined ? this.underlyingOf(scen.underlying) : this.und[slot]!;
    if (slot === undefined) {
      slot = this.scen.length;
      this.grow(slot);
      this.bySeriesId.set(scen.seriesId, slot);
      if (safe(scen.seriesId)) this.indexNumber(Number(scen.seriesId), slot);
    }
    this.scen[slot] = scen;
    this.und[slot] = u;
    this.markBig[slot] = [markLongMicroUsdc, markShortMicroUsdc];
    const t = slot * TERMS;
    this.terms[t + T_MARK_LONG] = Number(markLongMicroUsdc);
    this.terms[t + T_MARK_SHORT] = Number(markShortMicroUsdc);
    this.terms[t + T_DELTA] = Number(scen.deltaNotionalMicroUsdc);
    this.terms[t + T_SPOT] = Number(scen.spotMicroUsd);
    this.terms[t + T_CS] = Number(scen.contractSizePpm);
    this.terms[t + T_STRIKE] = Number(scen.strikeMicroUsd);
    this.terms[t + T_EXPIRY] = Number(scen.expiryUnixS);
    this.terms[t + T_MAX_ABS] = scen.maxAbsPnl;
    this.storePnl(slot, scen, this.underlyings[u]!);
    const exact =
      scen.pnlCeil.length === scen.pnlFloor.length && safe(markLongMicroUsdc) && safe(markShortMicroUsdc) && safe(scen.deltaNotionalMicroUsdc) && safe(scen.strikeMicroUsd * scen.contractSizePpm) &&
      scen.maxAbsPnl < SAFE && scen.pnlFloor.length === this.underlyings[u]!.n && safe(scen.spotMicroUsd) && safe(scen.expiryUnixS) &&
      scen.spotMicroUsd >= 0n && scen.contractSizePpm > 0n && scen.strikeMicroUsd >= 0n;
    this.flags[slot] = (exact ? FLAG_EXACT : 0) | (scen.kind === "call" ? FLAG_CALL : 0) | (scen.settled ? FLAG_SETTLED : 0);
    this.underlyings[u]!.changedAt = ++this.clock;
    this.dirtyUnderlyings.add(u);
    return true;
  }

  /** Copies a series' P&L into the flat array in its underlying's column order (growing it, or widening the stride, when needed). */
  private storePnl(slot: number, scen: SeriesScenarios, row: UnderlyingRow): void {
    const n = scen.pnlFloor.length;
    if (n > this.stride || (slot + 1) * 2 * this.stride > this.pnl.length) {
      const old = this.stride;
      const stride = n > old ? n : old;
      const rows = Math.max(slot + 1, Math.floor(this.pnl.length / Math.max(2 * old, 1)) * 2, 64);
      const pnl = new Float64Array(rows * 2 * stride);
      for (let r = 0; r < this.scen.length; r++) {
        if (r === slot || this.scen[r] === undefined) continue;
        pnl.set(this.pnl.subarray(r * 2 * old, r * 2 * old + old), r * 2 * stride);
        pnl.set(this.pnl.subarray(r * 2 * old + old, r * 2 * old + 2 * old), r * 2 * stride + stride);
      }
      this.pnl = pnl;
      this.stride = stride;
    }
    const base = slot * 2 * this.stride;
    this.pnl.fill(0, base, base + 2 * this.stride);
    if (n !== row.n || scen.pnlCeil.length !== n) {
      // Not the grid's shape: flagged inexact (bigint path), stored as is.
      this.pnl.set(scen.pnlFloor, base);
      this.pnl.set(scen.pnlCeil.length <= this.stride ? scen.pnlCeil : scen.pnlCeil.subarray(0, this.stride), base + this.stride);
      return;
    }
    const order = row.order;
    for (let j = 0; j < n; j++) {
      this.pnl[base + j] = scen.pnlFloor[order[j]!]!;
      this.pnl[base + this.stride + j] = scen.pnlCeil[order[j]!]!;
    }
  }
}
