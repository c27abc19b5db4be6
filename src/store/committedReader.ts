/**
 * Read access to the committed state. It reads the live state and refuses to work once a later commit has
 * changed it: a loud error instead of silently mixing two heights, or a range iterator walking a tree that
 * changed under it.
 */
import type { CommittedState } from "./committedState.js";
import { binaryToBytes, bytesToBinary } from "./bytes.js";
import { optBinary, type RawReader } from "./raw.js";
import type { Bytes, KVReader } from "./types.js";

export class CommittedReader implements KVReader, RawReader {
  /** `assertCurrent` throws when the state this reader was made for has been changed by a commit. */
  constructor(
    private readonly state: CommittedState,
    private readonly assertCurrent: () => void,
  ) {}

  get(key: Bytes): Bytes | undefined {
    this.assertCurrent();
    const value = this.state.get(bytesToBinary(key));
    return value === undefined ? undefined : binaryToBytes(value);
  }

  has(key: Bytes): boolean {
    this.assertCurrent();
    return this.state.has(bytesToBinary(key));
  }

  iterate(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    this.assertCurrent();
    return this.entries(optBinary(start), optBinary(end), reverse);
  }

  getRaw(key: string): string | undefined {
    this.assertCurrent();
    return this.state.get(key);
  }

  iterateRaw(start: string | undefined, end: string | undefined, reverse: boolean): Iterator<[string, string]> {
    this.assertCurrent();
    return this.rawEntries(start, end, reverse);
  }

  private *entries(start: string | undefined, end: string | undefined, reverse: boolean): Generator<[Bytes, Bytes]> {
    const it = this.state.range(start, end, reverse);
    for (;;) {
      this.assertCurrent(); // before advancing: the tree under a stale iterator may have changed shape
      const r = it.next();
      if (r.done) return;
      yield [binaryToBytes(r.value[0]), binaryToBytes(r.value[1])];
    }
  }

  private *rawEntries(start: string | undefined, end: string | undefined, reverse: boolean): Generator<[string, string]> {
    const it = this.state.range(start, end, reverse);
    for (;;) {
      this.assertCurrent();
      const r = it.next();
      if (r.done) return;
      yield r.value;
    }
  }
}
