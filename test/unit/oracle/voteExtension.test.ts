import { describe, expect, it } from "vitest";
import { MAX_VOTE_EXTENSION_BYTES } from "../../../src/app/baseApp.js";
import {
  createOracleVoteExtensionHandler,
  decodeObservation,
  DEFAULT_ORACLE_PARAMS,
  encodeObservation,
  ObservationCodec,
  type Observation,
  type ObservationSource,
  type OracleParams,
} from "../../../modules/oracle/index.js";
import { EXPIRY, observation, smileObs } from "./helpers.js";

const params: OracleParams = DEFAULT_ORACLE_PARAMS;
const req = { height: 7n, round: 0, blockHash: new Uint8Array(32) };
const verifier = createOracleVoteExtensionHandler({ params: () => params });
const verify = (extension: Uint8Array) => verifier.verify({ height: 7n, validatorAddress: new Uint8Array(20), extension });

function fixed(obs: Observation | undefined): ObservationSource {
  return { name: "fixed", observe: () => obs };
}

describe("verify (deterministic check of other validators' extensions)", () => {
  it("accepts a canonical observation and the empty extension", () => {
    expect(verify(new Uint8Array())).toBe(true);
    expect(verify(encodeObservation(observation({ BTC: 60_000_000_000n, ETH: 3_000_000_000n }, [smileObs("BTC", 550_000n), smileObs("ETH", 700_000n)])))).toBe(true);
  });

  it("rejects garbage bytes", () => {
    expect(verify(new Uint8Array([0xff]))).toBe(false);
    expect(verify(new Uint8Array([0x0a, 0x05, 0x01]))).toBe(false); // truncated
    expect(verify(new TextEncoder().encode("BTC=60000"))).toBe(false);
  });

  it("rejects non-canonical encodings (unknown fields, explicit defaults, padded varints)", () => {
    const good = encodeObservation(observation({ BTC: 5n }));
    expect(verify(new Uint8Array([...good, 0x18, 0x01]))).toBe(false); // unknown field 3
    // SpotObservation with an explicit zero price (field 2 = 0) inside spots.
    const inner = [0x0a, 0x03, 0x42, 0x54, 0x43, 0x10, 0x00];
    expect(verify(new Uint8Array([0x0a, inner.length, ...inner]))).toBe(false);
    // Same price 5 with a padded varint (0x85 0x00).
    const padded = [0x0a, 0x03, 0x42, 0x54, 0x43, 0x10, 0x85, 0x00];
    expect(verify(new Uint8Array([0x0a, padded.length, ...padded]))).toBe(false);
  });

  it("rejects unknown underlyings", () => {
    expect(verify(encodeObservation(observation({ DOGE: 1n })))).toBe(false);
    expect(verify(encodeObservation(observation({}, [smileObs("SOL", 500_000n)])))).toBe(false);
    expect(verify(encodeObservation(observation({ btc: 1n })))).toBe(false);
  });

  it("rejects unsorted or duplicate entries", () => {
    const unsorted: Observation = { spots: [{ underlying: "ETH", priceMicroUsd: 1n }, { underlying: "BTC", priceMicroUsd: 1n }], smiles: [] };
    expect(verify(ObservationCodec.encode(unsorted))).toBe(false);
    const dup: Observation = { spots: [{ underlying: "BTC", priceMicroUsd: 1n }, { underlying: "BTC", priceMicroUsd: 2n }], smiles: [] };
    expect(verify(ObservationCodec.encode(dup))).toBe(false);
    const smiles = [smileObs("BTC", 500_000n, 0n, 0n, EXPIRY + 1n), smileObs("BTC", 500_000n, 0n, 0n, EXPIRY)];
    expect(verify(ObservationCodec.encode({ spots: [], smiles }))).toBe(false);
    expect(verify(ObservationCodec.encode({ spots: [], smiles: [smiles[1]!, smiles[1]!] }))).toBe(false);
  });

  it("bounds the counts: smiles per underlying, expiries in range, total size", () => {
    const many = Array.from({ length: params.maxExpiries + 1 }, (_, i) => smileObs("BTC", 500_000n, 0n, 0n, EXPIRY + BigInt(i)));
    expect(verify(ObservationCodec.encode({ spots: [], smiles: many.slice(0, params.maxExpiries) }))).toBe(true);
    expect(verify(ObservationCodec.encode({ spots: [], smiles: many }))).toBe(false);
    expect(verify(ObservationCodec.encode({ spots: [], smiles: [smileObs("BTC", 500_000n, 0n, 0n, 0n)] }))).toBe(false);
    expect(verify(ObservationCodec.encode({ spots: [], smiles: [smileObs("BTC", 500_000n, 0n, 0n, -5n)] }))).toBe(false);
    expect(verify(ObservationCodec.encode({ spots: [], smiles: [smileObs("BTC", 500_000n, 0n, 0n, 99_999_999_999n)] }))).toBe(false);
    const oversized = new Uint8Array(MAX_VOTE_EXTENSION_BYTES + 1);
    expect(verify(oversized)).toBe(false);
    // Many (canonical-looking) spot entries for known underlyings are still too many.
    const spam: Observation = { spots: Array.from({ length: 5000 }, () => ({ underlying: "BTC", priceMicroUsd: 1n })), smiles: [] };
    expect(verify(ObservationCodec.encode(spam))).toBe(false);
  });

  it("does not check value bounds (the aggregation ignores out-of-bound values instead)", () => {
    expect(verify(encodeObservation(observation({ BTC: 18_000_000_000_000_000_000n })))).toBe(true);
  });

  it("follows the params it is given (known underlyings)", () => {
    const withSol = createOracleVoteExtensionHandler({ params: () => ({ ...params, underlyings: ["BTC", "ETH", "SOL"] }) });
    const ext = encodeObservation(observation({ SOL: 150_000_000n }));
    expect(withSol.verify({ height: 1n, validatorAddress: new Uint8Array(20), extension: ext })).toBe(true);
    expect(verify(ext)).toBe(false);
  });
});

