/**
 * The only code that reads or writes options state: params, series (with their indexes), settlements,
 * shortfall claims and the block time. Listing (listing.ts) and settlement (settlement.ts) write through the
 * primitives here, so the indexes (contract key, live expiries, live counts, the expiry queue) stay in step.
 */
import type { Context } from "../../src/app/context.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { bytesEqual } from "../../src/codec/index.js";
import type { ChainError } from "../../src/errors.js";
import { BS_LIMITS } from "../../src/math/blackScholes.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { paramsFromProto, ParamsProto, seriesFromProto, seriesToProto, SeriesProto, settlementFromProto, settlementToProto, SettlementProto } from "./codec.js";
import { OptionsErrors } from "./errors.js";
import * as events from "./events.js";
import type { OracleKeeper, SubaccountsKeeper } from "./expectedKeepers.js";
import { decodeIntValue, encodeU64Value, OptionsKeys, readU32be, readU64be, u64be } from "./keys.js";
import { MarkCache } from "./marks.js";
import { DEFAULT_OPTIONS_PARAMS } from "./params.js";
import {
  NO_HOOKS,
  type OptionKind,
  type OptionsParams,
  type OptionsReader,
  type Series,
  type SeriesLifecycleHooks,
  type SeriesMark,
  type SettlementRecord,
  type ShortfallClaim,
  type UnderlyingParams,
} from "./types.js";

const NS_PER_S = 1_000_000_000n;
/** Expiries further than this from the block time are refused (Black-Scholes is bounded to 100 years). */
export const MAX_TIME_TO_EXPIRY_S = 10n * 365n * 86_400n;
/** Strikes above this are refused (Black-Scholes' input bound, 1e12 USD). */
export const MAX_STRIKE_MICRO_USD = BigInt(BS_LIMITS.maxPrice);
const EMPTY = new Uint8Array(0);

export interface NewSeries {
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: OptionKind;
}

export class OptionsKeeper implements OptionsReader {
  private hooks: SeriesLifecycleHooks = NO_HOOKS;
  readonly markCache = new MarkCache();
  private paramsMemo: { raw: Uint8Array; params: OptionsParams } | undefined;
  private readonly seriesMemo = new Map<bigint, { key: Uint8Array; raw: Uint8Array; series: Series }>();

  constructor(readonly deps: { oracle: OracleKeeper; subaccounts: SubaccountsKeeper }) {}

  /** clob is built after options: the app sets its hooks once both exist. */
  setHooks(hooks: SeriesLifecycleHooks): void {
    this.hooks = hooks;
  }

  get lifecycleHooks(): SeriesLifecycleHooks {
    return this.hooks;
  }

  // ---- params -------------------------------------------------------------------------------------------

  /** Decoded once per distinct stored value (marks read it on every call). */
  params(store: KVReader): OptionsParams {
    const raw = store.get(OptionsKeys.params);
    if (raw === undefined) return DEFAULT_OPTIONS_PARAMS;
    if (this.paramsMemo !== undefined && bytesEqual(this.paramsMemo.raw, raw)) return this.paramsMemo.params;
    const params = paramsFromProto(ParamsProto.decode(raw));
    this.paramsMemo = { raw: raw.slice(), params };
    return params;
  }

  underlying(store: KVReader, symbol: string): UnderlyingParams | undefined {
    return this.params(store).underlyings.find((u) => u.symbol === symbol);
  }

  // ---- series -------------------------------------------------------------------------------------------

  series(store: KVReader, seriesId: bigint): Series | undefined {
    if (typeof seriesId !== "bigint" || seriesId < 0n || seriesId >= 1n << 64n) return undefined;
    // Key and decoded record kept per series (every mark, order and margin session reads its series); the
    // decoded record is reused only while the stored bytes are the same.
    const memo = this.seriesMemo.get(seriesId);
    const key = memo?.key ?? OptionsKeys.series(seriesId);
    const raw = store.get(key);
    if (raw === undefined) return undefined;
    if (memo !== undefined && bytesEqual(memo.raw, raw)) return { ...memo.series };
    const series = seriesFromProto(SeriesProto.decode(raw));
    if (this.seriesMemo.size >= 100_000) this.seriesMemo.clear();
    this.seriesMemo.set(seriesId, { key, raw: raw.slice(), series: { ...series } });
    return series;
  }

  /** Overwrites a series record (status changes); indexes are maintained by the callers below. */
  writeSeries(store: KVStore, s: Series): void {
    store.set(OptionsKeys.series(s.id), SeriesProto.encode(seriesToProto(s)));
  }

