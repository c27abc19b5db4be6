import { describe, expect, it } from "vitest";
import type { MsgRoute } from "../../../src/app/module.js";
import { ACCOUNT_PREFIX, toBech32Address } from "../../../src/crypto/address.js";
import { ChainError, SdkErrors } from "../../../src/errors.js";
import { OptionsCodec, OptionsErrors } from "../../../modules/options/index.js";
import { addr, AUTHORITY, eventsOf, fixture, FRI_JAN_2, SEC, snapshot, T0, USD } from "./fixture.js";

const { MsgListSeries, MsgDelistSeries, OPTION_KIND } = OptionsCodec;
const OTHER = toBech32Address(ACCOUNT_PREFIX, addr(7));

function setup() {
  const f = fixture();
  f.block(T0 + SEC); // no price: nothing listed
  const route = <T>(typeUrl: string) => f.options.module.msgRoutes.find((r) => r.typeUrl === typeUrl) as MsgRoute<T>;
  const list = route<OptionsCodec.MsgListSeries>(MsgListSeries.typeUrl);
  const delist = route<OptionsCodec.MsgDelistSeries>(MsgDelistSeries.typeUrl);
  /** Runs a message the way BaseApp does: decode, validateBasic, handle; returns the error or the response. */
  const run = <T>(r: MsgRoute<T>, codec: { encode(m: T): Uint8Array }, msg: T) => {
    const events: ReturnType<typeof f.ctx>["events"] = [];
    try {
      const decoded = r.decode(codec.encode(msg));
      r.validateBasic(decoded);
      const res = r.handle(f.ctx(events), decoded);
      return { res, events, err: undefined };
    } catch (err) {
      expect(err).toBeInstanceOf(ChainError);
      return { res: undefined, events, err: err as ChainError };
    }
  };
  const listMsg = (patch: Partial<OptionsCodec.MsgListSeries> = {}): OptionsCodec.MsgListSeries => ({
    authority: AUTHORITY,
    underlying: "BTC",
    expiryUnixS: FRI_JAN_2,
    strikeMicroUsd: 123_456n * USD,
    kind: OPTION_KIND.call,
    ...patch,
  });
  return { f, list: (p?: Partial<OptionsCodec.MsgListSeries>) => run(list, MsgListSeries, listMsg(p)), delist: (m: OptionsCodec.MsgDelistSeries) => run(delist, MsgDelistSeries, m) };
}

