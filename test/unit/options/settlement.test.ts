import { describe, expect, it } from "vitest";
import type { QueryRoute } from "../../../src/app/module.js";
import { ACCOUNT_PREFIX, toBech32Address } from "../../../src/crypto/address.js";
import { OptionsCodec, proRata, type OptionKind } from "../../../modules/options/index.js";
import { addr, eventsOf, fixture, FRI_JAN_2, SEC, T0, USD, type Fixture } from "./fixture.js";

const [A, B, C, D] = [1, 2, 3, 4].map(addr) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const sub = (owner: Uint8Array, number = 0) => ({ owner, number });
const EXP_NS = FRI_JAN_2 * SEC;
const MIN = 60n * SEC;

function setup(): Fixture {
  const f = fixture({ funded: [A, B, C, D].map((a) => [a, 10_000n * USD] as [Uint8Array, bigint]) });
  f.block(T0 + SEC);
  return f;
}

function list(f: Fixture, underlying: string, strikeUsd: bigint, kind: OptionKind, expiryUnixS = FRI_JAN_2): bigint {
  return f.keeper.listSeries(f.ctx(), { underlying, expiryUnixS, strikeMicroUsd: strikeUsd * USD, kind }, "authority").id;
}

/** BTC at 100,000 USD from an hour before expiry, 104,000 USD for its last 15 minutes: the 30-minute TWAP is 102,000. */
function priceHistory(f: Fixture) {
  f.setPrice("BTC", 100_000n * USD, EXP_NS - 60n * MIN);
  f.setPrice("BTC", 104_000n * USD, EXP_NS - 15n * MIN);
}

const totalCollateral = (f: Fixture) => [A, B, C, D].reduce((s, o) => s + f.collateral(o), 0n);

function query<Req, Res>(f: Fixture, method: string, req: Req, reqCodec: { encode(r: Req): Uint8Array }, resCodec: { decode(b: Uint8Array): Res }): Res {
  const route = f.options.module.queryRoutes.find((r: QueryRoute) => r.path === `/vanna.options.v1.Query/${method}`)!;
  return resCodec.decode(route.handle(f.query(), reqCodec.encode(req)));
}

