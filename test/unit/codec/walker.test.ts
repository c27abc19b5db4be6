/**
 * The fast canonical check must accept exactly the bytes that re-encode identically. Differential test against
 * protobufjs's own decode + encode, on a schema with every supported field kind and on our real messages,
 * fed with encodings of random values and random mutations of them.
 */
import fc from "fast-check";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { isCanonical, walkPlanFor } from "../../../src/codec/canonical.js";
import { bytesEqual, protoRoot } from "../../../src/codec/index.js";

const KITCHEN_SINK = `
syntax = "proto3";
package t;
enum Color { RED = 0; GREEN = 1; BLUE = 2; }
message Inner { int32 a = 1; repeated Inner children = 2; }
message Sink {
  int32 i32 = 1; int64 i64 = 2; uint32 u32 = 3; uint64 u64 = 4; sint32 s32 = 5; sint64 s64 = 6;
  bool flag = 7; fixed32 f32 = 8; fixed64 f64 = 9; sfixed32 sf32 = 10; sfixed64 sf64 = 11;
  string text = 12; bytes blob = 13; Color color = 14; Inner inner = 15;
  repeated int32 ri32 = 16; repeated uint64 ru64 = 17; repeated bool rflag = 18; repeated fixed32 rf32 = 19;
  repeated string rtext = 20; repeated Inner rinner = 21;
  oneof choice { Inner left = 22; string right = 23; uint32 number = 24; }
  string high = 2047;
}`;

const sinkRoot = protobuf.parse(KITCHEN_SINK, { keepCase: false }).root;
sinkRoot.resolveAll();

function reencodesIdentically(type: protobuf.Type, bytes: Uint8Array): boolean | "invalid" {
  let decoded: protobuf.Message;
  try {
    const reader = new protobuf.Reader(bytes);
    reader.discardUnknown = true;
    decoded = type.decode(reader);
  } catch {
    return "invalid";
  }
  return bytesEqual(type.encode(decoded).finish(), bytes);
}

/** Random mutations of an encoding: flip, insert, delete, duplicate a range, append. */
const mutated = (bytes: Uint8Array) =>
  fc
    .array(
      fc.tuple(fc.nat({ max: 4 }), fc.nat(), fc.nat({ max: 255 }), fc.nat({ max: 8 })),
      { minLength: 0, maxLength: 3 },
    )
    .map((ops) => {
      let b = [...bytes];
      for (const [op, at, value, len] of ops) {
        const i = b.length === 0 ? 0 : at % (b.length + 1);
        if (op === 0 && b.length > 0) b[i % b.length] = value;
        else if (op === 1) b.splice(i, 0, value);
        else if (op === 2) b.splice(i, 1);
        else if (op === 3) b.splice(i, 0, ...b.slice(i, i + len));
        else b.push(value, len);
      }
      return new Uint8Array(b);
    });

function randomValue(type: protobuf.Type): fc.Arbitrary<Uint8Array> {
  // Encode a random object through protobufjs.fromObject so every kind gets non-default values.
  const sample = fc.record({
    i32: fc.integer(),
    i64: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String),
    u32: fc.integer({ min: 0, max: 0xffffffff }),
    u64: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
    s32: fc.integer(),
    s64: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(String),
    flag: fc.boolean(),
    f32: fc.integer({ min: 0, max: 0xffffffff }),
    sf64: fc.integer(),
    text: fc.string({ maxLength: 6 }),
    blob: fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString("base64")),
    color: fc.nat({ max: 5 }),
    inner: fc.option(fc.record({ a: fc.integer(), children: fc.array(fc.record({ a: fc.integer() }), { maxLength: 2 }) }), { nil: undefined }),
    ri32: fc.array(fc.integer(), { maxLength: 3 }),
    ru64: fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String), { maxLength: 3 }),
    rflag: fc.array(fc.boolean(), { maxLength: 3 }),
    rf32: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 3 }),
    rtext: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
    right: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
    high: fc.string({ maxLength: 3 }),
  });
  return sample.map((obj) => type.encode(type.fromObject(obj)).finish());
}

function checkAgreement(type: protobuf.Type, bytes: Uint8Array): void {
  const expected = reencodesIdentically(type, bytes);
  if (expected === "invalid") return; // decode fails first in decodeCanonical
  expect(isCanonical(walkPlanFor(type), bytes)).toBe(expected);
}

describe("fast canonical check", () => {
  const sink = sinkRoot.lookupType("t.Sink");

  it("accepts every encoder output of the kitchen-sink schema", () => {
    fc.assert(fc.property(randomValue(sink), (bytes) => {
        expect(isCanonical(walkPlanFor(sink), bytes)).toBe(true);
      }), {
      numRuns: 300,
    });
  });

  it("agrees with decode + re-encode on mutated kitchen-sink encodings", () => {
    fc.assert(
      fc.property(randomValue(sink).chain((bytes) => mutated(bytes)), (bytes) => {
        checkAgreement(sink, bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees on hand-picked edge cases", () => {
    const cases: number[][] = [
      [0x08, 0xff, 0xff, 0xff, 0xff, 0x0f], // int32 -1 in 5 bytes (re-encodes as 10)
      [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // int32 -1, canonical
      [0x08, 0x80, 0x80, 0x80, 0x80, 0x10], // int32 with bits above 32
      [0x18, 0x80, 0x80, 0x80, 0x80, 0x10], // uint32 overflow
      [0x38, 0x02], // bool 2
      [0x38, 0x01], // bool true
      [0x45, 0, 0, 0, 0], // fixed32 explicit 0
      [0x82, 0x01, 0x00], // empty packed ri32
      [0x80, 0x01, 0x05], // ri32 unpacked
      [0x82, 0x01, 0x01, 0x05, 0x82, 0x01, 0x01, 0x06], // ri32 packed twice
      [0xb2, 0x01, 0x00, 0xba, 0x01, 0x00], // oneof left then right
      [0xba, 0x01, 0x00], // oneof right = "" (explicit presence)
      [0xc0, 0x01, 0x00], // oneof number = 0
      [0xfa, 0x7f, 0x01, 0x61], // field 2047 "a"
      [0x70, 0x05], // enum value not named by the enum
    ];
    for (const c of cases) checkAgreement(sink, new Uint8Array(c));
  });

  it("agrees on mutated encodings of our real messages", () => {
    const names = ["cosmos.tx.v1beta1.TxBody", "cosmos.tx.v1beta1.AuthInfo", "cosmos.tx.v1beta1.ModeInfo", "vanna.types.v1.Block"];
    for (const name of names) {
      const type = protoRoot.lookupType(name);
      const seed = type.encode(
        type.fromObject(
          name.endsWith("Block")
            ? { header: { chainId: "c", height: 5, timeNs: -3 }, data: { txs: ["AQI="] }, lastCommit: { round: 1 } }
            : name.endsWith("ModeInfo")
              ? { multi: { bitarray: { extraBitsStored: 3, elems: "AQ==" }, modeInfos: [{ single: { mode: 1 } }] } }
              : name.endsWith("AuthInfo")
                ? { signerInfos: [{ sequence: 3, modeInfo: { single: { mode: 1 } } }], fee: { amount: [{ denom: "u", amount: "1" }], gasLimit: 9 } }
                : { messages: [{ typeUrl: "/x", value: "AQ==" }], memo: "m", timeoutHeight: 7, unordered: true },
        ),
      ).finish();
      expect(isCanonical(walkPlanFor(type), seed)).toBe(true);
      fc.assert(fc.property(mutated(seed), (bytes) => {
        checkAgreement(type, bytes);
      }), { numRuns: 1000 });
    }
  });
});
