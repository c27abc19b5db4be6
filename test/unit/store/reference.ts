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

/** MurmurHash3_x86_32 with seed 0, transcribed from the reference C++ (SMHasher). */
export function murmur3(data: Uint8Array, seed = 0): number {
  const buf = Buffer.from(data);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  let h1 = seed >>> 0;
  const nblocks = Math.floor(buf.length / 4);
  for (let i = 0; i < nblocks; i++) {
    let k1 = buf.readUInt32LE(i * 4);
    k1 = Math.imul(k1, c1) >>> 0;
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2) >>> 0;
    h1 = (h1 ^ k1) >>> 0;
    h1 = rotl(h1, 13);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) >>> 0;
  }
  const tail = buf.subarray(nblocks * 4);
  let k1 = 0;
  if (tail.length >= 3) k1 ^= tail[2]! << 16;
  if (tail.length >= 2) k1 ^= tail[1]! << 8;
  if (tail.length >= 1) {
    k1 ^= tail[0]!;
    k1 = Math.imul(k1, c1) >>> 0;
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2) >>> 0;
    h1 = (h1 ^ k1) >>> 0;
  }
  h1 = (h1 ^ buf.length) >>> 0;
  h1 = (h1 ^ (h1 >>> 16)) >>> 0;
  h1 = Math.imul(h1, 0x85ebca6b) >>> 0;
  h1 = (h1 ^ (h1 >>> 13)) >>> 0;
  h1 = Math.imul(h1, 0xc2b2ae35) >>> 0;
  return (h1 ^ (h1 >>> 16)) >>> 0;
}

export function referenceBucket(key: Uint8Array): number {
  return murmur3(key) >>> 16;
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
