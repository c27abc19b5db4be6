import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileSource, observationFor, parseDecimalUnits, parseObservationFile } from "../../../node/oracle/index.js";
import { createOracleVoteExtensionHandler, decodeObservation, DEFAULT_ORACLE_PARAMS } from "../../../modules/oracle/index.js";

const dir = mkdtempSync(join(tmpdir(), "vanna-oracle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const req = { height: 1n, round: 0, underlyings: ["BTC", "ETH"], maxExpiries: 16 };

describe("parseDecimalUnits", () => {
  it("parses plain decimals into integer units without floating point", () => {
    expect(parseDecimalUnits("60000.5", 6)).toBe(60_000_500_000n);
    expect(parseDecimalUnits(60000.5, 6)).toBe(60_000_500_000n);
    expect(parseDecimalUnits("0.000001", 6)).toBe(1n);
    expect(parseDecimalUnits(0.55, 6)).toBe(550_000n);
    // Float arithmetic is not rounded away: 0.1 + 0.2 is 0.30000000000000004, which has too many decimals.
    expect(() => parseDecimalUnits(0.1 + 0.2, 6)).toThrow(/more than 6 decimal places/);
    expect(parseDecimalUnits("-0.1", 6, { allowNegative: true })).toBe(-100_000n);
    expect(parseDecimalUnits(-0.1, 6, { allowNegative: true })).toBe(-100_000n);
    expect(parseDecimalUnits("3000", 6)).toBe(3_000_000_000n);
  });

  it("rejects anything that is not a plain decimal within range and precision", () => {
    for (const bad of ["", " 1", "1 ", "+1", "01", ".5", "5.", "1e3", "1,5", "0x10", "NaN", "Infinity", "0.0000001", "-1", "9223372036854.775808"]) {
      expect(() => parseDecimalUnits(bad, 6), bad).toThrow();
    }
    for (const bad of [1e-7, 1e21, Number.NaN, Number.POSITIVE_INFINITY, -1, null, true, {}, []]) {
      expect(() => parseDecimalUnits(bad, 6), String(bad)).toThrow();
    }
  });
});

describe("parseObservationFile", () => {
  it("reads the documented format", () => {
    const obs = parseObservationFile(
      JSON.stringify({
        spots: { BTC: "60000.5", ETH: 3000.25 },
        smiles: [{ underlying: "BTC", expiry: 1767254400, atmVol: 0.55, skew: -0.1, curvature: 0.2 }],
      }),
    );
    expect(obs).toEqual({
      spots: [
        { underlying: "BTC", priceMicroUsd: 60_000_500_000n },
        { underlying: "ETH", priceMicroUsd: 3_000_250_000n },
      ],
      smiles: [{ underlying: "BTC", expiryUnixS: 1_767_254_400n, atmVolPpm: 550_000n, skewPpm: -100_000n, curvaturePpm: 200_000n }],
      listedSmiles: [],
    });
    expect(parseObservationFile("{}")).toEqual({ spots: [], smiles: [], listedSmiles: [] });
    expect(parseObservationFile('{"smiles":[{"underlying":"ETH","expiry":"1767254400","atmVol":"0.7","skew":"0","curvature":"0.3"}]}').smiles[0]!.atmVolPpm).toBe(700_000n);
  });

  it('applies an "expiry": "listed" smile to every expiry the chain lists, explicit entries first', () => {
    const file = parseObservationFile(
      JSON.stringify({
        spots: { BTC: 100000 },
        smiles: [
          { underlying: "BTC", expiry: "listed", atmVol: 0.6, skew: -0.1, curvature: 0.2 },
          { underlying: "BTC", expiry: 1800000000, atmVol: 0.9, skew: 0, curvature: 0 },
        ],
      }),
    );
    const obs = observationFor(file, { expiries: new Map([["BTC", [1_800_000_000n, 1_800_086_400n]], ["ETH", [1_800_000_000n]]]) });
    expect(obs.smiles).toEqual([
      { underlying: "BTC", expiryUnixS: 1_800_000_000n, atmVolPpm: 900_000n, skewPpm: 0n, curvaturePpm: 0n },
      { underlying: "BTC", expiryUnixS: 1_800_086_400n, atmVolPpm: 600_000n, skewPpm: -100_000n, curvaturePpm: 200_000n },
    ]);
    expect(observationFor(file, {}).smiles).toHaveLength(1);
    expect(() => parseObservationFile('{"smiles":[{"underlying":"BTC","expiry":"soon","atmVol":0.5,"skew":0,"curvature":0}]}')).toThrow(/Unix seconds or "listed"/);
  });

  it("names the first problem", () => {
    const cases: Array<[string, RegExp]> = [
      ["not json", /not valid JSON/],
      ["[]", /expected a JSON object/],
      ['{"spot":{}}', /unknown key "spot"/],
      ['{"spots":[]}', /expected an object of symbol/],
      ['{"spots":{"btc":"1"}}', /not a symbol/],
      ['{"spots":{"BTC":"1.0000001"}}', /spots.BTC: .*more than 6 decimal places/],
      ['{"spots":{"BTC":"0"}}', /must be positive/],
      ['{"spots":{"BTC":-5}}', /must not be negative/],
      ['{"smiles":{}}', /expected an array/],
      ['{"smiles":[{"underlying":"BTC","expiry":1.5,"atmVol":0.5,"skew":0,"curvature":0}]}', /expiry: expected Unix seconds/],
      ['{"smiles":[{"underlying":"BTC","expiry":1767254400,"atmVol":0.5,"skew":0}]}', /curvature/],
      ['{"smiles":[{"underlying":"BTC","expiry":1767254400,"atmVol":0,"skew":0,"curvature":0}]}', /atmVol: must be positive/],
      ['{"smiles":[{"underlying":"BTC","expiry":1767254400,"atmVol":0.5,"skew":0,"curvature":0,"rho":1}]}', /unknown key "rho"/],
    ];
    for (const [text, re] of cases) expect(() => parseObservationFile(text), text).toThrow(re);
  });
});

describe("FileSource", () => {
  it("re-reads the file on every call", () => {
    const path = join(dir, "prices.json");
    writeFileSync(path, JSON.stringify({ spots: { BTC: "60000" } }));
    const source = new FileSource(path);
    expect(source.observe(req)!.spots[0]!.priceMicroUsd).toBe(60_000_000_000n);
    writeFileSync(path, JSON.stringify({ spots: { BTC: "61000" } }));
    expect(source.observe(req)!.spots[0]!.priceMicroUsd).toBe(61_000_000_000n);
  });

  it("reports no observation (and tells once per problem) on a missing or bad file, then recovers", () => {
    const path = join(dir, "later.json");
    const errors: string[] = [];
    let recovered = 0;
    const source = new FileSource(path, { onError: (m) => errors.push(m), onRecovered: () => recovered++ });
    expect(source.observe(req)).toBeUndefined();
    expect(source.observe(req)).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cannot read \(ENOENT\)/);
    writeFileSync(path, '{"spots": {"BTC": "abc"}}');
    expect(source.observe(req)).toBeUndefined();
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(/spots.BTC/);
    writeFileSync(path, '{"spots": {"BTC": "1"}}');
    expect(source.observe(req)!.spots).toHaveLength(1);
    expect(recovered).toBe(1);
  });

  it("feeds the vote extension handler, which drops underlyings the chain does not know", () => {
    const path = join(dir, "ext.json");
    writeFileSync(path, JSON.stringify({ spots: { BTC: "60000.5", DOGE: "0.1" }, smiles: [{ underlying: "BTC", expiry: 1767254400, atmVol: 0.55, skew: -0.1, curvature: 0.2 }] }));
    const handler = createOracleVoteExtensionHandler({ source: new FileSource(path), params: () => DEFAULT_ORACLE_PARAMS });
    const ext = handler.extend({ height: 3n, round: 0, blockHash: new Uint8Array(32) });
    expect(decodeObservation(ext, DEFAULT_ORACLE_PARAMS)).toEqual({
      spots: [{ underlying: "BTC", priceMicroUsd: 60_000_500_000n }],
      smiles: [{ underlying: "BTC", expiryUnixS: 1_767_254_400n, atmVolPpm: 550_000n, skewPpm: -100_000n, curvaturePpm: 200_000n }],
    });
    // A missing file precommits with an empty extension.
    const missing = createOracleVoteExtensionHandler({ source: new FileSource(join(dir, "nope.json")), params: () => DEFAULT_ORACLE_PARAMS });
    expect(missing.extend({ height: 3n, round: 0, blockHash: new Uint8Array(32) })).toEqual(new Uint8Array());
  });
});
