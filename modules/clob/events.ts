/**
 * CLOB events in Cosmos shapes (flat string attributes). Subaccounts are "bech32/number".
 * Order events mark only identifying attributes as indexed (ids, series, subaccounts, client id, reason): a
 * node writes one tx-index key per indexed attribute value, and sizes, prices and fees of thousands of orders a
 * block are not what anyone searches txs by (they stay in the events, unindexed).
 */
import { event as indexedEvent, type Event } from "../../src/types/events.js";

const UNINDEXED: ReadonlySet<string> = new Set([
  "side",
  "price_ticks",
  "size_contracts",
  "time_in_force",
  "filled_contracts",
  "resting_contracts",
  "cancelled_contracts",
  "removed",
  "taker_side",
  "premium",
  "maker_fee",
  "taker_fee",
  "lost_priority",
]);

function event(type: string, attrs: Record<string, string>): Event {
  const e = indexedEvent(type, attrs);
  for (const a of e.attributes) if (UNINDEXED.has(a.key)) a.index = false;
  return e;
}

export interface PlacedAttrs {
  orderId: bigint;
  seriesId: bigint;
  subaccount: string;
  side: string;
  priceTicks: bigint;
  sizeContracts: bigint;
  timeInForce: string;
  clientId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
}

export const orderPlaced = (a: PlacedAttrs): Event =>
  event("order_placed", {
    order_id: a.orderId.toString(),
    series_id: a.seriesId.toString(),
    subaccount: a.subaccount,
    side: a.side,
    price_ticks: a.priceTicks.toString(),
    size_contracts: a.sizeContracts.toString(),
    time_in_force: a.timeInForce,
    client_id: a.clientId.toString(),
    filled_contracts: a.filledContracts.toString(),
    resting_contracts: a.restingContracts.toString(),
  });

/** `cancelledContracts` is the size removed; `removed` false when the order stays with less size (amend, cuts). */
export const orderCancelled = (orderId: bigint, seriesId: bigint, subaccount: string, cancelledContracts: bigint, reason: string, removed: boolean): Event =>
  event("order_cancelled", {
    order_id: orderId.toString(),
    series_id: seriesId.toString(),
    subaccount,
    cancelled_contracts: cancelledContracts.toString(),
    reason,
    removed: String(removed),
  });

export const orderExpired = (orderId: bigint, seriesId: bigint, subaccount: string, cancelledContracts: bigint): Event =>
  event("order_expired", { order_id: orderId.toString(), series_id: seriesId.toString(), subaccount, cancelled_contracts: cancelledContracts.toString() });

export interface FillAttrs {
  seriesId: bigint;
  makerOrderId: bigint;
  takerOrderId: bigint;
  maker: string;
  taker: string;
  takerSide: string;
  priceTicks: bigint;
  sizeContracts: bigint;
  premiumMicroUsdc: bigint;
  makerFeeMicroUsdc: bigint;
  takerFeeMicroUsdc: bigint;
}

export const orderFilled = (f: FillAttrs): Event =>
  event("order_filled", {
    series_id: f.seriesId.toString(),
    maker_order_id: f.makerOrderId.toString(),
    taker_order_id: f.takerOrderId.toString(),
    maker: f.maker,
    taker: f.taker,
    taker_side: f.takerSide,
    price_ticks: f.priceTicks.toString(),
    size_contracts: f.sizeContracts.toString(),
    premium: `${f.premiumMicroUsdc}uusdc`,
    maker_fee: `${f.makerFeeMicroUsdc}uusdc`,
    taker_fee: `${f.takerFeeMicroUsdc}uusdc`,
  });

export const orderAmended = (orderId: bigint, seriesId: bigint, subaccount: string, priceTicks: bigint, restingContracts: bigint, lostPriority: boolean): Event =>
  event("order_amended", {
    order_id: orderId.toString(),
    series_id: seriesId.toString(),
    subaccount,
    price_ticks: priceTicks.toString(),
    resting_contracts: restingContracts.toString(),
    lost_priority: String(lostPriority),
  });

export const mmpTriggered = (subaccount: string, underlying: string, cause: string, frozenUntilNs: bigint): Event =>
  event("mmp_triggered", { subaccount, underlying, cause, frozen_until_ns: frozenUntilNs.toString() });

export const mmpReset = (subaccount: string, underlying: string, cause: string): Event => event("mmp_reset", { subaccount, underlying, cause });
