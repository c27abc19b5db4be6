/** Margin params: validation rules, genesis parsing and export/import roundtrip, the invariant. */
import { describe, expect, it } from "vitest";
import { DEFAULT_MARGIN_PARAMS, MarginCodec, MarginErrors, parseMarginGenesis, validateMarginParams, type MarginParams, type RiskParams } from "../../../modules/margin/index.js";
import { GenesisError } from "../../../src/app/genesisJson.js";
import { fixture } from "./fixture.js";

const risk = (r: Partial<RiskParams> = {}): RiskParams => ({ ...DEFAULT_MARGIN_PARAMS.defaultRisk, ...r });
const params = (p: Partial<MarginParams> = {}): MarginParams => ({ ...DEFAULT_MARGIN_PARAMS, ...p });

describe("params validation", () => {
  it("accepts the defaults and sorted overrides", () => {
    expect(() => validateMarginParams(DEFAULT_MARGIN_PARAMS)).not.toThrow();
    expect(() => validateMarginParams(params({ underlyings: [{ underlying: "BTC", risk: risk() }, { underlying: "ETH", risk: risk() }] }))).not.toThrow();
  });

  it.each([
    ["version 0", params({ version: 0 }), /version/],
    ["fraction above 100%", params({ defaultRisk: risk({ shortImFractionPpm: 1_000_001n }) }), /short_im_fraction_ppm must be in/],
    ["negative fraction", params({ defaultRisk: risk({ shortMmMinFractionPpm: -1n }) }), /short_mm_min_fraction_ppm must be in/],
    ["zero IM floor", params({ defaultRisk: risk({ shortImMinFractionPpm: 0n, shortMmMinFractionPpm: 0n }) }), /short_im_min_fraction_ppm must be positive/],
    ["floor above fraction", params({ defaultRisk: risk({ shortImMinFractionPpm: 200_000n }) }), /must not exceed short_im_fraction_ppm/],
    ["MM above IM", params({ defaultRisk: risk({ shortMmFractionPpm: 160_000n }) }), /short_mm_fraction_ppm must not exceed/],
    ["MM floor above IM floor", params({ defaultRisk: risk({ shortMmMinFractionPpm: 110_000n, shortMmFractionPpm: 150_000n }) }), /short_mm_min_fraction_ppm must not exceed short_im_min/],
    ["unsorted underlyings", params({ underlyings: [{ underlying: "ETH", risk: risk() }, { underlying: "BTC", risk: risk() }] }), /sorted and unique/],
    ["duplicate underlyings", params({ underlyings: [{ underlying: "BTC", risk: risk() }, { underlying: "BTC", risk: risk() }] }), /sorted and unique/],
    ["bad symbol", params({ underlyings: [{ underlying: "btc", risk: risk() }] }), /not a symbol/],
    ["bad override", params({ underlyings: [{ underlying: "BTC", risk: risk({ shortMmFractionPpm: 999_999n }) }] }), /underlyings\[0\] \(BTC\)/],
  ])("rejects %s", (_name, p, re) => {
    let err: unknown;
    try {
      validateMarginParams(p);
    } catch (e) {
      err = e;
    }
    expect(MarginErrors.invalidParams.is(err)).toBe(true);
    expect((err as Error).message).toMatch(re);
  });

  it("setParams refuses invalid params and leaves the store unchanged", () => {
    const f = fixture();
    expect(() => f.keeper.setParams(f.store, params({ version: 0 }))).toThrow(/version/);
    expect(f.keeper.getParams(f.store)).toEqual(DEFAULT_MARGIN_PARAMS);
    expect(f.module.invariants!(f.query())).toEqual([]);
  });
});

describe("invariant", () => {
  it("reports invalid stored params", () => {
    const f = fixture();
    f.store.set(new Uint8Array([0x07, 0x00]), MarginCodec.ParamsProto.encode({ version: 0, defaultRisk: undefined, underlyings: [] }));
    expect(f.module.invariants!(f.query())).toEqual([expect.stringMatching(/^margin: stored params are invalid: version/)]);
  });
});

describe("genesis", () => {
  it("default genesis parses to the defaults; export → import roundtrips", () => {
    const f = fixture();
    expect(parseMarginGenesis(f.module.defaultGenesis()).params).toEqual(DEFAULT_MARGIN_PARAMS);
    const custom = params({ version: 3, underlyings: [{ underlying: "ETH", risk: risk({ shortImFractionPpm: 200_000n }) }] });
    f.keeper.setParams(f.store, custom);
    const exported = f.module.exportGenesis(f.ctx());
    const g = fixture();
    g.module.initGenesis(g.ctx(), JSON.parse(JSON.stringify(exported)));
    expect(g.keeper.getParams(g.store)).toEqual(custom);
    expect(g.module.exportGenesis(g.ctx())).toEqual(exported);
  });

  it("accepts integers as strings; an empty section means the defaults", () => {
    expect(parseMarginGenesis({}).params).toEqual(DEFAULT_MARGIN_PARAMS);
    const g = parseMarginGenesis({
      params: { version: "2", default_risk: { short_im_fraction_ppm: "150000", short_im_min_fraction_ppm: "100000", short_mm_fraction_ppm: "75000", short_mm_min_fraction_ppm: "50000" } },
    });
    expect(g.params.version).toBe(2);
    expect(g.params.underlyings).toEqual([]);
  });

  it("rejects malformed or invalid sections with a path", () => {
    expect(() => parseMarginGenesis({ params: { version: 1 } })).toThrow(/margin.params.default_risk: expected an object/);
    expect(() => parseMarginGenesis({ params: { version: 1.5, default_risk: {} } })).toThrow(GenesisError);
    expect(() =>
      parseMarginGenesis({ params: { version: 1, default_risk: { short_im_fraction_ppm: 1, short_im_min_fraction_ppm: 2, short_mm_fraction_ppm: 1, short_mm_min_fraction_ppm: 1 } } }),
    ).toThrow(/margin.params: .*must not exceed/);
    expect(() => fixture().module.validateGenesis({ params: "x" })).toThrow(GenesisError);
  });
});

