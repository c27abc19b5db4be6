/** vanna.clob.v1 wire types (proto/vanna/clob/v1/*.proto): hand-written shapes over codecFor. */
import { codecFor, type PageRequest, type PageResponse } from "../../src/codec/index.js";

/** Proto enum values (numbers on the wire). */
export const SideProto = { UNSPECIFIED: 0, BUY: 1, SELL: 2 } as const;
export const TifProto = { GTC: 0, IOC: 1, FOK: 2, GTB: 3, GTT: 4 } as const;
export const OrderTypeProto = { LIMIT: 0, MARKET: 1 } as const;

export interface OrderSpec {
  seriesId: bigint;
  side: number;
  orderType: number;
  priceTicks: bigint;
  sizeContracts: bigint;
  timeInForce: number;
  goodTilBlock: bigint;
  goodTilTimeNs: bigint;
  postOnly: boolean;
  reduceOnly: boolean;
  clientId: bigint;
}

export interface OrderState {
  seriesId: bigint;
  owner: Uint8Array;
  subaccountNumber: number;
  side: number;
  priceTicks: bigint;
  remainingContracts: bigint;
  placedContracts: bigint;
  filledContracts: bigint;
  timeInForce: number;
  goodTilBlock: bigint;
  goodTilTimeNs: bigint;
  postOnly: boolean;
  reduceOnly: boolean;
  clientId: bigint;
  seq: bigint;
}

export interface OrderProto {
  orderId: bigint;
  seriesId: bigint;
  owner: string;
  subaccountNumber: number;
  side: number;
  priceTicks: bigint;
  remainingContracts: bigint;
  placedContracts: bigint;
  filledContracts: bigint;
  timeInForce: number;
  goodTilBlock: bigint;
  goodTilTimeNs: bigint;
  postOnly: boolean;
  reduceOnly: boolean;
  clientId: bigint;
  seq: bigint;
}

export interface FillProto {
  sequence: bigint;
  seriesId: bigint;
  makerOrderId: bigint;
  takerOrderId: bigint;
  maker: string;
  makerNumber: number;
  taker: string;
  takerNumber: number;
  takerSide: number;
  priceTicks: bigint;
  sizeContracts: bigint;
  premiumMicroUsdc: string;
  makerFeeMicroUsdc: string;
  takerFeeMicroUsdc: string;
  height: bigint;
  timeNs: bigint;
}

export interface ParamsProto {
  makerFeePpm: bigint;
  takerFeePpm: bigint;
  takerFeeCapNotionalPpm: bigint;
  maxBatchOrders: number;
  maxOpenOrdersPerSubaccount: number;
}

export interface SeriesBookState {
  mutationCounter: bigint;
  nextSeq: bigint;
}

export interface MmpConfigProto {
  windowNs: bigint;
  maxContracts: bigint;
  maxDeltaMicroUnits: bigint;
  maxVegaMicroUsdc: bigint;
  freezeNs: bigint;
}

export interface MmpStateProto {
  windowStartNs: bigint;
  contracts: bigint;
  deltaMicroUnits: string;
  vegaMicroUsdc: string;
  frozen: boolean;
  frozenUntilNs: bigint;
}

export interface MsgPlaceOrder {
  owner: string;
  subaccountNumber: number;
  order: OrderSpec | undefined;
}
export interface MsgPlaceOrderResponse {
  orderId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
}
export interface MsgCancelOrder {
  owner: string;
  subaccountNumber: number;
  orderId: bigint;
  clientId: bigint;
}
export interface MsgCancelOrderResponse {
  orderId: bigint;
  cancelledContracts: bigint;
}
export interface MsgCancelAll {
  owner: string;
  subaccountNumber: number;
  underlying: string;
  expiryUnixS: bigint;
  seriesId: bigint;
}
export interface MsgCancelAllResponse {
  cancelled: number;
}
export interface MsgAmendOrder {
  owner: string;
  subaccountNumber: number;
  orderId: bigint;
  clientId: bigint;
  newSizeContracts: bigint;
  newPriceTicks: bigint;
}
export interface MsgAmendOrderResponse {
  orderId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
  lostPriority: boolean;
}
export interface CancelSpec {
  orderId: bigint;
  clientId: bigint;
}
export interface MsgBatch {
  owner: string;
  subaccountNumber: number;
  cancels: CancelSpec[];
  places: OrderSpec[];
}
export interface ItemResult {
  ok: boolean;
  orderId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
  codespace: string;
  code: number;
  log: string;
}
export interface MsgBatchResponse {
  cancels: ItemResult[];
  places: ItemResult[];
}
export interface MsgSetMmp {
  owner: string;
  subaccountNumber: number;
  underlying: string;
  windowNs: bigint;
  maxContracts: bigint;
  maxDeltaMicroUnits: bigint;
  maxVegaMicroUsdc: bigint;
  freezeNs: bigint;
}
export type MsgSetMmpResponse = Record<string, never>;
export interface MsgResetMmp {
  owner: string;
  subaccountNumber: number;
  underlying: string;
}
export type MsgResetMmpResponse = Record<string, never>;