  *iterateSeries(store: KVReader): IterableIterator<Series> {
    const prefix = OptionsKeys.seriesPrefix;
    for (const [, value] of store.iterate(prefix, prefixEnd(prefix))) yield seriesFromProto(SeriesProto.decode(value));
  }

  nextSeriesId(store: KVReader): bigint {
    const raw = store.get(OptionsKeys.nextSeriesId);
    return raw === undefined ? 1n : decodeIntValue(raw);
  }

  setNextSeriesId(store: KVStore, id: bigint): void {
    store.set(OptionsKeys.nextSeriesId, encodeU64Value(id));
  }

  /** The id of the series with these terms, if listed (in any status). */
  seriesIdOf(store: KVReader, underlying: string, expiryUnixS: bigint, strikeMicroUsd: bigint, kind: OptionKind): bigint | undefined {
    if (expiryUnixS < 0n || strikeMicroUsd < 0n || strikeMicroUsd >= 1n << 64n || expiryUnixS >= 1n << 64n) return undefined;
    const raw = store.get(OptionsKeys.contract(underlying, expiryUnixS, strikeMicroUsd, kind));
    return raw === undefined ? undefined : readU64be(raw);
  }

  /** Series ids at one (underlying, expiry), in (strike, kind) order. */
  *seriesIdsAt(store: KVReader, underlying: string, expiryUnixS: bigint): IterableIterator<bigint> {
    const prefix = OptionsKeys.contractsAt(underlying, expiryUnixS);
    for (const [, value] of store.iterate(prefix, prefixEnd(prefix))) yield readU64be(value);
  }

  /** Expiries of the underlying with unsettled series, ascending. */
  liveExpiries(store: KVReader, underlying: string): bigint[] {
    const prefix = OptionsKeys.liveExpiriesOf(underlying);
    const out: bigint[] = [];
    for (const [key] of store.iterate(prefix, prefixEnd(prefix))) out.push(readU64be(key, prefix.length));
    return out;
  }

  liveSeriesAt(store: KVReader, underlying: string, expiryUnixS: bigint): bigint {
    const raw = store.get(OptionsKeys.liveExpiry(underlying, expiryUnixS));
    return raw === undefined ? 0n : decodeIntValue(raw);
  }

  liveSeriesCount(store: KVReader, underlying: string): bigint {
    const raw = store.get(OptionsKeys.liveCount(underlying));
    return raw === undefined ? 0n : decodeIntValue(raw);
  }

  /** Unsettled series whose expiry is at or before `expiryUnixS`, in (expiry, id) order. */
  dueSeries(store: KVReader, nowUnixS: bigint): Array<{ expiryUnixS: bigint; id: bigint }> {
    const prefix = OptionsKeys.expiryQueuePrefix;
    const end = nowUnixS + 1n < 1n << 64n ? OptionsKeys.queued(nowUnixS + 1n, 0n) : prefixEnd(prefix);
    const out: Array<{ expiryUnixS: bigint; id: bigint }> = [];
    if (nowUnixS < 0n) return out;
    for (const [key] of store.iterate(prefix, end)) out.push({ expiryUnixS: readU64be(key, prefix.length), id: readU64be(key, prefix.length + 8) });
    return out;
  }

