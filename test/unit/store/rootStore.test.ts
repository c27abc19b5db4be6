import { describe, expect, it } from "vitest";
import { RootStore, type StoreChange } from "../../../src/store/index.js";
import { all } from "./model.js";

const k = (...b: number[]) => Uint8Array.from(b);

describe("RootStore", () => {
  it("starts empty at height 0 and commits a branch's changes", () => {
    const root = new RootStore();
    expect(root.height).toBe(0n);
    expect(root.size).toBe(0);
    const block = root.branch();
    block.set(k(2), k(20));
    block.set(k(1), k(10));
    block.delete(k(3)); // absent: dropped from what gets persisted
    const out = root.commit(block.changes(), 1n);
    expect(out.changes).toEqual([
      { key: k(1), value: k(10) },
      { key: k(2), value: k(20) },
    ]);
    expect(out.appHash).toEqual(root.appHash());
    expect(out.appHash.length).toBe(32);
    expect(root.height).toBe(1n);
    expect(root.size).toBe(2);
    const reader = root.reader();
    expect(reader.get(k(1))).toEqual(k(10));
    expect(reader.has(k(3))).toBe(false);
    expect(all(reader, undefined, undefined, true)).toEqual([
      [k(2), k(20)],
      [k(1), k(10)],
    ]);
    expect(all(reader, k(2))).toEqual([[k(2), k(20)]]);
    expect(all(reader, undefined, k(2))).toEqual([[k(1), k(10)]]);
  });

  it("sorts unsorted changes, the last change of a key winning", () => {
    const root = new RootStore();
    const changes: StoreChange[] = [
      { key: k(5), value: k(1) },
      { key: k(1), value: k(1) },
      { key: k(5), value: undefined },
      { key: k(3), value: k(3) },
      { key: k(1), value: k(2) },
    ];
    const out = root.commit(changes, 1n);
    expect(out.changes).toEqual([
      { key: k(1), value: k(2) },
      { key: k(3), value: k(3) },
    ]);
    const reference = RootStore.restore(
      [
        [k(1), k(2)],
        [k(3), k(3)],
      ],
      1n,
    );
    expect(root.appHash()).toEqual(reference.appHash());
  });

  it("readers, branches and iterators refuse to be used after a later commit", () => {
    const root = new RootStore();
    root.commit([{ key: k(1), value: k(1) }], 1n);
    const reader = root.reader();
    const branch = root.branch();
    const iterating = reader.iterate();
    expect(iterating.next().value).toEqual([k(1), k(1)]);
    root.commit(
      [
        { key: k(1), value: k(9) },
        { key: k(2), value: k(2) },
      ],
      2n,
    );
    expect(() => reader.get(k(1))).toThrow(/after a later commit/);
    expect(() => branch.get(k(1))).toThrow(/after a later commit/);
    expect(() => iterating.next()).toThrow(/after a later commit/);
    expect(root.reader().get(k(1))).toEqual(k(9));
  });

  it("rejects a lower height and malformed changes without changing state", () => {
    const root = new RootStore();
    root.commit([{ key: k(1), value: k(1) }], 3n);
    const hash = root.appHash();
    expect(() => root.commit([], 2n)).toThrow(/below committed height/);
    const bad = [{ key: k(0), value: k(0) }, { key: "x" as unknown as Uint8Array, value: k(1) }];
    expect(() => root.commit(bad, 4n)).toThrow(/Uint8Array/);
    expect(root.appHash()).toEqual(hash);
    expect(root.height).toBe(3n);
    expect(root.reader().has(k(0))).toBe(false);
  });

  it("restores entries and height, and keeps committing from there like a store that never restarted", () => {
    const live = new RootStore();
    for (let h = 1; h <= 5; h++) {
      const changes: StoreChange[] = [];
      for (let i = 0; i < 50; i++) changes.push({ key: k(i, h % 3), value: (i + h) % 7 === 0 ? undefined : k(h, i) });
      live.commit(changes, BigInt(h));
    }
    const restored = RootStore.restore(all(live.reader()), live.height);
    expect(restored.height).toBe(5n);
    expect(restored.appHash()).toEqual(live.appHash());
    const next: StoreChange[] = [
      { key: k(0, 0), value: undefined },
      { key: k(7, 7), value: k(7) },
    ];
    live.commit(next, 6n);
    restored.commit(next, 6n);
    expect(restored.appHash()).toEqual(live.appHash());
    expect(all(restored.reader())).toEqual(all(live.reader()));
  });

  it("a builder is single-use", () => {
    const builder = RootStore.builder();
    builder.add(k(1), k(1));
    builder.finish(1n);
    expect(() => builder.add(k(2), k(2))).toThrow(/already finished/);
  });
});
