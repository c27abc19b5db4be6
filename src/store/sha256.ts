/**
 * SHA-256 for the store. One-shot `crypto.hash` is the fastest path in Node 20 for small inputs (~1 µs, mostly
 * call overhead), which is why the commitment is shaped to need few calls rather than short inputs.
 */
import { hash } from "node:crypto";
import type { Bytes } from "./types.js";

export function sha256(data: Bytes): Uint8Array {
  return hash("sha256", data, "buffer");
}