  /**
   * Checks a new series against the policy-independent rules and the caps, without writing: the error a
   * MsgListSeries would fail with, or undefined.
   */
  checkNewSeries(store: KVReader, n: NewSeries, nowNs: bigint, by: "policy" | "authority" = "policy"): ChainError | undefined {
    const u = this.underlying(store, n.underlying);
    if (u === undefined) return OptionsErrors.unknownUnderlying.with(`"${n.underlying.slice(0, 40)}" is not in the options params`);
    const nowS = nowNs / NS_PER_S;
    const minLeadS = by === "authority" ? this.params(store).authorityMinTimeToExpiryS : u.minTimeToExpiryS;
    if (n.expiryUnixS < nowS + minLeadS) {
      return OptionsErrors.invalidExpiry.with(`expiry ${n.expiryUnixS} is less than ${minLeadS}s after the block time ${nowS}`);
    }
    if (n.expiryUnixS > nowS + MAX_TIME_TO_EXPIRY_S) return OptionsErrors.invalidExpiry.with(`expiry ${n.expiryUnixS} is more than ${MAX_TIME_TO_EXPIRY_S}s away`);
    if (n.strikeMicroUsd <= 0n || n.strikeMicroUsd > MAX_STRIKE_MICRO_USD) {
      return OptionsErrors.invalidStrike.with(`strike ${n.strikeMicroUsd} must be in 1..${MAX_STRIKE_MICRO_USD} micro-USD`);
    }
    const existing = this.seriesIdOf(store, n.underlying, n.expiryUnixS, n.strikeMicroUsd, n.kind);
    if (existing !== undefined) return OptionsErrors.duplicateSeries.with(`series ${existing} has these terms`);
    if (this.liveSeriesAt(store, n.underlying, n.expiryUnixS) === 0n) {
      const maxExpiries = this.deps.oracle.getParams(store).maxExpiries;
      const live = this.liveExpiries(store, n.underlying).length;
      if (live >= maxExpiries) return OptionsErrors.tooManyExpiries.with(`${n.underlying} has ${live} live expiries; the oracle quotes at most ${maxExpiries}`);
    }
    const count = this.liveSeriesCount(store, n.underlying);
    if (count >= BigInt(u.maxLiveSeries)) return OptionsErrors.tooManySeries.with(`${n.underlying} has ${count} live series (max_live_series ${u.maxLiveSeries})`);
    return undefined;
  }

  /** Lists a series after `checkNewSeries` (throws its error): the record, every index, an event. */
  listSeries(ctx: Context, n: NewSeries, by: "policy" | "authority"): Series {
    const err = this.checkNewSeries(ctx.store, n, ctx.blockTimeNs, by);
    if (err !== undefined) throw err;
    const id = this.nextSeriesId(ctx.store);
    const s: Series = { id, underlying: n.underlying, expiryUnixS: n.expiryUnixS, strikeMicroUsd: n.strikeMicroUsd, kind: n.kind, status: "active", listedHeight: ctx.height };
    this.insertSeries(ctx.store, s);
    this.setNextSeriesId(ctx.store, id + 1n);
    ctx.events.push(events.seriesListed(s, by));
    return s;
  }

  /** Writes a series and its indexes (genesis and listing). */
  insertSeries(store: KVStore, s: Series): void {
    this.writeSeries(store, s);
    store.set(OptionsKeys.contract(s.underlying, s.expiryUnixS, s.strikeMicroUsd, s.kind), u64be(s.id));
    if (s.status === "settled") return;
    store.set(OptionsKeys.queued(s.expiryUnixS, s.id), EMPTY);
    this.bumpLive(store, s.underlying, s.expiryUnixS, 1n);
  }

  /** Marks a series settled and drops it from the live indexes. */
  archiveSeries(store: KVStore, s: Series): void {
    this.writeSeries(store, s);
    store.delete(OptionsKeys.queued(s.expiryUnixS, s.id));
    store.delete(OptionsKeys.expired(s.id));
    this.bumpLive(store, s.underlying, s.expiryUnixS, -1n);
  }

  private bumpLive(store: KVStore, underlying: string, expiryUnixS: bigint, by: bigint): void {
    const atExpiry = this.liveSeriesAt(store, underlying, expiryUnixS) + by;
    if (atExpiry <= 0n) store.delete(OptionsKeys.liveExpiry(underlying, expiryUnixS));
    else store.set(OptionsKeys.liveExpiry(underlying, expiryUnixS), encodeU64Value(atExpiry));
    const total = this.liveSeriesCount(store, underlying) + by;
    if (total <= 0n) store.delete(OptionsKeys.liveCount(underlying));
    else store.set(OptionsKeys.liveCount(underlying), encodeU64Value(total));
  }

  /** Active → close_only; clob cancels the resting orders through the hook. */
  delistSeries(ctx: Context, seriesId: bigint): Series {
    const s = this.series(ctx.store, seriesId);
    if (s === undefined) throw OptionsErrors.unknownSeries.with(`series ${seriesId}`);
    if (s.status !== "active") throw OptionsErrors.seriesNotActive.with(`series ${seriesId} is ${s.status}`);
    const closed: Series = { ...s, status: "close_only" };
    this.writeSeries(ctx.store, closed);
    this.hooks.onSeriesClosing(ctx, seriesId, "delisted");
    ctx.events.push(events.seriesDelisted(closed));
    return closed;
  }

  // ---- expiry bookkeeping -------------------------------------------------------------------------------

  isExpiredPending(store: KVReader, seriesId: bigint): boolean {
    return store.has(OptionsKeys.expired(seriesId));
  }

