/**
 * An independent, deliberately naive implementation of the documented commitment scheme (src/store/hashing.ts)
 * and helpers to find keys that share a bucket. Written from the spec text, not from the implementation.
 */
import { createHash } from "node:crypto";

function sha(...parts: Uint8Array[]): Buffer {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

function uvarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

export function referenceBucket(key: Uint8Array): number {
  const h = sha(key);
  return h.readUInt16BE(0);
}

export function referenceLeaf(key: Uint8Array, value: Uint8Array): Buffer {
  return sha(Uint8Array.of(0), uvarint(key.length), key, uvarint(value.length), value);
}

export function referenceRoot(entries: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): Buffer {
  const buckets = new Map<number, Array<readonly [Uint8Array, Uint8Array]>>();
  for (const e of entries) {
    const b = referenceBucket(e[0]);
    const list = buckets.get(b) ?? [];
    list.push(e);
    buckets.set(b, list);
  }
  // Every bucket hash, empty ones being SHA-256(0x01).
  let level: Buffer[] = new Array<Buffer>(65536).fill(sha(Uint8Array.of(1)));
  for (const [b, list] of buckets) {
    list.sort((x, y) => Buffer.compare(Buffer.from(x[0]), Buffer.from(y[0])));
    level[b] = sha(Uint8Array.of(1), ...list.map(([k, v]) => referenceLeaf(k, v)));
  }
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 16) up.push(sha(Uint8Array.of(2), ...level.slice(i, i + 16)));
    level = up;
  }
  return level[0] as Buffer;
}

/** `count` distinct keys ("<tag>-<n>") that all land in one bucket. */
export function keysInOneBucket(count: number, tag = "k"): Uint8Array[] {
  const groups = new Map<number, Uint8Array[]>();
  for (let i = 0; ; i++) {
    const key = new TextEncoder().encode(`${tag}-${i}`);
    const b = referenceBucket(key);
    const group = groups.get(b) ?? [];
    group.push(key);
    groups.set(b, group);
    if (group.length === count) return group.sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  }
}
