import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BS_LIMITS, MIN_TOTAL_VOL, blackScholes, type BlackScholesResult } from "../../../src/math/blackScholes.js";
import { INV_SQRT_2PI, exp } from "../../../src/math/float.js";
import { sampledGrid } from "./grid.js";
import { RefDecimal, dexp, exact, greekFloors, refBlackScholes, relErr } from "./reference.js";

const KEYS = ["price", "delta", "gamma", "vega", "theta"] as const;

describe("blackScholes accuracy", () => {
  it("is within 1e-9 of the 50-digit reference on the grid (price and four greeks)", () => {
    const grid = sampledGrid(7);
    expect(grid.length).toBeGreaterThan(1000);
    const max: Record<string, { err: number; at: string }> = {};
    for (const k of KEYS) max[k] = { err: 0, at: "" };
    for (const p of grid) {
      const got = blackScholes(p);
      const ref = refBlackScholes(p.spot, p.strike, p.timeYears, p.vol, p.rate, p.isCall);
      const floors = greekFloors(p.spot);
      for (const k of KEYS) {
        const e = relErr(got[k], ref[k], floors[k]);
        if (!(e <= max[k]!.err)) max[k] = { err: e, at: JSON.stringify(p) };
      }
    }
    for (const k of KEYS) expect(max[k]!.err, `${k} worst at ${max[k]!.at}`).toBeLessThan(1e-9);
    // What the implementation actually achieves, with margin (a regression guard well inside the criterion).
    for (const k of KEYS) expect(max[k]!.err, `${k} worst at ${max[k]!.at}`).toBeLessThan(1e-11);
  }, 120_000);

  it("satisfies put-call parity C - P = S - K e^(-rT) to 1e-12 relative", () => {
    const grid = sampledGrid(5).filter((p) => p.isCall);
    let worst = 0;
    for (const p of grid) {
      const c = blackScholes({ ...p, isCall: true });
      const q = blackScholes({ ...p, isCall: false });
      const S = exact(p.spot);
      const Kdf = exact(p.strike).times(dexp(exact(p.rate).times(exact(p.timeYears)).neg()));
      const gap = exact(c.price).minus(exact(q.price)).minus(S.minus(Kdf)).abs();
      worst = Math.max(worst, gap.div(RefDecimal.max(S, Kdf)).toNumber());
      // Delta parity, identical gamma and vega, theta parity.
      expect(Math.abs(c.delta - q.delta - 1)).toBeLessThanOrEqual(2.3e-16);
      expect(c.gamma).toBe(q.gamma);
      expect(c.vega).toBe(q.vega);
      const Kdfn = p.strike * (p.rate === 0 ? 1 : exp(-p.rate * p.timeYears));
      expect(Math.abs(c.theta - q.theta + p.rate * Kdfn)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(c.theta), p.rate * Kdfn, 1e-300));
    }
    expect(worst).toBeLessThan(1e-12);
  }, 60_000);
});

