import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fromRfc3339WithNanoseconds } from "@cosmjs/tendermint-rpc";
import {
  fromBase64Strict,
  fromHexStrict,
  nsFromRfc3339,
  rfc3339FromNs,
  toBase64,
  toHexUpper,
} from "../../../node/rpc/encoding.js";
import { ParamError, Params, parseNonNegativeInt } from "../../../node/rpc/params.js";
import { blockIdJson, commitJson, commitSigJson, headerJson } from "../../../node/rpc/json.js";
import { BlockIdFlag } from "../../../src/types/block.js";

describe("rfc3339FromNs", () => {
  it("prints UTC with exactly 9 fractional digits and no rounding", () => {
    expect(rfc3339FromNs(0n)).toBe("1970-01-01T00:00:00.000000000Z");
    expect(rfc3339FromNs(1_750_000_000_123_456_789n)).toBe("2025-06-15T15:06:40.123456789Z");
    expect(rfc3339FromNs(1_750_000_000_999_999_999n)).toBe("2025-06-15T15:06:40.999999999Z");
    expect(rfc3339FromNs(-1n)).toBe("1969-12-31T23:59:59.999999999Z");
  });

  it("round-trips through our parser and cosmjs keeps the nanoseconds", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -62_000_000_000n * 1_000_000_000n, max: 253_000_000_000n * 1_000_000_000n }), (ns) => {
        const text = rfc3339FromNs(ns);
        expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
        expect(nsFromRfc3339(text)).toBe(ns);
      }),
    );
    const d = fromRfc3339WithNanoseconds(rfc3339FromNs(1_750_000_000_123_456_789n));
    expect(d.getTime()).toBe(1_750_000_000_123);
    expect(d.nanoseconds).toBe(456_789);
  });

  it("parses offsets and rejects invalid timestamps", () => {
    expect(nsFromRfc3339("2024-03-01T12:00:00+02:00")).toBe(nsFromRfc3339("2024-03-01T10:00:00Z"));
    for (const bad of ["2024-02-30T00:00:00Z", "2024-03-01T24:00:00Z", "2024-03-01T10:00:00", "2024-03-01T10:00:00.1234567890Z", "x"]) {
      expect(nsFromRfc3339(bad)).toBeUndefined();
    }
  });

  it("refuses times outside years 0000..9999", () => {
    expect(() => rfc3339FromNs(253_402_300_800n * 1_000_000_000n)).toThrow(RangeError);
  });
});

describe("hex and base64", () => {
  it("encodes uppercase hex and padded base64", () => {
    expect(toHexUpper(new Uint8Array([0xab, 0x01]))).toBe("AB01");
    expect(toBase64(new Uint8Array([1, 2, 3, 4]))).toBe("AQIDBA==");
  });

  it("decodes strictly", () => {
    expect(fromHexStrict("ab01")).toEqual(new Uint8Array([0xab, 0x01]));
    expect(fromHexStrict("AB01")).toEqual(new Uint8Array([0xab, 0x01]));
    expect(fromHexStrict("")).toEqual(new Uint8Array());
    for (const bad of ["abc", "0x00", "zz", " ab"]) expect(fromHexStrict(bad)).toBeUndefined();
    expect(fromBase64Strict("AQIDBA==")).toEqual(new Uint8Array([1, 2, 3, 4]));
    for (const bad of ["AQIDBA", "AQID*A==", "AQ==ID", "-_8="]) expect(fromBase64Strict(bad)).toBeUndefined();
  });
});

