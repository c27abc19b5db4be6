import { describe, expect, it } from "vitest";
import { aggregate, DEFAULT_ORACLE_PARAMS, lowerWeightedMedian, type OracleParams } from "../../../modules/oracle/index.js";
import { btcVotes, EXPIRY, observation, SEC, smileObs, T0, vote } from "./helpers.js";

const params: OracleParams = DEFAULT_ORACLE_PARAMS;
const now = T0;
const btc = (prices: Array<bigint | undefined>, powers = prices.map(() => 10n)) => aggregate(btcVotes(powers, prices), params, now);

describe("lowerWeightedMedian", () => {
  it("is the value where the cumulative weight first reaches half", () => {
    expect(lowerWeightedMedian([{ value: 5n, weight: 1n }])).toBe(5n);
    expect(lowerWeightedMedian([{ value: 3n, weight: 1n }, { value: 1n, weight: 1n }, { value: 2n, weight: 1n }])).toBe(2n);
    // Heavy validator dominates.
    expect(lowerWeightedMedian([{ value: 1n, weight: 1n }, { value: 2n, weight: 1n }, { value: 9n, weight: 5n }])).toBe(9n);
  });

  it("resolves an even split to the lower value, regardless of input order", () => {
    expect(lowerWeightedMedian([{ value: 7n, weight: 2n }, { value: 3n, weight: 2n }])).toBe(3n);
    expect(lowerWeightedMedian([{ value: 1n, weight: 1n }, { value: 4n, weight: 1n }, { value: 2n, weight: 1n }, { value: 3n, weight: 1n }])).toBe(2n);
    expect(lowerWeightedMedian([{ value: 3n, weight: 1n }, { value: 2n, weight: 1n }, { value: 4n, weight: 1n }, { value: 1n, weight: 1n }])).toBe(2n);
  });

  it("ignores zero weights and is undefined without weight", () => {
    expect(lowerWeightedMedian([{ value: 100n, weight: 0n }, { value: 5n, weight: 1n }])).toBe(5n);
    expect(lowerWeightedMedian([{ value: 100n, weight: 0n }])).toBeUndefined();
    expect(lowerWeightedMedian([])).toBeUndefined();
  });

  it("handles negative values (skew)", () => {
    expect(lowerWeightedMedian([{ value: -5n, weight: 1n }, { value: 3n, weight: 1n }, { value: -1n, weight: 1n }])).toBe(-1n);
  });
});

