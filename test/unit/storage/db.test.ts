import { describe, expect, it } from "vitest";
import { Bucket } from "../../../node/storage/buckets.js";
import { DatabaseLockedError, NodeDb } from "../../../node/storage/db.js";
import { useTempDirs } from "./tmpdir.js";

const k = (...b: number[]) => Uint8Array.from(b);

async function collect(it: AsyncIterable<[Uint8Array, Uint8Array]>): Promise<Array<[number[], number[]]>> {
  const out: Array<[number[], number[]]> = [];
  for await (const [key, value] of it) out.push([[...key], [...value]]);
  return out;
}

describe("NodeDb", () => {
  const tempDir = useTempDirs();

  it("keeps buckets apart and iterates one bucket with bounds, reverse and limit", async () => {
    const db = await NodeDb.open(await tempDir());
    try {
      const batch = db.batch();
      for (let i = 0; i < 5; i++) batch.put(Bucket.STATE, k(i), k(10 + i));
      batch.put(Bucket.META, k(0xff, 0xff), k(1));
      batch.put(Bucket.BLOCK, k(), k(2));
      batch.put(Bucket.BLOCK, k(0), k(3));
      await batch.write({ sync: false });
      expect(db.getSync(Bucket.STATE, k(3))).toEqual(k(13));
      expect(db.getSync(Bucket.BLOCK, k(3))).toBeUndefined();
      expect(await db.get(Bucket.META, k(0xff, 0xff))).toEqual(k(1));
      expect((await collect(db.iterate(Bucket.STATE))).map(([key]) => key[0])).toEqual([0, 1, 2, 3, 4]);
      expect(await collect(db.iterate(Bucket.STATE, { gte: k(1), lt: k(3) }))).toEqual([
        [[1], [11]],
        [[2], [12]],
      ]);
      expect((await collect(db.iterate(Bucket.STATE, { reverse: true, limit: 2 }))).map(([key]) => key[0])).toEqual([4, 3]);
      expect(await collect(db.iterate(Bucket.META))).toEqual([[[0xff, 0xff], [1]]]);
      expect(await collect(db.iterate(Bucket.BLOCK))).toEqual([
        [[], [2]],
        [[0], [3]],
      ]);
      expect(await collect(db.iterate(Bucket.STATE, { limit: 0 }))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("iterates more entries than one native chunk, stopping early without leaking the iterator", async () => {
    const db = await NodeDb.open(await tempDir());
    try {
      const batch = db.batch();
      for (let i = 0; i < 2500; i++) batch.put(Bucket.STATE, k(i >> 8, i & 0xff), k(1));
      await batch.write({ sync: false });
      expect((await collect(db.iterate(Bucket.STATE))).length).toBe(2500);
      let n = 0;
      for await (const _ of db.iterate(Bucket.STATE)) if (++n === 10) break;
      expect(n).toBe(10);
    } finally {
      await db.close();
    }
  });

  it("applies a batch atomically: nothing before write, everything after, nothing if discarded", async () => {
    const dir = await tempDir();
    let db = await NodeDb.open(dir);
    const batch = db.batch();
    batch.put(Bucket.STATE, k(1), k(1)).put(Bucket.BLOCK, k(1), k(2)).del(Bucket.STATE, k(9));
    expect(batch.length).toBe(3);
    expect(db.getSync(Bucket.STATE, k(1))).toBeUndefined();
    const dropped = db.batch();
    dropped.put(Bucket.STATE, k(2), k(2));
    await dropped.discard();
    await batch.write({ sync: true });
    await expect(batch.write({ sync: true })).rejects.toThrow(/already written/);
    // A batch whose write fails (database closed) leaves nothing behind.
    const failing = db.batch();
    failing.put(Bucket.STATE, k(3), k(3));
    failing.put(Bucket.BLOCK, k(3), k(3));
    await db.close();
    await expect(failing.write({ sync: true })).rejects.toThrow();
    db = await NodeDb.open(dir);
    try {
      expect(db.getSync(Bucket.STATE, k(1))).toEqual(k(1));
      expect(db.getSync(Bucket.BLOCK, k(1))).toEqual(k(2));
      expect(db.getSync(Bucket.STATE, k(2))).toBeUndefined();
      expect(db.getSync(Bucket.STATE, k(3))).toBeUndefined();
      expect(db.getSync(Bucket.BLOCK, k(3))).toBeUndefined();
    } finally {
      await db.close();
    }
  });

  it("explains a locked database instead of failing with a LevelDB code", async () => {
    const dir = await tempDir();
    const db = await NodeDb.open(dir);
    try {
      const second = NodeDb.open(dir);
      await expect(second).rejects.toBeInstanceOf(DatabaseLockedError);
      await expect(NodeDb.open(dir)).rejects.toThrow(`database at ${dir} is in use by another process`);
    } finally {
      await db.close();
    }
    // Once released it opens again.
    const again = await NodeDb.open(dir);
    await again.close();
  });
});
