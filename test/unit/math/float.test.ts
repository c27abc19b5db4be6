import { describe, expect, it } from "vitest";
import { FLOAT_CONSTANTS, exp, expNegHalfSquare, ln, normCdf, normCdfGivenExp, normPdf, normTailScaled, pow2, sqrt } from "../../../src/math/float.js";
import { doubleFromBits } from "../../../src/math/fixed.js";
import { Prng } from "./prng.js";
import { RefDecimal, exact, refCdf, refExp, refLn, refPdf, refSqrt, refTailScaled, relErr } from "./reference.js";

const EPS = 2.220446049250313e-16;

/** Max of err(x) over xs, with the worst input, for readable failures. */
function worst(xs: readonly number[], err: (x: number) => number): { max: number; at: number } {
  let max = 0;
  let at = Number.NaN;
  for (const x of xs) {
    const e = err(x);
    if (!(e <= max)) {
      max = e;
      at = x;
    }
  }
  return { max, at };
}

describe("constants", () => {
  it("ln 2 split, 1/ln 2, sqrt 2 and 1/sqrt(2 pi) match an 80-digit reference", () => {
    const D = RefDecimal.clone({ precision: 80 });
    const ln2 = D.ln(2);
    const { LN2_HI, LN2_LO, INV_LN2, SQRT2, INV_SQRT_2PI } = FLOAT_CONSTANTS;
    // LN2_HI has at most 32 significant bits (k * LN2_HI exact for |k| < 2^21).
    expect(Number.isInteger(LN2_HI * 4294967296)).toBe(true);
    expect(new D(exact(LN2_HI)).plus(new D(exact(LN2_LO))).minus(ln2).abs().toNumber()).toBeLessThan(1e-26);
    const nearest = (v: InstanceType<typeof D>) => Number(v.toPrecision(40));
    expect(INV_LN2).toBe(nearest(new D(1).div(ln2)));
    expect(SQRT2).toBe(nearest(D.sqrt(2)));
    expect(INV_SQRT_2PI).toBe(nearest(new D(1).div(D.acos(-1).times(2).sqrt())));
  });

  it("pow2 is exact over the whole exponent range", () => {
    expect(pow2(0)).toBe(1);
    expect(pow2(1023)).toBe(8.98846567431158e307);
    expect(pow2(-1074)).toBe(Number.MIN_VALUE);
    expect(pow2(-1022)).toBe(2.2250738585072014e-308);
    for (let k = -1073; k <= 1023; k++) expect(pow2(k)).toBe(pow2(k - 1) * 2);
    expect(() => pow2(1024)).toThrow(RangeError);
    expect(() => pow2(0.5)).toThrow(RangeError);
  });
});

describe("exp", { timeout: 60_000 }, () => {
  const rng = new Prng(1);
  const xs = [
    0, -0, 1, -1, 0.5, -0.5, 1e-300, -1e-300, 5e-324, 1e-17, -1e-17, 1e-8, 0.34657359027997264, -0.34657359027997264, 0.6931471805599453,
    2, 10, 20, 50, 100, 300, 700, 709, 709.78, 709.782712893384, -700, -708, -708.4, -709, -720, -740, -745, -745.13,
    ...Array.from({ length: 2000 }, () => rng.uniform(-1, 1)),
    ...Array.from({ length: 1000 }, () => rng.uniform(-50, 50)),
    ...Array.from({ length: 1000 }, () => rng.uniform(-708, 709.78)),
  ];

  it("has relative error < 1.5e-16 (about 1 ulp) for normal results; target 1e-12", () => {
    const normal = xs.filter((x) => x > -708.39);
    const w = worst(normal, (x) => relErr(exp(x), refExp(x)));
    expect(w.max, `worst at x = ${w.at}`).toBeLessThan(1.5e-16);
  });

  it("rounds subnormal results to within one subnormal ulp and underflows to 0", () => {
    for (const x of [-708.5, -710, -720, -730, -740, -744, -745, -745.13]) {
      const err = exact(exp(x)).minus(refExp(x)).abs();
      expect(err.lte(exact(Number.MIN_VALUE)), `x = ${x}`).toBe(true);
    }
    expect(exp(-745.2)).toBe(0);
    expect(exp(-1e300)).toBe(0);
  });

  it("is exact where it must be and monotone across reduction boundaries", () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(5e-324)).toBe(1);
    let prev = exp(-3);
    for (let x = -3; x <= 3; x += 0.0009765625) {
      const y = exp(x);
      expect(y).toBeGreaterThanOrEqual(prev);
      prev = y;
    }
  });

  it("throws RangeError on overflow, NaN and Infinity", () => {
    expect(exp(709.782712893384)).toBeLessThan(Number.MAX_VALUE + 1);
    expect(() => exp(709.7827128933841)).toThrow(RangeError);
    expect(() => exp(1000)).toThrow(RangeError);
    expect(() => exp(Number.NaN)).toThrow(RangeError);
    expect(() => exp(Infinity)).toThrow(RangeError);
    expect(() => exp(-Infinity)).toThrow(RangeError);
  });
});

