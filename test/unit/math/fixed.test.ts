import type { Decimal as DecimalClass } from "decimal.js";
import { describe, expect, it } from "vitest";
import { decompose, doubleFromBits, doubleFromHex, doubleToBits, doubleToHex, fromUnits, toUnits, type RoundingMode } from "../../../src/math/fixed.js";
import { Prng } from "./prng.js";
import { Decimal } from "./reference.js";

/** Exact decimal arithmetic wide enough for any double times any test scale (2^-1074 has 751 digits). */
const Big = Decimal.clone({ precision: 2000, toExpNeg: -9e15, toExpPos: 9e15, minE: -9e15, maxE: 9e15 });
type BigDec = InstanceType<typeof Big>;

function exactBig(x: number): BigDec {
  const { sign, mantissa, exponent } = decompose(x);
  return new Big(mantissa.toString()).times(new Big(2).pow(exponent)).times(sign);
}

const DECIMAL_MODE: Record<RoundingMode, DecimalClass.Rounding> = {
  floor: Decimal.ROUND_FLOOR,
  ceil: Decimal.ROUND_CEIL,
  halfEven: Decimal.ROUND_HALF_EVEN,
};

function refToUnits(x: number, scale: bigint, mode: RoundingMode): bigint {
  return BigInt(exactBig(x).times(scale.toString()).toDecimalPlaces(0, DECIMAL_MODE[mode]).toFixed(0));
}

const MODES: RoundingMode[] = ["floor", "ceil", "halfEven"];

describe("bits", () => {
  it("round-trips doubles through bits and hex", () => {
    expect(doubleToHex(1)).toBe("0x3ff0000000000000");
    expect(doubleToHex(-0)).toBe("0x8000000000000000");
    expect(doubleToHex(Number.MIN_VALUE)).toBe("0x0000000000000001");
    expect(doubleFromHex("0x400921fb54442d18")).toBe(3.141592653589793);
    const rng = new Prng(11);
    for (let i = 0; i < 1000; i++) {
      const bits = rng.next64();
      const x = doubleFromBits(bits);
      if (Number.isNaN(x)) continue;
      expect(doubleToBits(x)).toBe(bits);
    }
    expect(() => doubleFromHex("0x3ff")).toThrow(RangeError);
    expect(() => doubleFromBits(1n << 64n)).toThrow(RangeError);
  });

  it("decomposes exactly, subnormals included", () => {
    expect(decompose(1)).toEqual({ sign: 1, mantissa: 1n << 52n, exponent: -52 });
    expect(decompose(-0.75)).toEqual({ sign: -1, mantissa: 3n << 51n, exponent: -53 });
    expect(decompose(Number.MIN_VALUE)).toEqual({ sign: 1, mantissa: 1n, exponent: -1074 });
    expect(decompose(0)).toEqual({ sign: 0, mantissa: 0n, exponent: 0 });
    expect(decompose(-0)).toEqual({ sign: 0, mantissa: 0n, exponent: 0 });
    for (const x of [Number.NaN, Infinity, -Infinity]) expect(() => decompose(x)).toThrow(RangeError);
  });
});

describe("toUnits", () => {
  it("rounds exactly as named, with the double's exact binary value", () => {
    // 0.1 is 0.1000000000000000055511151231257827...: just above 1/10.
    expect(toUnits(0.1, 10n, "floor")).toBe(1n);
    expect(toUnits(0.1, 10n, "ceil")).toBe(2n);
    expect(toUnits(0.1, 10n, "halfEven")).toBe(1n);
    // 0.3 is 0.299999999999999988897769753748...: just below.
    expect(toUnits(0.3, 10n, "floor")).toBe(2n);
    expect(toUnits(0.3, 10n, "ceil")).toBe(3n);
    // Ties go to even; floor and ceil go toward -Infinity and +Infinity for negatives.
    for (const [x, want] of [
      [0.5, 0n],
      [1.5, 2n],
      [2.5, 2n],
      [3.5, 4n],
      [-0.5, 0n],
      [-1.5, -2n],
      [-2.5, -2n],
    ] as const)
      expect(toUnits(x, 1n, "halfEven"), String(x)).toBe(want);
    expect(toUnits(-1.5, 1n, "floor")).toBe(-2n);
    expect(toUnits(-1.5, 1n, "ceil")).toBe(-1n);
    expect(toUnits(-0, 1_000_000n, "ceil")).toBe(0n);
    expect(toUnits(1e300, 1n, "floor")).toBe(BigInt(1e300)); // BigInt(integral double) is exact
    expect(toUnits(Number.MIN_VALUE, 1n, "ceil")).toBe(1n);
    expect(toUnits(Number.MIN_VALUE, 1n, "halfEven")).toBe(0n);
    expect(toUnits(123.456789, 1_000_000n, "halfEven")).toBe(123456789n);
  });

  it("agrees with exact decimal arithmetic on random doubles, scales and modes", () => {
    const rng = new Prng(12);
    const scales = [1n, 10n, 1_000_000n, 10n ** 18n, 3n, 7n ** 30n];
    for (let i = 0; i < 3000; i++) {
      const kind = i % 3;
      const x = kind === 0 ? rng.uniform(-1e6, 1e6) : kind === 1 ? rng.uniform(-1, 1) * 2 ** rng.uniform(-80, 80) : doubleFromBits(rng.next64());
      if (!Number.isFinite(x)) continue;
      const scale = scales[i % scales.length]!;
      const mode = MODES[(i >> 2) % 3]!;
      expect(toUnits(x, scale, mode), `${x} x ${scale} ${mode}`).toBe(refToUnits(x, scale, mode));
    }
  });

  it("throws RangeError on NaN, Infinity, a non-positive scale and an unknown mode", () => {
    expect(() => toUnits(Number.NaN, 1n, "floor")).toThrow(RangeError);
    expect(() => toUnits(Infinity, 1n, "floor")).toThrow(RangeError);
    expect(() => toUnits(1, 0n, "floor")).toThrow(RangeError);
    expect(() => toUnits(1, -5n, "floor")).toThrow(RangeError);
    expect(() => toUnits(1, 1n, "round" as RoundingMode)).toThrow(RangeError);
  });
});

