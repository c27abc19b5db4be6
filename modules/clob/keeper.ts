/**
 * The CLOB keeper: order books per series (price-time priority, matched synchronously in DeliverTx), their
 * persistence, fees, market maker protection, and the hooks other modules call (ClobReader for margin,
 * SeriesLifecycleHooks for options). Every entry point runs one ClobOp and finishes it (writes counters).
 */
import type { Context } from "../../src/app/context.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { moduleAddress } from "../../src/crypto/address.js";
import type { ChainError } from "../../src/errors.js";
import type { KVReader } from "../../src/store/types.js";
import { amendOrder, type AmendRequest, type AmendResultValue } from "./amend.js";
import { BookCache } from "./books.js";
import { ClobErrors } from "./errors.js";
import * as events from "./events.js";
import { NO_MARGIN_GATE, type MarginGate, type OptionsReader, type SubaccountId, type SubaccountsKeeper } from "./expectedKeepers.js";
import { ClobKeys, decodeSubaccountKey, readU64be, subaccountKey } from "./keys.js";
import { getMmpState, isMmpFrozen, liftEndedFreezes, onMakerFlows, resetMmp, setMmpConfig } from "./mmp.js";
import { ClobOp } from "./op.js";
import { decodeOrder, deleteOrder, readOrder, type StoredOrder } from "./orderStore.js";
import { cancelOrder, cancelWhere, placeOrder, removeOrder, type OrderRequest, type Outcome, type PlaceResultValue, type Subaccount, type TradingEnv } from "./trading.js";
import { liquidationEnv, placeLiquidationOrderOp, type LiquidationOrderResult } from "./liquidationOrders.js";
import { FEE_POOL_MODULE_ACCOUNT, type ClobReader, type MmpConfig, type OpenOrder, type SeriesLifecycleHooks } from "./types.js";

export interface ClobKeeperDeps {
  options: OptionsReader;
  subaccounts: SubaccountsKeeper;
  margin?: MarginGate;
}

export interface BatchItemResult {
  ok: boolean;
  orderId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
  error?: ChainError;
}

function orThrow<T>(o: Outcome<T>): T {
  if (!o.ok) throw o.error;
  return o.value;
}

export function subaccountOf(id: SubaccountId): Subaccount {
  return { id: { owner: id.owner, number: id.number }, sub: subaccountKey(id) };
}

export class ClobKeeper implements ClobReader, SeriesLifecycleHooks {
  readonly feePoolAddress: Uint8Array = moduleAddress(FEE_POOL_MODULE_ACCOUNT);
  readonly cache = new BookCache();
  private readonly margin: MarginGate;

  constructor(private readonly deps: ClobKeeperDeps) {
    this.margin = deps.margin ?? NO_MARGIN_GATE;
  }

  get options(): OptionsReader {
    return this.deps.options;
  }

  /** Runs `body` in one op and writes its counters; the op is discarded if body throws (the tx fails). */
  run<T>(ctx: Context, body: (op: ClobOp) => T): T {
    const op = new ClobOp(ctx, this.cache, this.deps.options);
    const go = () => {
      const out = body(op);
      op.finish();
      return out;
    };
    // Fees reach the fee pool in one bank transfer per message, not one per taker order.
    const subaccounts = this.deps.subaccounts;
    return subaccounts.withNettedTransfers === undefined ? go() : subaccounts.withNettedTransfers(ctx, this.feePoolAddress, go);
  }

  private env(ctx: Context, who: Subaccount | undefined): TradingEnv {
    let session: ReturnType<MarginGate["openSession"]> | undefined;
    return {
      subaccounts: this.deps.subaccounts,
      feePool: this.feePoolAddress,
      // Opened at the first order that needs it, so it sees the store after the message's cancels.
      ...(who === undefined ? {} : { session: () => (session ??= this.margin.openSession(ctx.store, who.id, ctx.blockTimeNs)) }),
      isMmpFrozen,
      onMakerFlows,
    };
  }

  // ---- messages ------------------------------------------------------------------------------------------

  placeOrder(ctx: Context, id: SubaccountId, req: OrderRequest): PlaceResultValue {
    const who = subaccountOf(id);
    return this.run(ctx, (op) => orThrow(placeOrder(op, this.env(ctx, who), who, req)));
  }