describe("ln", { timeout: 60_000 }, () => {
  const rng = new Prng(2);
  const xs = [
    1, 2, 0.5, 10, 0.1, Math.E, 1 + EPS, 1 - EPS / 2, 1 + 1e-10, 1 - 1e-10, 1.4142135623730951, 0.7071067811865476, 1.4142135623730954,
    Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308, 1e-310, 1e-320, 1e300, 1e-300, 123456789, 1e6, 1e-6,
    ...Array.from({ length: 2000 }, () => rng.uniform(0.5, 2)),
    ...Array.from({ length: 500 }, () => 1 + rng.uniform(-1e-6, 1e-6)),
    ...Array.from({ length: 1000 }, () => exp(rng.uniform(-700, 700))),
    ...Array.from({ length: 200 }, () => rng.uniform(1, 4503599627370496) * Number.MIN_VALUE),
  ];

  it("has relative error < 1.5e-16 over the whole positive range, subnormals included; target 1e-12", () => {
    const w = worst(
      xs.filter((x) => x !== 1),
      (x) => relErr(ln(x), refLn(x)),
    );
    expect(w.max, `worst at x = ${w.at}`).toBeLessThan(1.5e-16);
    expect(ln(1)).toBe(0);
  });

  it("is monotone near 1 and across the sqrt(2) reduction boundary", () => {
    for (const c of [1, 1.4142135623730951, 2, 0.5]) {
      let x = c;
      for (let i = 0; i < 200; i++) x -= c * EPS;
      let prev = ln(x);
      for (let i = 0; i < 400; i++) {
        x += c * EPS / 2;
        const y = ln(x);
        expect(y).toBeGreaterThanOrEqual(prev);
        prev = y;
      }
    }
  });

  it("throws RangeError for x <= 0, NaN and Infinity", () => {
    for (const x of [0, -0, -1, -Number.MIN_VALUE, Number.NaN, Infinity, -Infinity]) expect(() => ln(x), String(x)).toThrow(RangeError);
  });
});

