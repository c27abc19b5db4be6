/**
 * Order entry and removal through one series' book: validation (everything that can refuse an order is
 * checked before the engine changes anything), the engine call, persistence of what the engine changed, events
 * and settlement. Functions return a refusal as a value (batches record it per item); anything thrown after
 * the engine accepted is fatal for the tx (the store and the cache are then reconciled by the counter rule).
 */
import { prefixEnd } from "../../src/app/pagination.js";
import type { ChainError } from "../../src/errors.js";
import { ClobErrors } from "./errors.js";
import * as events from "./events.js";
import type { OrderMarginSession, SubaccountId, SubaccountUpdate, SubaccountsKeeper } from "./expectedKeepers.js";
import { ClobKeys, decodeSubaccountKey, readU64be } from "./keys.js";
import type { ClobOp, SeriesInfo } from "./op.js";
import type { Cancellation, Fill, OrderType, PlaceContext, PlaceOrder, Rejection, Side, TimeInForce } from "./orderbook/index.js";
import { deleteOrder, encodeOrder, orderIdByClientId, ownerOf, readOrder, storedFromView, subOf, syncOrder, writeNewOrder, type StoredOrder } from "./orderStore.js";
import { settleFills, type MakerFlow } from "./settle.js";
import { TradeBuffer } from "./tradeBuffer.js";

/** Premium bound: far above any real order, far below where anything downstream could misbehave. */
const MAX_PREMIUM_MICRO_USDC = 1n << 128n;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ChainError };

export interface OrderRequest {
  seriesId: bigint;
  side: Side;
  type: OrderType;
  priceTicks: bigint;
  sizeContracts: bigint;
  timeInForce: TimeInForce;
  goodTilBlock?: bigint;
  goodTilTimeNs?: bigint;
  postOnly: boolean;
  reduceOnly: boolean;
  /** 0n: none. */
  clientId: bigint;
}

export interface TradingEnv {
  subaccounts: SubaccountsKeeper;
  feePool: Uint8Array;
  /** A lazily opened margin session for the message's subaccount (one per message). */
  session?: () => OrderMarginSession;
  isMmpFrozen(op: ClobOp, sub: Uint8Array, underlying: string): boolean;
  onMakerFlows(op: ClobOp, seriesId: bigint, info: SeriesInfo, flows: MakerFlow[]): void;
}

export interface Subaccount {
  id: SubaccountId;
  /** Subaccount key bytes. */
  sub: Uint8Array;
}

const fail = <T>(error: ChainError): Outcome<T> => ({ ok: false, error });

export function engineError(r: Rejection): ChainError {
  switch (r.name) {
    case "POST_ONLY_WOULD_CROSS":
      return ClobErrors.postOnlyWouldCross.with();
    case "FOK_NOT_FILLABLE":
      return ClobErrors.fokNotFillable.with();
    case "REDUCE_ONLY_WOULD_INCREASE":
      return ClobErrors.reduceOnlyWouldIncrease.with(r.message);
    case "DUPLICATE_CLIENT_ID":
      return ClobErrors.duplicateClientId.with(r.message);
    case "ALREADY_EXPIRED":
      return ClobErrors.alreadyExpired.with(r.message);
    case "INVALID_TIME_IN_FORCE":
      return ClobErrors.invalidTimeInForce.with(r.message);
    case "ORDER_NOT_FOUND":
    case "CLIENT_ID_NOT_FOUND":
      return ClobErrors.orderNotFound.with(r.message);
    default:
      return ClobErrors.invalidOrder.with(r.message);
  }
}

export function placeContext(op: ClobOp, env: TradingEnv, seriesId: bigint): PlaceContext {
  const store = op.ctx.store;
  return {
    positionOf: (owner) => {
      const sub = subOf(owner);
      return op.bufferedPosition(sub, seriesId) ?? env.subaccounts.position(store, decodeSubaccountKey(sub, 0).id, seriesId)?.sizeContracts ?? 0n;
    },
    height: op.ctx.height,
    timeNs: op.ctx.blockTimeNs,
  };
}

