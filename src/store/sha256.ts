/**
 * SHA-256 for the store. One-shot `crypto.hash` is the fastest path in Node 20 for small inputs (~1 µs, mostly
 * call overhead), which is why the commitment is shaped to need few calls rather than short inputs.
 */
import { hash } from "node:crypto";
import type { Bytes } from "./types.js";

/** The digest as a plain Uint8Array view (no Buffer leaks out of the store: equality checks stay simple). */
export function sha256(data: Bytes): Uint8Array {
  const digest = hash("sha256", data, "buffer");
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}