describe("sqrt", { timeout: 60_000 }, () => {
  it("is correctly rounded: bit-identical to IEEE sqrt on 200k random doubles and edge cases", () => {
    const rng = new Prng(3);
    const edge = [0, -0, 1, 2, 3, 4, 0.25, Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308, 2.225073858507201e-308, 1 + EPS, 1 - EPS / 2, 4 - 2 * EPS, 2 - EPS, 1e-310, 9007199254740993, 1e300];
    for (const x of edge) expect(Object.is(sqrt(x), Math.sqrt(x)), `x = ${x}`).toBe(true);
    let mismatches = 0;
    for (let i = 0; i < 200_000; i++) {
      // Random positive bit patterns: every binade, subnormals included.
      const x = doubleFromBits(rng.next64() & 0x7fffffffffffffffn);
      if (!Number.isFinite(x)) continue;
      if (sqrt(x) !== Math.sqrt(x)) mismatches++;
    }
    for (let i = 0; i < 100_000; i++) {
      const x = rng.uniform(1, 4);
      if (sqrt(x) !== Math.sqrt(x)) mismatches++;
      const y = x * x; // perfect squares and their neighbours stress the rounding decision
      if (sqrt(y) !== Math.sqrt(y)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("agrees with the reference to half an ulp", () => {
    const rng = new Prng(4);
    const w = worst(
      Array.from({ length: 500 }, () => exp(rng.uniform(-700, 700))),
      (x) => relErr(sqrt(x), refSqrt(x)),
    );
    expect(w.max).toBeLessThan(1.12e-16);
  });

  it("throws RangeError for negatives, NaN and Infinity", () => {
    for (const x of [-1, -Number.MIN_VALUE, Number.NaN, Infinity, -Infinity]) expect(() => sqrt(x), String(x)).toThrow(RangeError);
  });
});

describe("normal distribution", { timeout: 60_000 }, () => {
  const rng = new Prng(5);
  const xs = [
    0, -0, 1e-300, -1e-300, 0.66291, -0.66291, 0.6629100000000001, -0.6629100000000001, 5.656854248, -5.656854248, -5.656854249, 5.656854249,
    8.571, 8.572, -37.5, -37.519, -37.52, 38, -38, 1, -1, 2, -2, 3, -3,
    ...Array.from({ length: 1500 }, () => rng.uniform(-10, 10)),
    ...Array.from({ length: 500 }, () => rng.uniform(-37.519, -5)),
  ];

  it("normCdf: absolute error < 2e-16 everywhere (target 1e-14)", () => {
    const w = worst(xs, (x) => exact(normCdf(x)).minus(refCdf(exact(x))).abs().toNumber());
    expect(w.max, `worst at x = ${w.at}`).toBeLessThan(2e-16);
  });

  it("normCdf: relative error < 1e-15 in the lower tail (what deep out-of-the-money prices rely on)", () => {
    const w = worst(
      xs.filter((x) => x <= 0 && x >= -37.519),
      (x) => relErr(normCdf(x), refCdf(exact(x))),
    );
    expect(w.max, `worst at x = ${w.at}`).toBeLessThan(1e-15);
  });

  it("normCdf: the cut-offs, symmetry and monotonicity", () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(8.572)).toBe(1);
    expect(normCdf(1e300)).toBe(1);
    expect(normCdf(-37.52)).toBe(0);
    expect(normCdf(-1e300)).toBe(0);
    for (const x of xs.filter((v) => v > -8 && v < 8)) expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThanOrEqual(2 * EPS);
    let prev = 0;
    for (let x = -38; x <= 9; x += 0.0009765625) {
      const y = normCdf(x);
      expect(y).toBeGreaterThanOrEqual(prev);
      prev = y;
    }
  });

  it("normPdf: relative error < 1e-15 for |x| <= 37, 0 beyond the cut-off, even", () => {
    const w = worst(
      xs.filter((x) => Math.abs(x) <= 37),
      (x) => relErr(normPdf(x), refPdf(exact(x))),
    );
    expect(w.max, `worst at x = ${w.at}`).toBeLessThan(1e-15);
    expect(normPdf(0)).toBe(FLOAT_CONSTANTS.INV_SQRT_2PI);
    expect(normPdf(39)).toBe(0);
    expect(normPdf(-1e300)).toBe(0);
    for (const x of xs) expect(normPdf(-x)).toBe(normPdf(x));
  });

  it("normTailScaled G(a) = N(-a) e^(a^2/2): relative error < 1e-15 for every a >= 0, however large", () => {
    const as = [0, 1e-300, 0.3, 0.66291, 0.6629100000000001, 1, 5.656854248, 5.656854249, 20, 37.6, 100, 1e4, 1e10, 1e200, ...xs.filter((x) => x > 0)];
    const w = worst(as, (a) => relErr(normTailScaled(a), refTailScaled(exact(a))));
    expect(w.max, `worst at a = ${w.at}`).toBeLessThan(1e-15);
    expect(() => normTailScaled(-1)).toThrow(RangeError);
  });

  it("normCdfGivenExp is bit-identical to normCdf, and expNegHalfSquare to the density's exponential", () => {
    for (const x of xs) {
      const e = expNegHalfSquare(x);
      expect(Object.is(normCdfGivenExp(x, e), normCdf(x)), `x = ${x}`).toBe(true);
      expect(Object.is(normCdfGivenExp(-x, e), normCdf(-x)), `x = ${-x}`).toBe(true);
      expect(FLOAT_CONSTANTS.INV_SQRT_2PI * e).toBe(normPdf(x));
    }
    expect(expNegHalfSquare(38.7)).toBe(0);
  });

  it("throw RangeError for NaN and Infinity", () => {
    for (const f of [normCdf, normPdf, expNegHalfSquare, normTailScaled]) for (const x of [Number.NaN, Infinity, -Infinity]) expect(() => f(x)).toThrow(RangeError);
    expect(() => normCdfGivenExp(Number.NaN, 1)).toThrow(RangeError);
  });
});
