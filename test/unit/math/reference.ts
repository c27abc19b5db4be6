/**
 * High-precision reference for src/math (tests and the pricing bench only, never src/): decimal.js arithmetic
 * at 50 significant digits (more where a subtraction cancels), fed the exact binary value of each double.
 *
 * decimal.js's own exp takes about a millisecond, too slow for grids of thousands of option prices, so exp is
 * done here by argument reduction (x = k ln2 + r, then r / 2^12), a Taylor series and 12 squarings at 65 digits;
 * test/unit/math/reference.test.ts checks it, and the continued fraction used for the normal tail, against
 * decimal.js's exp and an independent series at higher precision.
 */
import { createRequire } from "node:module";
import type { Decimal as DecimalClass } from "decimal.js";
import { decompose } from "../../../src/math/fixed.js";

/**
 * decimal.js through its CommonJS build: its typings describe the CommonJS shape, so a default ESM import is
 * mistyped under "moduleResolution": "nodenext".
 */
export const Decimal = createRequire(import.meta.url)("decimal.js") as typeof DecimalClass;

export const PRECISION = 50;
export const RefDecimal = Decimal.clone({ precision: PRECISION, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -9e15, toExpPos: 9e15, minE: -9e15, maxE: 9e15 });
export type Dec = InstanceType<typeof RefDecimal>;

/** Working precision inside exp/ln: 15 guard digits for the 12 squarings and the final rounding. */
const W = Decimal.clone({ precision: PRECISION + 15, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -9e15, toExpPos: 9e15, minE: -9e15, maxE: 9e15 });
type WDec = InstanceType<typeof W>;

const TWO = new RefDecimal(2);
const pow2Cache = new Map<number, Dec>();
function pow2(e: number): Dec {
  let p = pow2Cache.get(e);
  if (p === undefined) {
    p = TWO.pow(e);
    pow2Cache.set(e, p);
  }
  return p;
}

/** The exact value of a finite double (to 50 digits; 2^e is exact in decimal). */
export function exact(x: number): Dec {
  const { sign, mantissa, exponent } = decompose(x);
  if (sign === 0) return new RefDecimal(0);
  const v = new RefDecimal(mantissa.toString()).times(pow2(exponent));
  return sign < 0 ? v.neg() : v;
}

const LN2_W = W.ln(2);
const SQUARINGS = 12;
const REDUCE = new W(2).pow(SQUARINGS);
const TAYLOR_EPS = new W(10).pow(-(PRECISION + 20));

function expW(x: WDec): WDec {
  const k = Math.round(x.div(LN2_W).toNumber());
  const r = x.minus(LN2_W.times(k)).div(REDUCE);
  let term = new W(1);
  let sum = new W(1);
  for (let n = 1; n < 60; n++) {
    term = term.times(r).div(n);
    sum = sum.plus(term);
    if (term.abs().lt(TAYLOR_EPS)) break;
  }
  for (let i = 0; i < SQUARINGS; i++) sum = sum.times(sum);
  return sum.times(new W(2).pow(k));
}

/** e^x at 50 digits; 0 below -2000 (e^-2000 < 1e-868, far below the smallest double). */
export function dexp(x: Dec): Dec {
  if (x.lt(-2000)) return new RefDecimal(0);
  if (x.gt(2000)) throw new RangeError("dexp: argument too large for the reference");
  return new RefDecimal(expW(new W(x)));
}

export const refExp = (x: number): Dec => dexp(exact(x));
export const refLn = (x: number): Dec => exact(x).ln();
export const refSqrt = (x: number): Dec => exact(x).sqrt();

const INV_SQRT_2PI = new RefDecimal(1).div(RefDecimal.acos(-1).times(2).sqrt());

export function refPdf(x: Dec): Dec {
  return dexp(x.times(x).div(-2)).times(INV_SQRT_2PI);
}

/** Q(a) = 1 - N(a) = N(-a) for a >= 0, to about 45 significant digits. */
export const CF_DEPTH_NUMERATOR = 6000;

/**
 * sum (-1)^n (2n-1)!! / a^(2n+1), Q(a) / phi(a) for a >= 15: the asymptotic series, whose smallest term is about
 * e^(-a^2/2) < 1e-48 there.
 */
function asymptoticTail(a: Dec): Dec {
  const z = new RefDecimal(1).div(a.times(a));
  let term = new RefDecimal(1);
  let sum = new RefDecimal(1);
  for (let n = 1; n < 400; n++) {
    const next = term.times(z).times(2 * n - 1).neg();
    if (next.abs().gte(term.abs())) break;
    term = next;
    sum = sum.plus(term);
    if (term.abs().lt(new RefDecimal("1e-55"))) break;
  }
  return sum.div(a);
}

