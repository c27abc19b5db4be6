/**
 * State store benchmark: restore of a 1M-key state, commit time for 1k/10k/100k dirty keys over it, memory held,
 * and proof cost. Each timing has a peer measured in the same run (one plain SHA-256 per dirty leaf) so that
 * ratios stay comparable across machines and noise.
 */
import { hash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { RootStore, type StoreChange, verifyKeyProof } from "../../src/store/index.js";

const STATE_KEYS = 1_000_000;
const KEY_BYTES = 40;
const VALUE_BYTES = 60;
const KEY_PREFIX = new TextEncoder().encode("bank/balances/");

/** splitmix32-style mixer: deterministic pseudo-random bytes from (index, salt). */
function mix(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function fill(out: Uint8Array, from: number, seed: number): void {
  for (let i = from; i < out.length; i += 4) {
    const r = mix(seed + i * 0x632be5ab);
    out[i] = r;
    if (i + 1 < out.length) out[i + 1] = r >>> 8;
    if (i + 2 < out.length) out[i + 2] = r >>> 16;
    if (i + 3 < out.length) out[i + 3] = r >>> 24;
  }
}

/** Key i: prefix, big-endian i (so keys ascend with i, as LevelDB returns them), pseudo-random tail. */
function keyOf(i: number): Uint8Array {
  const key = new Uint8Array(KEY_BYTES);
  key.set(KEY_PREFIX);
  new DataView(key.buffer).setUint32(KEY_PREFIX.length, i);
  fill(key, KEY_PREFIX.length + 4, mix(i));
  return key;
}

function valueOf(i: number, version: number): Uint8Array {
  const value = new Uint8Array(VALUE_BYTES);
  fill(value, 0, mix(i ^ mix(version)));
  return value;
}

function* stateEntries(n: number): Generator<[Uint8Array, Uint8Array]> {
  for (let i = 0; i < n; i++) yield [keyOf(i), valueOf(i, 0)];
}

const collect: () => void = (() => {
  setFlagsFromString("--expose_gc");
  return runInNewContext("gc") as () => void;
})();

/** Full GC twice around a macrotask, so that freed ArrayBuffers are swept before memory is read. */
async function gc(): Promise<void> {
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  collect();
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Updates of `dirty` distinct existing keys (or a mix of updates, inserts and deletes), in key order. */
function blockChanges(dirty: number, version: number, mixed: boolean): StoreChange[] {
  const picked = new Set<number>();
  let seed = version * 7919;
  while (picked.size < dirty) picked.add(mix(seed++) % STATE_KEYS);
  const ids = [...picked].sort((a, b) => a - b);
  const changes: StoreChange[] = [];
  ids.forEach((id, n) => {
    const kind = mixed ? n % 4 : 0;
    if (kind === 2) changes.push({ key: keyOf(id), value: undefined });
    else changes.push({ key: keyOf(id), value: valueOf(id, version) });
    // Inserts: a new key right after an existing one (keys of the form id ‖ tail ‖ 0x00 are never in the state).
    if (kind === 3) changes.push({ key: Uint8Array.of(...keyOf(id), 0), value: valueOf(id, version) });
  });
  return changes;
}

/** The peer: one SHA-256 over key ‖ value per change, the least any per-leaf commitment must do. */
function naiveLeafHashMs(changes: StoreChange[]): number {
  const buf = new Uint8Array(KEY_BYTES + 1 + VALUE_BYTES);
  const t = performance.now();
  for (const c of changes) {
    buf.set(c.key);
    if (c.value) buf.set(c.value, c.key.length);
    hash("sha256", buf.subarray(0, c.key.length + (c.value?.length ?? 0)), "buffer");
  }
  return performance.now() - t;
}

/** Process CPU time (all threads, so GC helpers count) in ms, alongside wall time: robust to a busy machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export async function run(): Promise<Record<string, unknown>> {
  // Peer of the restore: producing the same entries without restoring them.
  let t = performance.now();
  let checksum = 0;
  for (const [k, v] of stateEntries(STATE_KEYS)) checksum ^= (k[20] as number) ^ (v[0] as number);
  const generateMs = performance.now() - t;
  await gc();
  const baseline = process.memoryUsage();
  t = performance.now();
  const root = RootStore.restore(stateEntries(STATE_KEYS), 1n);
  const restoreMs = performance.now() - t;
  await gc();
  const held = process.memoryUsage();

  const commits: Record<string, unknown> = {};
  let version = 1;
  for (const [label, dirty, runs, mixed] of [
    ["1k", 1_000, 7, false],
    ["10k", 10_000, 7, false],
    ["10k_mixed", 10_000, 5, true],
    ["100k", 100_000, 3, false],
  ] as const) {
    const commitMs: number[] = [];
    const commitCpu: number[] = [];
    const peerMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      const changes = blockChanges(dirty, ++version, mixed);
      peerMs.push(naiveLeafHashMs(changes));
      const cpu = cpuMs();
      t = performance.now();
      root.commit(changes, root.height + 1n);
      commitMs.push(performance.now() - t);
      commitCpu.push(cpuMs() - cpu);
    }
    commits[label] = {
      dirtyKeys: dirty,
      runs,
      commitMedianMs: round(median(commitMs)),
      commitMinMs: round(Math.min(...commitMs)),
      commitCpuMedianMs: round(median(commitCpu)),
      naiveLeafSha256MedianMs: round(median(peerMs)),
      ratioToNaive: round(median(commitMs) / median(peerMs)),
      rssAfterMB: mb(process.memoryUsage().rss),
    };
  }

  const appHash = root.appHash();
  const proveMs: number[] = [];
  const verifyMs: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const key = i % 2 === 0 ? keyOf(mix(i) % STATE_KEYS) : Uint8Array.of(...keyOf(mix(i) % STATE_KEYS), 1, 2);
    t = performance.now();
    const { value, proof } = root.prove(key);
    proveMs.push(performance.now() - t);
    t = performance.now();
    const ok = verifyKeyProof(appHash, key, value, proof);
    verifyMs.push(performance.now() - t);
    if (!ok) throw new Error("bench: proof did not verify");
    sizes.push(proof.length);
  }
  await gc();
  const after = process.memoryUsage();

  return {
    stateKeys: STATE_KEYS,
    keyBytes: KEY_BYTES,
    valueBytes: VALUE_BYTES,
    restoreMs: Math.round(restoreMs),
    restoreUsPerKey: round((restoreMs * 1000) / STATE_KEYS),
    entryGenerationMs: Math.round(generateMs),
    restoreExcludingGenerationMs: Math.round(restoreMs - generateMs),
    checksum,
    memoryMB: {
      rssBaseline: mb(baseline.rss),
      rssHolding1M: mb(held.rss),
      heapUsedHolding1M: mb(held.heapUsed),
      heapUsedDelta: mb(held.heapUsed - baseline.heapUsed),
      externalHolding1M: mb(held.external),
      rssAfterCommits: mb(after.rss),
      heapUsedAfterCommits: mb(after.heapUsed),
    },
    commits,
    proofs: {
      proveMedianUs: Math.round(median(proveMs) * 1000),
      verifyMedianUs: Math.round(median(verifyMs) * 1000),
      medianBytes: median(sizes),
      maxBytes: Math.max(...sizes),
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
