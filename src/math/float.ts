/**
 * Deterministic elementary functions on IEEE 754 doubles: exp, ln, sqrt, the standard normal CDF and PDF.
 *
 * ECMA-262 leaves Math.exp/log/pow/... "implementation-approximated" and they have changed between Node
 * releases, so state-machine code may not use them. These functions use only + - * /, comparisons, exact
 * integer-valued operations (Math.trunc on a double, which is exact) and reads of a double's exponent bits.
 * Every step is a correctly rounded IEEE operation in a fixed order (JavaScript forbids extended precision and
 * fused multiply-add contraction), so the results are bit-identical on every conforming engine and platform.
 * test/vectors/pricing.json pins the exact output bits; any change here must regenerate it deliberately.
 *
 * Error bounds (checked against a 50-digit decimal.js reference in test/unit/math; worst observed in brackets):
 *   exp(x)      relative error < 1.5e-16 for results in the normal range [0.52 ulp]; subnormal results are within
 *               one subnormal ulp (2^-1074); 0 below x = -745.2.
 *   ln(x)       relative error < 1.5e-16 for every positive finite x, subnormals included [0.66 ulp].
 *   sqrt(x)     correctly rounded (round-half-even), bit-identical to IEEE 754 square root.
 *   normCdf(x)  absolute error < 2e-16 [9.9e-17]; relative error < 1e-15 for -37.5 <= x <= 0 [2.6 ulp].
 *   normPdf(x)  relative error < 1e-15 for |x| <= 37 [2.3 ulp].
 * The targets of the issue are 1e-12 relative for exp/ln/sqrt and 1e-14 absolute for normCdf. Like any function
 * that is not correctly rounded, normCdf is monotone only to within an ulp (consecutive doubles near |x| = 0.66
 * can give outputs one ulp out of order).
 *
 * Inputs that have no finite real answer (NaN, +-Infinity, ln of x <= 0, sqrt of x < 0, exp overflow) throw a
 * RangeError; no function here returns NaN or Infinity.
 */

// ---- Bit access and powers of two ------------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
/** Index of the 32-bit word that holds the sign and exponent (1 on little-endian hosts, 0 on big-endian). */
const HI = U32[1] === 0x3ff00000 ? 1 : 0;

/** Biased exponent field (0..2047) of a double. */
function exponentField(x: number): number {
  F64[0] = x;
  return (U32[HI]! >>> 20) & 0x7ff;
}

/** POW2[k + 1074] = 2^k exactly, for -1074 <= k <= 1023 (built by exact doubling and halving). */
const POW2 = new Float64Array(2098);
POW2[1074] = 1;
for (let i = 1075; i < 2098; i++) POW2[i] = POW2[i - 1]! * 2;
for (let i = 1073; i >= 0; i--) POW2[i] = POW2[i + 1]! * 0.5;

/** 2^k as an exact double, -1074 <= k <= 1023. */
export function pow2(k: number): number {
  if (!(k >= -1074 && k <= 1023) || k !== Math.trunc(k)) throw new RangeError(`pow2: exponent ${k} out of range`);
  return POW2[k + 1074]!;
}

const TWO_54 = 18014398509481984; // 2^54
const TWO_M52 = 2.220446049250313e-16; // 2^-52
const MIN_NORMAL = 2.2250738585072014e-308; // 2^-1022

function checkFinite(x: number, fn: string): void {
  if (typeof x !== "number" || x !== x || x === Infinity || x === -Infinity) throw new RangeError(`${fn}: argument must be a finite number, got ${String(x)}`);
}

// ---- Constants ---------------------------------------------------------------------------------------------------

/**
 * ln 2 split for Cody-Waite range reduction: LN2_HI is ln 2 rounded to a multiple of 2^-32 (32 significant bits,
 * so k * LN2_HI is exact for |k| < 2^21), LN2_LO is the double nearest ln 2 - LN2_HI. Together they carry ln 2 to
 * about 1e-27 (checked in test/unit/math against 80 digits).
 */
const LN2_HI = 0.6931471806019545; // 2977044472 / 2^32
const LN2_LO = -4.2009150726810846e-11;
const INV_LN2 = 1.4426950408889634;
const SQRT2 = 1.4142135623730951;
/** 1 / sqrt(2 pi), correctly rounded. */
export const INV_SQRT_2PI = 0.3989422804014327;
/** The constants above, exported so that tests can check them against a high-precision reference. */
export const FLOAT_CONSTANTS = { LN2_HI, LN2_LO, INV_LN2, SQRT2, INV_SQRT_2PI } as const;

// ---- exp ---------------------------------------------------------------------------------------------------------