/** G(a) = Q(a) e^(a^2/2) for a >= 0, any size. */
export function refTailScaled(a: Dec): Dec {
  if (a.gte(15)) return asymptoticTail(a).times(INV_SQRT_2PI);
  return refUpperTail(a).times(dexp(a.times(a).div(2)));
}

export function refUpperTail(a: Dec): Dec {
  if (a.isZero()) return new RefDecimal(0.5);
  const af = a.toNumber();
  if (af > 60) return new RefDecimal(0); // < 1e-783: far below anything the tests compare
  if (af >= 15) return refPdf(a).times(asymptoticTail(a));
  if (af >= 4) {
    // Laplace's continued fraction Q(a) = phi(a) / (a + 1/(a + 2/(a + 3/(a + ...)))), evaluated bottom-up at a
    // depth that gives about 50 digits for a >= 4 (checked in reference.test.ts).
    const depth = Math.ceil(CF_DEPTH_NUMERATOR / (af * af)) + 60;
    let t = a;
    for (let n = depth; n >= 1; n--) t = a.plus(new RefDecimal(n).div(t));
    return refPdf(a).div(t);
  }
  // Q(a) = 1/2 - phi(a) sum_{n>=0} a^(2n+1) / (2n+1)!!, all terms positive; the subtraction loses about
  // a^2 / (2 ln 10) < 4 digits.
  const a2 = a.times(a);
  let term = a;
  let sum = a;
  const tiny = new RefDecimal(10).pow(-(PRECISION + 5));
  for (let n = 1; n < 10000; n++) {
    term = term.times(a2).div(2 * n + 1);
    sum = sum.plus(term);
    if (term.lt(sum.times(tiny))) break;
  }
  return new RefDecimal(0.5).minus(refPdf(a).times(sum));
}

export function refCdf(x: Dec): Dec {
  if (x.isNeg()) return refUpperTail(x.neg());
  return new RefDecimal(1).minus(refUpperTail(x));
}

export interface RefGreeks {
  price: Dec;
  delta: Dec;
  gamma: Dec;
  vega: Dec;
  theta: Dec;
}

/** Black-Scholes price and greeks at high precision, same conventions as src/math/blackScholes.ts. */
export function refBlackScholes(spot: number, strike: number, timeYears: number, vol: number, rate: number, isCall: boolean): RefGreeks {
  const S = exact(spot);
  const K = exact(strike);
  const T = exact(timeYears);
  const v = exact(vol);
  const r = exact(rate);
  const Kdf = r.isZero() ? K : K.times(dexp(r.times(T).neg()));
  const sqrtT = T.sqrt();
  const s = v.times(sqrtT);
  const x = S.div(K).ln().plus(r.times(T));
  const d1 = x.div(s).plus(s.div(2));
  const d2 = d1.minus(s);
  // One tail per d: N(d) and N(-d) from the same Q(|d|).
  const q1 = refUpperTail(d1.abs());
  const q2 = refUpperTail(d2.abs());
  const one = new RefDecimal(1);
  const Nd1 = d1.isNeg() ? q1 : one.minus(q1);
  const Nmd1 = d1.isNeg() ? one.minus(q1) : q1;
  const Nd2 = d2.isNeg() ? q2 : one.minus(q2);
  const Nmd2 = d2.isNeg() ? one.minus(q2) : q2;
  const pdf1 = refPdf(d1);
  const price = isCall ? S.times(Nd1).minus(Kdf.times(Nd2)) : Kdf.times(Nmd2).minus(S.times(Nmd1));
  const delta = isCall ? Nd1 : Nmd1.neg();
  const gamma = pdf1.div(S.times(s));
  const vega = S.times(pdf1).times(sqrtT);
  const decay = S.times(pdf1).times(v).div(sqrtT.times(2)).neg();
  const carry = isCall ? r.times(Kdf).times(Nd2).neg() : r.times(Kdf).times(Nmd2);
  return { price, delta, gamma, vega, theta: decay.plus(carry) };
}

/** |got - ref| / max(|ref|, floor): relative error where the value is not negligible, scaled absolute below. */
export function relErr(got: number, ref: Dec, floor = 0): number {
  const diff = exact(got).minus(ref).abs();
  const denom = RefDecimal.max(ref.abs(), new RefDecimal(floor));
  if (denom.isZero()) return diff.isZero() ? 0 : Infinity;
  return diff.div(denom).toNumber();
}

/**
 * Negligibility floors for the acceptance criterion: a value smaller than 1e-8 times its natural scale (spot
 * for price, vega and theta; 1 for delta; 1/spot for gamma) is compared in absolute terms against that floor.
 */
export function greekFloors(spot: number): Record<keyof RefGreeks, number> {
  return { price: 1e-8 * spot, delta: 1e-8, gamma: 1e-8 / spot, vega: 1e-8 * spot, theta: 1e-8 * spot };
}
