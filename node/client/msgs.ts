/**
 * Typed builders of every Vanna Msg, returning cosmjs EncodeObjects for SigningStargateClient.signAndBroadcast
 * (with the registry of ./registry.ts). Field names are those of our codecs; enums are given as words
 * ("buy", "ioc", "call") and turned into wire numbers here. Omitted optional fields take the proto default.
 */
import type { Coin } from "../../src/codec/index.js";
import { ClobCodec, LiquidationCodec, MarginCodec, OptionsCodec, SubaccountsCodec } from "./wire.js";

/** An EncodeObject whose value has the full decoded shape of message T. */
export interface VannaEncodeObject<T> {
  readonly typeUrl: string;
  readonly value: T;
}

export type Side = "buy" | "sell";
export type TimeInForce = "gtc" | "ioc" | "fok" | "gtb" | "gtt";
export type OrderType = "limit" | "market";
export type OptionKindName = "call" | "put";
export type MarginModeName = "standard" | "portfolio";

export const SIDE_WIRE: Readonly<Record<Side, number>> = { buy: ClobCodec.SideProto.BUY, sell: ClobCodec.SideProto.SELL };
export const TIF_WIRE: Readonly<Record<TimeInForce, number>> = {
  gtc: ClobCodec.TifProto.GTC,
  ioc: ClobCodec.TifProto.IOC,
  fok: ClobCodec.TifProto.FOK,
  gtb: ClobCodec.TifProto.GTB,
  gtt: ClobCodec.TifProto.GTT,
};
export const ORDER_TYPE_WIRE: Readonly<Record<OrderType, number>> = { limit: ClobCodec.OrderTypeProto.LIMIT, market: ClobCodec.OrderTypeProto.MARKET };

/** What a trader asks for; premium per contract = priceTicks × the underlying's tickSizeMicroUsdc. */
export interface OrderInput {
  seriesId: bigint;
  side: Side;
  priceTicks: bigint;
  sizeContracts: bigint;
  /** Default "limit"; a market order is IOC or FOK and priceTicks is the worst accepted price. */
  orderType?: OrderType;
  /** Default "gtc". */
  timeInForce?: TimeInForce;
  goodTilBlock?: bigint;
  goodTilTimeNs?: bigint;
  postOnly?: boolean;
  reduceOnly?: boolean;
  /** 0 or omitted: none. Unique among the subaccount's live orders. */
  clientId?: bigint;
}

/** Identifies one live order: exactly one of orderId and clientId. */
export interface OrderRef {
  orderId?: bigint;
  clientId?: bigint;
}

/** A uusdc coin (1 uusdc = 1 micro-USD). */
export function usdc(microUsdc: bigint): Coin {
  return { denom: "uusdc", amount: microUsdc.toString() };
}

export function orderSpec(o: OrderInput): ClobCodec.OrderSpec {
  return {
    seriesId: o.seriesId,
    side: SIDE_WIRE[o.side],
    orderType: ORDER_TYPE_WIRE[o.orderType ?? "limit"],
    priceTicks: o.priceTicks,
    sizeContracts: o.sizeContracts,
    timeInForce: TIF_WIRE[o.timeInForce ?? "gtc"],
    goodTilBlock: o.goodTilBlock ?? 0n,
    goodTilTimeNs: o.goodTilTimeNs ?? 0n,
    postOnly: o.postOnly ?? false,
    reduceOnly: o.reduceOnly ?? false,
    clientId: o.clientId ?? 0n,
  };
}

export function cancelSpec(ref: OrderRef): ClobCodec.CancelSpec {
  const orderId = ref.orderId ?? 0n;
  const clientId = ref.clientId ?? 0n;
  if ((orderId === 0n) === (clientId === 0n)) throw new TypeError("give exactly one of orderId and clientId (non-zero)");
  return { orderId, clientId };
}

const obj = <T>(codec: { typeUrl: string }, value: T): VannaEncodeObject<T> => ({ typeUrl: codec.typeUrl, value });

interface Owned {
  owner: string;
  /** Default 0. */
  subaccountNumber?: number;
}

