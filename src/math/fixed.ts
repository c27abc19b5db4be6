/**
 * Exact conversions between doubles and integer state units. A finite double is exactly m * 2^e (integer m,
 * |m| < 2^53); both directions work on that decomposition with bigint arithmetic, so the only rounding is the
 * one the caller names. This is how pricing results (marks in uusdc per contract, greeks) enter state:
 * `toUnits(price, 1_000_000n, "halfEven")`.
 */

export type RoundingMode = "floor" | "ceil" | "halfEven";

export interface DecomposedDouble {
  /** -1, 0 or 1 (0 for +-0). */
  sign: -1 | 0 | 1;
  /** Integer significand, 0 <= mantissa < 2^53. */
  mantissa: bigint;
  /** The value is sign * mantissa * 2^exponent exactly, -1074 <= exponent <= 971. */
  exponent: number;
}

const VIEW = new DataView(new ArrayBuffer(8));

/** The raw IEEE 754 bits of a double as an unsigned 64-bit bigint (big-endian meaning, platform independent). */
export function doubleToBits(x: number): bigint {
  VIEW.setFloat64(0, x);
  return VIEW.getBigUint64(0);
}

export function doubleFromBits(bits: bigint): number {
  if (bits < 0n || bits >= 1n << 64n) throw new RangeError("doubleFromBits: bits must be an unsigned 64-bit integer");
  VIEW.setBigUint64(0, bits);
  return VIEW.getFloat64(0);
}

/** "0x" and 16 lower-case hex digits of the IEEE 754 bits: the format of the golden vectors. */
export function doubleToHex(x: number): string {
  return `0x${doubleToBits(x).toString(16).padStart(16, "0")}`;
}

export function doubleFromHex(hex: string): number {
  if (!/^0x[0-9a-fA-F]{16}$/.test(hex)) throw new RangeError(`doubleFromHex: expected 0x and 16 hex digits, got "${hex}"`);
  return doubleFromBits(BigInt(hex));
}

/** Exact decomposition of a finite double. Throws RangeError for NaN and +-Infinity. */
export function decompose(x: number): DecomposedDouble {
  if (typeof x !== "number" || x !== x || x === Infinity || x === -Infinity) throw new RangeError(`decompose: not a finite number: ${String(x)}`);
  const bits = doubleToBits(x);
  const negative = bits >> 63n === 1n;
  const field = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (field === 0 && fraction === 0n) return { sign: 0, mantissa: 0n, exponent: 0 };
  const mantissa = field === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (field === 0 ? 1 : field) - 1075;
  return { sign: negative ? -1 : 1, mantissa, exponent };
}

function checkScale(scale: bigint, fn: string): void {
  if (typeof scale !== "bigint" || scale <= 0n) throw new RangeError(`${fn}: scale must be a positive bigint, got ${String(scale)}`);
}

/** Rounds the non-negative rational num / den (den > 0) to an integer; `negative` says the value's true sign. */
function roundQuotient(num: bigint, den: bigint, negative: boolean, mode: RoundingMode): bigint {
  const q = num / den;
  const rem = num - q * den;
  if (rem === 0n) return negative ? -q : q;
  let mag: bigint;
  switch (mode) {
    case "floor":
      mag = negative ? q + 1n : q;
      break;
    case "ceil":
      mag = negative ? q : q + 1n;
      break;
    case "halfEven": {
      const twice = rem * 2n;
      mag = twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
      break;
    }
    default:
      throw new RangeError(`unknown rounding mode ${String(mode)}`);
  }
  return negative ? -mag : mag;
}

/**
 * x * scale rounded to an integer with the given mode: "floor" toward -Infinity, "ceil" toward +Infinity,
 * "halfEven" to nearest with ties to even. Exact for every finite double (no intermediate rounding). Throws
 * RangeError for NaN, +-Infinity, a non-positive scale or an unknown mode.
 */
export function toUnits(x: number, scale: bigint, mode: RoundingMode): bigint {
  checkScale(scale, "toUnits");
  if (mode !== "floor" && mode !== "ceil" && mode !== "halfEven") throw new RangeError(`toUnits: unknown rounding mode ${String(mode)}`);
  const { sign, mantissa, exponent } = decompose(x);
  if (sign === 0) return 0n;
  const num = mantissa * scale;
  if (exponent >= 0) return sign < 0 ? -(num << BigInt(exponent)) : num << BigInt(exponent);
  return roundQuotient(num, 1n << BigInt(-exponent), sign < 0, mode);
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** 2^k as a double for -1074 <= k <= 1023, exactly (no Math.pow). */
function pow2(k: number): number {
  VIEW.setBigUint64(0, k >= -1022 ? BigInt(k + 1023) << 52n : 1n << BigInt(k + 1074));
  return VIEW.getFloat64(0);
}

/**
 * units / scale as the nearest double (ties to even): the correctly rounded value, exact whenever it is
 * representable. Throws RangeError for a non-positive scale or a quotient beyond Number.MAX_VALUE.
 */
export function fromUnits(units: bigint, scale: bigint): number {
  checkScale(scale, "fromUnits");
  if (typeof units !== "bigint") throw new RangeError("fromUnits: units must be a bigint");
  if (units === 0n) return 0;
  const negative = units < 0n;
  const u = negative ? -units : units;
  // e = floor(log2(u / scale)).
  let e = bitLength(u) - bitLength(scale);
  if (e >= 0 ? u < scale << BigInt(e) : u << BigInt(-e) < scale) e -= 1;
  if (e > 1023) throw new RangeError("fromUnits: value overflows a double");
  // Quantum of the result: 2^(e-52) for normal results, 2^-1074 for subnormal ones.
  const qe = e - 52 > -1074 ? e - 52 : -1074;
  const n = qe >= 0 ? roundQuotient(u, scale << BigInt(qe), false, "halfEven") : roundQuotient(u << BigInt(-qe), scale, false, "halfEven");
  // n <= 2^53 and qe in [-1074, 971]: Number(n) and 2^qe are exact, and so is their product unless it overflows.
  const v = Number(n) * pow2(qe);
  if (v === Infinity) throw new RangeError("fromUnits: value overflows a double");
  return negative ? -v : v;
}