describe("extend (this validator's observation)", () => {
  it("is empty without a source, or when the source has nothing or throws", () => {
    expect(createOracleVoteExtensionHandler({ params: () => params }).extend(req)).toEqual(new Uint8Array());
    expect(createOracleVoteExtensionHandler({ source: fixed(undefined), params: () => params }).extend(req)).toEqual(new Uint8Array());
    const errors: unknown[] = [];
    const throwing: ObservationSource = {
      name: "broken",
      observe: () => {
        throw new Error("feed down");
      },
    };
    expect(createOracleVoteExtensionHandler({ source: throwing, params: () => params, onSourceError: (e) => errors.push(e) }).extend(req)).toEqual(new Uint8Array());
    expect(errors).toHaveLength(1);
  });

  it("passes the request and the known underlyings to the source", () => {
    const seen: unknown[] = [];
    const source: ObservationSource = { name: "spy", observe: (r) => (seen.push(r), undefined) };
    createOracleVoteExtensionHandler({ source, params: () => params }).extend(req);
    expect(seen).toEqual([{ height: 7n, round: 0, underlyings: ["BTC", "ETH"], maxExpiries: params.maxExpiries }]);
  });

  it("canonicalizes what the feeder reports into an extension verify accepts", () => {
    const messy: Observation = {
      spots: [
        { underlying: "ETH", priceMicroUsd: 3_000_000_000n },
        { underlying: "DOGE", priceMicroUsd: 1n },
        { underlying: "BTC", priceMicroUsd: 60_000_000_000n },
        { underlying: "BTC", priceMicroUsd: 1n },
        { underlying: "ETH", priceMicroUsd: 0n },
      ],
      smiles: [
        ...Array.from({ length: 20 }, (_, i) => smileObs("BTC", 500_000n, 0n, 0n, EXPIRY + BigInt(20 - i))),
        smileObs("SOL", 500_000n),
        smileObs("ETH", 0n),
        smileObs("ETH", 700_000n),
      ],
    };
    const ext = createOracleVoteExtensionHandler({ source: fixed(messy), params: () => params }).extend(req);
    expect(verify(ext)).toBe(true);
    const decoded = decodeObservation(ext, params)!;
    expect(decoded.spots).toEqual([
      { underlying: "BTC", priceMicroUsd: 60_000_000_000n },
      { underlying: "ETH", priceMicroUsd: 3_000_000_000n },
    ]);
    const btc = decoded.smiles.filter((s) => s.underlying === "BTC").map((s) => s.expiryUnixS);
    expect(btc).toEqual(Array.from({ length: params.maxExpiries }, (_, i) => EXPIRY + 1n + BigInt(i))); // the nearest expiries
    expect(decoded.smiles.filter((s) => s.underlying === "ETH")).toEqual([smileObs("ETH", 700_000n)]);
  });

  it("encodes an empty observation as zero bytes", () => {
    expect(createOracleVoteExtensionHandler({ source: fixed({ spots: [], smiles: [] }), params: () => params }).extend(req)).toEqual(new Uint8Array());
  });
});
