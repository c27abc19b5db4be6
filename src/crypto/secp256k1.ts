/**
 * secp256k1 ECDSA verification for SIGN_MODE_DIRECT, with the Cosmos SDK / CometBFT acceptance rules:
 * 64-byte r||s, 0 < r < n, 0 < s <= n/2 (low-S), and a valid 33-byte compressed public key.
 * OpenSSL (node:crypto) does the curve arithmetic, about 4x faster than noble; it accepts high-S and does not
 * validate points the way we need, so those checks happen here first.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesKey, LruCache } from "./lru.js";

const N = secp256k1.Point.CURVE().n;

function toBytes32(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, "0"), "hex");
}

const N_BYTES = toBytes32(N);
const HALF_N_BYTES = toBytes32(N >> 1n);
const ZERO_32 = Buffer.alloc(32);

/** DER SubjectPublicKeyInfo header for an id-ecPublicKey on secp256k1 with a 33-byte compressed point. */
const SPKI_PREFIX = Buffer.from("3036301006072a8648ce3d020106052b8104000a032200", "hex");

/** Parsed public keys, or null for bytes known to be invalid. Bounded: keys come from untrusted txs. */
const keyCache = new LruCache<string, KeyObject | null>(10_000);

function parsePublicKey(pubKey: Uint8Array): KeyObject | null {
  if (pubKey.length !== 33 || (pubKey[0] !== 0x02 && pubKey[0] !== 0x03)) return null;
  const cacheKey = bytesKey(pubKey);
  const cached = keyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let key: KeyObject | null = null;
  try {
    secp256k1.Point.fromBytes(pubKey).assertValidity(); // on the curve, x < p, not the identity
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pubKey]), format: "der", type: "spki" });
  } catch {
    key = null;
  }
  keyCache.set(cacheKey, key);
  return key;
}

/** True for a 33-byte compressed encoding of a point on secp256k1. */
export function isValidSecp256k1PubKey(pubKey: Uint8Array): boolean {
  return parsePublicKey(pubKey) !== null;
}

/** r||s with 0 < r < n and 0 < s <= n/2. */
function isCanonicalSignature(sig: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  const buf = Buffer.from(sig.buffer, sig.byteOffset, 64);
  const r = buf.subarray(0, 32);
  const s = buf.subarray(32, 64);
  return (
    !r.equals(ZERO_32) && Buffer.compare(r, N_BYTES) < 0 && !s.equals(ZERO_32) && Buffer.compare(s, HALF_N_BYTES) <= 0
  );
}

/**
 * Verifies a SIGN_MODE_DIRECT signature: ECDSA over SHA-256(signBytes) by the 33-byte compressed pubKey,
 * as 64-byte r||s in low-S form. Returns false (never throws) for any malformed input.
 */
export function verifySecp256k1(pubKey: Uint8Array, signBytes: Uint8Array, sig: Uint8Array): boolean {
  if (!(pubKey instanceof Uint8Array && signBytes instanceof Uint8Array && sig instanceof Uint8Array)) return false;
  if (!isCanonicalSignature(sig)) return false;
  const key = parsePublicKey(pubKey);
  if (key === null) return false;
  try {
    return verify("sha256", signBytes, { key, dsaEncoding: "ieee-p1363" }, sig);
  } catch {
    return false;
  }
}
