/**
 * Amend: new size (and optionally price) for a resting order, keeping its id. Same price and size down keeps
 * queue priority and is accepted whatever the gates (it only removes risk). A price change or a size increase
 * is cancel-replace in the engine (back of the queue; crossing → matches, post-only → refused) and is checked
 * like a new order (series, staleness, MMP, margin). new_price_ticks 0 keeps the price and then only size down is
 * allowed: the fairness classifier calls such amends "maker" from the message alone.
 */
import { ClobErrors } from "./errors.js";
import * as events from "./events.js";
import type { ClobOp } from "./op.js";
import { syncOrder } from "./orderStore.js";
import { checkGates, checkPriceSize, checkSeries, engineError, persistTouched, placeContext, resolveOrder, settle, type Outcome, type Subaccount, type TradingEnv } from "./trading.js";

export interface AmendRequest {
  orderId: bigint;
  clientId: bigint;
  newSizeContracts: bigint;
  /** 0n: keep the price. */
  newPriceTicks: bigint;
}

export interface AmendResultValue {
  orderId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
  lostPriority: boolean;
}

export function amendOrder(op: ClobOp, env: TradingEnv, who: Subaccount, req: AmendRequest): Outcome<AmendResultValue> {
  const found = resolveOrder(op, who, req.orderId, req.clientId);
  if (!found.ok) return found;
  const stored = found.value;
  const price = req.newPriceTicks === 0n ? stored.priceTicks : req.newPriceTicks;
  if (req.newSizeContracts <= 0n) return { ok: false, error: ClobErrors.invalidAmend.with("new size must be positive (cancel to remove)") };
  if (req.newPriceTicks === 0n && req.newSizeContracts > stored.remainingContracts) {
    return { ok: false, error: ClobErrors.invalidAmend.with(`to increase the size above ${stored.remainingContracts}, give new_price_ticks (the current price to keep it)`) };
  }
  const sizeDownOnly = price === stored.priceTicks && req.newSizeContracts <= stored.remainingContracts;
  const info = op.seriesInfo(stored.seriesId);
  if (!sizeDownOnly) {
    const checked = checkSeries(op, stored.seriesId, stored.reduceOnly);
    if (!checked.ok) return checked;
    const bad = checkPriceSize(checked.value, price, req.newSizeContracts) ?? checkGates(op, env, who, checked.value, stored.reduceOnly);
    if (bad !== undefined) return { ok: false, error: bad };
    const session = env.session?.();
    if (session !== undefined) {
      const old = { seriesId: stored.seriesId, side: stored.side, priceTicks: stored.priceTicks, sizeContracts: stored.remainingContracts, reduceOnly: stored.reduceOnly };
      session.remove(old);
      const err = session.tryAdd({ ...old, priceTicks: price, sizeContracts: req.newSizeContracts });
      if (err !== undefined) {
        session.tryAdd(old);
        return { ok: false, error: err };
      }
    }
  } else if (info?.params !== undefined && req.newSizeContracts % info.params.minSizeContracts !== 0n) {
    return { ok: false, error: ClobErrors.invalidSize.with(`size ${req.newSizeContracts} is not a multiple of the lot ${info.params.minSizeContracts}`) };
  }

  const book = op.book(stored.seriesId);
  const res = book.amend(stored.orderId, req.newSizeContracts, price === stored.priceTicks ? undefined : price, placeContext(op, env, stored.seriesId));
  if (!res.ok) return { ok: false, error: engineError(res.rejection) };
  op.mutated(stored.seriesId);
  persistTouched(op, stored.seriesId, res.cancellations, res.fills, stored.orderId, "user");
  const name = op.name(who.sub, who.id);
  for (const c of res.cancellations) {
    if (c.orderId === stored.orderId) op.ctx.events.push(events.orderCancelled(c.orderId, stored.seriesId, name, c.sizeContracts, c.reason, c.removed));
  }
  if (syncOrder(op.ctx.store, stored, book.getOrder(stored.orderId))) op.addOpenCount(who.sub, -1);
  op.ctx.events.push(events.orderAmended(stored.orderId, stored.seriesId, name, price, res.restingContracts, res.lostPriority));
  if (res.fills.length > 0) settle(op, env, who, stored.side, stored.seriesId, info!, res.fills);
  return { ok: true, value: { orderId: stored.orderId, filledContracts: res.filledContracts, restingContracts: res.restingContracts, lostPriority: res.lostPriority } };
}
