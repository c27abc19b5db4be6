/** Hash functions used for addresses, tx hashes and Merkle roots. */
import { createHash } from "node:crypto";
import { ripemd160 as nobleRipemd160 } from "@noble/hashes/legacy.js";

export function sha256(bytes: Uint8Array): Uint8Array {
  // Copy out of the Buffer so that callers get a plain Uint8Array (Buffer compares unequal in deep equality).
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

/** RIPEMD-160 via noble: OpenSSL 3 only offers it through the legacy provider. */
export function ripemd160(bytes: Uint8Array): Uint8Array {
  return nobleRipemd160(bytes);
}
