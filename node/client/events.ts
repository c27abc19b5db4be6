/**
 * Reading the order book events of a tx result (DeliverTxResponse / IndexedTx `events`) as typed values:
 * order_placed, order_filled, order_cancelled, order_amended, order_expired (attribute names as in
 * modules/clob/events.ts). Subaccounts are "bech32/number"; amounts are uusdc; msgIndex is the message of
 * the tx that caused the event (absent for events of BeginBlock/EndBlock).
 */

/** The structural subset of cosmjs's Event that is read here. */
export interface TxEvent {
  readonly type: string;
  readonly attributes: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

interface Base {
  msgIndex?: number;
}

export interface OrderPlacedEvent extends Base {
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

export interface OrderFilledEvent extends Base {
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

export interface OrderCancelledEvent extends Base {
  orderId: bigint;
  seriesId: bigint;
  subaccount: string;
  cancelledContracts: bigint;
  reason: string;
  /** False when the order stays with less size (amend down, self-trade cuts). */
  removed: boolean;
}

export interface OrderAmendedEvent extends Base {
  orderId: bigint;
  seriesId: bigint;
  subaccount: string;
  priceTicks: bigint;
  restingContracts: bigint;
  lostPriority: boolean;
}

export interface OrderExpiredEvent extends Base {
  orderId: bigint;
  seriesId: bigint;
  subaccount: string;
  cancelledContracts: bigint;
}

export interface OrderEvents {
  placed: OrderPlacedEvent[];
  filled: OrderFilledEvent[];
  cancelled: OrderCancelledEvent[];
  amended: OrderAmendedEvent[];
  expired: OrderExpiredEvent[];
}

/** Attribute access that says which event and attribute is malformed. */
class Attrs {
  private readonly map = new Map<string, string>();
  constructor(private readonly e: TxEvent) {
    for (const a of e.attributes) this.map.set(a.key, a.value);
  }
  str(key: string): string {
    const v = this.map.get(key);
    if (v === undefined) throw new Error(`${this.e.type} event without attribute ${key}`);
    return v;
  }
  int(key: string): bigint {
    const v = this.str(key);
    if (!/^-?[0-9]+$/.test(v)) throw new Error(`${this.e.type} event: ${key} "${v}" is not an integer`);
    return BigInt(v);
  }
  /** "123uusdc" (or a bare integer) as micro-USDC. */
  usdc(key: string): bigint {
    const v = this.str(key);
    const m = /^(-?[0-9]+)(uusdc)?$/.exec(v);
    if (m === null) throw new Error(`${this.e.type} event: ${key} "${v}" is not a uusdc amount`);
    return BigInt(m[1] ?? "0");
  }
  bool(key: string): boolean {
    return this.str(key) === "true";
  }
  base(): Base {
    const v = this.map.get("msg_index");
    return v === undefined || !/^[0-9]+$/.test(v) ? {} : { msgIndex: Number(v) };
  }
}

export function parseOrderPlaced(e: TxEvent): OrderPlacedEvent {
  const a = new Attrs(e);
  return {
    ...a.base(),
    orderId: a.int("order_id"),
    seriesId: a.int("series_id"),
    subaccount: a.str("subaccount"),
    side: a.str("side"),
    priceTicks: a.int("price_ticks"),
    sizeContracts: a.int("size_contracts"),
    timeInForce: a.str("time_in_force"),
    clientId: a.int("client_id"),
    filledContracts: a.int("filled_contracts"),
    restingContracts: a.int("resting_contracts"),
  };
}

export function parseOrderFilled(e: TxEvent): OrderFilledEvent {
  const a = new Attrs(e);
  return {
    ...a.base(),
    seriesId: a.int("series_id"),
    makerOrderId: a.int("maker_order_id"),
    takerOrderId: a.int("taker_order_id"),
    maker: a.str("maker"),
    taker: a.str("taker"),
    takerSide: a.str("taker_side"),
    priceTicks: a.int("price_ticks"),
    sizeContracts: a.int("size_contracts"),
    premiumMicroUsdc: a.usdc("premium"),
    makerFeeMicroUsdc: a.usdc("maker_fee"),
    takerFeeMicroUsdc: a.usdc("taker_fee"),
  };
}

export function parseOrderCancelled(e: TxEvent): OrderCancelledEvent {
  const a = new Attrs(e);
  return {
    ...a.base(),
    orderId: a.int("order_id"),
    seriesId: a.int("series_id"),
    subaccount: a.str("subaccount"),
    cancelledContracts: a.int("cancelled_contracts"),
    reason: a.str("reason"),
    removed: a.bool("removed"),
  };
}

export function parseOrderAmended(e: TxEvent): OrderAmendedEvent {
  const a = new Attrs(e);
  return {
    ...a.base(),
    orderId: a.int("order_id"),
    seriesId: a.int("series_id"),
    subaccount: a.str("subaccount"),
    priceTicks: a.int("price_ticks"),
    restingContracts: a.int("resting_contracts"),
    lostPriority: a.bool("lost_priority"),
  };
}

export function parseOrderExpired(e: TxEvent): OrderExpiredEvent {
  const a = new Attrs(e);
  return { ...a.base(), orderId: a.int("order_id"), seriesId: a.int("series_id"), subaccount: a.str("subaccount"), cancelledContracts: a.int("cancelled_contracts") };
}

/** Every order event of a tx result, in emission order per kind. Other events are ignored. */
export function orderEventsOf(result: { readonly events: readonly TxEvent[] }): OrderEvents {
  const out: OrderEvents = { placed: [], filled: [], cancelled: [], amended: [], expired: [] };
  for (const e of result.events) {
    if (e.type === "order_placed") out.placed.push(parseOrderPlaced(e));
    else if (e.type === "order_filled") out.filled.push(parseOrderFilled(e));
    else if (e.type === "order_cancelled") out.cancelled.push(parseOrderCancelled(e));
    else if (e.type === "order_amended") out.amended.push(parseOrderAmended(e));
    else if (e.type === "order_expired") out.expired.push(parseOrderExpired(e));
  }
  return out;
}

export const fillsOf = (result: { readonly events: readonly TxEvent[] }): OrderFilledEvent[] => orderEventsOf(result).filled;
