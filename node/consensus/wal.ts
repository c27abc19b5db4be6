/**
 * Consensus write-ahead log (CometBFT consensus/wal.go): every input of the consensus state machine is logged
 * before it is acted on, so a restarted node replays the current height and never contradicts what it sent.
 *
 * Layout: `path` is a directory of segments `<16-digit index>.wal`. Each record is framed as
 * CRC-32C(length ‖ payload) ‖ length ‖ payload (big-endian u32s, payload = VannaWalRecord bytes). A new segment
 * starts only right after an endHeight(h) record and begins with a copy of that record, so every segment but
 * the very first one knows the height it starts after; old segments are deleted by that height.
 *
 * Recovery: a damaged frame with no valid frame anywhere after it is a torn tail from a crash mid-append, and
 * is dropped (open() also truncates it away). A damaged frame followed by any valid frame, or damage in a
 * sealed (non-last) segment, is corruption: WalCorruptionError, never a silent skip.
 */
import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { VannaWalRecord, type WalRecord } from "../../src/codec/vanna/consensus.js";

export type { WalRecord } from "../../src/codec/vanna/consensus.js";

/** Largest record payload (as CometBFT's maxMsgSizeBytes); a 64 KiB block part with its proof fits easily. */
export const MAX_RECORD_BYTES = 1024 * 1024;
const HEADER_BYTES = 8;
const SEGMENT_NAME = /^(\d{16})\.wal$/;
const TMP_SUFFIX = ".tmp";

export interface WalOptions {
  /** Buffered records are written at least this often (CometBFT flushes every 2 s; we are tighter). */
  flushIntervalMs?: number;
  /** Buffered records are written as soon as this many bytes are pending. */
  flushBytes?: number;
  /** Start a new segment after this many endHeight records in the current one... */
  heightsPerSegment?: number;
  /** ...or after the endHeight that takes the segment past this size. */
  maxSegmentBytes?: number;
  /** Delete a segment once all its heights are more than this far below the last endHeight. */
  retainHeights?: number;
}

const DEFAULTS: Required<WalOptions> = {
  flushIntervalMs: 100,
  flushBytes: 64 * 1024,
  heightsPerSegment: 100,
  maxSegmentBytes: 64 * 1024 * 1024,
  retainHeights: 200,
};

export class WalCorruptionError extends Error {
  override readonly name = "WalCorruptionError";
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`consensus WAL corrupted: ${file} at byte ${offset}: ${detail}. Refusing to replay; move the WAL aside or repair it by hand`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// CRC-32C (Castagnoli), slicing-by-8: node:zlib has no crc32 before Node 22, and the corruption scan below may
// checksum a lot of bytes, so the 8-table variant (~3x the byte-wise one) is worth its few lines.

const CRC_TABLES: Uint32Array[] = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    tables[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) tables[t]![n] = (tables[0]![tables[t - 1]![n]! & 0xff]! ^ (tables[t - 1]![n]! >>> 8)) >>> 0;
  }
  return tables;
})();

