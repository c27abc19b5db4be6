/**
 * Maintenance margin of one underlying's legs of an account (portfolioEngine.ts) on exact doubles: worst
 * weighted scenario loss + naked-short and oracle charges, capped by the defined max loss at expiry when the
 * legs allow; NaN when a bound fails (the caller takes the bigint path). Bounds: scenario losses by
 * Σ|q|·max|pnl|, delta by Σ|q|·|delta notional|, the rest in portfolioArith.ts.
 */
import { ceilDivPos } from "./portfolio.js";
import {
  accumulateLoss, capOf, FLAG_CALL, FLAG_EXACT, FLAG_SETTLED, MAX_CAP_LEGS, mulCeilPpm, PPM_N, SAFE, T_CS, T_DELTA, T_EXPIRY, T_MAX_ABS, T_SPOT, TERMS,
} from "./portfolioArith.js";
import type { SeriesTable } from "./portfolioSeries.js";

export class GroupEvaluator {
  private readonly loss = new Float64Array(256);
  /** One group's legs: P&L row offsets and contracts (longer groups take the bigint path). */
  private readonly legBase = new Int32Array(1024);
  private readonly legQty = new Float64Array(1024);

  constructor(private readonly sr: SeriesTable) {}

  /** MM of the legs at [start, stop) of the arena, all of underlying u; NaN when a bound fails. */
  mm(as: Int32Array, aq: Int32Array, u: number, start: number, stop: number): number {
    const sr = this.sr;
    const row = sr.underlyings[u]!;
    const n = row.n;
    if (n > this.loss.length || stop - start > this.legBase.length - 3) return Number.NaN;
    const loss = this.loss, stride = sr.stride, legBase = this.legBase, legQty = this.legQty;
    let legs = 0;
    const flags = sr.flags, terms = sr.terms;
    let bound = 0, deltaBound = 0, delta = 0, spot = 0, cs = 0;
    // Net contracts in calls and in puts: naked shorts are what the net is short (shorts − longs, when positive).
    let callNet = 0, putNet = 0;
    let settledAny = false, oneExpiry = true;
    const expiry0 = terms[as[start]! * TERMS + T_EXPIRY]!;
    for (let p = start; p < stop; p++) {
      const s = as[p]!;
      const q = aq[p]!;
      const f = flags[s]!;
      if ((f & FLAG_EXACT) === 0) return Number.NaN;
      const t = s * TERMS;
      const sSpot = terms[t + T_SPOT]!, sCs = terms[t + T_CS]!;
      if (sSpot > spot) spot = sSpot;
      if (sCs > cs) cs = sCs;
      if (terms[t + T_EXPIRY] !== expiry0) oneExpiry = false;
      if ((f & FLAG_SETTLED) !== 0) {
        settledAny = true;
        continue;
      }
      const a = Math.abs(q);
      bound += a * terms[t + T_MAX_ABS]!;
      const d = terms[t + T_DELTA]!;
      deltaBound += a * Math.abs(d);
      delta += q * d;
      // Longs' P&L rounded down, shorts' rounded up (stride further): rounded against the account. Branch-free:
      // (1 − sign(q)) >> 1 is 0 for longs, 1 for shorts.
      legBase[legs] = s * 2 * stride + ((1 - Math.sign(q)) >> 1) * stride;
      legQty[legs++] = q;
      // Branch-free (signs are random across legs): the call bit is 2.
      const callQ = q * ((f & FLAG_CALL) >> 1);
      callNet += callQ;
      putNet += q - callQ;
    }
    if (!(bound < SAFE && deltaBound < SAFE)) return Number.NaN;
    accumulateLoss(loss, sr.pnl, n, legBase, legQty, legs);
    // Worst scenario: full-weight losses as they are, weighted classes by their max (ceil is monotone); the
    // columns are ordered by class (portfolioSeries.ts), so each is a plain range.
    let worst = 0;
    const nFull = row.nFull, classEnd = row.classEnd;
    for (let i = 0; i < nFull; i++) if (loss[i]! > worst) worst = loss[i]!;
    for (let c = 0, from = nFull; c < classEnd.length; c++) {
      const to = classEnd[c]!;
      let m = 0;
      for (let i = from; i < to; i++) if (loss[i]! > m) m = loss[i]!;
      from = to;
      if (m > 0) {
        const e = mulCeilPpm(m, row.weights[c]!);
        if (e > worst) worst = e;
      }
    }
    const naked = (callNet < 0 ? -callNet : 0) + (putNet < 0 ? -putNet : 0);
    const nakedCharge = naked === 0 ? 0 : this.nakedCharge(u, naked, spot, cs);
    const oracleCharge = mulCeilPpm(delta < 0 ? -delta : delta, row.oracleChargePpm);
    const raw = worst + nakedCharge + oracleCharge;
    if (!(raw < SAFE)) return Number.NaN;
    if (settledAny || !oneExpiry || callNet < 0 || stop - start > MAX_CAP_LEGS) return raw;
    const cap = capOf(sr, as, aq, start, stop);
    if (Number.isNaN(cap)) return cap;
    return cap < raw ? cap : raw;
  }

  private nakedCharge(u: number, naked: number, spot: number, cs: number): number {
    const row = this.sr.underlyings[u]!;
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
}
