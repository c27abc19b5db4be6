/**
 * Exact integer arithmetic on doubles for the portfolio engine (portfolioEngine.ts): every operand is an integer
 * below 2^52 (callers check the bounds first), divisions are floor/ceil with a remainder correction, so the
 * results equal the bigint reference bit for bit. Also the defined-loss cap of one underlying's group.
 */

export const SAFE = 4_503_599_627_370_496; // 2^52
export const SAFE_N = 4_503_599_627_370_496n;
export const PPM = 1_000_000;
export const PPM_N = 1_000_000n;
/** Groups with more legs skip the cap, as definedMaxLoss in portfolio.ts does (it is O(legs²)). */
export const MAX_CAP_LEGS = 64;

/** floor(a / d) for integers a ≥ 0 (a < 2^53), d > 0, exactly. */
export function floorDivExact(a: number, d: number): number {
  let q = Math.floor(a / d);
  let r = a - q * d;
  if (r < 0) { q--; r += d; } else if (r >= d) { q++; r -= d; }
  return q;
}

/** ceil(a / d) for integers a ≥ 0 (a < 2^53), d > 0, exactly. */
export function ceilDivExact(a: number, d: number): number {
  const q = floorDivExact(a, d);
  return a - q * d > 0 ? q + 1 : q;
}

/** ceil(a · w / 1e6) for integers 0 ≤ a < 2^52, 0 ≤ w ≤ 1e6, without forming a · w (which may pass 2^53). */
export function mulCeilPpm(a: number, w: number): number {
  const h = floorDivExact(a, PPM);
  const l = a - h * PPM;
  return h * w + ceilDivExact(l * w, PPM);
}

/** Per-series terms, TERMS doubles per series slot (one cache line): the fields at these offsets. */
export const TERMS = 8;
export const T_MARK_LONG = 0;
export const T_MARK_SHORT = 1;
export const T_DELTA = 2;
export const T_SPOT = 3;
export const T_CS = 4;
export const T_STRIKE = 5;
export const T_EXPIRY = 6;
export const T_MAX_ABS = 7;

/** What the cap reads, indexed by series slot. */
export interface CapSeries {
  terms: Float64Array;
  /** bit FLAG_CALL set for calls. */
  flags: Uint8Array;
}

export const FLAG_EXACT = 1;
export const FLAG_CALL = 2;
export const FLAG_SETTLED = 4;

/**
 * Max loss at expiry over S ∈ {0, strikes} of the legs at [start, stop) of the arena (definedMaxLoss on
 * doubles): the group's mark value less its payoff; NaN when a bound fails (the caller takes the bigint path).
 */
export function capOf(sr: CapSeries, arenaSeries: Int32Array, arenaQty: Int32Array, start: number, stop: number): number {
  const terms = sr.terms;
  let value = 0, valueBound = 0, maxStrikeSize = 0;
  for (let p = start; p < stop; p++) {
    const t = arenaSeries[p]! * TERMS;
    const q = arenaQty[p]!;
    const mark = q > 0 ? terms[t + T_MARK_LONG]! : terms[t + T_MARK_SHORT]!;
    value += q * mark;
    valueBound += (q < 0 ? -q : q) * (mark < 0 ? -mark : mark);
    const ks = terms[t + T_STRIKE]! * terms[t + T_CS]!;
    if (ks > maxStrikeSize) maxStrikeSize = ks;
  }
  if (!(valueBound < SAFE && maxStrikeSize < SAFE)) return Number.NaN;
  let payoffBound = 0;
  for (let p = start; p < stop; p++) {
    const q = arenaQty[p]!;
    payoffBound += (q < 0 ? -q : q) * (maxStrikeSize / PPM + 1);
  }
  if (!(payoffBound < SAFE)) return Number.NaN;
  let worst = 0;
  let first = true;
  for (let c = start - 1; c < stop; c++) {
    const S = c < start ? 0 : terms[arenaSeries[c]! * TERMS + T_STRIKE]!;
    let payoff = 0;
    for (let p = start; p < stop; p++) {
      const s = arenaSeries[p]!;
      const q = arenaQty[p]!;
      const k = terms[s * TERMS + T_STRIKE]!;
      const m = (sr.flags[s]! & FLAG_CALL) !== 0 ? S - k : k - S;
      if (m <= 0) continue;
      const intrinsic = m * terms[s * TERMS + T_CS]!;
      payoff += q > 0 ? q * floorDivExact(intrinsic, PPM) : q * ceilDivExact(intrinsic, PPM);
    }
    const l = value - payoff;
    if (first || l > worst) worst = l;
    first = false;
  }
  return worst > 0 ? worst : 0;
}

/**
 * loss[i] = −Σ_k qtys[k] · pnl[bases[k] + i] for i < n: four legs in the first pass over `loss` (which sets it),
 * then eight / four per pass (fewer loads and stores of it); `count` is padded to a multiple of 4 with legs of
 * zero contracts (bases and qtys need 3 spare entries). Exact while Σ|q|·max|pnl| < 2^52, as every partial sum
 * is bounded by that.
 */
export function accumulateLoss(loss: Float64Array, pnl: Float64Array, n: number, bases: Int32Array, qtys: Float64Array, count: number): void {
  if (count === 0) {
    loss.fill(0, 0, n);
    return;
  }
  while ((count & 3) !== 0) {
    bases[count] = 0;
    qtys[count++] = 0;
  }
  {
    const b0 = bases[0]!, b1 = bases[1]!, b2 = bases[2]!, b3 = bases[3]!;
    const q0 = qtys[0]!, q1 = qtys[1]!, q2 = qtys[2]!, q3 = qtys[3]!;
    for (let i = 0; i < n; i++) loss[i] = -(q0 * pnl[b0 + i]! + q1 * pnl[b1 + i]! + q2 * pnl[b2 + i]! + q3 * pnl[b3 + i]!);
  }
  let k = 4;
  for (; k + 8 <= count; k += 8) {
    const b0 = bases[k]!, b1 = bases[k + 1]!, b2 = bases[k + 2]!, b3 = bases[k + 3]!, b4 = bases[k + 4]!, b5 = bases[k + 5]!, b6 = bases[k + 6]!, b7 = bases[k + 7]!;
    const q0 = qtys[k]!, q1 = qtys[k + 1]!, q2 = qtys[k + 2]!, q3 = qtys[k + 3]!, q4 = qtys[k + 4]!, q5 = qtys[k + 5]!, q6 = qtys[k + 6]!, q7 = qtys[k + 7]!;
    for (let i = 0; i < n; i++) {
      loss[i] = loss[i]! - (q0 * pnl[b0 + i]! + q1 * pnl[b1 + i]! + q2 * pnl[b2 + i]! + q3 * pnl[b3 + i]! + q4 * pnl[b4 + i]! + q5 * pnl[b5 + i]! + q6 * pnl[b6 + i]! + q7 * pnl[b7 + i]!);
    }
  }
  if (k + 4 <= count) {
    const b0 = bases[k]!, b1 = bases[k + 1]!, b2 = bases[k + 2]!, b3 = bases[k + 3]!;
    const q0 = qtys[k]!, q1 = qtys[k + 1]!, q2 = qtys[k + 2]!, q3 = qtys[k + 3]!;
    for (let i = 0; i < n; i++) loss[i] = loss[i]! - (q0 * pnl[b0 + i]! + q1 * pnl[b1 + i]! + q2 * pnl[b2 + i]! + q3 * pnl[b3 + i]!);
  }
}