describe("params", () => {
  it("accepts non-negative integers as dec-strings or safe numbers", () => {
    expect(parseNonNegativeInt("h", "5")).toBe(5n);
    expect(parseNonNegativeInt("h", 5)).toBe(5n);
    expect(parseNonNegativeInt("h", "9223372036854775807")).toBe(9_223_372_036_854_775_807n);
  });

  it.each([["1e3"], ["-1"], ["0x10"], [""], [" 1"], ["1.0"], ["+1"], ["9223372036854775808"], [1.5], [-1], [Number.NaN], [1e300], [true], [null], [{}]])(
    "rejects %j as an integer",
    (raw) => {
      expect(() => parseNonNegativeInt("height", raw)).toThrow(ParamError);
    },
  );

  it("reads object params by name and array params by position, ignoring unknown names", () => {
    const spec = [["height", "int"], ["prove", "bool"], ["data", "bytesHex"], ["tx", "bytesB64"]] as const;
    const p = Params.fromJson(spec, { height: "7", prove: true, data: "0a0b", tx: "AQI=", other: 1 });
    expect([p.int("height"), p.bool("prove"), p.bytes("data"), p.bytes("tx")]).toEqual([7n, true, new Uint8Array([10, 11]), new Uint8Array([1, 2])]);
    const q = Params.fromJson(spec, ["8", false]);
    expect([q.int("height"), q.bool("prove"), q.bytes("data")]).toEqual([8n, false, undefined]);
    expect(() => Params.fromJson(spec, "height=5")).toThrow(ParamError);
    expect(() => Params.fromJson(spec, [1, 2, 3, 4, 5])).toThrow(ParamError);
    expect(() => Params.fromJson(spec, { data: "xyz" })).toThrow(ParamError);
    expect(() => Params.fromJson(spec, { tx: "not base64!" })).toThrow(ParamError);
  });

  it("reads URI params like CometBFT: bare or quoted ints, quoted strings, 0x hex", () => {
    const spec = [["height", "int"], ["path", "string"], ["data", "bytesHex"], ["tx", "bytesB64"], ["prove", "bool"]] as const;
    const p = Params.fromUri(spec, new URLSearchParams('height="5"&path="/a/b"&data=0x0A0b&tx="abc"&prove=true'));
    expect(p.int("height")).toBe(5n);
    expect(p.string("path")).toBe("/a/b");
    expect(p.bytes("data")).toEqual(new Uint8Array([10, 11]));
    expect(p.bytes("tx")).toEqual(new TextEncoder().encode("abc"));
    expect(p.bool("prove")).toBe(true);
    expect(Params.fromUri(spec, new URLSearchParams("height=12")).int("height")).toBe(12n);
    expect(() => Params.fromUri(spec, new URLSearchParams("path=/a/b"))).toThrow(/quoted/);
    expect(() => Params.fromUri(spec, new URLSearchParams("data=0xzz"))).toThrow(/hex/);
    expect(() => Params.fromUri(spec, new URLSearchParams("height=1e3"))).toThrow(ParamError);
    expect(() => Params.fromUri(spec, new URLSearchParams("prove=yes"))).toThrow(ParamError);
  });
});

describe("json shapes", () => {
  const header = {
    versionBlock: 11n,
    versionApp: 0n,
    chainId: "c",
    height: 1n,
    timeNs: 5n,
    lastBlockId: undefined,
    lastCommitHash: new Uint8Array(),
    dataHash: new Uint8Array([0xab]),
    validatorsHash: new Uint8Array(),
    nextValidatorsHash: new Uint8Array(),
    consensusHash: new Uint8Array(),
    appHash: new Uint8Array(),
    lastResultsHash: new Uint8Array(),
    evidenceHash: new Uint8Array(),
    proposerAddress: new Uint8Array([1]),
  };

  it("prints the first block's empty last_block_id and last_commit exactly", () => {
    const h = headerJson(header);
    expect(h.last_block_id).toEqual({ hash: "", parts: { total: 0, hash: "" } });
    expect(h.height).toBe("1");
    expect(h.version).toEqual({ block: "11", app: "0" });
    expect(h.data_hash).toBe("AB");
    const empty = { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } };
    expect(commitJson({ height: 0n, round: 0, blockId: empty, signatures: [] })).toEqual({
      height: "0",
      round: 0,
      block_id: { hash: "", parts: { total: 0, hash: "" } },
      signatures: [],
    });
    expect(blockIdJson({ hash: new Uint8Array([1]), partSetHeader: { total: 1, hash: new Uint8Array([2]) } })).toEqual({
      hash: "01",
      parts: { total: 1, hash: "02" },
    });
  });

  it("prints commit signatures with numeric flags, and absent ones as CometBFT does", () => {
    expect(commitSigJson({ blockIdFlag: BlockIdFlag.Commit, validatorAddress: new Uint8Array([0xaa]), timestampNs: 0n, signature: new Uint8Array([1]) , extension: new Uint8Array(), extensionSignature: new Uint8Array() })).toEqual({
      block_id_flag: 2,
      validator_address: "AA",
      timestamp: "1970-01-01T00:00:00.000000000Z",
      signature: "AQ==",
    });
    expect(commitSigJson({ blockIdFlag: BlockIdFlag.Absent, validatorAddress: new Uint8Array(), timestampNs: 0n, signature: new Uint8Array() , extension: new Uint8Array(), extensionSignature: new Uint8Array() })).toEqual({
      block_id_flag: 1,
      validator_address: "",
      timestamp: "0001-01-01T00:00:00Z",
      signature: null,
    });
  });
});