  cancelOrder(ctx: Context, id: SubaccountId, orderId: bigint, clientId: bigint): { orderId: bigint; cancelledContracts: bigint } {
    const who = subaccountOf(id);
    return this.run(ctx, (op) => orThrow(cancelOrder(op, who, orderId, clientId)));
  }

  /** Filters narrow the set: underlying "" / expiry 0 / series 0 mean any. */
  cancelAll(ctx: Context, id: SubaccountId, filter: { underlying: string; expiryUnixS: bigint; seriesId: bigint }, reason = "user"): number {
    const who = subaccountOf(id);
    const any = filter.underlying === "" && filter.expiryUnixS === 0n;
    return this.run(ctx, (op) =>
      cancelWhere(op, who, reason, filter.seriesId === 0n ? undefined : filter.seriesId, any ? undefined : (info) => {
        if (info === undefined) return false;
        if (filter.underlying !== "" && info.series.underlying !== filter.underlying) return false;
        return filter.expiryUnixS === 0n || info.series.expiryUnixS === filter.expiryUnixS;
      }),
    );
  }

  amendOrder(ctx: Context, id: SubaccountId, req: AmendRequest): AmendResultValue {
    const who = subaccountOf(id);
    return this.run(ctx, (op) => orThrow(amendOrder(op, this.env(ctx, who), who, req)));
  }

  /**
   * Cancels first, then places; each item succeeds or fails alone (a refusal changes nothing). `places` items
   * that failed stateless parsing arrive as errors and are reported in place.
   */
  batch(ctx: Context, id: SubaccountId, cancels: ReadonlyArray<{ orderId: bigint; clientId: bigint }>, places: ReadonlyArray<OrderRequest | ChainError>): { cancels: BatchItemResult[]; places: BatchItemResult[] } {
    const who = subaccountOf(id);
    return this.run(ctx, (op) => {
      const env = this.env(ctx, who);
      const cancelResults = cancels.map((c): BatchItemResult => {
        const r = cancelOrder(op, who, c.orderId, c.clientId);
        return r.ok ? { ok: true, orderId: r.value.orderId, filledContracts: 0n, restingContracts: 0n } : { ok: false, orderId: c.orderId, filledContracts: 0n, restingContracts: 0n, error: r.error };
      });
      const placeResults = places.map((p): BatchItemResult => {
        if (!("seriesId" in p)) return { ok: false, orderId: 0n, filledContracts: 0n, restingContracts: 0n, error: p };
        const r = placeOrder(op, env, who, p);
        return r.ok ? { ok: true, ...r.value } : { ok: false, orderId: 0n, filledContracts: 0n, restingContracts: 0n, error: r.error };
      });
      return { cancels: cancelResults, places: placeResults };
    });
  }

  setMmp(ctx: Context, id: SubaccountId, underlying: string, cfg: MmpConfig): void {
    if (this.deps.options.underlying(ctx.store, underlying) === undefined) throw ClobErrors.unknownUnderlying.with(`underlying ${underlying}`);
    const sub = subaccountKey(id);
    const off = cfg.maxContracts === 0n && cfg.maxDeltaMicroUnits === 0n && cfg.maxVegaMicroUsdc === 0n;
    if (!off && cfg.windowNs === 0n) throw ClobErrors.invalidMmp.with("window_ns must be positive");
    setMmpConfig(ctx.store, sub, underlying, off ? undefined : cfg);
    // A new config starts a fresh window; an existing freeze stays until reset.
    const state = getMmpState(ctx.store, sub, underlying);
    if (!state.frozen) resetMmp(ctx, undefined, sub, underlying, "config");
  }

  resetMmp(ctx: Context, id: SubaccountId, underlying: string): void {
    resetMmp(ctx, undefined, subaccountKey(id), underlying, "reset");
  }

  // ---- block hooks ---------------------------------------------------------------------------------------

