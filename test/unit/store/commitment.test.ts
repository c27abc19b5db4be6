import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EMPTY_HASHES, RootStore, type StoreChange, bucketOfKey, leafHash } from "../../../src/store/index.js";
import { compareBytes } from "../../../src/store/bytes.js";
import { findKey, searchKeys } from "../../../src/store/buckets.js";
import { keyHash32 } from "../../../src/store/hashing.js";
import { keysInOneBucket, murmur3, referenceBucket, referenceLeaf, referenceRoot } from "./reference.js";

type Entry = [Uint8Array, Uint8Array];

const entryKeyArb = fc.uint8Array({ minLength: 0, maxLength: 6 });
const valArb = fc.uint8Array({ maxLength: 10 });
/** A final state: distinct keys with values. */
const stateArb = fc
  .uniqueArray(fc.tuple(entryKeyArb, valArb), { selector: ([k]) => Buffer.from(k).toString("hex"), maxLength: 25 })
  .map((entries) => entries.sort((a, b) => compareBytes(a[0], b[0])) as Entry[]);

function sorted(changes: StoreChange[]): StoreChange[] {
  return [...changes].sort((a, b) => compareBytes(a.key, b.key));
}

/** Splits `ops` into consecutive blocks at the given cut points, committing each block in key order. */
function commitInBlocks(root: RootStore, ops: StoreChange[], cuts: number[]): void {
  const points = [...new Set(cuts.map((c) => c % (ops.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, ops.length]) {
    if (to < from) continue;
    // Within a block, the last change of a key wins: use a branch to collapse them like the app would.
    const branch = root.branch();
    for (const op of ops.slice(from, to)) {
      if (op.value === undefined) branch.delete(op.key);
      else branch.set(op.key, op.value);
    }
    root.commit(branch.changes(), root.height + 1n);
    from = to;
  }
}

describe("bucket hash", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  it("is MurmurHash3_x86_32 (published test vectors)", () => {
    expect(murmur3(utf8(""), 1)).toBe(0x514e28b7);
    expect(murmur3(utf8(""), 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3(Uint8Array.of(0, 0, 0, 0), 0)).toBe(0x2362f9de);
    expect(murmur3(utf8("aaaa"), 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3(utf8("Hello, world!"), 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3(utf8("The quick brown fox jumps over the lazy dog"), 0x9747b28c)).toBe(0x2fa826cd);
    expect(keyHash32(utf8(""))).toBe(0);
    expect(keyHash32(Uint8Array.of(0, 0, 0, 0))).toBe(0x2362f9de);
  });
  it("matches the reference for every length and byte pattern", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (key) => {
        expect(keyHash32(key)).toBe(murmur3(key));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("commitment scheme", () => {
  it("matches the naive reference implementation of the documented scheme", () => {
    expect(new RootStore().appHash()).toEqual(new Uint8Array(referenceRoot([])));
    expect(new RootStore().appHash()).toEqual(EMPTY_HASHES[0]);
    const key = Uint8Array.of(1, 2, 3);
    expect(bucketOfKey(key)).toBe(referenceBucket(key));
    expect(leafHash(key, Uint8Array.of(9))).toEqual(new Uint8Array(referenceLeaf(key, Uint8Array.of(9))));
    fc.assert(
      fc.property(stateArb, stateArb, (a, b) => {
        const root = RootStore.restore(a, 1n);
        expect(root.appHash()).toEqual(new Uint8Array(referenceRoot(a)));
        // Replace state a by state b incrementally.
        const bKeys = new Set(b.map(([k]) => Buffer.from(k).toString("hex")));
        const changes: StoreChange[] = [
          ...a.filter(([k]) => !bKeys.has(Buffer.from(k).toString("hex"))).map(([key]) => ({ key, value: undefined })),
          ...b.map(([key, value]) => ({ key, value })),
        ];
        root.commit(sorted(changes), 2n);
        expect(root.appHash()).toEqual(new Uint8Array(referenceRoot(b)));
      }),
      { numRuns: 40 },
    );
  });

  it("depends only on the final state, not on write order, block boundaries or history", () => {
    const historyArb = fc.record({
      junk: fc.array(fc.tuple(entryKeyArb, valArb), { maxLength: 10 }),
      temps: fc.array(valArb, { maxLength: 25 }),
      seed1: fc.array(fc.nat(), { maxLength: 5 }),
      seed2: fc.array(fc.nat(), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(stateArb, historyArb, fc.infiniteStream(fc.nat()), (final, h, shuffle) => {
        const finalKeys = new Set(final.map(([k]) => Buffer.from(k).toString("hex")));
        const junk = h.junk.filter(([k]) => !finalKeys.has(Buffer.from(k).toString("hex")));
        // Phase 1: temporary values for final keys, junk keys, some deletes of final keys.
        const phase1: StoreChange[] = [
          ...final.map(([key], i) => ({ key, value: h.temps[i] })),
          ...junk.map(([key, value]) => ({ key, value })),
        ];
        // Phase 2: final values, junk removed.
        const phase2: StoreChange[] = [
          ...final.map(([key, value]) => ({ key, value })),
          ...junk.map(([key]) => ({ key, value: undefined })),
        ];
        const it = shuffle[Symbol.iterator]();
        const shuffled = (xs: StoreChange[]) =>
          xs
            .map((x) => ({ x, r: it.next().value as number }))
            .sort((p, q) => p.r - q.r)
            .map((p) => p.x);
        const root = new RootStore();
        commitInBlocks(root, shuffled(phase1), h.seed1);
        commitInBlocks(root, shuffled(phase2), h.seed2);
        const restored = RootStore.restore(final, 7n);
        expect(root.appHash()).toEqual(restored.appHash());
        expect(root.size).toBe(final.length);
      }),
      { numRuns: 200 },
    );
  });

  it("handles inserts, updates and deletes in the middle of a crowded bucket", () => {
    const keys = keysInOneBucket(9);
    const b = bucketOfKey(keys[0] as Uint8Array);
    for (const k of keys) expect(bucketOfKey(k)).toBe(b);
    const value = (i: number, round: number) => Uint8Array.of(i, round);
    const state = new Map<number, Uint8Array>();
    const root = new RootStore();
    // Rounds that add every other key, then fill the gaps, update some, delete from the middle and both ends.
    const rounds: Array<Array<[number, boolean]>> = [
      [[1, true], [3, true], [5, true], [7, true]],
      [[0, true], [2, true], [4, true], [6, true], [8, true], [3, true]],
      [[4, false], [0, false], [8, false], [5, true]],
      [[1, false], [2, false], [3, false], [5, false], [6, false], [7, false]],
      [[4, true]],
    ];
    rounds.forEach((round, r) => {
      const changes: StoreChange[] = round.map(([i, set]) => ({ key: keys[i] as Uint8Array, value: set ? value(i, r) : undefined }));
      for (const [i, set] of round) {
        if (set) state.set(i, value(i, r));
        else state.delete(i);
      }
      root.commit(sorted(changes), BigInt(r + 1));
      const entries: Entry[] = [...state.entries()].map(([i, v]) => [keys[i] as Uint8Array, v]);
      expect(root.appHash()).toEqual(new Uint8Array(referenceRoot(entries)));
    });
  });

  it("keeps a crowded bucket right through random rounds of inserts, updates and deletes", () => {
    const keys = keysInOneBucket(12, "r");
    const roundArb = fc.array(fc.tuple(fc.nat({ max: 11 }), fc.option(fc.uint8Array({ maxLength: 3 }), { nil: undefined })), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.array(roundArb, { minLength: 1, maxLength: 8 }), (rounds) => {
        const root = new RootStore();
        const state = new Map<number, Uint8Array>();
        rounds.forEach((round, r) => {
          const branch = root.branch();
          for (const [i, value] of round) {
            if (value === undefined) {
              branch.delete(keys[i] as Uint8Array);
              state.delete(i);
            } else {
              branch.set(keys[i] as Uint8Array, value);
              state.set(i, value);
            }
          }
          root.commit(branch.changes(), BigInt(r + 1));
        });
        const entries: Entry[] = [...state.entries()].map(([i, v]) => [keys[i] as Uint8Array, v]);
        expect(root.appHash()).toEqual(new Uint8Array(referenceRoot(entries)));
      }),
      { numRuns: 40 },
    );
  });

  it("restores from unsorted input to the same hash, and rejects duplicate keys", () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const reversed = [...state].reverse();
        expect(RootStore.restore(reversed, 1n).appHash()).toEqual(RootStore.restore(state, 1n).appHash());
      }),
      { numRuns: 100 },
    );
    const dup: Entry[] = [
      [Uint8Array.of(2), Uint8Array.of(1)],
      [Uint8Array.of(1), Uint8Array.of(1)],
      [Uint8Array.of(2), Uint8Array.of(3)],
    ];
    expect(() => RootStore.restore(dup, 1n)).toThrow(/duplicate/);
  });

  it("changes with any value change and comes back when the change is reverted", () => {
    const root = new RootStore();
    root.commit([{ key: Uint8Array.of(1), value: Uint8Array.of(1) }], 1n);
    const h1 = root.appHash();
    root.commit([{ key: Uint8Array.of(1), value: Uint8Array.of(2) }], 2n);
    const h2 = root.appHash();
    expect(h2).not.toEqual(h1);
    root.commit([{ key: Uint8Array.of(1), value: Uint8Array.of(1) }], 3n);
    expect(root.appHash()).toEqual(h1);
    // An empty value is a value, distinct from absence.
    root.commit([{ key: Uint8Array.of(1), value: new Uint8Array(0) }], 4n);
    expect(root.appHash()).not.toEqual(EMPTY_HASHES[0]);
    root.commit([{ key: Uint8Array.of(1), value: undefined }], 5n);
    expect(root.appHash()).toEqual(EMPTY_HASHES[0]);
  });
});

describe("finding a key in a bucket", () => {
  const keys = Array.from({ length: 100 }, (_, i) => `key-${i.toString().padStart(3, "0")}`);
  it("scans fingerprints in small buckets, skipping fingerprint collisions of other keys", () => {
    const small = keys.slice(0, 10);
    const fps = new Uint32Array(small.length).fill(7); // every fingerprint collides
    expect(findKey(small, fps, "key-004", 7)).toBe(4);
    expect(findKey(small, fps, "key-004", 8)).toBe(-1); // a wrong fingerprint never matches
    expect(findKey(small, fps, "key-999", 7)).toBe(-1);
  });
  it("binary-searches large buckets", () => {
    const fps = new Uint32Array(keys.length);
    expect(findKey(keys, fps, "key-077", 12345)).toBe(77);
    expect(findKey(keys, fps, "key-0770", 0)).toBe(-1);
    expect(searchKeys(keys, "key-0770")).toBe(~78);
  });
});
