/**
 * The only code that reads or writes oracle state: params, the latest price per underlying, the latest smile
 * per (underlying, expiry), and a bounded history of price points per underlying (in time order) for TWAPs.
 */
import type { Context } from "../../src/app/context.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { aggregate, type AggregateResult } from "./aggregate.js";
import * as events from "./events.js";
import { OracleKeys, readU64be } from "./keys.js";
import { getOracleParams, setOracleParams } from "./params.js";
import { PriceCodec, PricePointCodec, SmileCodec, type OracleParams, type Price, type PricePoint, type Smile, type Twap } from "./types.js";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A smile is deleted this long after its expiry (so settlement-time readers still find it). */
export const SMILE_RETENTION_AFTER_EXPIRY_NS = 86_400_000_000_000n;

/** Read access for other modules (options, margin, liquidation): see index.ts `OracleReader`. */
export class OracleKeeper {
  getParams(store: KVReader): OracleParams {
    return getOracleParams(store);
  }

  setParams(store: KVStore, params: OracleParams): void {
    setOracleParams(store, params);
  }

  /** The latest aggregated price, fresh or not (check `isStale`). */
  price(store: KVReader, underlying: string): Price | undefined {
    const raw = store.get(OracleKeys.price(underlying));
    return raw === undefined ? undefined : PriceCodec.decode(raw);
  }

  setPrice(store: KVStore, price: Price): void {
    store.set(OracleKeys.price(price.underlying), PriceCodec.encode(price));
  }

  *iteratePrices(store: KVReader): IterableIterator<Price> {
    for (const [, value] of store.iterate(OracleKeys.pricePrefix, prefixEnd(OracleKeys.pricePrefix))) yield PriceCodec.decode(value);
  }

  /**
   * True when there is no price, or the price is older than `max_age_ns` at `nowNs` (age > max_age). A stale
   * underlying accepts only cancels and reduce-only orders (enforced by the trading modules).
   */
  isStale(store: KVReader, underlying: string, nowNs: bigint): boolean {
    const p = this.price(store, underlying);
    return p === undefined || nowNs - p.updatedTimeNs > this.getParams(store).maxAgeNs;
  }

  /** The price when it is fresh at `nowNs`, else undefined. */
  freshPrice(store: KVReader, underlying: string, nowNs: bigint): Price | undefined {
    const p = this.price(store, underlying);
    return p === undefined || nowNs - p.updatedTimeNs > this.getParams(store).maxAgeNs ? undefined : p;
  }

  smile(store: KVReader, underlying: string, expiryUnixS: bigint): Smile | undefined {
    if (expiryUnixS < 0n) return undefined;
    const raw = store.get(OracleKeys.smile(underlying, expiryUnixS));
    return raw === undefined ? undefined : SmileCodec.decode(raw);
  }

  /** Same rule as `isStale`, for one smile. */
  isSmileStale(store: KVReader, underlying: string, expiryUnixS: bigint, nowNs: bigint): boolean {
    const s = this.smile(store, underlying, expiryUnixS);
    return s === undefined || nowNs - s.updatedTimeNs > this.getParams(store).maxAgeNs;
  }

  setSmile(store: KVStore, smile: Smile): void {
    store.set(OracleKeys.smile(smile.underlying, smile.expiryUnixS), SmileCodec.encode(smile));
  }

  /** Smiles of one underlying ascending by expiry, or of every underlying in (underlying, expiry) order. */
  *iterateSmiles(store: KVReader, underlying?: string): IterableIterator<Smile> {
    const prefix = underlying === undefined ? OracleKeys.smilePrefix : OracleKeys.smilesOf(underlying);
    for (const [, value] of store.iterate(prefix, prefixEnd(prefix))) yield SmileCodec.decode(value);
  }

  /** Price points of an underlying, ascending by time. */
  *iterateHistory(store: KVReader, underlying: string): IterableIterator<PricePoint> {
    const prefix = OracleKeys.historyOf(underlying);
    for (const [, value] of store.iterate(prefix, prefixEnd(prefix))) yield PricePointCodec.decode(value);
  }

  historyCount(store: KVReader, underlying: string): number {
    const raw = store.get(OracleKeys.historyCount(underlying));
    return raw === undefined ? 0 : Number(fromUtf8.decode(raw));
  }

  /** Records a price point and drops the oldest ones beyond `historyLength`. */
  appendHistory(store: KVStore, underlying: string, point: PricePoint, historyLength: number): void {
    const key = OracleKeys.historyPoint(underlying, point.timeNs);
    let count = this.historyCount(store, underlying);
    if (!store.has(key)) count++;
    store.set(key, PricePointCodec.encode(point));
    if (count > historyLength) {
      const prefix = OracleKeys.historyOf(underlying);
      const doomed: Uint8Array[] = [];
      for (const [k] of store.iterate(prefix, prefixEnd(prefix))) {
        if (doomed.length === count - historyLength) break;
        doomed.push(k);
      }
      for (const k of doomed) store.delete(k);
      count -= doomed.length;
    }
    store.set(OracleKeys.historyCount(underlying), utf8.encode(count.toString()));
  }