  /** Expires good-til-block / good-til-time orders and lifts MMP freezes that ended. */
  beginBlock(ctx: Context): void {
    this.run(ctx, (op) => {
      const series = new Set<bigint>();
      const byBlock = ClobKeys.expiryByBlockPrefix();
      for (const [, v] of ctx.store.iterate(byBlock, ClobKeys.expiryByBlock(ctx.height, 0n))) series.add(readU64be(v, 0));
      const byTime = ClobKeys.expiryByTimePrefix();
      for (const [, v] of ctx.store.iterate(byTime, ClobKeys.expiryByTime(ctx.blockTimeNs, 0n))) series.add(readU64be(v, 0));
      for (const seriesId of [...series].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) this.expireSeries(op, seriesId);
      liftEndedFreezes(ctx, op);
    });
  }

  private expireSeries(op: ClobOp, seriesId: bigint): void {
    const book = op.book(seriesId);
    const gone = book.expire(op.ctx.height, op.ctx.blockTimeNs);
    if (gone.length === 0) return;
    op.mutated(seriesId);
    for (const c of gone) {
      const stored = readOrder(op.ctx.store, c.orderId);
      if (stored === undefined) throw new Error(`clob: expired order ${c.orderId} is not in the store`);
      deleteOrder(op.ctx.store, stored);
      op.addOpenCount(stored.sub, -1);
      op.ctx.events.push(events.orderExpired(c.orderId, seriesId, op.name(stored.sub, stored.subaccount), c.sizeContracts));
    }
  }

  // ---- SeriesLifecycleHooks ------------------------------------------------------------------------------

  onSeriesClosing(ctx: Context, seriesId: bigint, reason: "expired" | "delisted"): void {
    this.run(ctx, (op) => {
      const ids: bigint[] = [];
      const prefix = ClobKeys.seriesBookPrefix(seriesId);
      for (const [, v] of ctx.store.iterate(prefix, prefixEnd(prefix))) ids.push(readU64be(v, 0));
      ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const orderId of ids) {
        const stored = readOrder(ctx.store, orderId);
        if (stored !== undefined) removeOrder(op, stored, reason);
      }
    });
  }

  // ---- ClobReader ----------------------------------------------------------------------------------------

  openOrdersOf(store: KVReader, subaccount: SubaccountId): OpenOrder[] {
    const prefix = ClobKeys.subaccountOrdersPrefix(subaccountKey(subaccount));
    const out: OpenOrder[] = [];
    for (const [key] of store.iterate(prefix, prefixEnd(prefix))) {
      const orderId = readU64be(key, key.length - 8);
      const raw = store.get(ClobKeys.order(orderId));
      if (raw === undefined) continue;
      const o = decodeOrder(orderId, raw);
      out.push({ orderId, seriesId: o.seriesId, subaccount: o.subaccount, side: o.side, priceTicks: o.priceTicks, remainingContracts: o.remainingContracts, reduceOnly: o.reduceOnly });
    }
    return out;
  }

  *subaccountsWithOrders(store: KVReader): IterableIterator<SubaccountId> {
    const prefix = ClobKeys.openCountPrefix;
    for (const [key] of store.iterate(prefix, prefixEnd(prefix))) yield decodeSubaccountKey(key, prefix.length).id;
  }

  cancelAllOf(ctx: Context, subaccount: SubaccountId, reason: string): number {
    const who = subaccountOf(subaccount);
    return this.run(ctx, (op) => cancelWhere(op, who, reason));
  }

  /** x/liquidation's protocol order (liquidationOrders.ts): IOC, reduce-only, no margin/stale/MMP gate, no taker fee. */
  placeLiquidationOrder(ctx: Context, subaccount: SubaccountId, seriesId: bigint, side: "buy" | "sell", sizeContracts: bigint, limitPriceTicks: bigint): LiquidationOrderResult {
    const who = subaccountOf(subaccount);
    const env = liquidationEnv({ subaccounts: this.deps.subaccounts, feePool: this.feePoolAddress });
    return this.run(ctx, (op) => orThrow(placeLiquidationOrderOp(op, env, who, { seriesId, side, sizeContracts, limitPriceTicks })));
  }

  // ---- reads ---------------------------------------------------------------------------------------------

  order(store: KVReader, orderId: bigint): StoredOrder | undefined {
    return readOrder(store, orderId);
  }
}
