import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BranchStore, RootStore, memoryStore } from "../../../src/store/index.js";
import { all, keyArb, type Model, modelDelete, modelGet, modelRange, modelSet, valueArb } from "./model.js";

type Op =
  | { t: "set"; key: Uint8Array; value: Uint8Array }
  | { t: "del"; key: Uint8Array }
  | { t: "get"; key: Uint8Array }
  | { t: "iter"; start: Uint8Array | undefined; end: Uint8Array | undefined; reverse: boolean }
  | { t: "iterWhileWriting"; key: Uint8Array; value: Uint8Array; reverse: boolean }
  | { t: "branch" }
  | { t: "write" }
  | { t: "discard" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant("set" as const), key: keyArb, value: valueArb }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("del" as const), key: keyArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("get" as const), key: keyArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("iter" as const),
      start: fc.option(keyArb, { nil: undefined }),
      end: fc.option(keyArb, { nil: undefined }),
      reverse: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant("iterWhileWriting" as const), key: keyArb, value: valueArb, reverse: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("branch" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("write" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("discard" as const) }) },
);

const initialArb = fc.array(fc.tuple(keyArb, valueArb), { maxLength: 20 });

/** Runs ops against a stack of branches and a stack of model maps; checks every observation. */
function run(base: RootStore | undefined, initial: Model, ops: Op[]): { bottom: BranchStore; model: Model } {
  const stores: BranchStore[] = [base ? base.branch() : memoryStore()];
  const models: Model[] = [new Map(initial)];
  const top = () => stores[stores.length - 1] as BranchStore;
  const topModel = () => models[models.length - 1] as Model;
  for (const op of ops) {
    switch (op.t) {
      case "set":
        top().set(op.key, op.value);
        modelSet(topModel(), op.key, op.value);
        break;
      case "del":
        top().delete(op.key);
        modelDelete(topModel(), op.key);
        break;
      case "get":
        expect(top().get(op.key)).toEqual(modelGet(topModel(), op.key));
        expect(top().has(op.key)).toBe(modelGet(topModel(), op.key) !== undefined);
        break;
      case "iter":
        expect(all(top(), op.start, op.end, op.reverse)).toEqual(modelRange(topModel(), op.start, op.end, op.reverse));
        break;
      case "iterWhileWriting": {
        // Writes between next() calls are not seen by the running iterator (and must not break it).
        const expected = modelRange(topModel(), undefined, undefined, op.reverse);
        const seen: Array<[Uint8Array, Uint8Array]> = [];
        let n = 0;
        for (const [k, v] of top().iterate(undefined, undefined, op.reverse)) {
          seen.push([Uint8Array.from(k), Uint8Array.from(v)]);
          if (n++ % 2 === 0) {
            top().delete(k);
            modelDelete(topModel(), k);
          }
          top().set(op.key, op.value);
          modelSet(topModel(), op.key, op.value);
        }
        expect(seen).toEqual(expected);
        break;
      }
      case "branch":
        stores.push(top().branch());
        models.push(new Map(topModel()));
        break;
      case "write":
        if (stores.length > 1) {
          top().write();
          const written = models.pop() as Model;
          models[models.length - 1] = new Map(written);
          models.push(written);
          // The written branch is now empty and reads through to the updated parent.
          expect(top().pendingCount).toBe(0);
        }
        break;
      case "discard":
        top().discard();
        models[models.length - 1] = new Map(models.length > 1 ? models[models.length - 2] : initial);
        break;
    }
  }
  // Fold the remaining stack down, as a block would.
  while (stores.length > 1) {
    (stores.pop() as BranchStore).write();
    const m = models.pop() as Model;
    models[models.length - 1] = m;
  }
  return { bottom: stores[0] as BranchStore, model: models[0] as Model };
}

