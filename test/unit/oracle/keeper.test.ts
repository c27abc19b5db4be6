import { describe, expect, it } from "vitest";
import { DEFAULT_ORACLE_PARAMS, OracleKeeper, SMILE_RETENTION_AFTER_EXPIRY_NS, oracleInvariants } from "../../../modules/oracle/index.js";
import type { Event } from "../../../src/types/events.js";
import { blockCtx, btcVotes, EXPIRY, memoryStore, observation, SEC, smileObs, T0, vote } from "./helpers.js";

const keeper = new OracleKeeper();
const MAX_AGE = DEFAULT_ORACLE_PARAMS.maxAgeNs;

/** Runs beginBlock at (height, time) with every one of 4 equal validators reporting BTC at `price`. */
function block(store: ReturnType<typeof memoryStore>, height: bigint, timeNs: bigint, price: bigint | undefined, events: Event[] = []) {
  const votes = btcVotes([10n, 10n, 10n, 10n], [price, price, price, price]);
  return keeper.applyVotes(blockCtx(store, height, timeNs, price === undefined ? [] : votes, events));
}

describe("keeper: prices and staleness", () => {
  it("stores the aggregate with its height, block time and reporting power", () => {
    const store = memoryStore();
    const events: Event[] = [];
    block(store, 5n, T0, 60_000_000_000n, events);
    expect(keeper.price(store, "BTC")).toEqual({ underlying: "BTC", priceMicroUsd: 60_000_000_000n, updatedHeight: 5n, updatedTimeNs: T0, reportingPowerPpm: 1_000_000 });
    expect(keeper.price(store, "ETH")).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(["oracle_price", "oracle_price_missing"]);
    expect(events[0]!.attributes.map((a) => [a.key, a.value])).toEqual([
      ["underlying", "BTC"],
      ["price_micro_usd", "60000000000"],
      ["reporting_power_ppm", "1000000"],
    ]);
  });

  it("is stale without a price, fresh up to max_age, stale after", () => {
    const store = memoryStore();
    expect(keeper.isStale(store, "BTC", T0)).toBe(true);
    block(store, 1n, T0, 100n);
    expect(keeper.isStale(store, "BTC", T0)).toBe(false);
    expect(keeper.isStale(store, "BTC", T0 + MAX_AGE)).toBe(false);
    expect(keeper.isStale(store, "BTC", T0 + MAX_AGE + 1n)).toBe(true);
    expect(keeper.freshPrice(store, "BTC", T0 + MAX_AGE + 1n)).toBeUndefined();
    expect(keeper.freshPrice(store, "BTC", T0 + 1n)?.priceMicroUsd).toBe(100n);
    expect(keeper.isStale(store, "ETH", T0)).toBe(true);
  });

  it("keeps the last price but goes stale when feeds stop (e.g. across a halt), and recovers on a fresh aggregate", () => {
    const store = memoryStore();
    block(store, 1n, T0, 100n);
    // Blocks without votes (feeds down) or with too little power do not touch the price.
    block(store, 2n, T0 + SEC, undefined);
    keeper.applyVotes(blockCtx(store, 3n, T0 + 2n * SEC, btcVotes([10n, 10n, 10n, 10n], [999n, 999n, undefined, undefined])));
    expect(keeper.price(store, "BTC")!.priceMicroUsd).toBe(100n);
    // The chain resumes an hour later: the old price is stale at the new block time.
    const resumed = T0 + 3600n * SEC;
    expect(keeper.isStale(store, "BTC", resumed)).toBe(true);
    block(store, 4n, resumed, 120n);
    expect(keeper.isStale(store, "BTC", resumed)).toBe(false);
    expect(keeper.price(store, "BTC")!.priceMicroUsd).toBe(120n);
  });

  it("stores smiles, reports their staleness and prunes them a day after expiry", () => {
    const store = memoryStore();
    const votes = [0, 1, 2].map((i) => vote(i, 10n, observation({ BTC: 100n }, [smileObs("BTC", 550_000n)])));
    keeper.applyVotes(blockCtx(store, 1n, T0, votes));
    expect(keeper.smile(store, "BTC", EXPIRY)).toMatchObject({ atmVolPpm: 550_000n, skewPpm: -100_000n, curvaturePpm: 200_000n, updatedTimeNs: T0, updatedHeight: 1n });
    expect(keeper.isSmileStale(store, "BTC", EXPIRY, T0 + MAX_AGE)).toBe(false);
    expect(keeper.isSmileStale(store, "BTC", EXPIRY, T0 + MAX_AGE + 1n)).toBe(true);
    expect([...keeper.iterateSmiles(store, "BTC")]).toHaveLength(1);
    expect([...keeper.iterateSmiles(store, "ETH")]).toHaveLength(0);
    const expiryNs = EXPIRY * SEC;
    block(store, 2n, expiryNs + SMILE_RETENTION_AFTER_EXPIRY_NS, undefined);
    expect(keeper.smile(store, "BTC", EXPIRY)).toBeDefined();
    block(store, 3n, expiryNs + SMILE_RETENTION_AFTER_EXPIRY_NS + 1n, undefined);
    expect(keeper.smile(store, "BTC", EXPIRY)).toBeUndefined();
  });
});