export type QueryParamsRequest = Record<string, never>;
export interface QueryParamsResponse {
  params: ParamsProto | undefined;
}
export interface QueryOrderRequest {
  orderId: bigint;
}
export interface QueryOrderResponse {
  order: OrderProto | undefined;
}
export interface QueryOrderByClientIdRequest {
  owner: string;
  number: number;
  clientId: bigint;
}
export interface QueryOpenOrdersRequest {
  owner: string;
  number: number;
  seriesId: bigint;
  pagination: PageRequest | undefined;
}
export interface QueryOpenOrdersResponse {
  orders: OrderProto[];
  pagination: PageResponse | undefined;
}
export interface LevelProto {
  priceTicks: bigint;
  sizeContracts: bigint;
  orderCount: number;
}
export interface QueryBookL2Request {
  seriesId: bigint;
  levels: number;
}
export interface QueryBookL2Response {
  bids: LevelProto[];
  asks: LevelProto[];
}
export interface QueryBookL3Request {
  seriesId: bigint;
  limit: number;
}
export interface QueryBookL3Response {
  bids: OrderProto[];
  asks: OrderProto[];
}
export interface QueryFillsRequest {
  seriesId: bigint;
  owner: string;
  number: number;
  limit: number;
}
export interface QueryFillsResponse {
  fills: FillProto[];
}
export interface QueryMmpRequest {
  owner: string;
  number: number;
  underlying: string;
}
export interface QueryMmpResponse {
  config: MmpConfigProto | undefined;
  state: MmpStateProto | undefined;
}

const p = "vanna.clob.v1";
export const OrderSpec = codecFor<OrderSpec>(`${p}.OrderSpec`);
export const OrderState = codecFor<OrderState>(`${p}.OrderState`);
export const OrderProto = codecFor<OrderProto>(`${p}.Order`);
export const FillProto = codecFor<FillProto>(`${p}.Fill`);
export const ParamsProto = codecFor<ParamsProto>(`${p}.Params`);
export const SeriesBookState = codecFor<SeriesBookState>(`${p}.SeriesBookState`);
export const MmpConfigProto = codecFor<MmpConfigProto>(`${p}.MmpConfig`);
export const MmpStateProto = codecFor<MmpStateProto>(`${p}.MmpState`);
export const MsgPlaceOrder = codecFor<MsgPlaceOrder>(`${p}.MsgPlaceOrder`);
export const MsgPlaceOrderResponse = codecFor<MsgPlaceOrderResponse>(`${p}.MsgPlaceOrderResponse`);
export const MsgCancelOrder = codecFor<MsgCancelOrder>(`${p}.MsgCancelOrder`);
export const MsgCancelOrderResponse = codecFor<MsgCancelOrderResponse>(`${p}.MsgCancelOrderResponse`);
export const MsgCancelAll = codecFor<MsgCancelAll>(`${p}.MsgCancelAll`);
export const MsgCancelAllResponse = codecFor<MsgCancelAllResponse>(`${p}.MsgCancelAllResponse`);
export const MsgAmendOrder = codecFor<MsgAmendOrder>(`${p}.MsgAmendOrder`);
export const MsgAmendOrderResponse = codecFor<MsgAmendOrderResponse>(`${p}.MsgAmendOrderResponse`);
export const MsgBatch = codecFor<MsgBatch>(`${p}.MsgBatch`);
export const MsgBatchResponse = codecFor<MsgBatchResponse>(`${p}.MsgBatchResponse`);
export const MsgSetMmp = codecFor<MsgSetMmp>(`${p}.MsgSetMmp`);
export const MsgSetMmpResponse = codecFor<MsgSetMmpResponse>(`${p}.MsgSetMmpResponse`);
export const MsgResetMmp = codecFor<MsgResetMmp>(`${p}.MsgResetMmp`);
export const MsgResetMmpResponse = codecFor<MsgResetMmpResponse>(`${p}.MsgResetMmpResponse`);
export const QueryParamsRequest = codecFor<QueryParamsRequest>(`${p}.QueryParamsRequest`);
export const QueryParamsResponse = codecFor<QueryParamsResponse>(`${p}.QueryParamsResponse`);
export const QueryOrderRequest = codecFor<QueryOrderRequest>(`${p}.QueryOrderRequest`);
export const QueryOrderResponse = codecFor<QueryOrderResponse>(`${p}.QueryOrderResponse`);
export const QueryOrderByClientIdRequest = codecFor<QueryOrderByClientIdRequest>(`${p}.QueryOrderByClientIdRequest`);
export const QueryOpenOrdersRequest = codecFor<QueryOpenOrdersRequest>(`${p}.QueryOpenOrdersRequest`);
export const QueryOpenOrdersResponse = codecFor<QueryOpenOrdersResponse>(`${p}.QueryOpenOrdersResponse`);
export const QueryBookL2Request = codecFor<QueryBookL2Request>(`${p}.QueryBookL2Request`);
export const QueryBookL2Response = codecFor<QueryBookL2Response>(`${p}.QueryBookL2Response`);
export const QueryBookL3Request = codecFor<QueryBookL3Request>(`${p}.QueryBookL3Request`);
export const QueryBookL3Response = codecFor<QueryBookL3Response>(`${p}.QueryBookL3Response`);
export const QueryFillsRequest = codecFor<QueryFillsRequest>(`${p}.QueryFillsRequest`);
export const QueryFillsResponse = codecFor<QueryFillsResponse>(`${p}.QueryFillsResponse`);
export const QueryMmpRequest = codecFor<QueryMmpRequest>(`${p}.QueryMmpRequest`);
export const QueryMmpResponse = codecFor<QueryMmpResponse>(`${p}.QueryMmpResponse`);
