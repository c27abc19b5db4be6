import { describe, expect, it } from "vitest";
import { computeMark, markFloats, NS_PER_YEAR, smileVol, timeToExpiryYears } from "../../../modules/options/index.js";
import { exact, greekFloors, refBlackScholes, RefDecimal, relErr } from "../math/reference.js";
import { AUTHORITY, fixture, FRI_JAN_2, SEC, T0, USD } from "./fixture.js";
import type { MsgRoute } from "../../../src/app/module.js";
import { OptionsCodec } from "../../../modules/options/index.js";

const TOL = 1e-9;
const MIN_VOL_PPM = 10_000n;

/** σ(k) = atm + skew k + curvature k², k = ln(K/S), floored: the same formula at 50 digits. */
function refVol(spot: bigint, strike: bigint, atm: bigint, skew: bigint, curv: bigint) {
  const k = new RefDecimal(strike.toString()).div(spot.toString()).ln();
  const v = new RefDecimal(atm.toString()).plus(k.times(skew.toString())).plus(k.times(k).times(curv.toString())).div(1_000_000);
  const floor = new RefDecimal(MIN_VOL_PPM.toString()).div(1_000_000);
  return v.lt(floor) ? floor : v;
}

describe("marks and greeks", () => {
  it("match a 50-digit Black-Scholes reference within 1e-9 on a grid", () => {
    const spots = [100_000n * USD, 3_000n * USD, 25n * USD];
    const ratios = [0.5, 0.8, 0.95, 1, 1.05, 1.25, 2];
    const lefts = [3_600n * SEC, 86_400n * SEC, 7n * 86_400n * SEC, 30n * 86_400n * SEC, 365n * 86_400n * SEC];
    const smiles = [
      { atmVolPpm: 600_000n, skewPpm: 0n, curvaturePpm: 0n },
      { atmVolPpm: 500_000n, skewPpm: -100_000n, curvaturePpm: 200_000n },
      { atmVolPpm: 800_000n, skewPpm: 150_000n, curvaturePpm: 500_000n },
      { atmVolPpm: 20_000n, skewPpm: -2_000_000n, curvaturePpm: 0n }, // hits the vol floor on the upside
    ];
    const expiryUnixS = 1_800_000_000n;
    let worst = 0;
    let points = 0;
    for (const spot of spots) {
      for (const ratio of ratios) {
        const strike = (spot * BigInt(Math.round(ratio * 1000))) / 1000n;
        for (const left of lefts) {
          const nowNs = expiryUnixS * SEC - left;
          for (const smile of smiles) {
            for (const kind of ["call", "put"] as const) {
              let ref: ReturnType<typeof refBlackScholes> | undefined;
              for (const contractSizePpm of [10_000n, 100_000n]) {
                const inputs = { series: { id: 1n, expiryUnixS, strikeMicroUsd: strike, kind }, contractSizePpm, spotMicroUsd: spot, smile, minAtmVolPpm: MIN_VOL_PPM, nowNs };
                const f = markFloats(inputs)!;
                expect(relErr(f.vol, refVol(spot, strike, smile.atmVolPpm, smile.skewPpm, smile.curvaturePpm))).toBeLessThan(1e-13);
                expect(relErr(f.timeYears, new RefDecimal(left.toString()).div(NS_PER_YEAR.toString()))).toBeLessThan(1e-15);
                ref ??= refBlackScholes(Number(spot), Number(strike), f.timeYears, f.vol, 0, kind === "call");
                const floors = greekFloors(Number(spot));
                const size = new RefDecimal(contractSizePpm.toString()).div(1_000_000);
                const sizeN = Number(contractSizePpm) / 1e6;
                const errs = [
                  relErr(f.markPerContract, ref.price.times(size), floors.price * sizeN),
                  relErr(f.bs.delta, ref.delta, floors.delta),
                  relErr(f.bs.gamma, ref.gamma, floors.gamma),
                  relErr(f.vegaPerVolPointPerContract, ref.vega.times(size).div(100), (floors.vega * sizeN) / 100),
                  relErr(f.thetaPerDayPerContract, ref.theta.times(size).div(365), (floors.theta * sizeN) / 365),
                ];
                for (const e of errs) worst = Math.max(worst, e);
                // The integers are the reference rounded to their unit (within 1e-9 relative of it).
                const m = computeMark(inputs)!;
                const close = (got: bigint, want: InstanceType<typeof RefDecimal>) =>
                  exact(Number(got)).minus(want).abs().lte(want.abs().times(TOL).plus(0.5));
                expect(close(m.markMicroUsdcPerContract, ref.price.times(size))).toBe(true);
                expect(close(m.deltaPpm, ref.delta.times(1_000_000))).toBe(true);
                expect(close(m.gammaPpb, ref.gamma.times("1e15"))).toBe(true);
                expect(close(m.vegaMicroUsdcPerVolPoint, ref.vega.times(size).div(100))).toBe(true);
                expect(close(m.thetaMicroUsdcPerDay, ref.theta.times(size).div(365))).toBe(true);
                points++;
              }
            }
          }
        }
      }
    }
    expect(points).toBe(3 * 7 * 5 * 4 * 2 * 2);
    expect(worst).toBeLessThan(TOL);
  });

  it("floors the vol and prices an expired option at intrinsic", () => {
    expect(smileVol(100n, 200n, { atmVolPpm: 10_000n, skewPpm: -1_000_000n, curvaturePpm: 0n }, 50_000n)).toBe(0.05);
    expect(timeToExpiryYears(100n, 100n * SEC + 1n)).toBe(0);
    const m = computeMark({
      series: { id: 3n, expiryUnixS: 100n, strikeMicroUsd: 90_000n * USD, kind: "call" },
      contractSizePpm: 10_000n,
      spotMicroUsd: 100_000n * USD,
      smile: { atmVolPpm: 500_000n, skewPpm: 0n, curvaturePpm: 0n },
      minAtmVolPpm: MIN_VOL_PPM,
      nowNs: 200n * SEC,
    })!;
    expect(m.markMicroUsdcPerContract).toBe(100_000_000n); // 10,000 USD × 0.01
    expect(m.deltaPpm).toBe(1_000_000n);
    expect(m.gammaPpb).toBe(0n);
  });

  it("reads the oracle: undefined without price or smile, cached, and moves with the inputs", () => {
    const f = fixture();
    f.block(T0 + SEC);
    const route = f.options.module.msgRoutes.find((r) => r.typeUrl === OptionsCodec.MsgListSeries.typeUrl) as MsgRoute<OptionsCodec.MsgListSeries>;
    route.handle(f.ctx(), { authority: AUTHORITY, underlying: "BTC", expiryUnixS: FRI_JAN_2, strikeMicroUsd: 100_000n * USD, kind: OptionsCodec.OPTION_KIND.put });
    const now = T0 + SEC;
    expect(f.keeper.mark(f.store, 1n, now)).toBeUndefined(); // no price
    f.setPrice("BTC", 100_000n * USD, T0);
    expect(f.keeper.mark(f.store, 1n, now)).toBeUndefined(); // no smile
    f.setSmile("BTC", FRI_JAN_2, 600_000n);
    expect(f.keeper.mark(f.store, 99n, now)).toBeUndefined(); // no series
    const m = f.keeper.mark(f.store, 1n, now)!;
    // ATM put, 32 hours, 60 % vol: ≈ 0.4 × 0.6 × sqrt(32/8760) × 100,000 USD ≈ 1,450 USD per BTC, 14.5 USD per contract.
    expect(Number(m.markMicroUsdcPerContract)).toBeGreaterThan(14_000_000);
    expect(Number(m.markMicroUsdcPerContract)).toBeLessThan(15_000_000);
    expect(m.deltaPpm < 0n && m.deltaPpm > -520_000n && m.deltaPpm < -480_000n).toBe(true);
    expect(m.thetaMicroUsdcPerDay < 0n).toBe(true);
    expect(m).toMatchObject({ seriesId: 1n, spotMicroUsd: 100_000n * USD, volPpm: 600_000n, timeNs: now });
    const hits = f.keeper.markCache.hits;
    expect(f.keeper.mark(f.store, 1n, now)).toEqual(m);
    expect(f.keeper.markCache.hits).toBe(hits + 1);
    f.setPrice("BTC", 101_000n * USD, T0 + SEC);
    const moved = f.keeper.mark(f.store, 1n, now)!;
    expect(moved.markMicroUsdcPerContract < m.markMicroUsdcPerContract).toBe(true); // a put loses as spot rises
    expect(f.keeper.isStale(f.store, "BTC", T0 + 40n * SEC)).toBe(true);
    expect(f.keeper.isStale(f.store, "BTC", T0 + 2n * SEC)).toBe(false);
  });
});
