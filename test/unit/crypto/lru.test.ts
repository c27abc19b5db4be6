import { describe, expect, it } from "vitest";
import { bytesKey, LruCache } from "../../../src/crypto/lru.js";

describe("LruCache", () => {
  it("evicts the least recently used entry beyond capacity", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a becomes most recent
    cache.set("c", 3);
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("keys distinct byte strings distinctly, including views", () => {
    const big = new Uint8Array([9, 1, 2, 3]);
    expect(bytesKey(big.subarray(1))).toBe(bytesKey(new Uint8Array([1, 2, 3])));
    expect(bytesKey(new Uint8Array([0xff]))).not.toBe(bytesKey(new Uint8Array([0xfe])));
    expect(bytesKey(new Uint8Array([0, 0]))).not.toBe(bytesKey(new Uint8Array([0])));
  });
});