/** Series checks shared by places and amends that add risk. */
export function checkSeries(op: ClobOp, seriesId: bigint, reduceOnly: boolean): Outcome<SeriesInfo> {
  const info = op.seriesInfo(seriesId);
  if (info === undefined) return fail(ClobErrors.unknownSeries.with(`series ${seriesId}`));
  const s = info.series;
  if (s.status === "settled") return fail(ClobErrors.seriesNotTradable.with(`series ${seriesId} is settled`));
  if (s.expiryUnixS * 1_000_000_000n <= op.ctx.blockTimeNs) return fail(ClobErrors.seriesNotTradable.with(`series ${seriesId} expired at ${s.expiryUnixS}`));
  if (s.status === "close_only" && !reduceOnly) return fail(ClobErrors.closeOnly.with(`series ${seriesId}`));
  if (info.params === undefined) return fail(ClobErrors.unknownUnderlying.with(`underlying ${s.underlying} of series ${seriesId}`));
  return { ok: true, value: info };
}

export function checkPriceSize(info: SeriesInfo, priceTicks: bigint, sizeContracts: bigint): ChainError | undefined {
  const u = info.params!;
  if (priceTicks < 1n || priceTicks > u.maxPriceTicks) return ClobErrors.invalidPrice.with(`price ${priceTicks} ticks is outside 1..${u.maxPriceTicks}`);
  if (sizeContracts <= 0n) return ClobErrors.invalidSize.with("size must be positive");
  if (sizeContracts % u.minSizeContracts !== 0n) return ClobErrors.invalidSize.with(`size ${sizeContracts} is not a multiple of the lot ${u.minSizeContracts}`);
  if (sizeContracts > u.maxOrderSizeContracts) return ClobErrors.invalidSize.with(`size ${sizeContracts} is above the maximum ${u.maxOrderSizeContracts}`);
  if (priceTicks * u.tickSizeMicroUsdc * sizeContracts > MAX_PREMIUM_MICRO_USDC) return ClobErrors.overflow.with("premium of the order");
  return undefined;
}

/** Gating for risk-adding orders: staleness and MMP freezes (reduce-only orders pass both). */
export function checkGates(op: ClobOp, env: TradingEnv, who: Subaccount, info: SeriesInfo, reduceOnly: boolean): ChainError | undefined {
  if (reduceOnly) return undefined;
  const u = info.series.underlying;
  if (op.isStale(u)) return ClobErrors.staleUnderlying.with(`underlying ${u}`);
  if (env.isMmpFrozen(op, who.sub, u)) return ClobErrors.mmpFrozen.with(`underlying ${u}`);
  return undefined;
}

export interface PlaceResultValue {
  orderId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
}