describe("aggregate: spot prices", () => {
  it("takes the stake-weighted median, not the mean", () => {
    const r = aggregate(btcVotes([10n, 20n, 30n, 40n], [100n, 200n, 300n, 400n]), params, now);
    // Cumulative: 10, 30, 60 (>= 50) -> 300.
    expect(r.prices).toEqual([{ underlying: "BTC", priceMicroUsd: 300n, reportingPowerPpm: 1_000_000 }]);
  });

  it("ignores an outlier (one wild validator cannot move the median)", () => {
    expect(btc([60_000_000_000n, 60_010_000_000n, 59_990_000_000n, 1n]).prices[0]!.priceMicroUsd).toBe(59_990_000_000n);
    expect(btc([60_000_000_000n, 60_010_000_000n, 59_990_000_000n, 999_000_000_000_000n]).prices[0]!.priceMicroUsd).toBe(60_000_000_000n);
  });

  it("computes over the reporters only when a validator is missing", () => {
    // 4 × 10 power, one without extension: 30/40 = 75 % reported; median of {1,2,3} = 2.
    const r = btc([1n, undefined, 3n, 2n]);
    expect(r.prices).toEqual([{ underlying: "BTC", priceMicroUsd: 2n, reportingPowerPpm: 750_000 }]);
  });

  it("ignores zero-power votes (they neither report nor count in the total)", () => {
    const r = aggregate(btcVotes([0n, 10n, 10n, 10n], [1_000_000n, 5n, 6n, 7n]), params, now);
    expect(r.totalPower).toBe(30n);
    expect(r.prices[0]).toEqual({ underlying: "BTC", priceMicroUsd: 6n, reportingPowerPpm: 1_000_000 });
  });

  it("ignores votes that did not precommit the block, but counts their power in the total", () => {
    const votes = [vote(0, 10n, observation({ BTC: 1n }), false), ...btcVotes([10n, 10n, 10n], [5n, 6n, 7n]).map((v, i) => ({ ...v, validatorAddress: new Uint8Array(20).fill(50 + i) }))];
    const r = aggregate(votes, params, now);
    expect(r.totalPower).toBe(40n);
    expect(r.prices[0]).toEqual({ underlying: "BTC", priceMicroUsd: 6n, reportingPowerPpm: 750_000 });
  });

  it("needs strictly more than 2/3 of the power: exactly 2/3 is not enough", () => {
    const exact = btc([100n, 100n, undefined]); // 20/30 = 2/3
    expect(exact.prices).toEqual([]);
    expect(exact.missing).toContainEqual({ underlying: "BTC", reportingPowerPpm: 666_666 });
    const exactAgain = aggregate(btcVotes([1_000_001n, 999_999n, 1_000_000n], [100n, 100n, undefined]), params, now); // 2_000_000 / 3_000_000
    expect(exactAgain.prices).toEqual([]);
    // 666_667 ppm of the total is the smallest accepted share under the default threshold.
    const justEnough = aggregate(btcVotes([666_667n, 333_333n], [100n, undefined]), params, now);
    expect(justEnough.prices).toEqual([{ underlying: "BTC", priceMicroUsd: 100n, reportingPowerPpm: 666_667 }]);
    const justShort = aggregate(btcVotes([666_666n, 333_334n], [100n, undefined]), params, now);
    expect(justShort.prices).toEqual([]);
  });

  it("respects a higher min_power_ppm", () => {
    const strict = { ...params, minPowerPpm: 900_000 };
    expect(aggregate(btcVotes([10n, 10n, 10n, 10n], [1n, 2n, 3n, undefined]), strict, now).prices).toEqual([]);
    expect(aggregate(btcVotes([10n, 10n, 10n, 10n], [1n, 2n, 3n, 4n]), strict, now).prices[0]!.priceMicroUsd).toBe(2n);
  });

  it("ignores values outside the sanity bounds, which then do not count toward the threshold", () => {
    const bounded = { ...params, minPriceMicroUsd: 10n, maxPriceMicroUsd: 1000n };
    // Two of four out of bounds: only 50 % reports a valid value.
    expect(aggregate(btcVotes([10n, 10n, 10n, 10n], [5n, 50n, 60n, 5000n]), bounded, now).prices).toEqual([]);
    const r = aggregate(btcVotes([10n, 10n, 10n, 10n], [5n, 50n, 60n, 70n]), bounded, now);
    expect(r.prices[0]).toEqual({ underlying: "BTC", priceMicroUsd: 60n, reportingPowerPpm: 750_000 });
  });

  it("ignores undecodable and invalid extensions", () => {
    const garbage = new Uint8Array([0xff, 0xff, 0xff]);
    const unknown = observation({ DOGE: 5n });
    const votes = [vote(0, 10n, garbage), vote(1, 10n, unknown), ...btcVotes([10n, 10n], [5n, 6n]).map((v, i) => ({ ...v, validatorAddress: new Uint8Array(20).fill(60 + i) }))];
    const r = aggregate(votes, params, now);
    expect(r.prices).toEqual([]);
    expect(r.missing).toContainEqual({ underlying: "BTC", reportingPowerPpm: 500_000 });
  });

  it("counts a validator address once", () => {
    const dup = [vote(0, 10n, observation({ BTC: 1n })), vote(0, 10n, observation({ BTC: 1n })), vote(1, 10n, observation({ BTC: 9n })), vote(2, 10n, observation({ BTC: 9n }))];
    // Total 40 (power of every vote), reporters 30 (the duplicate ignored).
    expect(aggregate(dup, params, now).prices[0]).toEqual({ underlying: "BTC", priceMicroUsd: 9n, reportingPowerPpm: 750_000 });
  });

  it("aggregates each underlying independently", () => {
    const votes = [
      vote(0, 10n, observation({ BTC: 100n, ETH: 10n })),
      vote(1, 10n, observation({ BTC: 101n, ETH: 11n })),
      vote(2, 10n, observation({ BTC: 102n })),
      vote(3, 10n, observation({ BTC: 103n, ETH: 13n })),
    ];
    const r = aggregate(votes, params, now);
    expect(r.prices.map((p) => [p.underlying, p.priceMicroUsd])).toEqual([
      ["BTC", 101n],
      ["ETH", 11n],
    ]);
  });

  it("returns nothing for no votes", () => {
    expect(aggregate([], params, now)).toEqual({ totalPower: 0n, prices: [], smiles: [], missing: [] });
  });

  it("does not depend on the order of the votes", () => {
    const votes = btcVotes([3n, 1n, 4n, 1n, 5n, 9n, 2n, 6n], [8n, 3n, 5n, 1n, 9n, 2n, 6n, 4n]);
    const a = aggregate(votes, params, now);
    const b = aggregate([...votes].reverse(), params, now);
    expect(b).toEqual(a);
  });
});

describe("aggregate: smiles", () => {
  it("takes each parameter's weighted median over the same reporters", () => {
    const votes = [
      vote(0, 10n, observation({}, [smileObs("BTC", 500_000n, -150_000n, 100_000n)])),
      vote(1, 10n, observation({}, [smileObs("BTC", 550_000n, -100_000n, 300_000n)])),
      vote(2, 10n, observation({}, [smileObs("BTC", 600_000n, -50_000n, 200_000n)])),
      vote(3, 10n, undefined),
    ];
    const r = aggregate(votes, params, now);
    expect(r.smiles).toEqual([{ underlying: "BTC", expiryUnixS: EXPIRY, atmVolPpm: 550_000n, skewPpm: -100_000n, curvaturePpm: 200_000n, reportingPowerPpm: 750_000 }]);
  });

  it("drops a reporter's whole smile when one parameter is out of bounds", () => {
    const votes = [
      vote(0, 10n, observation({}, [smileObs("BTC", 500_000n, -99_000_000n)])),
      vote(1, 10n, observation({}, [smileObs("BTC", 550_000n)])),
      vote(2, 10n, observation({}, [smileObs("BTC", 600_000n)])),
      vote(3, 10n, observation({}, [smileObs("BTC", 1n)])), // vol below 1 %
    ];
    expect(aggregate(votes, params, now).smiles).toEqual([]);
  });

  it("ignores smiles of expiries at or before the block time", () => {
    const votes = [0, 1, 2].map((i) => vote(i, 10n, observation({}, [smileObs("BTC", 500_000n)])));
    expect(aggregate(votes, params, EXPIRY * SEC).smiles).toEqual([]);
    expect(aggregate(votes, params, EXPIRY * SEC - 1n).smiles).toHaveLength(1);
  });
});
