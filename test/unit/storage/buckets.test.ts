import { describe, expect, it } from "vitest";
import { ALL_BUCKETS, Bucket } from "../../../node/storage/buckets.js";

describe("Bucket prefixes", () => {
  it("are unique single bytes, declared in ascending order", () => {
    expect(ALL_BUCKETS.length).toBe(Object.keys(Bucket).length / 2);
    expect(new Set(ALL_BUCKETS).size).toBe(ALL_BUCKETS.length);
    for (const b of ALL_BUCKETS) expect(Number.isInteger(b) && b >= 0 && b <= 0xff).toBe(true);
    expect([...ALL_BUCKETS].sort((a, b) => a - b)).toEqual(ALL_BUCKETS);
  });

  it("keep their assigned numbers (persisted data depends on them)", () => {
    expect(Bucket.META).toBe(0x00);
    expect(Bucket.STATE).toBe(0x01);
    expect(Bucket.BLOCK).toBe(0x02);
    expect(Bucket.BLOCK_HASH).toBe(0x03);
    expect(Bucket.COMMIT).toBe(0x04);
    expect(Bucket.BLOCK_RESULTS).toBe(0x05);
    expect(Bucket.TX_BY_HASH).toBe(0x06);
    expect(Bucket.TX_EVENT_INDEX).toBe(0x07);
    expect(Bucket.CONSENSUS).toBe(0x08);
    expect(Bucket.EVIDENCE).toBe(0x09);
    expect(Bucket.MEMPOOL).toBe(0x0a);
  });
});
