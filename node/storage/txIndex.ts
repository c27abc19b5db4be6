/**
 * The tx index: tx hash → (height, index), and one key per indexed event attribute
 * (`type.key` ‖ 0 ‖ value ‖ 0 ‖ height ‖ index) so `tx_search` scans only the txs a condition can match.
 * Every included tx is indexed whatever its result code: cosmjs polls `tx_search` for failed txs too.
 */
import type { TxResult } from "../../src/app/application.js";
import { TxLocation } from "../../src/codec/index.js";
import { sha256 } from "../../src/crypto/hash.js";
import { equalityConditions, matchesQuery, txHashCondition, type Query } from "../rpc/query.js";
import { txEventMap } from "../rpc/events.js";
import type { IndexedTx, TxSearchRequest, TxSearchResult } from "../rpc/backend.js";
import { Bucket } from "./buckets.js";
import type { NodeBatch, NodeDb } from "./db.js";
import { heightKey, heightOfKey, type BlockStore } from "./blockStore.js";
import { concatBytes, prefixEnd } from "../../src/store/bytes.js";

const utf8 = new TextEncoder();
/** Above this many candidate txs a search is refused rather than scanning the chain. */
export const MAX_SEARCH_CANDIDATES = 100_000;

export class TxIndex {
  constructor(
    private readonly db: NodeDb,
    private readonly blocks: BlockStore,
  ) {}

  indexBlock(batch: NodeBatch, height: bigint, txs: readonly Uint8Array[], results: readonly TxResult[]): void {
    txs.forEach((tx, index) => {
      const hash = sha256(tx);
      batch.put(Bucket.TX_BY_HASH, hash, TxLocation.encode({ height, index }));
      const events = txEventMap(hash, height, results[index]!, true);
      for (const [key, values] of events) {
        if (key === "tm.event" || key === "tx.hash" || key === "tx.height") continue;
        for (const value of new Set(values)) batch.put(Bucket.TX_EVENT_INDEX, eventKey(key, value, height, index), new Uint8Array());
      }
    });
  }

  get(hash: Uint8Array): IndexedTx | undefined {
    const raw = this.db.getSync(Bucket.TX_BY_HASH, hash);
    if (raw === undefined) return undefined;
    const loc = TxLocation.decode(raw);
    return this.load(loc.height, loc.index, new Map());
  }

  async search(req: TxSearchRequest): Promise<TxSearchResult> {
    const locations = await this.candidates(req.query);
    const cache = new Map<bigint, { txs: Uint8Array[]; results: TxResult[] }>();
    const matches: IndexedTx[] = [];
    for (const [height, index] of locations) {
      const tx = this.load(height, index, cache);
      if (tx !== undefined && matchesQuery(req.query, txEventMap(tx.hash, tx.height, tx.result))) matches.push(tx);
    }
    matches.sort((a, b) => (a.height === b.height ? a.index - b.index : a.height < b.height ? -1 : 1));
    if (req.orderBy === "desc") matches.reverse();
    const start = (req.page - 1) * req.perPage;
    return { txs: matches.slice(start, start + req.perPage), totalCount: matches.length };
  }

  /** Locations that may match: from a hash, an indexed equality, a height, or (last resort) every block. */
  private async candidates(query: Query): Promise<Array<[bigint, number]>> {
    const hashHex = txHashCondition(query);
    if (hashHex !== undefined) {
      if (!/^[0-9A-F]{64}$/.test(hashHex)) return [];
      const raw = this.db.getSync(Bucket.TX_BY_HASH, Buffer.from(hashHex, "hex"));
      if (raw === undefined) return [];
      const loc = TxLocation.decode(raw);
      return [[loc.height, loc.index]];
    }
    const equalities = equalityConditions(query).filter((c) => c.key !== "tm.event");
    const heightCond = equalities.find((c) => c.key === "tx.height");
    if (heightCond !== undefined) {
      if (!/^[0-9]{1,19}$/.test(heightCond.value)) return [];
      const height = BigInt(heightCond.value);
      const count = this.blocks.results(height)?.txResults.length ?? 0;
      return Array.from({ length: count }, (_, i): [bigint, number] => [height, i]);
    }
    const indexed = equalities[0];
    if (indexed !== undefined) {
      const prefix = concatBytes(utf8.encode(indexed.key), ZERO, utf8.encode(indexed.value), ZERO);
      const end = prefixEnd(prefix);
      const out: Array<[bigint, number]> = [];
      for await (const [key] of this.db.iterate(Bucket.TX_EVENT_INDEX, { gte: prefix, ...(end === undefined ? {} : { lt: end }), limit: MAX_SEARCH_CANDIDATES })) {
        const tail = key.subarray(prefix.length);
        out.push([heightOfKey(tail.subarray(0, 8)), new DataView(tail.buffer, tail.byteOffset + 8, 4).getUint32(0)]);
      }
      return out;
    }
    const out: Array<[bigint, number]> = [];
    const head = this.blocks.head()?.height ?? 0n;
    for (let h = this.blocks.base() ?? 1n; h <= head && out.length < MAX_SEARCH_CANDIDATES; h++) {
      const count = this.blocks.results(h)?.txResults.length ?? 0;
      for (let i = 0; i < count; i++) out.push([h, i]);
    }
    return out;
  }

  private load(height: bigint, index: number, cache: Map<bigint, { txs: Uint8Array[]; results: TxResult[] }>): IndexedTx | undefined {
    let entry = cache.get(height);
    if (entry === undefined) {
      const block = this.blocks.block(height);
      const results = this.blocks.results(height);
      if (block === undefined || results === undefined) return undefined;
      entry = { txs: block.txs, results: results.txResults };
      cache.set(height, entry);
    }
    const tx = entry.txs[index];
    const result = entry.results[index];
    if (tx === undefined || result === undefined) return undefined;
    return { hash: sha256(tx), height, index, tx, result };
  }
}

const ZERO = new Uint8Array([0]);

function eventKey(compositeKey: string, value: string, height: bigint, index: number): Uint8Array {
  const idx = new Uint8Array(4);
  new DataView(idx.buffer).setUint32(0, index);
  return concatBytes(utf8.encode(compositeKey), ZERO, utf8.encode(value), ZERO, heightKey(height), idx);
}
