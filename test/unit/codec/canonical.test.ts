/** decodeCanonical (ADR-027) rejections, and decode never throwing anything but a tx-parse ChainError. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChainError, SdkErrors } from "../../../src/errors.js";
import {
  AuthInfo,
  BaseAccount,
  type Codec,
  ModeInfo,
  MsgSend,
  SignDoc,
  SignMode,
  TxBody,
  TxRaw,
  VannaBlock,
} from "../../../src/codec/index.js";

const concat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) out.push(...p);
  return new Uint8Array(out);
};

function expectTxDecodeError(fn: () => unknown, message?: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ChainError);
  expect(SdkErrors.txDecode.is(thrown)).toBe(true);
  if (message) expect((thrown as ChainError).message).toMatch(message);
}

const body = TxBody.fromPartial({
  messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: new Uint8Array([1, 2, 3]) }],
  memo: "hi",
  timeoutHeight: 5n,
});
const bodyBytes = TxBody.encode(body);

describe("decodeCanonical", () => {
  it("accepts canonical bytes", () => {
    expect(TxBody.decodeCanonical(bodyBytes)).toStrictEqual(body);
  });

  it("rejects an appended unknown field, including non-critical ones (>= 1024)", () => {
    const unknownVarint = concat(bodyBytes, [0xa0, 0x06, 0x01]); // field 100, varint 1
    expect(TxBody.decode(unknownVarint)).toStrictEqual(body); // lenient decode skips it
    expectTxDecodeError(() => TxBody.decodeCanonical(unknownVarint), /non-canonical cosmos\.tx\.v1beta1\.TxBody/);
    const nonCritical = concat(bodyBytes, [0x82, 0x80, 0x01, 0x00]); // field 1024 (bit 11), empty bytes
    expectTxDecodeError(() => TxBody.decodeCanonical(nonCritical));
  });

  it("rejects an unknown field inside a nested message", () => {
    const fee = [0x10, 0x64, 0x28, 0x01]; // Fee { gas_limit = 100, field 5 = 1 (unknown) }
    const bytes = concat([0x12, fee.length], fee);
    expect(AuthInfo.decode(bytes).fee?.gasLimit).toBe(100n);
    expectTxDecodeError(() => AuthInfo.decodeCanonical(bytes));
  });

  it("rejects a duplicated scalar field (lenient decode keeps the last, like Go)", () => {
    const bytes = concat([0x0a, 0x01, 0xaa], [0x0a, 0x01, 0xbb]);
    expect(TxRaw.decode(bytes).bodyBytes).toEqual(new Uint8Array([0xbb]));
    expectTxDecodeError(() => TxRaw.decodeCanonical(bytes));
  });

  it("rejects a duplicated sub-message field", () => {
    const fee = [0x12, 0x02, 0x10, 0x64];
    expect(AuthInfo.decodeCanonical(new Uint8Array(fee)).fee?.gasLimit).toBe(100n);
    expectTxDecodeError(() => AuthInfo.decodeCanonical(concat(fee, fee)));
  });

  it("rejects explicit default values", () => {
    const signDoc = SignDoc.encode({ bodyBytes: new Uint8Array([1]), authInfoBytes: new Uint8Array(0), chainId: "c", accountNumber: 0n });
    expect(SignDoc.decodeCanonical(signDoc).accountNumber).toBe(0n);
    expectTxDecodeError(() => SignDoc.decodeCanonical(concat(signDoc, [0x20, 0x00]))); // account_number = 0
    expectTxDecodeError(() => SignDoc.decodeCanonical(concat([0x0a, 0x01, 0x01, 0x12, 0x00], [0x1a, 0x01, 0x63]))); // auth_info_bytes = ""
    expectTxDecodeError(() => TxBody.decodeCanonical(concat([0x12, 0x00]))); // memo = ""
    expectTxDecodeError(() => TxBody.decodeCanonical(concat([0x20, 0x00]))); // unordered = false
  });

  it("rejects fields out of order", () => {
    const bytes = concat([0x12, 0x01, 0x02], [0x0a, 0x01, 0x01]);
    expect(TxRaw.decode(bytes)).toStrictEqual({
      bodyBytes: new Uint8Array([1]),
      authInfoBytes: new Uint8Array([2]),
      signatures: [],
    });
    expectTxDecodeError(() => TxRaw.decodeCanonical(bytes));
  });

  it("rejects non-minimal varints in values, lengths and tags", () => {
    expect(SignDoc.decodeCanonical(new Uint8Array([0x20, 0x01])).accountNumber).toBe(1n);
    expectTxDecodeError(() => SignDoc.decodeCanonical(new Uint8Array([0x20, 0x81, 0x00])));
    expectTxDecodeError(() => TxBody.decodeCanonical(new Uint8Array([0x12, 0x82, 0x00, 0x68, 0x69])));
    expectTxDecodeError(() => TxBody.decodeCanonical(new Uint8Array([0x92, 0x00, 0x02, 0x68, 0x69])));
  });

  it("rejects a non-canonical bool", () => {
    expect(TxBody.decode(new Uint8Array([0x20, 0x02])).unordered).toBe(true);
    expectTxDecodeError(() => TxBody.decodeCanonical(new Uint8Array([0x20, 0x02])));
  });

  it("keeps only the last member of a oneof, and rejects both being present", () => {
    const both = new Uint8Array([0x0a, 0x02, 0x08, 0x01, 0x12, 0x00]); // single{DIRECT} then multi{}
    expect(ModeInfo.decode(both)).toStrictEqual({ single: undefined, multi: { bitarray: undefined, modeInfos: [] } });
    expectTxDecodeError(() => ModeInfo.decodeCanonical(both));
    expect(ModeInfo.decodeCanonical(new Uint8Array([0x0a, 0x02, 0x08, 0x01])).single?.mode).toBe(SignMode.SIGN_MODE_DIRECT);
  });

  it("works through mapped codecs (a block whose header is absent is not what encode writes)", () => {
    const block = VannaBlock.fromPartial({ txs: [new Uint8Array([1])] });
    expect(VannaBlock.decodeCanonical(VannaBlock.encode(block))).toStrictEqual(block);
    expectTxDecodeError(() => VannaBlock.decodeCanonical(new Uint8Array([0x12, 0x03, 0x0a, 0x01, 0x01])));
  });
});

describe("decode of malformed bytes", () => {
  it("throws a tx-parse ChainError for truncated, garbage and invalid-UTF-8 input", () => {
    for (let cut = 1; cut < bodyBytes.length; cut++) {
      const prefix = bodyBytes.subarray(0, cut);
      try {
        TxBody.decode(prefix); // some prefixes end on a field boundary and are valid
      } catch (err) {
        expect(SdkErrors.txDecode.is(err)).toBe(true);
      }
    }
    expectTxDecodeError(() => TxBody.decode(new Uint8Array([0x0a, 0x05, 0x01])), /invalid cosmos\.tx\.v1beta1\.TxBody bytes/);
    expectTxDecodeError(() => TxBody.decode(new Uint8Array([0x0f]))); // wire type 7
    expectTxDecodeError(() => TxBody.decode(new Uint8Array([0x12, 0x02, 0xff, 0xfe]))); // memo not UTF-8
    expectTxDecodeError(() => TxBody.decode(new Uint8Array([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])));
    expectTxDecodeError(() => TxBody.decode("not bytes" as unknown as Uint8Array));
  });

  it("rejects nesting deeper than the recursion limit without a stack overflow", () => {
    let bytes: Uint8Array = new Uint8Array(0);
    for (let depth = 0; depth < 400; depth++) {
      // ModeInfo{ multi: Multi{ mode_infos: [ <bytes> ] } }
      const multi = concat([0x12], varint(bytes.length), bytes);
      bytes = concat([0x12], varint(multi.length), multi);
    }
    expectTxDecodeError(() => ModeInfo.decode(bytes));
  });

  const codecs: Codec<unknown>[] = [TxRaw, TxBody, AuthInfo, MsgSend, BaseAccount, VannaBlock];
  it("never throws anything else on random bytes; canonical successes re-encode to the input", () => {
    for (const codec of codecs) {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
          try {
            codec.decode(bytes);
          } catch (err) {
            expect(SdkErrors.txDecode.is(err)).toBe(true);
          }
          try {
            const value = codec.decodeCanonical(bytes);
            expect(codec.encode(value)).toEqual(bytes);
          } catch (err) {
            expect(SdkErrors.txDecode.is(err)).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    }
  });
});

describe("encode", () => {
  it("rejects 64-bit values out of range with a ChainError", () => {
    const doc = { bodyBytes: new Uint8Array(0), authInfoBytes: new Uint8Array(0), chainId: "", accountNumber: 1n << 64n };
    expect(() => SignDoc.encode(doc)).toThrow(/out of uint64 range/);
    expect(() => SignDoc.encode({ ...doc, accountNumber: -1n })).toThrow(ChainError);
    expect(SignDoc.encode({ ...doc, accountNumber: (1n << 64n) - 1n })).toEqual(
      new Uint8Array([0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    );
  });

  it("returns a Uint8Array that owns its memory", () => {
    const bytes = TxBody.encode(body);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