export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC_TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = 0xffffffff;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const lo = (crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    crc =
      t7[lo & 0xff]! ^ t6[(lo >>> 8) & 0xff]! ^ t5[(lo >>> 16) & 0xff]! ^ t4[lo >>> 24]! ^
      t3[bytes[i + 4]!]! ^ t2[bytes[i + 5]!]! ^ t1[bytes[i + 6]!]! ^ t0[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// Framing and scanning

export function frameRecord(record: WalRecord): Uint8Array {
  const payload = VannaWalRecord.encode(record);
  if (payload.length > MAX_RECORD_BYTES) throw new RangeError(`WAL record of ${payload.length} bytes exceeds ${MAX_RECORD_BYTES}`);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 4);
  frame.set(payload, HEADER_BYTES);
  frame.writeUInt32BE(crc32c(frame, 4), 0);
  return frame;
}

/** Payload length of a complete, checksummed frame at offset, or undefined when there is none. */
function validFrameAt(b: Buffer, offset: number): number | undefined {
  if (b.length - offset < HEADER_BYTES) return undefined;
  const length = b.readUInt32BE(offset + 4);
  // Zero-length frames are never written, so a zero-filled tail (power loss after a size update) is invalid.
  if (length === 0 || length > MAX_RECORD_BYTES || offset + HEADER_BYTES + length > b.length) return undefined;
  return crc32c(b, offset + 4, offset + HEADER_BYTES + length) === b.readUInt32BE(offset) ? length : undefined;
}

interface ScannedSegment {
  records: WalRecord[];
  /** Bytes up to the end of the last good record; anything after is a torn tail. */
  goodBytes: number;
}

/**
 * Parses a whole segment; a torn tail is allowed only in the last (active) segment. With decode = false it
 * only checks the framing (how open() vets sealed segments cheaply).
 */
function scanSegment(bytes: Uint8Array, file: string, isLast: boolean, decode = true): ScannedSegment {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: WalRecord[] = [];
  let offset = 0;
  while (offset < b.length) {
    const length = validFrameAt(b, offset);
    if (length === undefined) {
      // Is anything valid after the damage? Try every offset: a damaged length field hides where the next
      // frame starts. Only damage-to-EOF is a torn append.
      for (let probe = offset + 1; probe + HEADER_BYTES < b.length; probe++) {
        if (validFrameAt(b, probe) !== undefined) {
          throw new WalCorruptionError(file, offset, `damaged record followed by a valid record at byte ${probe}`);
        }
      }
      if (!isLast) throw new WalCorruptionError(file, offset, "damaged tail in a sealed segment (it was fsynced before the next one was created)");
      return { records, goodBytes: offset };
    }
    const payload = b.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
    try {
      if (decode) records.push(VannaWalRecord.decode(payload));
    } catch {
      // The checksum matched, so these bytes are what we wrote: not a torn write but a format problem.
      throw new WalCorruptionError(file, offset, "checksummed record does not decode as a WalRecord");
    }
    offset += HEADER_BYTES + length;
  }
  return { records, goodBytes: offset };
}

/** The consensus height a record belongs to. */
export function walRecordHeight(r: WalRecord): bigint {
  if (r.kind !== "message") return r.height;
  const m = r.message;
  return m.kind === "proposal" ? m.proposal.height : m.kind === "vote" ? m.vote.height : m.height;
}

// ---------------------------------------------------------------------------------------------------------
// Segments

interface Segment {
  index: number;
  file: string;
  /** h when the segment starts with endHeight(h) (every rotated segment); undefined for the first one. */
  startHeight: bigint | undefined;
}

const segmentFile = (dir: string, index: number) => join(dir, `${index.toString().padStart(16, "0")}.wal`);

async function listSegments(dir: string): Promise<Segment[]> {
  const names = await readdir(dir);
  const out: Segment[] = [];
  for (const name of names) {
    const m = SEGMENT_NAME.exec(name);
    if (m) out.push({ index: Number(m[1]), file: join(dir, name), startHeight: undefined });
  }
  out.sort((a, b) => a.index - b.index);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.index !== out[i - 1]!.index + 1) throw new WalCorruptionError(out[i]!.file, 0, `segment ${out[i - 1]!.index + 1} is missing`);
  }
  for (const seg of out) seg.startHeight = await readStartHeight(seg.file);
  return out;
}