export function placeOrder(op: ClobOp, env: TradingEnv, who: Subaccount, req: OrderRequest): Outcome<PlaceResultValue> {
  const checked = checkSeries(op, req.seriesId, req.reduceOnly);
  if (!checked.ok) return checked;
  const info = checked.value;
  const bad = checkPriceSize(info, req.priceTicks, req.sizeContracts) ?? checkGates(op, env, who, info, req.reduceOnly);
  if (bad !== undefined) return fail(bad);
  const store = op.ctx.store;
  if (req.clientId !== 0n && orderIdByClientId(store, who.sub, req.clientId) !== undefined) return fail(ClobErrors.duplicateClientId.with(`client id ${req.clientId}`));
  const mayRest = req.timeInForce === "GTC" || req.timeInForce === "GTB" || req.timeInForce === "GTT";
  const maxOpen = op.params().maxOpenOrdersPerSubaccount;
  if (mayRest && op.openCount(who.sub) >= maxOpen) return fail(ClobErrors.tooManyOpenOrders.with(`limit ${maxOpen}`));
  const risk = { seriesId: req.seriesId, side: req.side, priceTicks: req.priceTicks, sizeContracts: req.sizeContracts, reduceOnly: req.reduceOnly };
  const session = env.session?.();
  const marginError = session?.tryAdd(risk);
  if (marginError !== undefined) return fail(marginError);

  const book = op.book(req.seriesId);
  const orderId = op.peekOrderId();
  // Optional fields assigned after creation: object spreads of conditional literals cost more than the engine call.
  const order: { -readonly [K in keyof PlaceOrder]: PlaceOrder[K] } = {
    orderId,
    owner: ownerOf(who.sub),
    side: req.side,
    type: req.type,
    priceTicks: req.priceTicks,
    sizeContracts: req.sizeContracts,
    timeInForce: req.timeInForce,
    postOnly: req.postOnly,
    reduceOnly: req.reduceOnly,
  };
  if (req.timeInForce === "GTB") order.goodTilBlock = req.goodTilBlock ?? 0n;
  if (req.timeInForce === "GTT") order.goodTilTimeNs = req.goodTilTimeNs ?? 0n;
  if (req.clientId !== 0n) order.clientId = req.clientId.toString();
  const res = book.place(order, placeContext(op, env, req.seriesId));
  if (!res.ok) {
    session?.remove(risk);
    return fail(engineError(res.rejection));
  }
  // Accepted: from here on the book has changed and nothing is refused.
  op.takeOrderId();
  op.mutated(req.seriesId);
  persistTouched(op, req.seriesId, res.cancellations, res.fills, orderId, "user");
  const view = book.getOrder(orderId);
  if (view !== undefined) {
    writeNewOrder(store, storedFromView(req.seriesId, view));
    op.addOpenCount(who.sub, 1);
  }
  op.ctx.events.push(
    events.orderPlaced({
      orderId,
      seriesId: req.seriesId,
      subaccount: op.name(who.sub, who.id),
      side: req.side,
      priceTicks: req.priceTicks,
      sizeContracts: req.sizeContracts,
      timeInForce: req.timeInForce,
      clientId: req.clientId,
      filledContracts: res.filledContracts,
      restingContracts: res.restingContracts,
    }),
  );
  settle(op, env, who, req.side, req.seriesId, info, res.fills);
  return { ok: true, value: { orderId, filledContracts: res.filledContracts, restingContracts: res.restingContracts } };
}

export function settle(op: ClobOp, env: TradingEnv, who: Subaccount, side: Side, seriesId: bigint, info: SeriesInfo, fills: readonly Fill[]): void {
  if (fills.length === 0) return;
  const u = info.params!;
  const mark = op.mark(seriesId);
  const fee = { params: op.params(), tickSizeMicroUsdc: u.tickSizeMicroUsdc, contractSizePpm: u.contractSizePpm, spotMicroUsd: mark?.spotMicroUsd };
  const trades = op.trades(() => new TradeBuffer(op.ctx, env.subaccounts, env.feePool));
  const deps = {
    feePool: env.feePool,
    applyUpdates: (updates: SubaccountUpdate[], subs: Uint8Array[]) => trades.add(updates, subs),
  };
  const flows = settleFills(op, deps, fee, seriesId, who.sub, who.id, side, fills);
  env.onMakerFlows(op, seriesId, info, flows);
}

/**
 * Persists every resting order (other than `takerOrderId`) the engine changed: makers filled, orders cancelled
 * by self-trade prevention or reduce-only caps. Emits their cancellation events.
 */
