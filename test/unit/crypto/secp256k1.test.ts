import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { DirectSecp256k1HdWallet, makeSignBytes } from "@cosmjs/proto-signing";
import { fromBase64 } from "@cosmjs/encoding";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SignDoc } from "../../../src/codec/index.js";
import { isValidSecp256k1PubKey, sha256, verifySecp256k1 } from "../../../src/crypto/index.js";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const N = secp256k1.Point.CURVE().n;
const P = secp256k1.Point.CURVE().p;

const toBytes32 = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, "0"), "hex"));
const toBigInt = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString("hex")}`);
const withRS = (r: bigint, s: bigint) => new Uint8Array([...toBytes32(r), ...toBytes32(s)]);

let pubKey: Uint8Array;
let signBytes: Uint8Array;
let sig: Uint8Array;

beforeAll(async () => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "vanna" });
  const [account] = await wallet.getAccounts();
  pubKey = account!.pubkey;
  const doc = { bodyBytes: new Uint8Array([10, 2, 1, 2]), authInfoBytes: new Uint8Array([18, 0]), chainId: "vanna-1", accountNumber: 5n };
  const signed = await wallet.signDirect(account!.address, doc);
  signBytes = SignDoc.encode(doc);
  expect(signBytes).toEqual(makeSignBytes(doc));
  sig = fromBase64(signed.signature.signature);
});

describe("verifySecp256k1", () => {
  it("accepts a cosmjs SIGN_MODE_DIRECT signature", () => {
    expect(verifySecp256k1(pubKey, signBytes, sig)).toBe(true);
    expect(verifySecp256k1(pubKey, signBytes, sig)).toBe(true); // cached key path
  });

  it("rejects the high-S twin (s' = n - s) that plain OpenSSL accepts", () => {
    const r = toBigInt(sig.subarray(0, 32));
    const s = toBigInt(sig.subarray(32));
    const twin = withRS(r, N - s);
    const spki = Buffer.concat([Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex"), pubKey]);
    const key = createPublicKey({ key: spki, format: "der", type: "spki" });
    expect(nodeVerify("sha256", signBytes, { key, dsaEncoding: "ieee-p1363" }, twin)).toBe(true);
    expect(verifySecp256k1(pubKey, signBytes, twin)).toBe(false);
  });

  it("rejects a wrong key or a wrong message", () => {
    const other = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
    expect(verifySecp256k1(other, signBytes, sig)).toBe(false);
    expect(verifySecp256k1(pubKey, new Uint8Array([...signBytes, 0]), sig)).toBe(false);
    expect(verifySecp256k1(pubKey, sha256(signBytes), sig)).toBe(false); // already-hashed input is not accepted
  });

  it("rejects truncated, overlong and out-of-range signatures", () => {
    const r = toBigInt(sig.subarray(0, 32));
    const s = toBigInt(sig.subarray(32));
    expect(verifySecp256k1(pubKey, signBytes, sig.subarray(0, 63))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, new Uint8Array([...sig, 0]))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, new Uint8Array(0))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, withRS(0n, s))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, withRS(r, 0n))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, withRS(r, N))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, withRS(N, s))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, withRS(r + N < 1n << 256n ? r + N : N + 1n, s))).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, withRS(r, (1n << 256n) - 1n))).toBe(false);
  });

  it("rejects uncompressed, malformed and off-curve public keys", () => {
    const uncompressed = secp256k1.Point.fromBytes(pubKey).toBytes(false);
    expect(uncompressed).toHaveLength(65);
    expect(verifySecp256k1(uncompressed, signBytes, sig)).toBe(false);
    expect(verifySecp256k1(new Uint8Array([0x04, ...pubKey.subarray(1)]), signBytes, sig)).toBe(false);
    expect(verifySecp256k1(new Uint8Array([0x05, ...pubKey.subarray(1)]), signBytes, sig)).toBe(false);
    expect(verifySecp256k1(pubKey.subarray(0, 32), signBytes, sig)).toBe(false);
    expect(verifySecp256k1(new Uint8Array(33), signBytes, sig)).toBe(false);
    expect(verifySecp256k1(new Uint8Array([0x02, ...toBytes32(P)]), signBytes, sig)).toBe(false); // x = p
    const offCurve = offCurveX();
    expect(verifySecp256k1(new Uint8Array([0x02, ...toBytes32(offCurve)]), signBytes, sig)).toBe(false);
  });

  it("never throws on junk arguments", () => {
    const junk = "x" as unknown as Uint8Array;
    expect(verifySecp256k1(junk, signBytes, sig)).toBe(false);
    expect(verifySecp256k1(pubKey, junk, sig)).toBe(false);
    expect(verifySecp256k1(pubKey, signBytes, junk)).toBe(false);
  });

  it("agrees with noble (lowS) on random keys, messages and signature tampering", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 48, maxLength: 48 }),
        fc.uint8Array({ maxLength: 100 }),
        fc.nat({ max: 63 }),
        fc.boolean(),
        (seed, msg, index, tamper) => {
          const secret = secp256k1.utils.randomSecretKey(seed);
          const pub = secp256k1.getPublicKey(secret, true);
          const signature = secp256k1.sign(msg, secret, { prehash: true, lowS: true });
          if (tamper) signature[index]! ^= 1;
          const expected = secp256k1.verify(signature, msg, pub, { prehash: true, lowS: true });
          expect(verifySecp256k1(pub, msg, signature)).toBe(expected);
          if (!tamper) expect(expected).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("isValidSecp256k1PubKey", () => {
  it("accepts compressed keys and rejects everything else", () => {
    expect(isValidSecp256k1PubKey(pubKey)).toBe(true);
    expect(isValidSecp256k1PubKey(secp256k1.Point.fromBytes(pubKey).toBytes(false))).toBe(false);
    expect(isValidSecp256k1PubKey(new Uint8Array([0x03, ...toBytes32(offCurveX())]))).toBe(false);
    expect(isValidSecp256k1PubKey(new Uint8Array(0))).toBe(false);
  });
});

/** The smallest x for which x^3 + 7 has no square root mod p (so no point has that x). */
function offCurveX(): bigint {
  for (let x = 1n; ; x++) {
    try {
      secp256k1.Point.fromBytes(new Uint8Array([0x02, ...toBytes32(x)]));
    } catch {
      return x;
    }
  }
}