  /**
   * Time-weighted average price over [nowNs - windowNs, nowNs], using block times: the recorded price is a
   * step function (each point holds until the next), integrated exactly in integer nanoseconds and divided
   * by the covered duration, rounded DOWN (floor). When the history starts after nowNs - windowNs, the
   * interval starts at the first point (`startTimeNs` says so). When the only point in range is at nowNs
   * itself, the TWAP is that price. Undefined when no price was recorded at or before nowNs, or windowNs <= 0.
   * Points are recorded when a price is written (see `applyVotes`), so between points the true median stayed
   * within min_price_change_ppm of the recorded one (0 records every block).
   */
  twap(store: KVReader, underlying: string, windowNs: bigint, nowNs: bigint): Twap | undefined {
    if (windowNs <= 0n || nowNs < 0n) return undefined;
    const start = nowNs - windowNs;
    const prefix = OracleKeys.historyOf(underlying);
    const end = nowNs + 1n < 1n << 64n ? OracleKeys.historyPoint(underlying, nowNs + 1n) : prefixEnd(prefix);
    let segmentEnd = nowNs;
    let weighted = 0n;
    let samples = 0;
    let coveredFrom = nowNs;
    let latest: bigint | undefined;
    for (const [, value] of store.iterate(prefix, end, true)) {
      const p = PricePointCodec.decode(value);
      latest ??= p.priceMicroUsd;
      const segmentStart = p.timeNs > start ? p.timeNs : start;
      weighted += p.priceMicroUsd * (segmentEnd - segmentStart);
      samples++;
      coveredFrom = segmentStart;
      if (p.timeNs <= start) break;
      segmentEnd = p.timeNs;
    }
    if (latest === undefined) return undefined;
    const duration = nowNs - coveredFrom;
    const priceMicroUsd = duration === 0n ? latest : weighted / duration;
    return { priceMicroUsd, startTimeNs: coveredFrom, endTimeNs: nowNs, samples };
  }

  /**
   * BeginBlock: aggregates the last commit's observations and records the results. A result is written (and,
   * for prices, appended to the history) only when it is new, moved by at least the params' minimum change,
   * or the stored value is at least `heartbeat_ns` old: a quiet market leaves the state untouched.
   */
  applyVotes(ctx: Context): AggregateResult {
    const params = this.getParams(ctx.store);
    const votes = ctx.lastCommitVotes ?? [];
    const result = aggregate(votes, params, ctx.blockTimeNs);
    const due = (updatedTimeNs: bigint) => ctx.blockTimeNs - updatedTimeNs >= params.heartbeatNs;
    for (const p of result.prices) {
      const old = this.price(ctx.store, p.underlying);
      if (old !== undefined && !due(old.updatedTimeNs) && !movedEnough(old.priceMicroUsd, p.priceMicroUsd, params.minPriceChangePpm)) continue;
      const price: Price = { underlying: p.underlying, priceMicroUsd: p.priceMicroUsd, updatedHeight: ctx.height, updatedTimeNs: ctx.blockTimeNs, reportingPowerPpm: p.reportingPowerPpm };
      this.setPrice(ctx.store, price);
      this.appendHistory(ctx.store, p.underlying, { timeNs: ctx.blockTimeNs, priceMicroUsd: p.priceMicroUsd, height: ctx.height }, params.historyLength);
      ctx.events.push(events.priceUpdated(price));
    }
    for (const s of result.smiles) {
      const old = this.smile(ctx.store, s.underlying, s.expiryUnixS);
      if (old !== undefined && !due(old.updatedTimeNs)) {
        const d = params.minSmileChangePpm;
        if (absDiff(old.atmVolPpm, s.atmVolPpm) < d && absDiff(old.skewPpm, s.skewPpm) < d && absDiff(old.curvaturePpm, s.curvaturePpm) < d) continue;
      }
      const smile: Smile = { ...s, updatedHeight: ctx.height, updatedTimeNs: ctx.blockTimeNs };
      this.setSmile(ctx.store, smile);
      ctx.events.push(events.smileUpdated(smile));
    }
    // No votes at all (the first block, or a chain run without extensions) is not news.
    if (result.totalPower > 0n) for (const m of result.missing) ctx.events.push(events.priceMissing(m.underlying, m.reportingPowerPpm));
    this.pruneExpiredSmiles(ctx.store, ctx.blockTimeNs);
    return result;
  }

  /** Deletes smiles whose expiry passed more than SMILE_RETENTION_AFTER_EXPIRY_NS before `nowNs`. */
  pruneExpiredSmiles(store: KVStore, nowNs: bigint): void {
    const doomed: Uint8Array[] = [];
    for (const [key] of store.iterate(OracleKeys.smilePrefix, prefixEnd(OracleKeys.smilePrefix))) {
      const expiryUnixS = readU64be(key, key.length - 8); // the key ends with the expiry
      if (expiryUnixS * 1_000_000_000n + SMILE_RETENTION_AFTER_EXPIRY_NS < nowNs) doomed.push(key);
    }
    for (const k of doomed) store.delete(k);
  }
}

function absDiff(a: bigint, b: bigint): bigint {
  return a > b ? a - b : b - a;
}

/** |next − prev| ≥ minChangePpm / 1e6 × prev (always true for minChangePpm = 0). */
function movedEnough(prev: bigint, next: bigint, minChangePpm: number): boolean {
  return absDiff(prev, next) * 1_000_000n >= BigInt(minChangePpm) * prev;
}
