import { describe, expect, it } from "vitest";
import { DEFAULT_OPTIONS_PARAMS, OptionsErrors, strikeWindow, type OptionsParams } from "../../../modules/options/index.js";
import { eventsOf, fixture, FRI_JAN_2, SEC, snapshot, T0, USD } from "./fixture.js";

const utcS = (y: number, m: number, d: number, h = 0) => BigInt(Date.UTC(y, m - 1, d, h) / 1000);
const BTC_STEP = 1_000n * USD;

function seriesOf(f: ReturnType<typeof fixture>, underlying: string) {
  return [...f.keeper.iterateSeries(f.store)].filter((s) => s.underlying === underlying);
}

describe("strike window", () => {
  it("centres on the nearest grid strike and stays positive", () => {
    expect(strikeWindow(100_400n * USD, BTC_STEP, 2)).toEqual([98n, 99n, 100n, 101n, 102n].map((k) => k * BTC_STEP));
    expect(strikeWindow(100_500n * USD, BTC_STEP, 1)).toEqual([100n, 101n, 102n].map((k) => k * BTC_STEP)); // ties round up
    expect(strikeWindow(1_200n * USD, BTC_STEP, 3)).toEqual([1n, 2n, 3n, 4n].map((k) => k * BTC_STEP));
    expect(strikeWindow(100n * USD, BTC_STEP, 0)).toEqual([BTC_STEP]);
  });
});

describe("auto-listing", () => {
  it("lists the policy's expiries with calls and puts around spot, and nothing without a fresh price", () => {
    const f = fixture();
    f.setPrice("BTC", 100_200n * USD, T0);
    const events = f.block(T0 + SEC);
    const btc = seriesOf(f, "BTC");
    const expiries = [utcS(2026, 1, 1, 8), FRI_JAN_2, utcS(2026, 1, 9, 8), utcS(2026, 1, 30, 8), utcS(2026, 2, 27, 8)];
    expect(f.keeper.liveExpiries(f.store, "BTC")).toEqual(expiries);
    expect(btc).toHaveLength(expiries.length * 21 * 2);
    expect(seriesOf(f, "ETH")).toHaveLength(0); // no ETH price
    expect(btc.map((s) => s.id)).toEqual(btc.map((_, i) => BigInt(i + 1)));
    const strikes = [...new Set(btc.map((s) => s.strikeMicroUsd))].sort((a, b) => (a < b ? -1 : 1));
    expect(strikes[0]).toBe(90_000n * USD);
    expect(strikes.at(-1)).toBe(110_000n * USD);
    expect(btc.every((s) => s.status === "active" && s.listedHeight === 1n)).toBe(true);
    expect(eventsOf(events, "series_listed")).toHaveLength(btc.length);
    expect(eventsOf(events, "series_listed")[0]).toMatchObject({ series_id: "1", underlying: "BTC", kind: "call", listed_by: "policy" });
    expect(f.invariants()).toEqual([]);
  });

  it("is idempotent: a block with nothing new writes only the block time", () => {
    const f = fixture();
    f.setPrice("BTC", 100_000n * USD, T0);
    f.block(T0 + SEC);
    const before = snapshot(f.store).filter((kv) => !kv.startsWith("0408"));
    const events = f.block(T0 + 2n * SEC);
    expect(events).toEqual([]);
    expect(snapshot(f.store).filter((kv) => !kv.startsWith("0408"))).toEqual(before);
  });

  it("adds strikes as spot moves and never removes any", () => {
    const f = fixture();
    f.setPrice("BTC", 100_000n * USD, T0);
    f.block(T0 + SEC);
    const n = seriesOf(f, "BTC").length;
    f.setPrice("BTC", 103_000n * USD, T0 + 2n * SEC);
    const events = f.block(T0 + 2n * SEC);
    const listed = eventsOf(events, "series_listed");
    expect(listed).toHaveLength(5 * 3 * 2); // strikes 111k, 112k, 113k at each of 5 expiries
    expect(new Set(listed.map((e) => e.strike_micro_usd))).toEqual(new Set(["111000000000", "112000000000", "113000000000"]));
    f.setPrice("BTC", 95_000n * USD, T0 + 3n * SEC);
    f.block(T0 + 3n * SEC);
    expect(seriesOf(f, "BTC")).toHaveLength(n + 30 + 5 * 5 * 2); // 85k..89k added; 111k..113k kept
  });

  it("skips a stale price, respects the oracle's max expiries and the live-series cap", () => {
    const stale = fixture();
    stale.setPrice("BTC", 100_000n * USD, T0);
    stale.block(T0 + 31n * SEC); // older than the oracle's max age (30 s)
    expect(seriesOf(stale, "BTC")).toHaveLength(0);

    const few = fixture({ oracleParams: { maxExpiries: 3 } });
    few.setPrice("BTC", 100_000n * USD, T0);
    few.block(T0 + SEC);
    expect(few.keeper.liveExpiries(few.store, "BTC")).toHaveLength(3);

    const params: OptionsParams = { ...DEFAULT_OPTIONS_PARAMS, underlyings: DEFAULT_OPTIONS_PARAMS.underlyings.map((u) => ({ ...u, maxLiveSeries: 50 })) };
    const capped = fixture({ params });
    capped.setPrice("BTC", 100_000n * USD, T0);
    capped.block(T0 + SEC);
    expect(seriesOf(capped, "BTC")).toHaveLength(50);
    expect(OptionsErrors.tooManySeries.is(capped.keeper.checkNewSeries(capped.store, { underlying: "BTC", expiryUnixS: FRI_JAN_2, strikeMicroUsd: 1n, kind: "call" }, T0 + SEC))).toBe(true);
    expect(capped.invariants()).toEqual([]);
  });

  it("rolls to new expiries as days pass (and settles the old ones)", () => {
    const f = fixture();
    f.setPrice("BTC", 100_000n * USD, T0);
    f.block(T0 + SEC);
    const day2 = (utcS(2026, 1, 1, 9) - 0n) * SEC; // after the first daily expiry
    f.setPrice("BTC", 100_000n * USD, day2 - SEC);
    const events = f.block(day2);
    expect(eventsOf(events, "series_settled")).toHaveLength(42);
    expect(f.keeper.liveExpiries(f.store, "BTC")).toEqual([FRI_JAN_2, utcS(2026, 1, 3, 8), utcS(2026, 1, 9, 8), utcS(2026, 1, 30, 8), utcS(2026, 2, 27, 8)]);
    expect(f.invariants()).toEqual([]);
  });
});
