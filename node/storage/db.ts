/**
 * The node database: one classic-level (LevelDB) instance, keys and values as raw bytes, every key prefixed by
 * its one-byte Bucket. Writes go through batches so that a block, its results and its state changes land in
 * one atomic LevelDB write.
 */
import { ClassicLevel } from "classic-level";
import { Bucket } from "./buckets.js";

export interface IterateOptions {
  /** Bounds on the key without its bucket byte; the range never leaves the bucket. */
  gte?: Uint8Array;
  lt?: Uint8Array;
  reverse?: boolean;
  limit?: number;
}

/** Raised when another process (or another NodeDb in this one) holds the database lock. */
export class DatabaseLockedError extends Error {
  override readonly name = "DatabaseLockedError";
  readonly code = "DB_LOCKED";
  constructor(readonly dir: string) {
    super(`database at ${dir} is in use by another process`);
  }
}

/** Entries fetched per native call while iterating: fewer round trips than one await per entry. */
const ITERATE_CHUNK = 1000;

type Level = ClassicLevel<Uint8Array, Uint8Array>;

export class NodeDb {
  private constructor(
    private readonly level: Level,
    readonly dir: string,
  ) {}

  static async open(dir: string): Promise<NodeDb> {
    const level: Level = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: "view", valueEncoding: "view" });
    try {
      await level.open();
    } catch (err) {
      if (hasErrorCode(err, "LEVEL_LOCKED")) throw new DatabaseLockedError(dir);
      throw err;
    }
    return new NodeDb(level, dir);
  }

  /** Synchronous point read (classic-level 3 getSync, far cheaper than an awaited get). */
  getSync(bucket: Bucket, key: Uint8Array): Uint8Array | undefined {
    return plain(this.level.getSync(bucketKey(bucket, key)));
  }

  async get(bucket: Bucket, key: Uint8Array): Promise<Uint8Array | undefined> {
    return plain(await this.level.get(bucketKey(bucket, key)));
  }

  /** Entries of one bucket in key order (descending if reverse), keys without the bucket byte. */
  async *iterate(bucket: Bucket, opts: IterateOptions = {}): AsyncGenerator<[Uint8Array, Uint8Array]> {
    for await (const chunk of this.iterateChunks(bucket, opts)) yield* chunk;
  }

  /**
   * As `iterate`, in chunks of up to `ITERATE_CHUNK` entries: one await per chunk instead of one per entry,
   * for full scans (loading the state at startup).
   */
  async *iterateChunks(bucket: Bucket, opts: IterateOptions = {}): AsyncGenerator<Array<[Uint8Array, Uint8Array]>> {
    const gte = bucketKey(bucket, opts.gte ?? new Uint8Array(0));
    const lt = opts.lt !== undefined ? bucketKey(bucket, opts.lt) : bucketEnd(bucket);
    let remaining = opts.limit ?? Infinity;
    if (remaining <= 0) return;
    const it = this.level.iterator({
      gte,
      ...(lt !== undefined ? { lt } : {}),
      reverse: opts.reverse ?? false,
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    });
    try {
      while (remaining > 0) {
        const chunk = await it.nextv(remaining < ITERATE_CHUNK ? remaining : ITERATE_CHUNK);
        if (chunk.length === 0) return;
        remaining -= chunk.length;
        // Plain Uint8Array views over LevelDB's Buffers, the key past its bucket byte: no copies.
        yield chunk.map(([key, value]): [Uint8Array, Uint8Array] => [
          new Uint8Array(key.buffer, key.byteOffset + 1, key.length - 1),
          new Uint8Array(value.buffer, value.byteOffset, value.length),
        ]);
      }
    } finally {
      await it.close();
    }
  }

  batch(): NodeBatch {
    return new NodeBatch(this.level);
  }

  async close(): Promise<void> {
    await this.level.close();
  }
}

/** Puts and deletes across buckets, applied by `write` as one atomic LevelDB write. */
export class NodeBatch {
  private readonly chained: ReturnType<Level["batch"]>;
  private written = false;

  constructor(level: Level) {
    this.chained = level.batch();
  }

  get length(): number {
    return this.chained.length;
  }

  put(bucket: Bucket, key: Uint8Array, value: Uint8Array): this {
    this.chained.put(bucketKey(bucket, key), value);
    return this;
  }

  del(bucket: Bucket, key: Uint8Array): this {
    this.chained.del(bucketKey(bucket, key));
    return this;
  }

  /** Commits every operation atomically; `sync: true` fsyncs before resolving (use it for block commits). */
  async write(opts: { sync: boolean }): Promise<void> {
    if (this.written) throw new Error("NodeBatch already written or discarded");
    this.written = true;
    await this.chained.write({ sync: opts.sync });
  }

  /** Drops the batch without writing it. */
  async discard(): Promise<void> {
    if (this.written) return;
    this.written = true;
    await this.chained.close();
  }
}

/** LevelDB hands back Buffers; callers get plain Uint8Array views of the same memory (no copy). */
function plain(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes === undefined ? undefined : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

function bucketKey(bucket: Bucket, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out[0] = bucket;
  out.set(key, 1);
  return out;
}

/** Exclusive upper bound of a bucket's key range (undefined for a 0xff bucket: unbounded). */
function bucketEnd(bucket: Bucket): Uint8Array | undefined {
  return bucket < 0xff ? Uint8Array.of(bucket + 1) : undefined;
}

/** classic-level wraps the LevelDB error: LEVEL_DATABASE_NOT_OPEN with cause LEVEL_LOCKED. */
function hasErrorCode(err: unknown, code: string): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    if ((e as { code?: unknown }).code === code) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