describe("keeper: write policy (minimum change and heartbeat)", () => {
  const HEARTBEAT = DEFAULT_ORACLE_PARAMS.heartbeatNs;
  const MIN = BigInt(DEFAULT_ORACLE_PARAMS.minPriceChangePpm); // 500 ppm of 1_000_000 = 500

  it("leaves a price that moved less than min_price_change_ppm alone until the heartbeat", () => {
    const store = memoryStore();
    block(store, 1n, T0, 1_000_000n);
    const events: Event[] = [];
    block(store, 2n, T0 + SEC, 1_000_000n + MIN - 1n, events);
    expect(keeper.price(store, "BTC")!.priceMicroUsd).toBe(1_000_000n);
    expect(keeper.price(store, "BTC")!.updatedHeight).toBe(1n);
    expect(events.filter((e) => e.type === "oracle_price")).toEqual([]);
    block(store, 3n, T0 + 2n * SEC, 1_000_000n - MIN);
    expect(keeper.price(store, "BTC")!.priceMicroUsd).toBe(1_000_000n - MIN);
    block(store, 4n, T0 + 2n * SEC + HEARTBEAT - 1n, 1_000_000n - MIN + 1n);
    expect(keeper.price(store, "BTC")!.updatedHeight).toBe(3n);
    block(store, 5n, T0 + 2n * SEC + HEARTBEAT, 1_000_000n - MIN + 1n);
    expect(keeper.price(store, "BTC")).toMatchObject({ priceMicroUsd: 1_000_000n - MIN + 1n, updatedHeight: 5n });
    expect([...keeper.iterateHistory(store, "BTC")].map((p) => p.height)).toEqual([1n, 3n, 5n]);
  });

  it("keeps a confirmed but unchanged price fresh through the heartbeat", () => {
    const store = memoryStore();
    for (let s = 0n; s <= 120n; s++) block(store, s + 1n, T0 + s * SEC, 1_000_000n);
    expect(keeper.isStale(store, "BTC", T0 + 120n * SEC)).toBe(false);
    expect(keeper.historyCount(store, "BTC")).toBe(13); // t = 0, 10, …, 120 s
  });

  it("writes nothing at all in a block where nothing moved (so the app hash is unchanged)", () => {
    const store = memoryStore();
    block(store, 1n, T0, 1_000_000n);
    const before = [...store.iterate()].map(([k, v]) => Buffer.concat([k, v]).toString("hex"));
    block(store, 2n, T0 + SEC, 1_000_001n);
    expect([...store.iterate()].map(([k, v]) => Buffer.concat([k, v]).toString("hex"))).toEqual(before);
  });

  it("applies min_smile_change_ppm to each smile parameter", () => {
    const store = memoryStore();
    const smileBlock = (h: bigint, t: bigint, atm: bigint, skew: bigint) =>
      keeper.applyVotes(blockCtx(store, h, t, [0, 1, 2].map((i) => vote(i, 10n, observation({}, [smileObs("BTC", atm, skew)])))));
    smileBlock(1n, T0, 500_000n, -100_000n);
    smileBlock(2n, T0 + SEC, 501_999n, -101_999n);
    expect(keeper.smile(store, "BTC", EXPIRY)!.updatedHeight).toBe(1n);
    smileBlock(3n, T0 + 2n * SEC, 501_999n, -102_000n);
    expect(keeper.smile(store, "BTC", EXPIRY)).toMatchObject({ updatedHeight: 3n, skewPpm: -102_000n });
    smileBlock(4n, T0 + 2n * SEC + HEARTBEAT, 501_999n, -102_000n);
    expect(keeper.smile(store, "BTC", EXPIRY)!.updatedHeight).toBe(4n);
  });
});