  markExpiredPending(store: KVStore, seriesId: bigint): void {
    store.set(OptionsKeys.expired(seriesId), EMPTY);
  }

  *iterateExpiredPending(store: KVReader): IterableIterator<bigint> {
    const prefix = OptionsKeys.expiredPrefix;
    for (const [key] of store.iterate(prefix, prefixEnd(prefix))) yield readU64be(key, prefix.length);
  }

  // ---- settlements and claims ---------------------------------------------------------------------------

  settlement(store: KVReader, seriesId: bigint): SettlementRecord | undefined {
    if (seriesId < 0n || seriesId >= 1n << 64n) return undefined;
    const raw = store.get(OptionsKeys.settlement(seriesId));
    return raw === undefined ? undefined : settlementFromProto(SettlementProto.decode(raw));
  }

  setSettlement(store: KVStore, r: SettlementRecord): void {
    store.set(OptionsKeys.settlement(r.seriesId), SettlementProto.encode(settlementToProto(r)));
  }

  *iterateSettlements(store: KVReader): IterableIterator<SettlementRecord> {
    const prefix = OptionsKeys.settlementPrefix;
    for (const [, value] of store.iterate(prefix, prefixEnd(prefix))) yield settlementFromProto(SettlementProto.decode(value));
  }

  /** Adds to a long's claim (a subaccount has at most one per series). */
  addClaim(store: KVStore, c: ShortfallClaim): void {
    const key = OptionsKeys.claim(c.seriesId, c.owner, c.subaccountNumber);
    const raw = store.get(key);
    const amount = (raw === undefined ? 0n : decodeIntValue(raw)) + c.amountMicroUsdc;
    store.set(key, encodeU64Value(amount));
  }

  /**
   * The insurance fund paid `paidMicroUsdc` of a claim (x/liquidation's loss waterfall): the outstanding claim
   * is lowered and removed once fully paid. The settlement record keeps the original total shortfall (so
   * outstanding claims sum to at most it; the fund's history records what was paid).
   */
  payClaim(store: KVStore, seriesId: bigint, owner: Uint8Array, subaccountNumber: number, paidMicroUsdc: bigint): void {
    const key = OptionsKeys.claim(seriesId, owner, subaccountNumber);
    const raw = store.get(key);
    const owed = raw === undefined ? 0n : decodeIntValue(raw);
    if (paidMicroUsdc <= 0n || paidMicroUsdc > owed) throw new Error(`options: paying ${paidMicroUsdc} of a claim of ${owed}`);
    if (paidMicroUsdc === owed) store.delete(key);
    else store.set(key, encodeU64Value(owed - paidMicroUsdc));
  }

  /** Claims in (series, owner, number) order. */
  *iterateClaims(store: KVReader, seriesId?: bigint): IterableIterator<ShortfallClaim> {
    const prefix = seriesId === undefined ? OptionsKeys.claimPrefix : OptionsKeys.claim(seriesId, EMPTY, 0).slice(0, 10);
    for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) yield decodeClaim(key, value);
  }

  // ---- prices -------------------------------------------------------------------------------------------

  isStale(store: KVReader, underlying: string, nowNs: bigint): boolean {
    return this.deps.oracle.isStale(store, underlying, nowNs);
  }

  mark(store: KVReader, seriesId: bigint, nowNs: bigint): SeriesMark | undefined {
    const s = this.series(store, seriesId);
    if (s === undefined) return undefined;
    const u = this.underlying(store, s.underlying);
    const price = this.deps.oracle.price(store, s.underlying);
    const smile = this.deps.oracle.smile(store, s.underlying, s.expiryUnixS);
    if (u === undefined || price === undefined || smile === undefined) return undefined;
    const minAtmVolPpm = this.deps.oracle.getParams(store).minAtmVolPpm;
    const mark = this.markCache.get({ series: s, contractSizePpm: u.contractSizePpm, spotMicroUsd: price.priceMicroUsd, smile, minAtmVolPpm, nowNs }, price);
    return mark === undefined ? undefined : { ...mark };
  }
}

/** Claim key: 0x07 ‖ u64(series) ‖ len ‖ owner ‖ u32(number). */
export function decodeClaim(key: Uint8Array, value: Uint8Array): ShortfallClaim {
  const seriesId = readU64be(key, 2);
  const len = key[10]!;
  const owner = key.slice(11, 11 + len);
  return { seriesId, owner, subaccountNumber: readU32be(key, 11 + len), amountMicroUsdc: decodeIntValue(value) };
}
