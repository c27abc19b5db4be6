/**
 * SHA-256 for the store. One-shot `crypto.hash` is the fastest path in Node 20 for small inputs; asking it for a
 * "binary" (latin1) string instead of a Buffer halves the cost (~0.45 µs vs ~1.1 µs per call at 100 bytes) because no
 * ArrayBuffer is allocated per digest. The commitment is shaped to need few calls rather than short inputs.
 */
import { hash } from "node:crypto";
import type { Bytes } from "./types.js";

export const DIGEST_BYTES = 32;

/** Writes the digest of `data` into `out` at `at`. */
export function sha256Into(data: Bytes, out: Uint8Array, at: number): void {
  const digest = hash("sha256", data, "binary");
  for (let i = 0; i < DIGEST_BYTES; i++) out[at + i] = digest.charCodeAt(i);
}

export function sha256(data: Bytes): Uint8Array {
  const out = new Uint8Array(DIGEST_BYTES);
  sha256Into(data, out, 0);
  return out;
}