describe("keeper: history and TWAP", () => {
  /** Points at irregular block times (seconds after T0) → price. */
  function withHistory(points: Array<[number, bigint]>, historyLength = DEFAULT_ORACLE_PARAMS.historyLength) {
    const store = memoryStore();
    keeper.setParams(store, { ...DEFAULT_ORACLE_PARAMS, historyLength, minPriceChangePpm: 0 }); // record every block
    points.forEach(([s, price], i) => block(store, BigInt(i + 1), T0 + BigInt(s) * SEC, price));
    return store;
  }

  it("weights each price by how long it held, over irregular block times", () => {
    // 100 for 1 s, 200 for 4 s, 400 for 5 s (to t = 10 s): (100 + 800 + 2000) / 10 = 290.
    const store = withHistory([
      [0, 100n],
      [1, 200n],
      [5, 400n],
    ]);
    expect(keeper.twap(store, "BTC", 10n * SEC, T0 + 10n * SEC)).toEqual({ priceMicroUsd: 290n, startTimeNs: T0, endTimeNs: T0 + 10n * SEC, samples: 3 });
  });

  it("uses the price in effect at the window start for the first segment", () => {
    const store = withHistory([
      [0, 100n],
      [1, 200n],
      [5, 400n],
    ]);
    // Window [3 s, 10 s]: 200 for 2 s, 400 for 5 s: (400 + 2000) / 7 = 342.857… → 342 (floor).
    expect(keeper.twap(store, "BTC", 7n * SEC, T0 + 10n * SEC)).toEqual({ priceMicroUsd: 342n, startTimeNs: T0 + 3n * SEC, endTimeNs: T0 + 10n * SEC, samples: 2 });
    // Window entirely after the last point: that price.
    expect(keeper.twap(store, "BTC", 2n * SEC, T0 + 100n * SEC)!.priceMicroUsd).toBe(400n);
    // A window ending between points ignores later points.
    expect(keeper.twap(store, "BTC", 2n * SEC, T0 + 2n * SEC)).toEqual({ priceMicroUsd: 150n, startTimeNs: T0, endTimeNs: T0 + 2n * SEC, samples: 2 });
  });

  it("rounds down", () => {
    const store = withHistory([
      [0, 1n],
      [2, 2n],
    ]);
    // 1 for 2 s, 2 for 1 s → 4/3 → 1.
    expect(keeper.twap(store, "BTC", 3n * SEC, T0 + 3n * SEC)!.priceMicroUsd).toBe(1n);
  });

  it("truncates the window to the recorded history and says so", () => {
    const store = withHistory([
      [10, 100n],
      [20, 300n],
    ]);
    const twap = keeper.twap(store, "BTC", 3600n * SEC, T0 + 30n * SEC)!;
    expect(twap).toEqual({ priceMicroUsd: 200n, startTimeNs: T0 + 10n * SEC, endTimeNs: T0 + 30n * SEC, samples: 2 });
    expect(keeper.twap(store, "BTC", SEC, T0 + 5n * SEC)).toBeUndefined(); // before the first point
    expect(keeper.twap(store, "BTC", 3600n * SEC, T0 + 10n * SEC)).toEqual({ priceMicroUsd: 100n, startTimeNs: T0 + 10n * SEC, endTimeNs: T0 + 10n * SEC, samples: 1 });
    expect(keeper.twap(store, "BTC", 0n, T0 + 30n * SEC)).toBeUndefined();
    expect(keeper.twap(store, "ETH", SEC, T0 + 30n * SEC)).toBeUndefined();
  });

  it("keeps at most history_length points, dropping the oldest, and satisfies the invariants", () => {
    const store = withHistory(
      Array.from({ length: 10 }, (_, i): [number, bigint] => [i * 3, BigInt(100 + i)]),
      4,
    );
    expect([...keeper.iterateHistory(store, "BTC")].map((p) => p.priceMicroUsd)).toEqual([106n, 107n, 108n, 109n]);
    expect(keeper.historyCount(store, "BTC")).toBe(4);
    expect(oracleInvariants({ chainId: "c", height: 10n, blockTimeNs: T0, store }, keeper)).toEqual([]);
    // TWAP over more than the kept history starts at the oldest kept point (t = 18 s).
    expect(keeper.twap(store, "BTC", 1000n * SEC, T0 + 30n * SEC)!.startTimeNs).toBe(T0 + 18n * SEC);
  });

  it("matches a brute-force integral on random irregular histories", () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    for (let trial = 0; trial < 25; trial++) {
      const points: Array<[number, bigint]> = [];
      let t = rnd(5);
      for (let i = 0; i < 20; i++) {
        points.push([t, BigInt(1 + rnd(1_000_000))]);
        t += 1 + rnd(9);
      }
      const store = withHistory(points);
      const now = points[points.length - 1]![0] + rnd(20);
      const window = 1 + rnd(now + 5);
      // Brute force: sum the price in effect at each whole second (all times are whole seconds).
      let sum = 0n;
      let covered = 0n;
      for (let s = now - window; s < now; s++) {
        const inEffect = [...points].reverse().find(([pt]) => pt <= s);
        if (inEffect === undefined) continue;
        sum += inEffect[1];
        covered++;
      }
      const twap = keeper.twap(store, "BTC", BigInt(window) * SEC, T0 + BigInt(now) * SEC)!;
      if (covered === 0n) expect(twap.startTimeNs).toBe(twap.endTimeNs);
      else expect(twap.priceMicroUsd).toBe(sum / covered);
    }
  });
});
