import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RootStore, type StoreChange, decodeProof, verifyKeyProof } from "../../../src/store/index.js";
import { compareBytes } from "../../../src/store/bytes.js";
import { keysInOneBucket } from "./reference.js";

const enc = (s: string) => new TextEncoder().encode(s);

/** A state with a crowded bucket (keys c[0..8], every other one present) plus 200 ordinary keys. */
function fixture() {
  const crowded = keysInOneBucket(9, "p");
  const entries: Array<[Uint8Array, Uint8Array]> = [];
  crowded.forEach((k, i) => {
    if (i % 2 === 1) entries.push([k, enc(`crowded ${i}`)]);
  });
  for (let i = 0; i < 200; i++) entries.push([enc(`acct/${i}`), enc(`balance ${i * 7}`)]);
  entries.sort((a, b) => compareBytes(a[0], b[0]));
  return { root: RootStore.restore(entries, 5n), crowded, entries };
}

describe("key proofs", () => {
  const { root, crowded, entries } = fixture();
  const hash = root.appHash();

  it("inclusion proofs verify for every key, and pin the value", () => {
    for (const [key, value] of entries) {
      const { value: got, proof } = root.prove(key);
      expect(got).toEqual(value);
      expect(decodeProof(proof)?.kind).toBe("inclusion");
      expect(verifyKeyProof(hash, key, value, proof)).toBe(true);
      expect(verifyKeyProof(hash, key, undefined, proof)).toBe(false);
      expect(verifyKeyProof(hash, key, Uint8Array.of(...value, 0), proof)).toBe(false);
    }
  });

  it("absence proofs verify in empty buckets and before, between and after keys of a crowded bucket", () => {
    const absent = [...crowded.filter((_, i) => i % 2 === 0), enc("nope"), enc(""), Uint8Array.of(0xff, 0xff)];
    for (const key of absent) {
      const { value, proof } = root.prove(key);
      expect(value).toBeUndefined();
      expect(decodeProof(proof)?.kind).toBe("absence");
      expect(verifyKeyProof(hash, key, undefined, proof)).toBe(true);
      expect(verifyKeyProof(hash, key, enc("x"), proof)).toBe(false);
    }
    // c[0] sorts before every present key of its bucket, c[8] after: both edges are covered.
    const first = decodeProof(root.prove(crowded[0] as Uint8Array).proof);
    const last = decodeProof(root.prove(crowded[8] as Uint8Array).proof);
    expect(first?.kind === "absence" && first.predecessor === undefined && first.successor !== undefined).toBe(true);
    expect(last?.kind === "absence" && last.successor === undefined && last.predecessor !== undefined).toBe(true);
  });

  it("a proof fails for another key, another root, or any flipped, dropped or added byte", () => {
    const cases: Array<[Uint8Array, Uint8Array | undefined]> = [
      [crowded[3] as Uint8Array, enc("crowded 3")],
      [crowded[4] as Uint8Array, undefined],
      [enc("acct/17"), enc(`balance ${17 * 7}`)],
    ];
    for (const [key, value] of cases) {
      const { proof } = root.prove(key);
      expect(verifyKeyProof(hash, key, value, proof)).toBe(true);
      const otherKey = Uint8Array.of(...key, 1);
      expect(verifyKeyProof(hash, otherKey, value, proof)).toBe(false);
      const otherRoot = hash.slice();
      otherRoot[31] = (otherRoot[31] as number) ^ 1;
      expect(verifyKeyProof(otherRoot, key, value, proof)).toBe(false);
      expect(verifyKeyProof(hash.subarray(0, 31), key, value, proof)).toBe(false);
      for (let i = 0; i < proof.length; i++) {
        for (const bit of [0x01, 0x80]) {
          const bad = proof.slice();
          bad[i] = (bad[i] as number) ^ bit;
          expect(verifyKeyProof(hash, key, value, bad), `byte ${i} bit ${bit}`).toBe(false);
        }
      }
      expect(verifyKeyProof(hash, key, value, proof.subarray(0, proof.length - 1))).toBe(false);
      expect(verifyKeyProof(hash, key, value, Uint8Array.of(...proof, 0))).toBe(false);
    }
  });

  it("an absence proof of a key fails once the key is present, and proofs of garbage never throw", () => {
    const store = RootStore.restore(entries, 5n);
    const key = crowded[2] as Uint8Array;
    const { proof: absenceProof } = store.prove(key);
    store.commit([{ key, value: enc("now here") }], 6n);
    const newHash = store.appHash();
    expect(verifyKeyProof(newHash, key, undefined, absenceProof)).toBe(false);
    expect(verifyKeyProof(newHash, key, enc("now here"), absenceProof)).toBe(false);
    const { proof: inclusion } = store.prove(key);
    expect(verifyKeyProof(newHash, key, enc("now here"), inclusion)).toBe(true);
    expect(verifyKeyProof(newHash, key, undefined, inclusion)).toBe(false);
    // Old proofs do not verify against the new root, and vice versa.
    expect(verifyKeyProof(hash, key, enc("now here"), inclusion)).toBe(false);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2500 }), fc.option(fc.uint8Array({ maxLength: 4 }), { nil: undefined }), (bytes, value) => {
        expect(verifyKeyProof(newHash, key, value, bytes)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("proof bytes are deterministic: equal states built differently give identical proofs", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: 1 }), fc.nat(), (subset, pick) => {
        const sortedSubset = [...subset].sort((a, b) => compareBytes(a[0], b[0]));
        const a = RootStore.restore(sortedSubset, 1n);
        const b = new RootStore();
        const changes: StoreChange[] = [...subset].reverse().map(([key, value]) => ({ key, value }));
        b.commit(changes, 1n);
        const key = (subset[pick % subset.length] as [Uint8Array, Uint8Array])[0];
        expect(b.prove(key).proof).toEqual(a.prove(key).proof);
        const missing = enc(`missing ${pick}`);
        expect(b.prove(missing).proof).toEqual(a.prove(missing).proof);
        expect(verifyKeyProof(a.appHash(), missing, undefined, b.prove(missing).proof)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
