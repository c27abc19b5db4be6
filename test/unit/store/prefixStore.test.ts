import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BranchStore, PrefixStore, RootStore, memoryStore } from "../../../src/store/index.js";
import { compareBytes, concatBytes } from "../../../src/store/bytes.js";
import { all, keyArb, type Model, modelRange, modelSet, valueArb } from "./model.js";

const prefixArb = fc.oneof(
  fc.constantFrom(Uint8Array.of(), Uint8Array.of(0xff), Uint8Array.of(0xff, 0xff), Uint8Array.of(1, 0xff), Uint8Array.of(0)),
  keyArb,
);

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  return key.length >= prefix.length && compareBytes(key.subarray(0, prefix.length), prefix) === 0;
}

describe("PrefixStore", () => {
  it("sees exactly the parent's keys under its prefix, stripped, in both directions and within bounds", () => {
    fc.assert(
      fc.property(
        prefixArb,
        fc.array(fc.tuple(keyArb, keyArb, valueArb), { maxLength: 30 }),
        fc.option(keyArb, { nil: undefined }),
        fc.option(keyArb, { nil: undefined }),
        fc.boolean(),
        (prefix, writes, start, end, reverse) => {
          const parent = memoryStore();
          const model: Model = new Map();
          for (const [a, b, v] of writes) {
            const key = concatBytes(a, b);
            parent.set(key, v);
            if (startsWith(key, prefix)) modelSet(model, key.subarray(prefix.length), v);
          }
          const store = new PrefixStore(parent, prefix);
          expect(all(store, start, end, reverse)).toEqual(modelRange(model, start, end, reverse));
          for (const [a] of writes) expect(store.get(a)).toEqual(parent.get(concatBytes(prefix, a)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("writes land under the prefix in the parent", () => {
    const parent = memoryStore();
    const store = new PrefixStore(parent, Uint8Array.of(0xff));
    store.set(Uint8Array.of(1), Uint8Array.of(9));
    store.set(Uint8Array.of(0xff), Uint8Array.of(8));
    parent.set(Uint8Array.of(0xfe, 0xff), Uint8Array.of(7));
    expect(all(parent)).toEqual([
      [Uint8Array.of(0xfe, 0xff), Uint8Array.of(7)],
      [Uint8Array.of(0xff, 1), Uint8Array.of(9)],
      [Uint8Array.of(0xff, 0xff), Uint8Array.of(8)],
    ]);
    expect(all(store, undefined, undefined, true)).toEqual([
      [Uint8Array.of(0xff), Uint8Array.of(8)],
      [Uint8Array.of(1), Uint8Array.of(9)],
    ]);
    store.delete(Uint8Array.of(1));
    expect(parent.has(Uint8Array.of(0xff, 1))).toBe(false);
    expect(store.prefix).toEqual(Uint8Array.of(0xff));
  });

  it("nests, and a branch over a prefix store writes back through it", () => {
    const root = new RootStore();
    const block = root.branch();
    const outer = new PrefixStore(block, Uint8Array.of(1));
    const inner = new PrefixStore(outer, Uint8Array.of(2));
    inner.set(Uint8Array.of(3), Uint8Array.of(4));
    expect(block.get(Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(4));
    const txBranch = new BranchStore(inner);
    txBranch.set(Uint8Array.of(5), Uint8Array.of(6));
    expect(block.has(Uint8Array.of(1, 2, 5))).toBe(false);
    txBranch.write();
    expect(block.get(Uint8Array.of(1, 2, 5))).toEqual(Uint8Array.of(6));
    root.commit(block.changes(), 1n);
    expect(all(new PrefixStore(root.branch(), Uint8Array.of(1, 2)))).toEqual([
      [Uint8Array.of(3), Uint8Array.of(4)],
      [Uint8Array.of(5), Uint8Array.of(6)],
    ]);
  });
});
