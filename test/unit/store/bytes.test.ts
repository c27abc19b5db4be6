import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  binaryToBytes,
  bytesToBinary,
  compareBytes,
  portableBytesToBinary,
  prefixEnd,
  prefixEndBinary,
  readUvarint,
  uvarintSize,
  writeUvarint,
} from "../../../src/store/bytes.js";

describe("binary strings", () => {
  it("round-trip any bytes, including long ones past the chunk size", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(binaryToBytes(bytesToBinary(bytes))).toEqual(bytes);
      }),
    );
    const long = new Uint8Array(20_000).map((_, i) => (i * 31) & 0xff);
    expect(binaryToBytes(bytesToBinary(long))).toEqual(long);
    // The native fast path and the portable fallback agree, on views with offsets too.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(100), fc.nat(100), (bytes, a, b) => {
        const from = Math.min(a, bytes.length);
        const to = Math.max(from, Math.min(b, bytes.length));
        expect(bytesToBinary(bytes, from, to)).toBe(portableBytesToBinary(bytes, from, to));
      }),
    );
    expect(portableBytesToBinary(long)).toBe(bytesToBinary(long));
    const view = long.subarray(7, 60);
    expect(bytesToBinary(view)).toBe(portableBytesToBinary(view));
    expect(binaryToBytes(bytesToBinary(view, 2, 9))).toEqual(view.slice(2, 9));
  });

  it("compare with < exactly as bytes compare", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        const sa = bytesToBinary(a);
        const sb = bytesToBinary(b);
        const byString = sa < sb ? -1 : sa > sb ? 1 : 0;
        expect(byString).toBe(compareBytes(a, b));
        expect(compareBytes(a, b)).toBe(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      }),
    );
  });
});

describe("prefixEnd", () => {
  it("increments the last byte below 0xff and drops the 0xff tail", () => {
    expect(prefixEnd(Uint8Array.of(1, 2))).toEqual(Uint8Array.of(1, 3));
    expect(prefixEnd(Uint8Array.of(1, 0xff))).toEqual(Uint8Array.of(2));
    expect(prefixEnd(Uint8Array.of(0xff, 0xff))).toBeUndefined();
    expect(prefixEnd(new Uint8Array(0))).toBeUndefined();
    expect(prefixEndBinary("\x01\xff\xff")).toBe("\x02");
    expect(prefixEndBinary("\xff")).toBeUndefined();
  });

  it("bounds exactly the keys that start with the prefix", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3 }), fc.uint8Array({ maxLength: 5 }), (prefix, key) => {
        const end = prefixEnd(prefix);
        const hasPrefix = key.length >= prefix.length && compareBytes(key.subarray(0, prefix.length), prefix) === 0;
        const inRange = compareBytes(key, prefix) >= 0 && (end === undefined || compareBytes(key, end) < 0);
        expect(inRange).toBe(hasPrefix);
      }),
    );
  });
});

describe("uvarint", () => {
  it("round-trips and reports its size", () => {
    for (const n of [0, 1, 127, 128, 255, 300, 16383, 16384, 2 ** 32, 2 ** 48 + 5]) {
      const buf = new Uint8Array(10);
      const end = writeUvarint(n, buf, 0);
      expect(end).toBe(uvarintSize(n));
      expect(readUvarint(buf, 0)).toEqual([n, end]);
    }
  });

  it("rejects non-minimal, truncated and over-long encodings", () => {
    expect(readUvarint(Uint8Array.of(0x80, 0x00), 0)).toBeUndefined();
    expect(readUvarint(Uint8Array.of(0x81), 0)).toBeUndefined();
    expect(readUvarint(new Uint8Array(8).fill(0xff), 0)).toBeUndefined();
    expect(readUvarint(Uint8Array.of(0x81, 0x01), 0)).toEqual([129, 2]);
  });
});
