import { describe, expect, it } from "vitest";
import { RootStore, type StoreChange } from "../../../src/store/index.js";
import { Bucket } from "../../../node/storage/buckets.js";
import { NodeDb } from "../../../node/storage/db.js";
import {
  getStateHeight,
  loadRootStore,
  loadState,
  putStateChanges,
  putStateHeight,
} from "../../../node/storage/stateStore.js";
import { useTempDirs } from "./tmpdir.js";

const enc = (s: string) => new TextEncoder().encode(s);

/** Deterministic pseudo-random block changes: inserts, overwrites and deletes over a shifting key set. */
function blockChanges(height: number): StoreChange[] {
  const changes: StoreChange[] = [];
  for (let i = 0; i < 300; i++) {
    const id = (i * 7919 + height * 104729) % 1000;
    const key = enc(`bank/balances/${id.toString().padStart(4, "0")}`);
    changes.push({ key, value: (id + height) % 5 === 0 ? undefined : enc(`${height}:${id}`) });
  }
  return changes;
}

describe("state persistence", () => {
  const tempDir = useTempDirs();

  it("a restart restores the same state, height and app hash from LevelDB", async () => {
    const dir = await tempDir();
    let db = await NodeDb.open(dir);
    const live = new RootStore();
    expect(getStateHeight(db)).toBe(0n);
    for (let h = 1n; h <= 8n; h++) {
      const branch = live.branch();
      for (const c of blockChanges(Number(h))) {
        if (c.value === undefined) branch.delete(c.key);
        else branch.set(c.key, c.value);
      }
      const { changes } = live.commit(branch.changes(), h);
      const batch = db.batch();
      batch.put(Bucket.BLOCK, enc(`block ${h}`), enc("..."));
      putStateChanges(batch, changes);
      putStateHeight(batch, h);
      await batch.write({ sync: true });
    }
    await db.close();

    db = await NodeDb.open(dir);
    try {
      const restored = await loadRootStore(db);
      expect(restored.height).toBe(8n);
      expect(restored.appHash()).toEqual(live.appHash());
      expect(restored.size).toBe(live.size);
      const entries = await loadState(db);
      expect(entries.length).toBe(live.size);
      expect(RootStore.restore(entries, 8n).appHash()).toEqual(live.appHash());
      // The state bucket holds nothing but state: no block keys leaked in.
      expect(entries.every(([k]) => new TextDecoder().decode(k).startsWith("bank/"))).toBe(true);
    } finally {
      await db.close();
    }
  });

  it("state written in an unwritten batch is not there after a restart", async () => {
    const dir = await tempDir();
    let db = await NodeDb.open(dir);
    const root = new RootStore();
    const first = root.commit([{ key: enc("a"), value: enc("1") }], 1n);
    const batch1 = db.batch();
    putStateChanges(batch1, first.changes);
    putStateHeight(batch1, 1n);
    await batch1.write({ sync: true });
    const hashAt1 = root.appHash();
    // Block 2 commits in memory but the node dies before its batch is written.
    const second = root.commit([{ key: enc("a"), value: undefined }, { key: enc("b"), value: enc("2") }], 2n);
    const batch2 = db.batch();
    putStateChanges(batch2, second.changes);
    putStateHeight(batch2, 2n);
    await batch2.discard();
    await db.close();
    db = await NodeDb.open(dir);
    try {
      const restored = await loadRootStore(db);
      expect(restored.height).toBe(1n);
      expect(restored.appHash()).toEqual(hashAt1);
    } finally {
      await db.close();
    }
  });
});
