/** vanna.subaccounts.v1 wire types (proto/vanna/subaccounts/v1/*.proto): hand-written shapes over codecFor. */
import { codecFor, type Coin, type PageRequest, type PageResponse } from "../../src/codec/index.js";

export interface SubaccountIdProto {
  owner: string;
  number: number;
}

export interface PositionProto {
  instrumentId: bigint;
  sizeContracts: string;
  costBasisMicroUsdc: string;
}

export interface SubaccountProto {
  id: SubaccountIdProto | undefined;
  quoteMicroUsdc: string;
  positions: PositionProto[];
}

export interface ParamsProto {
  depositsEnabled: boolean;
  withdrawalsEnabled: boolean;
}

export interface PositionStateProto {
  sizeContracts: string;
  costBasisMicroUsdc: string;
}

export interface OpenInterestProto {
  longContracts: string;
  shortContracts: string;
}

export interface MsgDeposit {
  sender: string;
  subaccountNumber: number;
  amount: Coin | undefined;
}

export interface MsgDepositResponse {
  quoteMicroUsdc: string;
}

export interface MsgWithdraw {
  sender: string;
  subaccountNumber: number;
  amount: Coin | undefined;
  /** Empty: the sender. */
  recipient: string;
}

export interface MsgWithdrawResponse {
  quoteMicroUsdc: string;
}

export interface MsgTransfer {
  sender: string;
  fromNumber: number;
  toNumber: number;
  amount: Coin | undefined;
}

export interface MsgTransferResponse {
  fromQuoteMicroUsdc: string;
  toQuoteMicroUsdc: string;
}

export interface QuerySubaccountRequest {
  owner: string;
  number: number;
}

export interface QuerySubaccountResponse {
  subaccount: SubaccountProto | undefined;
}

export interface QuerySubaccountsRequest {
  owner: string;
  pagination: PageRequest | undefined;
}

export interface QuerySubaccountsResponse {
  subaccounts: SubaccountProto[];
  pagination: PageResponse | undefined;
}

export interface QueryPositionsRequest {
  owner: string;
  number: number;
  pagination: PageRequest | undefined;
}

export interface QueryPositionsResponse {
  positions: PositionProto[];
  pagination: PageResponse | undefined;
}

export type QueryParamsRequest = Record<string, never>;

export interface QueryParamsResponse {
  params: ParamsProto | undefined;
}

const p = "vanna.subaccounts.v1";
export const SubaccountIdProto = codecFor<SubaccountIdProto>(`${p}.SubaccountId`);
export const PositionProto = codecFor<PositionProto>(`${p}.Position`);
export const SubaccountProto = codecFor<SubaccountProto>(`${p}.Subaccount`);
export const ParamsProto = codecFor<ParamsProto>(`${p}.Params`);
export const PositionStateProto = codecFor<PositionStateProto>(`${p}.PositionState`);
export const OpenInterestProto = codecFor<OpenInterestProto>(`${p}.OpenInterest`);
export const MsgDeposit = codecFor<MsgDeposit>(`${p}.MsgDeposit`);
export const MsgDepositResponse = codecFor<MsgDepositResponse>(`${p}.MsgDepositResponse`);
export const MsgWithdraw = codecFor<MsgWithdraw>(`${p}.MsgWithdraw`);
export const MsgWithdrawResponse = codecFor<MsgWithdrawResponse>(`${p}.MsgWithdrawResponse`);
export const MsgTransfer = codecFor<MsgTransfer>(`${p}.MsgTransfer`);
export const MsgTransferResponse = codecFor<MsgTransferResponse>(`${p}.MsgTransferResponse`);
export const QuerySubaccountRequest = codecFor<QuerySubaccountRequest>(`${p}.QuerySubaccountRequest`);
export const QuerySubaccountResponse = codecFor<QuerySubaccountResponse>(`${p}.QuerySubaccountResponse`);
export const QuerySubaccountsRequest = codecFor<QuerySubaccountsRequest>(`${p}.QuerySubaccountsRequest`);
export const QuerySubaccountsResponse = codecFor<QuerySubaccountsResponse>(`${p}.QuerySubaccountsResponse`);
export const QueryPositionsRequest = codecFor<QueryPositionsRequest>(`${p}.QueryPositionsRequest`);
export const QueryPositionsResponse = codecFor<QueryPositionsResponse>(`${p}.QueryPositionsResponse`);
export const QueryParamsRequest = codecFor<QueryParamsRequest>(`${p}.QueryParamsRequest`);
export const QueryParamsResponse = codecFor<QueryParamsResponse>(`${p}.QueryParamsResponse`);
