import { describe, expect, it } from "vitest";
import { detExp, parseOracleSource, SimSource, validateOracleSourceSpec, weeklyExpiries, FileSource } from "../../../node/oracle/index.js";
import { createOracleVoteExtensionHandler, decodeObservation, DEFAULT_ORACLE_PARAMS } from "../../../modules/oracle/index.js";
import { address } from "./helpers.js";

const EXPIRIES = [1_767_254_400n, 1_767_859_200n];
const sim = (i: number, extra: Partial<ConstructorParameters<typeof SimSource>[0]> = {}) =>
  new SimSource({ validatorAddress: address(i), expiries: () => EXPIRIES, ...extra });
const req = (height: bigint) => ({ height, round: 0, underlyings: ["BTC", "ETH"], maxExpiries: 16 });

describe("SimSource", () => {
  it("is deterministic per height: same validator, same height, same observation (across instances)", () => {
    for (const h of [1n, 2n, 1000n, 86_400n, 10_000_000n]) expect(sim(0).observe(req(h))).toEqual(sim(0).observe(req(h)));
    expect(sim(0).observe(req(5n))).not.toEqual(sim(0).observe(req(6n)));
  });

  it("gives every validator the same market with small private noise", () => {
    const h = 123_456n;
    const prices = [0, 1, 2, 3].map((i) => sim(i).observe(req(h)).spots[0]!.priceMicroUsd);
    expect(new Set(prices).size).toBe(4);
    const truth = sim(0).truePrice("BTC", h);
    for (const p of prices) expect(Math.abs(Number(p) / 1e6 / truth - 1)).toBeLessThanOrEqual(0.0002 + 1e-9);
    // The market itself depends on the seed.
    expect(sim(0, { seed: "other" }).truePrice("BTC", h)).not.toBe(truth);
  });

  it("starts near BTC 60,000 and ETH 3,000 and reports a smile per expiry for each underlying", () => {
    const obs = sim(0).observe(req(1n));
    expect(obs.spots.map((s) => s.underlying)).toEqual(["BTC", "ETH"]);
    expect(Math.abs(Number(obs.spots[0]!.priceMicroUsd) / 1e6 - 60_000)).toBeLessThan(600);
    expect(Math.abs(Number(obs.spots[1]!.priceMicroUsd) / 1e6 - 3_000)).toBeLessThan(30);
    expect(obs.smiles.map((s) => `${s.underlying}/${s.expiryUnixS}`)).toEqual(["BTC/1767254400", "BTC/1767859200", "ETH/1767254400", "ETH/1767859200"]);
    for (const s of obs.smiles) {
      expect(s.atmVolPpm).toBeGreaterThan(200_000n);
      expect(s.atmVolPpm).toBeLessThan(2_000_000n);
      expect(s.skewPpm).toBeLessThan(0n);
      expect(s.curvaturePpm).toBeGreaterThan(0n);
    }
    // A symbol the simulation has no market for still gets a (fallback) price.
    expect(sim(0).observe({ ...req(1n), underlyings: ["SOL"] }).spots[0]!.priceMicroUsd).toBeGreaterThan(0n);
  });

  it("moves with a realistic volatility (about 55 % a year for BTC at 1 s blocks)", () => {
    const s = sim(0);
    const rets: number[] = [];
    for (let k = 0; k < 200; k++) {
      const h = BigInt(1000 + k * 3_600);
      rets.push(Math.log(s.truePrice("BTC", h + 3_600n) / s.truePrice("BTC", h)));
    }
    const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
    const annual = Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / rets.length) * Math.sqrt((365 * 86_400) / 3_600);
    expect(annual).toBeGreaterThan(0.35);
    expect(annual).toBeLessThan(0.8);
  });

  it("produces extensions the chain accepts", () => {
    const handler = createOracleVoteExtensionHandler({ source: sim(2), params: () => DEFAULT_ORACLE_PARAMS });
    const ext = handler.extend({ height: 9n, round: 0, blockHash: new Uint8Array(32) });
    expect(handler.verify({ height: 9n, validatorAddress: address(2), extension: ext })).toBe(true);
    const obs = decodeObservation(ext, DEFAULT_ORACLE_PARAMS)!;
    expect(obs.spots).toHaveLength(2);
    expect(obs.smiles).toHaveLength(4);
  });

  it("defaults to the next weekly Friday 08:00 UTC expiries from its clock", () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0); // Thursday
    const s = new SimSource({ validatorAddress: address(0), nowMs: () => now });
    const expiries = [...new Set(s.observe(req(1n)).smiles.map((x) => x.expiryUnixS))];
    expect(expiries.map((e) => new Date(Number(e) * 1000).toISOString())).toEqual([
      "2026-01-02T08:00:00.000Z",
      "2026-01-09T08:00:00.000Z",
      "2026-01-16T08:00:00.000Z",
      "2026-01-23T08:00:00.000Z",
    ]);
    // Exactly at an expiry, that expiry is no longer "next".
    expect(weeklyExpiries(Date.UTC(2026, 0, 2, 8) / 1000, 1)).toEqual([BigInt(Date.UTC(2026, 0, 9, 8) / 1000)]);
    expect(s.observe({ ...req(1n), maxExpiries: 2 }).smiles).toHaveLength(4);
  });

  it("reports smiles for the expiries the chain has listed, per underlying, falling back to its own", () => {
    const s = sim(0);
    const listed = new Map([["BTC", [1_800_000_000n, 1_800_086_400n, 1_800_172_800n]]]);
    const obs = s.observe({ ...req(1n), expiries: listed, maxExpiries: 2 });
    expect(obs.smiles.filter((x) => x.underlying === "BTC").map((x) => x.expiryUnixS)).toEqual([1_800_000_000n, 1_800_086_400n]);
    expect(obs.smiles.filter((x) => x.underlying === "ETH").map((x) => x.expiryUnixS)).toEqual(EXPIRIES);
  });
});

describe("detExp", () => {
  it("agrees with Math.exp to ~1e-15 relative", () => {
    for (const x of [-20, -3.3, -1, -0.5, -1e-9, 0, 1e-9, 0.1, 0.6931, 1, 2.5, 10, 50]) {
      expect(Math.abs(detExp(x) / Math.exp(x) - 1)).toBeLessThan(1e-14);
    }
    expect(detExp(0)).toBe(1);
  });
});

describe("parseOracleSource", () => {
  it("selects sim, sim:SEED, file:PATH and none", () => {
    const opts = { validatorAddress: address(0), baseDir: "/home/v" };
    expect(parseOracleSource("sim", opts)).toBeInstanceOf(SimSource);
    expect(parseOracleSource("sim:abc", opts)?.name).toBe("sim");
    expect(parseOracleSource("none", opts)).toBeUndefined();
    const file = parseOracleSource("file:prices.json", opts);
    expect(file).toBeInstanceOf(FileSource);
    expect((file as FileSource).path).toBe("/home/v/prices.json");
    expect((parseOracleSource("file:/abs/p.json", opts) as FileSource).path).toBe("/abs/p.json");
  });

  it("rejects anything else with a clear message", () => {
    for (const bad of ["", "file:", "sim:", "pyth", "SIM", "http://x"]) {
      expect(() => validateOracleSourceSpec(bad)).toThrow(/oracle.source: expected "sim", "sim:SEED", "file:PATH" or "none"/);
      expect(() => parseOracleSource(bad, { validatorAddress: address(0) })).toThrow();
    }
  });
});