describe("settlement", () => {
  it("pays ITM calls and puts at the TWAP ending at expiry, closes OTM ones for nothing, conserving uusdc", () => {
    const f = setup();
    const call = list(f, "BTC", 100_000n, "call");
    const put = list(f, "BTC", 105_000n, "put");
    const otm = list(f, "BTC", 100_000n, "put");
    for (const o of [A, B, C, D]) f.deposit(o, 0, 1_000n * USD);
    f.trade(call, sub(A), sub(B), 3n, 1n * USD);
    f.trade(put, sub(C), sub(D), 2n, 5n * USD);
    f.trade(otm, sub(A), sub(D), 4n, 2n * USD);
    priceHistory(f);
    f.setPrice("BTC", 1_000_000n * USD, EXP_NS + 2n * SEC); // after expiry: must not count
    const before = [A, B, C, D].map((o) => f.collateral(o));
    const supply = f.bank.keeper.getSupply(f.store, "uusdc");
    const events = f.block(EXP_NS + 3n * SEC);

    // Call: (102,000 − 100,000) × 0.01 = 20 USD a contract; put: (105,000 − 102,000) × 0.01 = 30 USD.
    const after = [A, B, C, D].map((o) => f.collateral(o));
    expect(after.map((v, i) => v - before[i]!)).toEqual([60n * USD, -60n * USD, 60n * USD, -60n * USD]);
    expect(totalCollateral(f)).toBe(before.reduce((a, b) => a + b, 0n));
    expect(f.bank.keeper.getSupply(f.store, "uusdc")).toBe(supply);
    for (const id of [call, put, otm]) {
      expect(f.keeper.series(f.store, id)).toMatchObject({ status: "settled", settlementPriceMicroUsd: 102_000n * USD, settledHeight: f.height });
      expect(f.subaccounts.keeper.openInterest(f.store, id)).toEqual({ longContracts: 0n, shortContracts: 0n });
      expect([...f.subaccounts.keeper.holders(f.store, id)]).toEqual([]);
    }
    expect(f.keeper.settlement(f.store, call)).toEqual({
      seriesId: call,
      settlementPriceMicroUsd: 102_000n * USD,
      twapStartNs: EXP_NS - 30n * MIN,
      twapEndNs: EXP_NS,
      twapSamples: 2,
      payoutPerContractMicroUsdc: 20n * USD,
      totalShortfallMicroUsdc: 0n,
      openInterestContracts: 3n,
      height: f.height,
    });
    expect(f.keeper.settlement(f.store, otm)!.payoutPerContractMicroUsdc).toBe(0n);
    // Hooks first, once per series; then the events.
    expect(f.closing.map((c) => [c.id, c.reason])).toEqual([[call, "expired"], [put, "expired"], [otm, "expired"]]);
    expect(eventsOf(events, "series_expired")).toHaveLength(3);
    expect(eventsOf(events, "series_settled")).toHaveLength(3);
    expect(eventsOf(events, "settlement_shortfall")).toHaveLength(0);
    const settledA = eventsOf(events, "position_settled").filter((e) => e.series_id === String(call));
    expect(settledA).toEqual([
      { series_id: String(call), subaccount: `${toBech32Address(ACCOUNT_PREFIX, A)}/0`, size_contracts: "3", amount: "60000000", unpaid: "0uusdc" },
      { series_id: String(call), subaccount: `${toBech32Address(ACCOUNT_PREFIX, B)}/0`, size_contracts: "-3", amount: "-60000000", unpaid: "0uusdc" },
    ]);
    expect(f.keeper.liveExpiries(f.store, "BTC")).not.toContain(FRI_JAN_2); // later expiries were auto-listed at the fresh price
    expect(f.invariants()).toEqual([]);

    // Settled series stay queryable.
    const s = query(f, "Settlement", { seriesId: put }, OptionsCodec.QuerySettlementRequest, OptionsCodec.QuerySettlementResponse);
    expect(s.settlement!.payoutPerContractMicroUsdc).toBe("30000000");
    const settled = query(f, "SeriesList", { underlying: "", expiryUnixS: 0n, status: OptionsCodec.SERIES_STATUS.settled, pagination: undefined }, OptionsCodec.QuerySeriesListRequest, OptionsCodec.QuerySeriesListResponse);
    expect(settled.series.map((x) => x.id)).toEqual([call, put, otm]);
    // A later block does nothing more.
    expect(f.block(EXP_NS + 4n * SEC)).toEqual([]);
  });

  it("shares a shortfall pro rata, records claims and never pays out more than it collected", () => {
    const f = setup();
    const call = list(f, "BTC", 100_000n, "call");
    f.deposit(A, 0, 10n * USD);
    f.deposit(C, 0, 10n * USD);
    f.deposit(B, 0, 30n * USD); // owes 4 × 20 = 80 USD: pays 30
    f.deposit(D, 0, 100n * USD); // owes 3 × 20 = 60 USD: pays 60
    f.trade(call, sub(A), sub(B), 4n);
    f.trade(call, sub(C), sub(D), 3n);
    f.trade(call, sub(A), sub(C), 1n); // A long 5, C long 2
    priceHistory(f);
    const total = totalCollateral(f);
    const events = f.block(EXP_NS + SEC);
    // Collected 90 USD of 140 USD owed: A is owed 100 → 64.285714…, C is owed 40 → 25.714285…; the leftover
    // uusdc goes to C (the larger fraction).
    expect(f.collateral(A)).toBe(10n * USD + 64_285_714n);
    expect(f.collateral(C)).toBe(10n * USD + 25_714_286n);
    expect(f.collateral(B)).toBe(0n);
    expect(f.collateral(D)).toBe(40n * USD);
    expect(totalCollateral(f)).toBe(total);
    expect(f.keeper.settlement(f.store, call)!.totalShortfallMicroUsdc).toBe(50n * USD);
    const claims = [...f.keeper.iterateClaims(f.store)];
    expect(claims.map((c) => [Buffer.from(c.owner).equals(A) ? "A" : "C", c.amountMicroUsdc])).toEqual([
      ["A", 35_714_286n],
      ["C", 14_285_714n],
    ]);
    expect(eventsOf(events, "settlement_shortfall")).toEqual([{ series_id: String(call), owed: "140000000uusdc", collected: "90000000uusdc", shortfall: "50000000uusdc" }]);
    expect(eventsOf(events, "position_settled").find((e) => e.subaccount!.startsWith(toBech32Address(ACCOUNT_PREFIX, B)))!.unpaid).toBe("50000000uusdc");
    const page = query(f, "ShortfallClaims", { pagination: undefined }, OptionsCodec.QueryShortfallClaimsRequest, OptionsCodec.QueryShortfallClaimsResponse);
    expect(page.claims.map((c) => c.amountMicroUsdc)).toEqual(["35714286", "14285714"]);
    expect(f.invariants()).toEqual([]);

    // Export and import: everything comes back, and exports again identically.
    const exported = f.options.module.exportGenesis(f.ctx());
    const fresh = fixture();
    fresh.options.module.initGenesis(fresh.ctx(), exported);
    expect(fresh.options.module.exportGenesis(fresh.ctx())).toEqual(exported);
    expect(fresh.options.module.invariants!(fresh.query())).toEqual([]);
    expect(fresh.keeper.settlement(fresh.store, call)!.totalShortfallMicroUsdc).toBe(50n * USD);
    expect([...fresh.keeper.iterateClaims(fresh.store)]).toEqual(claims);
  });

  it("pro-rata shares sum to what was collected and never exceed an entitlement", () => {
    for (const [ent, col] of [
      [[100n, 40n], 90n],
      [[1n, 1n, 1n], 2n],
      [[7n, 0n, 13n, 5n], 11n],
      [[3n], 3n],
      [[5n, 5n], 0n],
    ] as Array<[bigint[], bigint]>) {
      const shares = proRata(ent, col);
      expect(shares.reduce((a, b) => a + b, 0n)).toBe(col);
      shares.forEach((s, i) => expect(s >= 0n && s <= ent[i]!).toBe(true));
    }
    expect(proRata([1n, 1n, 1n], 2n)).toEqual([1n, 1n, 0n]); // equal fractions: holder order
  });

  it("postpones without any price history, without repeating the hook or events", () => {
    const f = setup();
    const eth = list(f, "ETH", 3_000n, "put");
    f.deposit(A, 0, 100n * USD);
    f.deposit(B, 0, 100n * USD);
    f.trade(eth, sub(A), sub(B), 1n);
    const first = f.block(EXP_NS + SEC);
    expect(eventsOf(first, "series_expired")).toHaveLength(1);
    expect(eventsOf(first, "series_settled")).toHaveLength(0);
    expect(f.keeper.series(f.store, eth)!.status).toBe("active");
    expect((f.options.module.exportGenesis(f.ctx()) as { expired_series_ids: string[] }).expired_series_ids).toEqual([String(eth)]);
    expect(f.block(EXP_NS + 2n * SEC)).toEqual([]);
    expect(f.closing).toEqual([{ id: eth, reason: "expired", height: f.height - 1n }]);
    expect(f.invariants()).toEqual([]);
    // The first price arrives after expiry: it is the best there is.
    f.setPrice("ETH", 2_900n * USD, EXP_NS + 2n * SEC);
    const last = f.block(EXP_NS + 3n * SEC);
    expect(eventsOf(last, "series_expired")).toHaveLength(0);
    expect(eventsOf(last, "series_settled")[0]).toMatchObject({ series_id: String(eth), settlement_price_micro_usd: String(2_900n * USD), payout_per_contract: "10000000uusdc" });
    expect(f.collateral(A)).toBe(110n * USD); // (3,000 − 2,900) × 0.1 ETH
    expect(f.collateral(B)).toBe(90n * USD);
    expect(f.closing).toHaveLength(1);
    expect((f.options.module.exportGenesis(f.ctx()) as { expired_series_ids: string[] }).expired_series_ids).toEqual([]);
    expect(f.invariants()).toEqual([]);
  });

  it("answers the mark, marks and live-expiry queries", () => {
    const f = setup();
    const id = list(f, "BTC", 100_000n, "call");
    f.setPrice("BTC", 100_000n * USD);
    f.setSmile("BTC", FRI_JAN_2, 500_000n);
    f.block(T0 + 2n * SEC);
    const one = query(f, "Mark", { seriesId: id }, OptionsCodec.QueryMarkRequest, OptionsCodec.QueryMarkResponse);
    expect(one.stale).toBe(false);
    expect(one.mark!.seriesId).toBe(id);
    expect(BigInt(one.mark!.markMicroUsdcPerContract) > 0n).toBe(true);
    const all = query(f, "Marks", { underlying: "BTC", expiryUnixS: FRI_JAN_2 }, OptionsCodec.QueryMarksRequest, OptionsCodec.QueryMarksResponse);
    expect(all.marks.length).toBe(42); // the policy listed 21 strikes × 2 at this expiry (the 100k call among them)
    const live = query(f, "LiveExpiries", { underlying: "BTC" }, OptionsCodec.QueryLiveExpiriesRequest, OptionsCodec.QueryLiveExpiriesResponse);
    expect(live.expiriesUnixS).toContain(FRI_JAN_2);
    const byExpiry = query(
      f,
      "SeriesList",
      { underlying: "BTC", expiryUnixS: FRI_JAN_2, status: 0, pagination: { key: new Uint8Array(), offset: 0n, limit: 10n, countTotal: true, reverse: false } },
      OptionsCodec.QuerySeriesListRequest,
      OptionsCodec.QuerySeriesListResponse,
    );
    expect(byExpiry.series).toHaveLength(10);
    expect(byExpiry.pagination!.total).toBe(42n);
    const next = query(
      f,
      "SeriesList",
      { underlying: "BTC", expiryUnixS: FRI_JAN_2, status: 0, pagination: { key: byExpiry.pagination!.nextKey, offset: 0n, limit: 1000n, countTotal: false, reverse: false } },
      OptionsCodec.QuerySeriesListRequest,
      OptionsCodec.QuerySeriesListResponse,
    );
    expect(next.series).toHaveLength(32);
    expect(() => query(f, "Series", { seriesId: 99_999n }, OptionsCodec.QuerySeriesRequest, OptionsCodec.QuerySeriesResponse)).toThrow(/NotFound/);
  });
});