/** Largest argument whose exp is finite (ln(Number.MAX_VALUE) = 709.7827128933839967...). */
export const EXP_MAX_ARG = 709.782712893384;
/** Below this exp(x) rounds to 0 (exp(x) < 2^-1075). */
const EXP_UNDERFLOW_ARG = -745.2;

// Taylor coefficients 1/n!, n = 2..13; each is a single correctly rounded division of exact integers.
const E2 = 1 / 2;
const E3 = 1 / 6;
const E4 = 1 / 24;
const E5 = 1 / 120;
const E6 = 1 / 720;
const E7 = 1 / 5040;
const E8 = 1 / 40320;
const E9 = 1 / 362880;
const E10 = 1 / 3628800;
const E11 = 1 / 39916800;
const E12 = 1 / 479001600;
const E13 = 1 / 6227020800;

/**
 * e^x. Range reduction x = k ln2 + r, |r| <= 0.3466 (Cody-Waite with LN2_HI/LN2_LO; the rounding error of r is
 * kept in rc by TwoSum), then e^r = 1 + r + r^2 (1/2! + r/3! + ... + r^11/13!) whose truncation error is below
 * 8e-18 relative, and an exact scaling by 2^k. Throws RangeError if x is not finite or e^x overflows; returns 0
 * (or a subnormal) on underflow.
 */
export function exp(x: number): number {
  checkFinite(x, "exp");
  if (x > EXP_MAX_ARG) throw new RangeError(`exp: overflow for argument ${x}`);
  if (x < EXP_UNDERFLOW_ARG) return 0;
  // k = nearest integer to x / ln2 (|k| <= 1076); ties do not matter, |r| <= ln2/2 + tiny either way.
  const k = Math.trunc(x * INV_LN2 + (x < 0 ? -0.5 : 0.5));
  const hi = x - k * LN2_HI; // exact (Sterbenz)
  const lo = k * LN2_LO; // rounding error < 2.5e-24, negligible
  // r + rc = hi - lo exactly (TwoSum).
  const r = hi - lo;
  const bb = r - hi;
  const rc = hi - (r - bb) + (-lo - bb);
  const q = E2 + r * (E3 + r * (E4 + r * (E5 + r * (E6 + r * (E7 + r * (E8 + r * (E9 + r * (E10 + r * (E11 + r * (E12 + r * E13))))))))));
  const p = r * r * q;
  // e^(r + rc) = e^r (1 + rc + ...) with |rc| < 2^-54: the correction rc * e^r is taken as rc * (1 + r).
  const y = 1 + (r + (p + rc * (1 + r)));
  if (k > 1023) {
    const v = y * 2 * POW2[k - 1 + 1074]!;
    if (v === Infinity) throw new RangeError(`exp: overflow for argument ${x}`);
    return v;
  }
  if (k >= -1022) return y * POW2[k + 1074]!;
  // Subnormal result: scale into the normal range first so that only the last multiplication rounds.
  return y * POW2[k + 64 + 1074]! * POW2[-64 + 1074]!;
}

// ---- ln ----------------------------------------------------------------------------------------------------------

// Series coefficients of 2 atanh(s) = 2s + s (R(s^2)): R(z) = sum 2 z^n / (2n + 1), n = 1..10. With
// |s| <= 0.1716 (z <= 0.02944) the omitted terms are below 1e-19 relative to the result.
const L1 = 2 / 3;
const L2 = 2 / 5;
const L3 = 2 / 7;
const L4 = 2 / 9;
const L5 = 2 / 11;
const L6 = 2 / 13;
const L7 = 2 / 15;
const L8 = 2 / 17;
const L9 = 2 / 19;
const L10 = 2 / 21;

/**
 * Natural logarithm. x = 2^k m with m in [sqrt(2)/2, sqrt(2)); with f = m - 1 (exact) and s = f / (2 + f),
 * ln m = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R)), the leading f being exact; then ln x = k LN2_HI + (ln m +
 * k LN2_LO) with k LN2_HI exact. Throws RangeError for x <= 0, NaN and Infinity.
 */