async function readStartHeight(file: string): Promise<bigint | undefined> {
  const fh = await open(file, "r");
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    if ((await fh.read(header, 0, HEADER_BYTES, 0)).bytesRead < HEADER_BYTES) return undefined;
    const length = Math.min(header.readUInt32BE(4), MAX_RECORD_BYTES);
    const frame = Buffer.alloc(HEADER_BYTES + length);
    const { bytesRead } = await fh.read(frame, 0, frame.length, 0);
    if (validFrameAt(frame.subarray(0, bytesRead), 0) === undefined) return undefined; // full scan reports it
    const first = VannaWalRecord.decode(frame.subarray(HEADER_BYTES));
    return first.kind === "endHeight" ? first.height : undefined;
  } catch {
    return undefined; // a full scan of this segment will report the damage precisely
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Records of segments[from..], in order, without the repeated endHeight that opens each rotated segment. */
async function readSegments(segments: Segment[], from: number): Promise<WalRecord[]> {
  const out: WalRecord[] = [];
  for (let i = from; i < segments.length; i++) {
    const seg = segments[i]!;
    const { records } = scanSegment(await readFile(seg.file), seg.file, i === segments.length - 1);
    for (const r of records) {
      const prev = out[out.length - 1];
      if (r.kind === "endHeight" && prev?.kind === "endHeight" && prev.height === r.height) continue;
      out.push(r);
    }
  }
  return out;
}

/** Every record still in the WAL at `path` (oldest first), e.g. for a wal2json-style dump. */
export async function readAllWalRecords(path: string): Promise<WalRecord[]> {
  return readSegments(await listSegments(path), 0);
}

/**
 * The records after the last endHeight(height) marker: the inputs of height+1 logged so far (plus any later
 * heights, if `height` is not the latest). Without that marker (a fresh WAL, a log that starts later, or a
 * crash between saving block `height` and logging its marker) it returns the records of heights > height.
 */
export async function readAfterEndHeight(path: string, height: bigint): Promise<WalRecord[]> {
  let segments: Segment[];
  try {
    segments = await listSegments(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  // Segments before the last one starting at or below `height` hold nothing after endHeight(height).
  let from = 0;
  segments.forEach((s, i) => {
    if (s.startHeight !== undefined && s.startHeight <= height) from = i;
  });
  const records = await readSegments(segments, from);
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.kind === "endHeight" && r.height === height) return records.slice(i + 1);
  }
  return records.filter((r) => walRecordHeight(r) > height);
}

// ---------------------------------------------------------------------------------------------------------
// Writer

/** In the pending queue: start a new segment here (after the endHeight(height) frame before it). */
interface RotateMark {
  rotateAfter: bigint;
}

export class Wal {
  private readonly opts: Required<WalOptions>;
  private pending: Array<Uint8Array | RotateMark> = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private queue: Promise<void> = Promise.resolve();
  private syncJoin: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  /** Size of the active segment on disk, and as it will be once pending frames are written. */
  private fileBytes: number;
  private logicalBytes: number;
  private heightsInSegment: number;
  private lastEndHeightValue: bigint | undefined;

  private constructor(
    readonly path: string,
    private segments: Segment[],
    private fh: FileHandle,
    active: ScannedSegment,
    options: WalOptions,
  ) {
    this.opts = { ...DEFAULTS, ...options };
    this.fileBytes = active.goodBytes;
    this.logicalBytes = active.goodBytes;
    const ends = active.records.filter((r): r is Extract<WalRecord, { kind: "endHeight" }> => r.kind === "endHeight");
    this.lastEndHeightValue = ends[ends.length - 1]?.height;
    this.heightsInSegment = ends.length - (segments[segments.length - 1]!.startHeight === undefined ? 0 : 1);
    this.timer = setInterval(() => {
      if (this.pendingBytes > 0 && !this.flushQueued) this.scheduleFlush();
    }, this.opts.flushIntervalMs);
    this.timer.unref(); // a pending periodic flush must not keep the process alive
  }

  /** Opens (creating if needed) the WAL directory, truncating a torn tail off the active segment. */
  static async open(path: string, options: WalOptions = {}): Promise<Wal> {
    await mkdir(path, { recursive: true });
    for (const name of await readdir(path)) if (name.endsWith(TMP_SUFFIX)) await unlink(join(path, name)); // a rotation that never finished
    let segments = await listSegments(path);
    if (segments.length === 0) {
      await (await open(segmentFile(path, 1), "w")).close();
      await fsyncDir(path);
      segments = [{ index: 1, file: segmentFile(path, 1), startHeight: undefined }];
    }
    // Sealed segments are only checksummed here (replay decodes what it needs): damage anywhere in the log
    // stops the node at startup rather than when some later read reaches it.
    for (const seg of segments.slice(0, -1)) scanSegment(await readFile(seg.file), seg.file, false, false);
    const last = segments[segments.length - 1]!;
    const bytes = await readFile(last.file);
    const active = scanSegment(bytes, last.file, true);
    const fh = await open(last.file, "r+");
    if (active.goodBytes < bytes.length) {
      await fh.truncate(active.goodBytes);
      await fh.datasync();
    }
    const wal = new Wal(path, segments, fh, active, options);
    await wal.enqueue(() => wal.deleteOldSegments());
    return wal;
  }

  /** The last endHeight written (or found on open); undefined for a WAL that has none. */
  get lastEndHeight(): bigint | undefined {
    return this.lastEndHeightValue;
  }

  /** Buffers a record; it reaches the disk within flushIntervalMs (not fsynced). Throws after a write failure. */
  write(record: WalRecord): void {
    this.append(record);
    if (this.pendingBytes >= this.opts.flushBytes && !this.flushQueued) this.scheduleFlush();
  }

  /**
   * Appends a record and resolves once it (and everything before it) is fsynced. Use it for our own signed
   * messages before they are sent, and for endHeight. Concurrent calls share one fsync.
   */
  writeSync(record: WalRecord): Promise<void> {
    try {
      this.append(record);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (this.syncJoin === undefined) {
      const op: Promise<void> = this.enqueue(() => {
        if (this.syncJoin === op) this.syncJoin = undefined; // later writes need a later fsync
        return this.flushPending(true);
      });
      this.syncJoin = op;
    }
    return this.syncJoin;
  }

  /** Flushes and fsyncs everything, then closes the file. Rethrows an earlier write failure. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    try {
      await this.enqueue(() => this.flushPending(true));
    } finally {
      await this.fh.close();
    }
  }

  private append(record: WalRecord): void {
    if (this.closed) throw new Error("WAL is closed");
    if (this.failure !== undefined) throw this.failure;
    const frame = frameRecord(record);
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    this.logicalBytes += frame.length;
    if (record.kind !== "endHeight") return;
    this.lastEndHeightValue = record.height;
    this.heightsInSegment += 1;
    if (this.heightsInSegment >= this.opts.heightsPerSegment || this.logicalBytes >= this.opts.maxSegmentBytes) {
      // Decided now, in record order, so every later record lands in the new segment.
      this.pending.push({ rotateAfter: record.height });
      this.heightsInSegment = 0;
      this.logicalBytes = frame.length;
    }
  }

  private scheduleFlush(): void {
    this.flushQueued = true;
    this.enqueue(() => this.flushPending(false)).catch(() => undefined); // kept in this.failure, rethrown later
  }

  /** File operations run strictly one after another, in call order. */
  private enqueue(op: () => Promise<void>): Promise<void> {
    const result = this.queue.then(op);
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async flushPending(sync: boolean): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.flushQueued = false;
    try {
      let batch: Uint8Array[] = [];
      for (const item of items) {
        if (item instanceof Uint8Array) {
          batch.push(item);
          continue;
        }
        await this.writeOut(batch);
        batch = [];
        await this.rotate(item.rotateAfter);
      }
      await this.writeOut(batch);
      if (sync) await this.fh.datasync();
    } catch (err) {
      // Like CometBFT we do not try to continue after a failed WAL write: the caller must halt the node.
      this.failure = new Error(`consensus WAL write failed: ${(err as Error).message}`, { cause: err });
      throw this.failure;
    }
  }

  private async writeOut(frames: Uint8Array[]): Promise<void> {
    if (frames.length === 0) return;
    const buf = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    let done = 0;
    while (done < buf.length) done += (await this.fh.write(buf, done, buf.length - done, this.fileBytes + done)).bytesWritten;
    this.fileBytes += buf.length;
  }

  /** Seals the active segment (fsync) and atomically creates the next one, opening with endHeight(height). */
  private async rotate(height: bigint): Promise<void> {
    await this.fh.datasync();
    const index = this.segments[this.segments.length - 1]!.index + 1;
    const file = segmentFile(this.path, index);
    const marker = frameRecord({ kind: "endHeight", height });
    const next = await open(file + TMP_SUFFIX, "w+");
    try {
      await next.write(marker, 0, marker.length, 0);
      await next.datasync();
      await rename(file + TMP_SUFFIX, file);
      await fsyncDir(this.path);
    } catch (err) {
      await next.close();
      throw err;
    }
    await this.fh.close();
    this.fh = next;
    this.fileBytes = marker.length;
    this.segments.push({ index, file, startHeight: height });
    await this.deleteOldSegments();
  }

  /** Deletes the oldest sealed segments whose last endHeight is more than retainHeights below the latest. */
  private async deleteOldSegments(): Promise<void> {
    const last = this.lastEndHeightValue;
    if (last === undefined) return;
    const keepAbove = last - BigInt(this.opts.retainHeights);
    // segments[1].startHeight is the last endHeight inside segments[0]; never delete the active segment.
    while (this.segments.length > 1) {
      const end = this.segments[1]!.startHeight;
      if (end === undefined || end >= keepAbove) break;
      await unlink(this.segments[0]!.file);
      this.segments.shift();
    }
  }
}
