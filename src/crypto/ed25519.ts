/**
 * Ed25519 keys, signing and verification for validator votes, via node:crypto with raw 32-byte keys.
 * Verification must match CometBFT's ZIP-215 rules (curve25519-voi), or validators could disagree on a vote.
 * OpenSSL's stricter check accepts a subset of what ZIP-215 accepts, so a signature OpenSSL rejects is
 * re-checked with noble's ZIP-215 verifier; honest traffic only ever takes the fast path.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesKey, LruCache } from "./lru.js";

/** DER prefixes that wrap raw ed25519 keys: PKCS#8 for a 32-byte seed, SPKI for a 32-byte public key. */
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

const publicKeys = new LruCache<string, KeyObject | null>(10_000);
// A node holds one or two signing keys; the cache only avoids re-parsing them per vote.
const privateKeys = new LruCache<string, KeyObject>(16);

function privateKeyObject(seed: Uint8Array): KeyObject {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new Error("ed25519 seed must be 32 bytes");
  const cacheKey = bytesKey(seed);
  let key = privateKeys.get(cacheKey);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
    privateKeys.set(cacheKey, key);
  }
  return key;
}

function publicKeyObject(pub: Uint8Array): KeyObject | null {
  const cacheKey = bytesKey(pub);
  const cached = publicKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  let key: KeyObject | null;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: "der", type: "spki" });
  } catch {
    key = null;
  }
  publicKeys.set(cacheKey, key);
  return key;
}

/** The 32-byte public key of a 32-byte seed (RFC 8032 private key). */
export function ed25519PublicKeyFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyObject(seed)).export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** A 64-byte RFC 8032 signature of msg. */
export function signEd25519(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, msg, privateKeyObject(seed)));
}

/** True when sig is a valid signature of msg by pub under ZIP-215 rules; false (never throws) otherwise. */
export function verifyEd25519(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (!(pub instanceof Uint8Array && msg instanceof Uint8Array && sig instanceof Uint8Array)) return false;
  if (pub.length !== 32 || sig.length !== 64) return false;
  const key = publicKeyObject(pub);
  if (key !== null) {
    try {
      if (verify(null, msg, key, sig)) return true;
    } catch {
      // fall through to the ZIP-215 check
    }
  }
  try {
    return ed25519.verify(sig, msg, pub, { zip215: true });
  } catch {
    return false;
  }
}