describe("fromUnits", () => {
  /** True if v is the double nearest to u/s (ties to even), checked against both neighbours exactly. */
  function isNearest(v: number, u: bigint, s: bigint): boolean {
    const q = new Big(u.toString()).div(s.toString());
    const bits = doubleToBits(Math.abs(v));
    const err = exactBig(v).minus(q).abs();
    for (const nb of [bits + 1n, bits - 1n]) {
      if (nb < 0n || nb >= 0x7ff0000000000000n) continue;
      const w = doubleFromBits(nb) * (v < 0 || (v === 0 && u < 0n) ? -1 : 1);
      const e = exactBig(w).minus(q).abs();
      if (e.lt(err)) return false;
      if (e.eq(err) && (bits & 1n) === 1n) return false;
    }
    return true;
  }

  it("is exact where representable and correctly rounded otherwise", () => {
    expect(fromUnits(123456789n, 1_000_000n)).toBe(123.456789);
    expect(fromUnits(-1n, 10n)).toBe(-0.1);
    expect(fromUnits(0n, 7n)).toBe(0);
    expect(fromUnits(1n, 3n)).toBe(1 / 3);
    expect(fromUnits(2n ** 53n + 1n, 1n)).toBe(9007199254740992); // tie to even
    expect(fromUnits(2n ** 53n + 3n, 1n)).toBe(9007199254740996);
    expect(fromUnits(1n, 2n ** 1074n)).toBe(Number.MIN_VALUE);
    expect(fromUnits(1n, 2n ** 1075n)).toBe(0); // a tie between 0 and MIN_VALUE goes to even (0)
    expect(fromUnits(3n, 2n ** 1076n)).toBe(Number.MIN_VALUE);
    expect(fromUnits(BigInt(Number.MAX_VALUE.toLocaleString("en-US", { useGrouping: false })), 1n)).toBe(Number.MAX_VALUE);
    const rng = new Prng(13);
    for (let i = 0; i < 2000; i++) {
      const u = (rng.next64() >> BigInt(i % 64)) * (i % 2 === 0 ? 1n : -1n) * (i % 7 === 0 ? 10n ** 40n : 1n);
      const s = [1n, 3n, 10n, 1_000_000n, 10n ** 18n, 2n ** 1000n, 7n ** 400n][i % 7]!;
      const v = fromUnits(u, s);
      if (s === 1n) expect(v).toBe(Number(u)); // Number(bigint) is specified as correctly rounded
      expect(isNearest(v, u, s), `${u} / ${s}`).toBe(true);
    }
  });

  it("round-trips toUnits at a power-of-two scale and throws on overflow and bad scales", () => {
    const rng = new Prng(14);
    for (let i = 0; i < 500; i++) {
      const x = rng.uniform(-1e9, 1e9);
      expect(fromUnits(toUnits(x, 1n << 60n, "floor"), 1n << 60n)).toBe(x);
    }
    expect(() => fromUnits(2n ** 1024n, 1n)).toThrow(RangeError);
    expect(() => fromUnits(2n ** 1024n - 2n ** 970n, 1n)).toThrow(RangeError); // rounds up to 2^1024
    expect(fromUnits(2n ** 1024n - 2n ** 971n, 1n)).toBe(Number.MAX_VALUE);
    expect(() => fromUnits(1n, 0n)).toThrow(RangeError);
    expect(() => fromUnits(1n, -1n)).toThrow(RangeError);
  });
});