describe("authority messages", () => {
  it("lists any future series off the grid, with an event and a response id", () => {
    const { f, list } = setup();
    const { res, events, err } = list();
    expect(err).toBeUndefined();
    expect(MsgListSeries.typeUrl).toBe("/vanna.options.v1.MsgListSeries");
    expect(OptionsCodec.MsgListSeriesResponse.decode(res!.value).seriesId).toBe(1n);
    expect(f.keeper.series(f.store, 1n)).toMatchObject({ underlying: "BTC", expiryUnixS: FRI_JAN_2, strikeMicroUsd: 123_456n * USD, kind: "call", status: "active" });
    expect(eventsOf(events, "series_listed")[0]).toMatchObject({ series_id: "1", listed_by: "authority" });
    expect(f.keeper.liveExpiries(f.store, "BTC")).toEqual([FRI_JAN_2]);
    expect(list({ kind: OPTION_KIND.put }).err).toBeUndefined();
    // A short-dated series one minute ahead (the automatic policy never lists closer than an hour).
    expect(list({ expiryUnixS: (T0 + SEC) / SEC + 60n }).err).toBeUndefined();
    expect(f.invariants()).toEqual([]);
  });

  it("refuses every bad listing with a clear error and writes nothing", () => {
    const { f, list } = setup();
    list();
    const before = snapshot(f.store);
    const cases: Array<[Partial<OptionsCodec.MsgListSeries>, { codespace: string; code: number }, RegExp]> = [
      [{ authority: OTHER }, SdkErrors.unauthorized, /is not the options authority \(expected vanna1/],
      [{}, OptionsErrors.duplicateSeries, /series 1 has these terms: series already listed/],
      [{ underlying: "DOGE" }, OptionsErrors.unknownUnderlying, /"DOGE" is not in the options params/],
      // The authority may list as soon as authority_min_time_to_expiry_s (60 s) ahead; the policy waits an hour.
      [{ expiryUnixS: (T0 + SEC) / SEC + 59n }, OptionsErrors.invalidExpiry, /less than 60s after the block time/],
      [{ expiryUnixS: (T0 - SEC) / SEC }, OptionsErrors.invalidExpiry, /less than 60s/],
      [{ expiryUnixS: 0n }, OptionsErrors.invalidExpiry, /must be positive/],
      [{ expiryUnixS: (T0 / SEC) + 20n * 365n * 86_400n }, OptionsErrors.invalidExpiry, /more than/],
      [{ strikeMicroUsd: 0n }, OptionsErrors.invalidStrike, /strike must be positive/],
      [{ strikeMicroUsd: 10n ** 19n }, OptionsErrors.invalidStrike, /must be in 1\.\./],
      [{ kind: 0 }, OptionsErrors.invalidKind, /kind 0: expected OPTION_KIND_CALL/],
      [{ kind: 9 }, OptionsErrors.invalidKind, /kind 9/],
      [{ authority: "not-an-address" }, SdkErrors.invalidAddress, /./],
    ];
    for (const [patch, kind, message] of cases) {
      const { err } = list(patch);
      expect(err, JSON.stringify(patch, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).toBeDefined();
      expect({ codespace: err!.codespace, code: err!.code }).toEqual({ codespace: kind.codespace, code: kind.code });
      expect(err!.message).toMatch(message);
    }
    expect(snapshot(f.store)).toEqual(before);
  });

  it("refuses a new expiry beyond the oracle's max expiries", () => {
    const f0 = fixture({ oracleParams: { maxExpiries: 1 } });
    const route = f0.options.module.msgRoutes.find((r) => r.typeUrl === MsgListSeries.typeUrl) as MsgRoute<OptionsCodec.MsgListSeries>;
    const msg = { authority: AUTHORITY, underlying: "BTC", expiryUnixS: FRI_JAN_2, strikeMicroUsd: 1n * USD, kind: OPTION_KIND.call };
    route.handle(f0.ctx(), msg);
    route.handle(f0.ctx(), { ...msg, strikeMicroUsd: 2n * USD }); // same expiry: fine
    expect(() => route.handle(f0.ctx(), { ...msg, expiryUnixS: FRI_JAN_2 + 86_400n })).toThrow(/BTC has 1 live expiries; the oracle quotes at most 1/);
  });

  it("delists: close-only, the clob hook, an event; then refuses to delist again", () => {
    const { f, list, delist } = setup();
    list();
    const { err, events } = delist({ authority: AUTHORITY, seriesId: 1n });
    expect(err).toBeUndefined();
    expect(f.keeper.series(f.store, 1n)!.status).toBe("close_only");
    expect(f.closing).toEqual([{ id: 1n, reason: "delisted", height: 1n }]);
    expect(eventsOf(events, "series_delisted")[0]).toMatchObject({ series_id: "1" });
    expect(f.keeper.liveExpiries(f.store, "BTC")).toEqual([FRI_JAN_2]); // still live until expiry
    expect(delist({ authority: AUTHORITY, seriesId: 1n }).err!.message).toMatch(/series 1 is close_only: series is not active/);
    expect(delist({ authority: AUTHORITY, seriesId: 9n }).err!.code).toBe(OptionsErrors.unknownSeries.code);
    expect(delist({ authority: AUTHORITY, seriesId: 0n }).err!.code).toBe(OptionsErrors.unknownSeries.code);
    expect(delist({ authority: OTHER, seriesId: 1n }).err!.code).toBe(SdkErrors.unauthorized.code);
    expect(f.closing).toHaveLength(1);
    // A delisted grid strike is not relisted by the policy.
    expect(list({ strikeMicroUsd: 123_000n * USD }).err).toBeUndefined();
    expect(delist({ authority: AUTHORITY, seriesId: 2n }).err).toBeUndefined();
    f.setPrice("BTC", 123_000n * USD, T0 + 2n * SEC);
    f.block(T0 + 2n * SEC);
    expect(f.keeper.seriesIdOf(f.store, "BTC", FRI_JAN_2, 123_000n * USD, "call")).toBe(2n);
    expect(f.keeper.series(f.store, 2n)!.status).toBe("close_only");
    expect(f.keeper.seriesIdOf(f.store, "BTC", FRI_JAN_2, 123_000n * USD, "put")).toBeGreaterThan(2n);
    expect(f.invariants()).toEqual([]);
  });

  it("signers are the authority", () => {
    const { f } = setup();
    const route = f.options.module.msgRoutes.find((r) => r.typeUrl === MsgDelistSeries.typeUrl) as MsgRoute<OptionsCodec.MsgDelistSeries>;
    expect(route.signers({ authority: OTHER, seriesId: 1n })).toEqual([OTHER]);
  });
});