export function ln(x: number): number {
  checkFinite(x, "ln");
  if (!(x > 0)) throw new RangeError(`ln: argument must be positive, got ${x}`);
  let adj = 0;
  if (x < MIN_NORMAL) {
    x *= TWO_54; // exact: brings a subnormal into the normal range
    adj = -54;
  }
  let e = exponentField(x) - 1023;
  let m = x * POW2[-e + 1074]!; // exact, m in [1, 2)
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const f = m - 1; // exact (Sterbenz)
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (L1 + z * (L2 + z * (L3 + z * (L4 + z * (L5 + z * (L6 + z * (L7 + z * (L8 + z * (L9 + z * L10)))))))));
  const hfsq = 0.5 * f * f;
  const k = e + adj;
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

// ---- sqrt --------------------------------------------------------------------------------------------------------

/** Veltkamp splitting constant 2^27 + 1 (Dekker's exact product). */
const SPLIT = 134217729;

/**
 * Square root, correctly rounded (round-half-even) like IEEE 754 sqrt. x = m 2^(2e), m in [1, 4); a linear
 * first guess (relative error < 0.9%) and three Newton steps y <- (y + m/y)/2 give a faithful y; then the exact
 * residual m - y^2 (Dekker's product, exact for a faithful y) decides whether the neighbour above or below is
 * nearer. sqrt(+-0) = +-0; throws RangeError for x < 0, NaN and Infinity.
 */
export function sqrt(x: number): number {
  checkFinite(x, "sqrt");
  if (x < 0) throw new RangeError(`sqrt: argument must be non-negative, got ${x}`);
  if (x === 0) return x;
  let adj = 0;
  if (x < MIN_NORMAL) {
    x *= TWO_54 * TWO_54; // exact, 2^108
    adj = -54;
  }
  let e = exponentField(x) - 1023;
  let m = x * POW2[-e + 1074]!; // exact, m in [1, 2)
  if ((e & 1) !== 0) {
    m *= 2;
    e -= 1;
  }
  // Linear guesses on [1,2) and [2,4), each with relative error <= 0.0089.
  let y = m < 2 ? 0.5946699141100893 + 0.41421356237309515 * m : 0.840990257669732 + 0.2928932188134524 * m;
  y = 0.5 * (y + m / y);
  y = 0.5 * (y + m / y);
  y = 0.5 * (y + m / y);
  for (let i = 0; i < 3; i++) {
    // r = m - y^2 exactly: p + pe = y * y (Dekker), m - p is exact (Sterbenz).
    const p = y * y;
    const c = SPLIT * y;
    const yh = c - (c - y);
    const yl = y - yh;
    const pe = yh * yh - p + 2 * yh * yl + yl * yl;
    const r = m - p - pe;
    // r, y 2^-52 are multiples of 2^-104, so these compare sqrt(m) with the midpoints y +- 2^-53 exactly.
    const half = y * TWO_M52;
    if (r > half && y < 2) y += TWO_M52;
    else if (r <= -half && y > 1) y -= TWO_M52;
    else break;
  }
  return y * POW2[(e >> 1) + adj + 1074]!;
}

// ---- Standard normal distribution ------------------------------------------------------------------------------

/** Beyond this |x|, e^(-x^2/2) is below 2^-1074: the density returns 0. */
const PDF_CUTOFF = 38.6;

/**
 * e^(-x^2/2) without the error of rounding x^2: x = xh + xl with xh = trunc(16 x)/16 (few bits, so xh^2/2 is
 * exact) and x^2 = xh^2 + (x - xh)(x + xh), the second product carrying only a small relative error. Relative
 * error < 1e-15 while the result is in the normal range; 0 for |x| > 38.6. Throws RangeError for NaN/Infinity.
 */
export function expNegHalfSquare(x: number): number {
  checkFinite(x, "expNegHalfSquare");
  const a = x < 0 ? -x : x;
  if (a > PDF_CUTOFF) return 0;
  return expHalfSquareNegCore(a);
}

function expHalfSquareNegCore(x: number): number {
  const xh = Math.trunc(x * 16) / 16;
  const del = (x - xh) * (x + xh);
  return exp(-0.5 * xh * xh) * exp(-0.5 * del);
}

/** Standard normal density e^(-x^2/2) / sqrt(2 pi). Throws RangeError for NaN and Infinity. */
export function normPdf(x: number): number {
  checkFinite(x, "normPdf");
  const a = x < 0 ? -x : x;
  if (a > PDF_CUTOFF) return 0;
  return INV_SQRT_2PI * expHalfSquareNegCore(a);
}

// Rational approximations of W. J. Cody, "Rational Chebyshev approximations for the error function" (Math.
// Comp. 1969) as used in his ANORM routine (SPECFUN, ACM TOMS Algorithm 715, 1993): the coefficients are
// published data; the evaluation below is our own.
const A0 = 2.2352520354606839287;
const A1 = 161.02823106855587881;
const A2 = 1067.6894854603709582;
const A3 = 18154.981253343561249;
const A4 = 0.065682337918207449113;
const B0 = 47.20258190468824187;
const B1 = 976.09855173777669322;
const B2 = 10260.932208618978205;
const B3 = 45507.789335026729956;
const C0 = 0.39894151208813466764;
const C1 = 8.8831497943883759412;
const C2 = 93.506656132177855979;
const C3 = 597.27027639480026226;
const C4 = 2494.5375852903726711;
const C5 = 6848.1904505362823326;
const C6 = 11602.651437647350124;
const C7 = 9842.7148383839780218;
const C8 = 1.0765576773720192317e-8;
const D0 = 22.266688044328115691;
const D1 = 235.38790178262499861;
const D2 = 1519.377599407554805;
const D3 = 6485.558298266760755;
const D4 = 18615.571640885098091;
const D5 = 34900.952721145977266;
const D6 = 38912.003286093271411;
const D7 = 19685.429676859990727;
const P0 = 0.21589853405795699;
const P1 = 0.1274011611602473639;
const P2 = 0.022235277870649807;
const P3 = 0.001421619193227893466;
const P4 = 2.9112874951168792e-5;
const P5 = 0.02307344176494017303;
const Q0 = 1.28426009614491121;
const Q1 = 0.468238212480865118;
const Q2 = 0.0659881378689285515;
const Q3 = 0.00378239633202758244;
const Q4 = 7.29751555083966205e-5;

/** N(x) = 0.75 here; the split between the central and the tail approximations. */
const CDF_CENTRAL = 0.66291;
/** sqrt(32), where the asymptotic form takes over. */
const CDF_ROOT32 = 5.656854248;
/** N(x) < 2^-1022 below this (results would be subnormal): returns 0. */
export const CDF_LOWER_CUTOFF = -37.519;
/** 1 - N(x) < 2^-54 above this: N(x) rounds to 1. */
const CDF_UPPER_CUTOFF = 8.572;

/**
 * The scaled upper tail G(a) = N(-a) e^(a^2/2) (= sqrt(2 pi) times Mills' ratio) for a >= 0: Cody's rational
 * functions for a > 0.66291, which need no exponential (relative error a few ulps for every a, however large;
 * G(a) ~ 1/(a sqrt(2 pi))), and N(-a) / e^(-a^2/2) below. Black-Scholes uses differences G(a1) - G(a2) to price
 * far out-of-the-money options without the cancellation of N(d1) S - N(d2) K. Throws RangeError for a < 0,
 * NaN and Infinity.
 */
export function normTailScaled(a: number): number {
  checkFinite(a, "normTailScaled");
  if (!(a >= 0)) throw new RangeError(`normTailScaled: argument must be >= 0, got ${a}`);
  if (a <= CDF_CENTRAL) return normCdf(-a) / expHalfSquareNegCore(a);
  return tailScaled(a);
}

/** G(a) for a > CDF_CENTRAL. */
function tailScaled(a: number): number {
  if (a <= CDF_ROOT32) {
    const num = ((((((((C8 * a + C0) * a + C1) * a + C2) * a + C3) * a + C4) * a + C5) * a + C6) * a + C7);
    const den = ((((((((a + D0) * a + D1) * a + D2) * a + D3) * a + D4) * a + D5) * a + D6) * a + D7);
    return num / den;
  }
  const z = 1 / (a * a);
  const num = (((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4);
  const den = (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4);
  return (INV_SQRT_2PI - (z * num) / den) / a;
}

/**
 * Standard normal cumulative distribution function N(x) = P(Z <= x). For x <= 0 the result has full relative
 * accuracy down to x = -37.519 (N < 2^-1022), below which it is 0; for x > 0 it is 1 - N(-x) (absolute error
 * below 2e-16) and exactly 1 from x = 8.572. Throws RangeError for NaN and Infinity.
 */
export function normCdf(x: number): number {
  checkFinite(x, "normCdf");
  const a = x < 0 ? -x : x;
  if (a <= CDF_CENTRAL) return cdfCentral(x);
  if (a > -CDF_LOWER_CUTOFF || x >= CDF_UPPER_CUTOFF) return x > 0 ? 1 : 0;
  const tail = expHalfSquareNegCore(a) * tailScaled(a);
  return x > 0 ? 1 - tail : tail;
}

/**
 * normCdf(x) given e = expNegHalfSquare(x), bit-identical to normCdf(x) but without its two exponentials: for
 * callers (Black-Scholes) that need N(x), N(-x) and the density at the same x.
 */
export function normCdfGivenExp(x: number, e: number): number {
  checkFinite(x, "normCdfGivenExp");
  const a = x < 0 ? -x : x;
  if (a <= CDF_CENTRAL) return cdfCentral(x);
  if (a > -CDF_LOWER_CUTOFF || x >= CDF_UPPER_CUTOFF) return x > 0 ? 1 : 0;
  const tail = e * tailScaled(a);
  return x > 0 ? 1 - tail : tail;
}

/** N(x) for |x| <= CDF_CENTRAL. */
function cdfCentral(x: number): number {
  const z = x * x;
  const num = (((A4 * z + A0) * z + A1) * z + A2) * z + A3;
  const den = (((z + B0) * z + B1) * z + B2) * z + B3;
  return 0.5 + (x * num) / den;
}
