/**
 * Protocol liquidation orders (sent by x/liquidation in BeginBlock for an under-margined subaccount whose
 * orders were already cancelled): immediate-or-cancel limit orders, reduce-only (they can close but never open
 * or flip a position), with NO margin gate, NO staleness gate and NO MMP gate for the liquidated subaccount
 * (liquidation itself refuses to run on a stale oracle). They match resting orders at the makers' prices and
 * settle through the same path as user fills (one "trade" batch, maker fees as usual); the liquidated taker pays
 * no taker fee (x/liquidation charges its own liquidation fee). Makers' MMP counters see the flow like any fill.
 */
import { event } from "../../src/types/events.js";
import type { ChainError } from "../../src/errors.js";
import { ClobErrors } from "./errors.js";
import type { SubaccountUpdate } from "./expectedKeepers.js";
import { isMmpFrozen, onMakerFlows } from "./mmp.js";
import type { ClobOp } from "./op.js";
import type { Side } from "./orderbook/index.js";
import { ownerOf } from "./orderStore.js";
import { settleFills } from "./settle.js";
import { checkPriceSize, engineError, persistTouched, placeContext, type Outcome, type Subaccount, type TradingEnv } from "./trading.js";

export interface LiquidationOrderRequest {
  seriesId: bigint;
  side: Side;
  sizeContracts: bigint;
  limitPriceTicks: bigint;
}

export interface LiquidationOrderResult {
  orderId: bigint;
  filledContracts: bigint;
  /** Σ fill price × size × tick size (unsigned premium that changed hands). */
  premiumMicroUsdc: bigint;
}

const fail = (error: ChainError): Outcome<LiquidationOrderResult> => ({ ok: false, error });

export function placeLiquidationOrderOp(op: ClobOp, env: TradingEnv, who: Subaccount, req: LiquidationOrderRequest): Outcome<LiquidationOrderResult> {
  const info = op.seriesInfo(req.seriesId);
  if (info === undefined) return fail(ClobErrors.unknownSeries.with(`series ${req.seriesId}`));
  if (info.series.status === "settled") return fail(ClobErrors.seriesNotTradable.with(`series ${req.seriesId} is settled`));
  if (info.params === undefined) return fail(ClobErrors.unknownUnderlying.with(`underlying ${info.series.underlying}`));
  const bad = checkPriceSize(info, req.limitPriceTicks, req.sizeContracts);
  if (bad !== undefined) return fail(bad);
  const book = op.book(req.seriesId);
  const orderId = op.peekOrderId();
  const res = book.place(
    { orderId, owner: ownerOf(who.sub), side: req.side, type: "limit", priceTicks: req.limitPriceTicks, sizeContracts: req.sizeContracts, timeInForce: "IOC", postOnly: false, reduceOnly: true },
    placeContext(op, env, req.seriesId),
  );
  if (!res.ok) return fail(engineError(res.rejection));
  op.takeOrderId();
  op.mutated(req.seriesId);
  persistTouched(op, req.seriesId, res.cancellations, res.fills, orderId, "liquidation");
  const u = info.params;
  let premium = 0n;
  for (const f of res.fills) premium += f.priceTicks * u.tickSizeMicroUsdc * f.sizeContracts;
  op.ctx.events.push(
    event("liquidation_order", {
      order_id: orderId.toString(),
      series_id: req.seriesId.toString(),
      subaccount: op.name(who.sub, who.id),
      side: req.side,
      limit_price_ticks: req.limitPriceTicks.toString(),
      size_contracts: req.sizeContracts.toString(),
      filled_contracts: res.filledContracts.toString(),
      premium: `${premium}uusdc`,
    }),
  );
  if (res.fills.length > 0) {
    // The liquidated taker pays no taker fee; makers pay their usual fee.
    const fee = { params: { ...op.params(), takerFeePpm: 0n, takerFeeCapNotionalPpm: 0n }, tickSizeMicroUsdc: u.tickSizeMicroUsdc, contractSizePpm: u.contractSizePpm, spotMicroUsd: undefined };
    const deps = {
      feePool: env.feePool,
      applyUpdates: (updates: SubaccountUpdate[]) => void env.subaccounts.applyUpdates(op.ctx, updates, { kind: "trade", counterparty: env.feePool }),
    };
    const flows = settleFills(op, deps, fee, req.seriesId, who.sub, who.id, req.side, res.fills);
    env.onMakerFlows(op, req.seriesId, info, flows);
  }
  return { ok: true, value: { orderId, filledContracts: res.filledContracts, premiumMicroUsdc: premium } };
}

/** The trading environment of a protocol order: no margin session (no gate). */
export function liquidationEnv(env: Pick<TradingEnv, "subaccounts" | "feePool">): TradingEnv {
  return { subaccounts: env.subaccounts, feePool: env.feePool, isMmpFrozen, onMakerFlows };
}
