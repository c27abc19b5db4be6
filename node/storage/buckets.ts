/**
 * One-byte key prefixes of the node database: every LevelDB key is [bucket] ‖ key. Values are fixed forever:
 * a retired bucket stays listed here as a comment with its number, and its number is never reused, so an old
 * database can never be misread by a newer binary. test/unit/storage/buckets.test.ts checks uniqueness.
 */
export enum Bucket {
  /** Small singletons: chain head, base height, state height, ... */
  META = 0x00,
  /** The application state: the committed RootStore entries, key = state key. */
  STATE = 0x01,
  BLOCK = 0x02,
  BLOCK_HASH = 0x03,
  COMMIT = 0x04,
  BLOCK_RESULTS = 0x05,
  TX_BY_HASH = 0x06,
  TX_EVENT_INDEX = 0x07,
  CONSENSUS = 0x08,
  EVIDENCE = 0x09,
  /** Reserved for a persisted mempool; unused so far. */
  MEMPOOL = 0x0a,
}

/** Every bucket value, in declaration order (for tests and tooling). */
export const ALL_BUCKETS: readonly Bucket[] = Object.values(Bucket).filter((v): v is Bucket => typeof v === "number");
