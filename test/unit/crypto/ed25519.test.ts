import { ed25519 } from "@noble/curves/ed25519.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ed25519PublicKeyFromSeed, signEd25519, verifyEd25519 } from "../../../src/crypto/index.js";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

describe("ed25519", () => {
  it("matches RFC 8032 test vector 1", () => {
    const seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    const pub = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    const sig = hex(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
    expect(ed25519PublicKeyFromSeed(seed)).toEqual(pub);
    expect(signEd25519(seed, new Uint8Array(0))).toEqual(sig);
    expect(verifyEd25519(pub, new Uint8Array(0), sig)).toBe(true);
  });

  it("agrees with noble on keys, signatures and verification of random and tampered inputs", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.nat({ max: 63 }),
        fc.boolean(),
        (seed, msg, index, tamper) => {
          const pub = ed25519PublicKeyFromSeed(seed);
          expect(pub).toEqual(ed25519.getPublicKey(seed));
          const sig = signEd25519(seed, msg);
          expect(sig).toEqual(ed25519.sign(msg, seed));
          if (tamper) sig[index]! ^= 0x10;
          const expected = ed25519.verify(sig, msg, pub, { zip215: true });
          expect(verifyEd25519(pub, msg, sig)).toBe(expected);
          if (!tamper) expect(expected).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("rejects a wrong key, wrong message and bad lengths", () => {
    const seed = new Uint8Array(32).fill(7);
    const pub = ed25519PublicKeyFromSeed(seed);
    const msg = new TextEncoder().encode("vote");
    const sig = signEd25519(seed, msg);
    expect(verifyEd25519(pub, msg, sig)).toBe(true);
    expect(verifyEd25519(ed25519PublicKeyFromSeed(new Uint8Array(32).fill(8)), msg, sig)).toBe(false);
    expect(verifyEd25519(pub, new TextEncoder().encode("vote!"), sig)).toBe(false);
    expect(verifyEd25519(pub, msg, sig.subarray(0, 63))).toBe(false);
    expect(verifyEd25519(pub.subarray(0, 31), msg, sig)).toBe(false);
    expect(verifyEd25519("x" as unknown as Uint8Array, msg, sig)).toBe(false);
    expect(() => signEd25519(new Uint8Array(31), msg)).toThrow();
  });

  it("rejects a non-canonical S (s + L), as CometBFT does", () => {
    const seed = new Uint8Array(32).fill(3);
    const msg = new Uint8Array([1, 2, 3]);
    const sig = signEd25519(seed, msg);
    const L = ed25519.Point.CURVE().n;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]!);
    const bumped = s + L;
    const out = new Uint8Array(sig);
    for (let i = 0; i < 32; i++) out[32 + i] = Number((bumped >> BigInt(8 * i)) & 0xffn);
    expect(verifyEd25519(ed25519PublicKeyFromSeed(seed), msg, out)).toBe(false);
  });

  it("follows ZIP-215 where OpenSSL is stricter (small-order R, identity A)", () => {
    // R = a point of order 8, A = identity, s = 0: the cofactored equation holds, the cofactorless one does not.
    const pub = hex("0100000000000000000000000000000000000000000000000000000000000000");
    const sig = new Uint8Array([...hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), ...new Uint8Array(32)]);
    const msg = new TextEncoder().encode("zip215");
    expect(ed25519.verify(sig, msg, pub, { zip215: false })).toBe(false);
    expect(ed25519.verify(sig, msg, pub, { zip215: true })).toBe(true);
    expect(verifyEd25519(pub, msg, sig)).toBe(true);
  });
});
