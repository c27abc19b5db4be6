/**
 * Cosmos PageRequest semantics over a prefix range: key-based (next_key) or offset paging, with a hard cap
 * on page size so one query cannot scan the whole state (the SDK itself has no cap).
 */
import { SdkErrors } from "../errors.js";
import type { Bytes, KVReader } from "../store/types.js";
import { concatBytes as concat, prefixEnd } from "../store/bytes.js";

// Key helpers live with the store; re-exported here because every paginated prefix scan needs them.
export { concat, prefixEnd };

export const DEFAULT_PAGE_LIMIT = 100n;
export const MAX_PAGE_LIMIT = 1000n;

export interface PageRequestLike {
  key: Uint8Array;
  offset: bigint;
  limit: bigint;
  countTotal: boolean;
  reverse: boolean;
}

export interface PageResult<T> {
  items: T[];
  nextKey: Uint8Array;
  total: bigint;
}

/** Iterates the keys under `prefix` (keys passed to `decode` have the prefix stripped). */
export function paginate<T>(
  store: KVReader,
  prefix: Bytes,
  page: PageRequestLike | undefined,
  decode: (keyAfterPrefix: Bytes, value: Bytes) => T,
): PageResult<T> {
  const req = page ?? { key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false };
  if (req.key.length > 0 && req.offset > 0n) throw SdkErrors.invalidRequest.with("paginate: invalid request, either offset or key is expected, got both");
  const limit = req.limit === 0n ? DEFAULT_PAGE_LIMIT : req.limit > MAX_PAGE_LIMIT ? MAX_PAGE_LIMIT : req.limit;
  const end = prefixEnd(prefix);
  const items: T[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  let total = 0n;
  const useKey = req.key.length > 0;
  const startKey = useKey ? concat(prefix, req.key) : prefix;
  const iter = req.reverse ? store.iterate(prefix, useKey ? concat(startKey, new Uint8Array([0])) : end, true) : store.iterate(startKey, end);
  let skipped = 0n;
  for (const [key, value] of iter) {
    const rest = key.subarray(prefix.length);
    if (!useKey && skipped < req.offset) {
      skipped++;
      total++;
      continue;
    }
    if (BigInt(items.length) === limit) {
      if (nextKey.length === 0) nextKey = rest.slice();
      if (!req.countTotal || useKey) break;
      total++;
      continue;
    }
    items.push(decode(rest, value));
    total++;
  }
  return { items, nextKey, total: req.countTotal && !useKey ? total : 0n };
}