export function persistTouched(op: ClobOp, seriesId: bigint, cancellations: readonly Cancellation[], fills: readonly Fill[], takerOrderId: bigint | undefined, userReason: string): void {
  if (cancellations.length === 0 && fills.length === 0) return;
  const store = op.ctx.store;
  const book = op.book(seriesId);
  const seen = new Set<bigint>();
  const touch = (orderId: bigint) => {
    if (orderId === takerOrderId || seen.has(orderId)) return;
    seen.add(orderId);
    const stored = readOrder(store, orderId);
    if (stored === undefined) throw new Error(`clob: order ${orderId} is in the book but not in the store`);
    if (syncOrder(store, stored, book.getOrder(orderId))) op.addOpenCount(stored.sub, -1);
  };
  for (const c of cancellations) {
    if (c.orderId === takerOrderId) continue;
    touch(c.orderId);
    const sub = subOf(c.owner);
    op.ctx.events.push(events.orderCancelled(c.orderId, seriesId, op.name(sub, decodeSubaccountKey(sub, 0).id), c.sizeContracts, c.reason === "user" ? userReason : c.reason, c.removed));
  }
  for (const f of fills) {
    const id = f.makerOrderId;
    if (id === takerOrderId || seen.has(id)) continue;
    const view = book.getOrder(id);
    if (view === undefined) {
      touch(id);
      continue;
    }
    // A maker still resting after a fill kept its price and queue place: only its record changes, rewritten
    // from the engine's view without reading the stored one (the book mirrors the store by the counter rule).
    seen.add(id);
    store.set(ClobKeys.order(id), encodeOrder(storedFromView(seriesId, view)));
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Finds a subaccount's live order by id or client id (exactly one non-zero). */
export function resolveOrder(op: ClobOp, who: Subaccount, orderId: bigint, clientId: bigint): Outcome<StoredOrder> {
  const store = op.ctx.store;
  if ((orderId === 0n) === (clientId === 0n)) return fail(ClobErrors.invalidOrder.with("give exactly one of order_id and client_id"));
  const id = orderId !== 0n ? orderId : orderIdByClientId(store, who.sub, clientId);
  const stored = id === undefined ? undefined : readOrder(store, id);
  if (stored === undefined) return fail(ClobErrors.orderNotFound.with(orderId !== 0n ? `order ${orderId}` : `client id ${clientId}`));
  if (!sameBytes(stored.sub, who.sub)) return fail(ClobErrors.notOrderOwner.with(`order ${stored.orderId}`));
  return { ok: true, value: stored };
}

/** Removes a stored resting order from its book and the store, with an order_cancelled event. */
export function removeOrder(op: ClobOp, stored: StoredOrder, reason: string): bigint {
  const book = op.book(stored.seriesId);
  const res = book.cancel(stored.orderId);
  if (!res.ok) throw new Error(`clob: order ${stored.orderId} is in the store but not in the book`);
  op.mutated(stored.seriesId);
  deleteOrder(op.ctx.store, stored);
  op.addOpenCount(stored.sub, -1);
  const name = op.name(stored.sub, stored.subaccount);
  const size = res.cancellation.sizeContracts;
  op.ctx.events.push(events.orderCancelled(stored.orderId, stored.seriesId, name, size, reason, true));
  return size;
}

export function cancelOrder(op: ClobOp, who: Subaccount, orderId: bigint, clientId: bigint): Outcome<{ orderId: bigint; cancelledContracts: bigint }> {
  const found = resolveOrder(op, who, orderId, clientId);
  if (!found.ok) return found;
  return { ok: true, value: { orderId: found.value.orderId, cancelledContracts: removeOrder(op, found.value, "user") } };
}

/** Cancels the subaccount's orders whose series passes `keep` (all when absent); series-ordered. Returns how many. */
export function cancelWhere(op: ClobOp, who: Subaccount, reason: string, seriesId?: bigint, keep?: (info: SeriesInfo | undefined) => boolean): number {
  const store = op.ctx.store;
  const prefix = seriesId === undefined ? ClobKeys.subaccountOrdersPrefix(who.sub) : ClobKeys.subaccountSeriesPrefix(who.sub, seriesId);
  const ids: Array<[bigint, bigint]> = [];
  const base = ClobKeys.bySubaccountPrefix.length + who.sub.length;
  for (const [key] of store.iterate(prefix, prefixEnd(prefix))) ids.push([readU64be(key, base), readU64be(key, base + 8)]);
  let n = 0;
  for (const [series, orderId] of ids) {
    if (keep !== undefined && !keep(op.seriesInfo(series))) continue;
    const stored = readOrder(store, orderId);
    if (stored === undefined) continue;
    removeOrder(op, stored, reason);
    n++;
  }
  return n;
}
