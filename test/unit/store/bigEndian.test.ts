import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readU32be, readU64be, u32be, u64be, u64beChecked } from "../../../src/store/bigEndian.js";

describe("big-endian integers", () => {
  it("match DataView byte for byte, wrap like setBigUint64, and read back exactly (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), fc.integer({ min: 0, max: 0xffffffff }), (n, m) => {
        const ref = new Uint8Array(8);
        new DataView(ref.buffer).setBigUint64(0, BigInt.asUintN(64, n));
        expect(u64be(n)).toEqual(ref);
        expect(readU64be(u64be(n))).toBe(BigInt.asUintN(64, n));
        const ref32 = new Uint8Array(4);
        new DataView(ref32.buffer).setUint32(0, m);
        expect(u32be(m)).toEqual(ref32);
        expect(readU32be(u32be(m))).toBe(m);
      }),
      { numRuns: 2000 },
    );
  });

  it("read at an offset, refuse reads past the end, and check ranges when asked", () => {
    const bytes = new Uint8Array([9, ...u64be(2n ** 53n + 1n), ...u32be(7)]);
    expect(readU64be(bytes, 1)).toBe(2n ** 53n + 1n);
    expect(readU32be(bytes, 9)).toBe(7);
    expect(() => readU32be(bytes, 10)).toThrow(RangeError);
    expect(() => readU64be(bytes, 6)).toThrow(RangeError);
    expect(() => u64beChecked(-1n)).toThrow(/out of uint64 range/);
    expect(() => u64beChecked(1n << 64n)).toThrow(/out of uint64 range/);
    expect(u64beChecked((1n << 64n) - 1n)).toEqual(new Uint8Array(8).fill(255));
  });
});
