/**
 * Inputs of the golden vectors in test/vectors/pricing.json. The expected outputs there are exact IEEE 754 bit
 * patterns; vectors.test.ts recomputes them bit for bit. Changing an algorithm in src/math means regenerating
 * the file on purpose: VANNA_UPDATE_VECTORS=1 npx vitest run test/unit/math/vectors.test.ts
 */
import type { RoundingMode } from "../../../src/math/fixed.js";
import { sampledGrid, type GridPoint } from "./grid.js";

export const EXP_INPUTS = [
  0, 1, -1, 0.5, -0.5, 1e-300, -1e-17, 1e-8, 0.34657359027997264, -0.34657359027997264, 0.6931471805599453, 2, Math.E, 10, -10, 20.5, -37.25, 50, 100,
  -100, 300.125, -300.125, 700, 709.78, -708.3, -708.5, -720, -740, -745, 0.1, -0.01, 3.3e-5,
];

export const LN_INPUTS = [
  1, 2, 0.5, 10, 0.1, Math.E, 1.0000000000000002, 0.9999999999999999, 1.0000000001, 0.9999999999, 1.4142135623730951, 1.4142135623730954, 0.7071067811865476, 3,
  7.3, 100, 1e6, 1e-6, 123456789.123, 1e300, 1e-300, Number.MAX_VALUE, 2.2250738585072014e-308, 1e-310, Number.MIN_VALUE, 0.25, 1.5, 0.97, 1.03, 65432.1, 2500.25,
  1 / 8760,
];

export const SQRT_INPUTS = [
  0, 1, 2, 3, 4, 0.25, 0.5, 1 / 8760, 1 / 365, 7 / 365, 30 / 365, 0.75, 1e-300, 1e300, Number.MAX_VALUE, Number.MIN_VALUE, 2.2250738585072014e-308, 1e-310,
  1.0000000000000002, 3.9999999999999996, 9007199254740993, 123.456, 0.1, 65432.1,
];

export const NORM_CDF_INPUTS = [
  0, 1e-300, -1e-300, 0.1, -0.1, 0.5, -0.5, 0.66291, -0.66291, 0.6629100000000001, -0.6629100000000001, 1, -1, 1.96, -1.96, 2.5, -2.5, 3, -3, 5.656854248,
  -5.656854248, -5.656854249, 6, -6, 8.5, 8.572, -10, -20, -30, -37.5, -37.519, -37.6,
];

export const NORM_PDF_INPUTS = [0, 0.1, -0.1, 0.5, 1, -1, 1.5, 2, -3, 5, 8, -10, 20, 37, 38.5, 40];

export interface BsVectorInput extends GridPoint {}

/** Grid points plus the edge cases: expiry, zero vol, tiny time, deep in/out of the money, rates, domain corners. */
export function bsVectorInputs(): BsVectorInput[] {
  const base = { spot: 100, strike: 100, timeYears: 0.25, vol: 0.5, rate: 0, isCall: true };
  const edges: BsVectorInput[] = [
    { ...base },
    { ...base, isCall: false },
    { ...base, timeYears: 0 },
    { ...base, timeYears: 0, spot: 120 },
    { ...base, timeYears: 0, spot: 80, isCall: false },
    { ...base, vol: 0 },
    { ...base, vol: 0, rate: 0.05, timeYears: 1 },
    { ...base, vol: 0, rate: 0.05, timeYears: 1, isCall: false },
    { ...base, timeYears: 1e-9 },
    { ...base, timeYears: 1e-9, spot: 101 },
    { ...base, timeYears: 1e-9, spot: 99, isCall: false },
    { ...base, timeYears: 1 / 31_536_000, strike: 100.01 },
    { ...base, strike: 300, vol: 0.3 },
    { ...base, strike: 30, vol: 0.3, isCall: false },
    { ...base, strike: 101.5, timeYears: 1 / 8760, vol: 0.05 },
    { ...base, strike: 40, timeYears: 1, vol: 0.2, rate: 0.05 },
    { ...base, strike: 250, timeYears: 2, vol: 1.2, rate: -0.01, isCall: false },
    { ...base, rate: 0.05, timeYears: 3 },
    { spot: 1e-12, strike: 1e18, timeYears: 100, vol: 100, rate: 1, isCall: true },
    { spot: 1e18, strike: 1e-12, timeYears: 100, vol: 100, rate: -1, isCall: false },
    { spot: 1e-12, strike: 1e-12, timeYears: 1e-20, vol: 1e-5, rate: 0, isCall: true },
    { spot: 6.5e10, strike: 7e10, timeYears: 7 / 365, vol: 0.65, rate: 0.04, isCall: true },
    { spot: 6.5e10, strike: 6e10, timeYears: 7 / 365, vol: 0.65, rate: 0.04, isCall: false },
  ];
  return [...edges, ...sampledGrid(160)];
}

export interface ToUnitsVectorInput {
  x: number;
  scale: bigint;
  mode: RoundingMode;
}

export function toUnitsVectorInputs(): ToUnitsVectorInput[] {
  const xs = [0.1, 0.3, 2.5, -2.5, 1.5, -1.5, 123.456789, 1e-7, -1e-7, 1234567.891, 0.5, 1e300, Number.MIN_VALUE];
  const out: ToUnitsVectorInput[] = [];
  xs.forEach((x, i) => out.push({ x, scale: i % 2 === 0 ? 1_000_000n : 1n, mode: (["floor", "ceil", "halfEven"] as const)[i % 3]! }));
  return out;
}

export const FROM_UNITS_INPUTS: Array<{ units: bigint; scale: bigint }> = [
  { units: 123456789n, scale: 1_000_000n },
  { units: -1n, scale: 10n },
  { units: 1n, scale: 3n },
  { units: 9007199254740993n, scale: 1n },
  { units: 1n, scale: 1n << 1074n },
  { units: 3n, scale: 1n << 1076n },
  { units: 10n ** 30n + 7n, scale: 10n ** 18n },
  { units: 65_000_000_000n, scale: 1_000_000n },
];