describe("BranchStore against a Map model", () => {
  it("agrees on get/has/iterate across nested branches, writes and discards (over a memory store)", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const { bottom, model } = run(undefined, new Map(), ops);
        expect(all(bottom)).toEqual(modelRange(model));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees over committed state, and committing its changes gives the model's state and hash", () => {
    fc.assert(
      fc.property(initialArb, fc.array(opArb, { maxLength: 60 }), (initial, ops) => {
        const root = new RootStore();
        const init = memoryStore();
        const initModel: Model = new Map();
        for (const [k, v] of initial) {
          init.set(k, v);
          modelSet(initModel, k, v);
        }
        root.commit(init.changes(), 1n);
        const { bottom, model } = run(root, initModel, ops);
        const changes = bottom.changes();
        for (let i = 1; i < changes.length; i++) {
          expect(Buffer.compare(Buffer.from(changes[i - 1]!.key), Buffer.from(changes[i]!.key))).toBe(-1);
        }
        root.commit(changes, 2n);
        expect(all(root.reader())).toEqual(modelRange(model));
        expect(all(root.reader(), undefined, undefined, true)).toEqual(modelRange(model, undefined, undefined, true));
        expect(root.appHash()).toEqual(RootStore.restore(modelRange(model), 2n).appHash());
      }),
      { numRuns: 300 },
    );
  });
});

describe("BranchStore details", () => {
  it("hides parent keys behind deletes and lists deletes in changes()", () => {
    const parent = memoryStore();
    parent.set(Uint8Array.of(1), Uint8Array.of(10));
    parent.set(Uint8Array.of(2), Uint8Array.of(20));
    const child = parent.branch();
    child.delete(Uint8Array.of(1));
    child.set(Uint8Array.of(3), Uint8Array.of(30));
    expect(child.get(Uint8Array.of(1))).toBeUndefined();
    expect(all(child)).toEqual([
      [Uint8Array.of(2), Uint8Array.of(20)],
      [Uint8Array.of(3), Uint8Array.of(30)],
    ]);
    expect(child.changes()).toEqual([
      { key: Uint8Array.of(1), value: undefined },
      { key: Uint8Array.of(3), value: Uint8Array.of(30) },
    ]);
    // Nothing reached the parent yet.
    expect(parent.get(Uint8Array.of(1))).toEqual(Uint8Array.of(10));
    child.write();
    expect(parent.get(Uint8Array.of(1))).toBeUndefined();
    expect(child.changes()).toEqual([]);
  });

  it("copies values in and out, so callers cannot mutate stored state", () => {
    const store = memoryStore();
    const value = Uint8Array.of(1, 2, 3);
    store.set(Uint8Array.of(0), value);
    value[0] = 99;
    const read = store.get(Uint8Array.of(0)) as Uint8Array;
    expect(read).toEqual(Uint8Array.of(1, 2, 3));
    read[1] = 99;
    expect(store.get(Uint8Array.of(0))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it("refuses to write into a read-only parent", () => {
    const root = new RootStore();
    const branch = root.branch();
    branch.set(Uint8Array.of(1), Uint8Array.of(1));
    expect(() => branch.write()).toThrow(/read-only/);
  });

  it("writes through a foreign KVStore parent", () => {
    const backing = new Map<string, Uint8Array>();
    const foreign = {
      get: (k: Uint8Array) => backing.get(Buffer.from(k).toString("hex")),
      has: (k: Uint8Array) => backing.has(Buffer.from(k).toString("hex")),
      set: (k: Uint8Array, v: Uint8Array) => void backing.set(Buffer.from(k).toString("hex"), v),
      delete: (k: Uint8Array) => void backing.delete(Buffer.from(k).toString("hex")),
      *iterate(): IterableIterator<[Uint8Array, Uint8Array]> {
        const keys = [...backing.keys()].sort();
        for (const k of keys) yield [Buffer.from(k, "hex"), backing.get(k) as Uint8Array];
      },
    };
    foreign.set(Uint8Array.of(5), Uint8Array.of(50));
    const branch = new BranchStore(foreign);
    branch.set(Uint8Array.of(4), Uint8Array.of(40));
    branch.delete(Uint8Array.of(5));
    expect(all(branch)).toEqual([[Uint8Array.of(4), Uint8Array.of(40)]]);
    branch.write();
    expect(backing.get("04")).toEqual(Uint8Array.of(40));
    expect(backing.has("05")).toBe(false);
  });
});