export const msgs = {
  // ---- subaccounts ----
  deposit: (m: { sender: string; subaccountNumber?: number; amount: Coin }) =>
    obj<SubaccountsCodec.MsgDeposit>(SubaccountsCodec.MsgDeposit, { sender: m.sender, subaccountNumber: m.subaccountNumber ?? 0, amount: m.amount }),
  withdraw: (m: { sender: string; subaccountNumber?: number; amount: Coin; recipient?: string }) =>
    obj<SubaccountsCodec.MsgWithdraw>(SubaccountsCodec.MsgWithdraw, {
      sender: m.sender,
      subaccountNumber: m.subaccountNumber ?? 0,
      amount: m.amount,
      recipient: m.recipient ?? "",
    }),
  transfer: (m: { sender: string; fromNumber: number; toNumber: number; amount: Coin }) =>
    obj<SubaccountsCodec.MsgTransfer>(SubaccountsCodec.MsgTransfer, { sender: m.sender, fromNumber: m.fromNumber, toNumber: m.toNumber, amount: m.amount }),

  // ---- options (params.authority only) ----
  listSeries: (m: { authority: string; underlying: string; expiryUnixS: bigint; strikeMicroUsd: bigint; kind: OptionKindName }) =>
    obj<OptionsCodec.MsgListSeries>(OptionsCodec.MsgListSeries, {
      authority: m.authority,
      underlying: m.underlying,
      expiryUnixS: m.expiryUnixS,
      strikeMicroUsd: m.strikeMicroUsd,
      kind: OptionsCodec.OPTION_KIND[m.kind],
    }),
  delistSeries: (m: { authority: string; seriesId: bigint }) =>
    obj<OptionsCodec.MsgDelistSeries>(OptionsCodec.MsgDelistSeries, { authority: m.authority, seriesId: m.seriesId }),

  // ---- clob ----
  placeOrder: (m: Owned & { order: OrderInput }) =>
    obj<ClobCodec.MsgPlaceOrder>(ClobCodec.MsgPlaceOrder, { owner: m.owner, subaccountNumber: m.subaccountNumber ?? 0, order: orderSpec(m.order) }),
  cancelOrder: (m: Owned & OrderRef) =>
    obj<ClobCodec.MsgCancelOrder>(ClobCodec.MsgCancelOrder, { owner: m.owner, subaccountNumber: m.subaccountNumber ?? 0, ...cancelSpec(m) }),
  cancelAll: (m: Owned & { underlying?: string; expiryUnixS?: bigint; seriesId?: bigint }) =>
    obj<ClobCodec.MsgCancelAll>(ClobCodec.MsgCancelAll, {
      owner: m.owner,
      subaccountNumber: m.subaccountNumber ?? 0,
      underlying: m.underlying ?? "",
      expiryUnixS: m.expiryUnixS ?? 0n,
      seriesId: m.seriesId ?? 0n,
    }),
  /** newPriceTicks omitted/0 keeps the price (then the size may only go down, keeping queue priority). */
  amendOrder: (m: Owned & OrderRef & { newSizeContracts: bigint; newPriceTicks?: bigint }) =>
    obj<ClobCodec.MsgAmendOrder>(ClobCodec.MsgAmendOrder, {
      owner: m.owner,
      subaccountNumber: m.subaccountNumber ?? 0,
      ...cancelSpec(m),
      newSizeContracts: m.newSizeContracts,
      newPriceTicks: m.newPriceTicks ?? 0n,
    }),
  /** Cancels first, then places; each item succeeds or fails on its own (see MsgBatchResponse). */
  batch: (m: Owned & { cancels?: OrderRef[]; places?: OrderInput[] }) =>
    obj<ClobCodec.MsgBatch>(ClobCodec.MsgBatch, {
      owner: m.owner,
      subaccountNumber: m.subaccountNumber ?? 0,
      cancels: (m.cancels ?? []).map(cancelSpec),
      places: (m.places ?? []).map(orderSpec),
    }),
  /** Limits of 0 are off; freezeNs 0 freezes until resetMmp. */
  setMmp: (m: Owned & { underlying: string; windowNs: bigint; maxContracts?: bigint; maxDeltaMicroUnits?: bigint; maxVegaMicroUsdc?: bigint; freezeNs?: bigint }) =>
    obj<ClobCodec.MsgSetMmp>(ClobCodec.MsgSetMmp, {
      owner: m.owner,
      subaccountNumber: m.subaccountNumber ?? 0,
      underlying: m.underlying,
      windowNs: m.windowNs,
      maxContracts: m.maxContracts ?? 0n,
      maxDeltaMicroUnits: m.maxDeltaMicroUnits ?? 0n,
      maxVegaMicroUsdc: m.maxVegaMicroUsdc ?? 0n,
      freezeNs: m.freezeNs ?? 0n,
    }),
  resetMmp: (m: Owned & { underlying: string }) =>
    obj<ClobCodec.MsgResetMmp>(ClobCodec.MsgResetMmp, { owner: m.owner, subaccountNumber: m.subaccountNumber ?? 0, underlying: m.underlying }),

  // ---- margin ----
  /** Switches the subaccount's risk model; refused when equity does not cover the new mode's initial margin. */
  setMarginMode: (m: Owned & { mode: MarginModeName }) =>
    obj<MarginCodec.MsgSetMarginMode>(MarginCodec.MsgSetMarginMode, { owner: m.owner, subaccountNumber: m.subaccountNumber ?? 0, mode: m.mode }),

  // ---- liquidation (insurance fund) ----
  /** Anyone adds uusdc from their bank balance to the insurance fund. */
  depositInsurance: (m: { sender: string; amountMicroUsdc: bigint }) =>
    obj<LiquidationCodec.MsgDepositInsurance>(LiquidationCodec.MsgDepositInsurance, { sender: m.sender, amount: usdc(m.amountMicroUsdc) }),
  /** The liquidation params authority only: pays uusdc out of the fund to `recipient`. */
  withdrawInsurance: (m: { authority: string; recipient: string; amountMicroUsdc: bigint }) =>
    obj<LiquidationCodec.MsgWithdrawInsurance>(LiquidationCodec.MsgWithdrawInsurance, { authority: m.authority, recipient: m.recipient, amount: usdc(m.amountMicroUsdc) }),
};