describe("blackScholes edge cases", () => {
  const base = { spot: 100, strike: 100, timeYears: 0.25, vol: 0.5, rate: 0, isCall: true };

  it("at expiry: intrinsic value, step delta (1/2 at the money), zero gamma, vega and theta", () => {
    for (const [spot, call, put, dc] of [
      [120, 20, 0, 1],
      [80, 0, 20, 0],
      [100, 0, 0, 0.5],
    ] as const) {
      const c = blackScholes({ ...base, spot, timeYears: 0, isCall: true });
      const p = blackScholes({ ...base, spot, timeYears: 0, isCall: false });
      expect(c).toEqual({ price: call, delta: dc, gamma: 0, vega: 0, theta: 0 });
      expect(p).toEqual({ price: put, delta: dc - 1, gamma: 0, vega: 0, theta: 0 });
    }
  });

  it("tiny time to expiry tends to intrinsic with a step delta", () => {
    const itm = blackScholes({ ...base, spot: 101, timeYears: 1e-9 });
    expect(itm).toEqual({ price: 1, delta: 1, gamma: 0, vega: 0, theta: 0 });
    const otm = blackScholes({ ...base, spot: 99, timeYears: 1e-9, isCall: false });
    expect(otm).toEqual({ price: 1, delta: -1, gamma: 0, vega: 0, theta: 0 });
    const atm = blackScholes({ ...base, timeYears: 1e-9 });
    expect(atm.price).toBeGreaterThan(0);
    expect(atm.price).toBeLessThan(1e-3);
    expect(Math.abs(atm.delta - 0.5)).toBeLessThan(1e-5);
    // One second: deep out of the money is exactly worthless.
    expect(blackScholes({ ...base, strike: 120, timeYears: 1 / 31_536_000 }).price).toBe(0);
  });

  it("zero vol: discounted forward intrinsic value", () => {
    const r = 0.05;
    const df = exp(-r * 1);
    const c = blackScholes({ ...base, vol: 0, timeYears: 1, rate: r });
    expect(c.price).toBe(100 - 100 * df);
    expect(c.delta).toBe(1);
    expect(c.gamma).toBe(0);
    expect(c.theta).toBe(-r * 100 * df);
    const p = blackScholes({ ...base, vol: 0, timeYears: 1, rate: r, isCall: false });
    expect(p.price).toBe(0);
    expect(p.delta).toBe(0);
    // At the money forward with zero vol vega is the finite limit S sqrt(T) / sqrt(2 pi).
    const atm = blackScholes({ ...base, vol: 0, timeYears: 4 });
    expect(atm.vega).toBe(100 * 2 * INV_SQRT_2PI);
    expect(atm.delta).toBe(0.5);
  });

  it("is continuous across the expired cut-off (vol sqrt(T) = MIN_TOTAL_VOL)", () => {
    for (const spot of [99, 100, 101]) {
      const t = MIN_TOTAL_VOL * MIN_TOTAL_VOL;
      const above = blackScholes({ ...base, spot, vol: 1.000001, timeYears: t });
      const below = blackScholes({ ...base, spot, vol: 0.999999, timeYears: t });
      expect(Math.abs(above.price - below.price)).toBeLessThan(1e-10 * spot);
      expect(Math.abs(above.delta - below.delta)).toBeLessThan(1e-6);
    }
  });

  it("deep in and out of the money: tiny prices keep relative accuracy, deep ITM is forward + time value", () => {
    const cases = [
      { spot: 100, strike: 300, timeYears: 0.25, vol: 0.3, rate: 0, isCall: true },
      { spot: 100, strike: 30, timeYears: 0.25, vol: 0.3, rate: 0, isCall: false },
      { spot: 100, strike: 101.5, timeYears: 1 / 8760, vol: 0.05, rate: 0, isCall: true },
      { spot: 100, strike: 40, timeYears: 1, vol: 0.2, rate: 0.05, isCall: true },
      { spot: 1e6, strike: 1, timeYears: 3, vol: 3, rate: 0.05, isCall: false },
    ];
    for (const p of cases) {
      const got = blackScholes(p);
      const ref = refBlackScholes(p.spot, p.strike, p.timeYears, p.vol, p.rate, p.isCall);
      for (const k of KEYS) {
        // No floor: pure relative error, even where the value is far below 1e-8 x spot.
        if (ref[k].abs().gt(new RefDecimal("1e-250"))) expect(relErr(got[k], ref[k]), `${k} of ${JSON.stringify(p)}`).toBeLessThan(1e-9);
      }
    }
  });

  it("outputs are finite and within no-arbitrage bounds over the whole input domain", () => {
    const price = fc.double({ min: BS_LIMITS.minPrice, max: BS_LIMITS.maxPrice, noNaN: true });
    fc.assert(
      fc.property(
        price,
        price,
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: BS_LIMITS.maxTimeYears, noNaN: true })),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: BS_LIMITS.maxVol, noNaN: true })),
        fc.oneof(fc.constant(0), fc.double({ min: -1, max: 1, noNaN: true })),
        fc.boolean(),
        (spot, strike, timeYears, vol, rate, isCall) => {
          const g: BlackScholesResult = blackScholes({ spot, strike, timeYears, vol, rate, isCall });
          for (const k of KEYS) expect(Number.isFinite(g[k]), k).toBe(true);
          const Kdf = strike * (rate === 0 ? 1 : exp(-rate * timeYears));
          const slack = 1e-12 * Math.max(spot, Kdf);
          expect(g.price).toBeGreaterThanOrEqual(0);
          if (isCall) {
            expect(g.price).toBeLessThanOrEqual(spot + slack);
            expect(g.price).toBeGreaterThanOrEqual(spot - Kdf - slack);
            expect(g.delta >= 0 && g.delta <= 1).toBe(true);
          } else {
            expect(g.price).toBeLessThanOrEqual(Kdf + slack);
            expect(g.price).toBeGreaterThanOrEqual(Kdf - spot - slack);
            expect(g.delta >= -1 && g.delta <= 0).toBe(true);
          }
          expect(g.gamma).toBeGreaterThanOrEqual(0);
          expect(g.vega).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 3000, seed: 42 },
    );
  });

  it("price is monotone in spot, vol and time", () => {
    let prev = -1;
    for (let spot = 50; spot <= 200; spot += 0.25) {
      const v = blackScholes({ ...base, spot }).price;
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
    prev = -1;
    for (let vol = 0.01; vol <= 3; vol += 0.01) {
      const v = blackScholes({ ...base, strike: 130, vol }).price;
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
    prev = -1;
    for (let t = 1 / 8760; t <= 3; t += 1 / 365) {
      const v = blackScholes({ ...base, strike: 80, isCall: false, timeYears: t }).price;
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it("rejects inputs outside the domain with a RangeError", () => {
    const bad: Array<Record<string, unknown>> = [
      { spot: Number.NaN },
      { spot: 0 },
      { spot: -1 },
      { spot: Infinity },
      { strike: 0 },
      { strike: 1e19 },
      { timeYears: -1e-9 },
      { timeYears: 101 },
      { timeYears: Number.NaN },
      { vol: -0.1 },
      { vol: Infinity },
      { rate: 2 },
      { rate: Number.NaN },
      { isCall: "call" },
      { spot: "100" },
    ];
    for (const b of bad) expect(() => blackScholes({ ...base, ...b } as never), JSON.stringify(b)).toThrow(RangeError);
  });
});
