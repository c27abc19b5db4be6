/** vanna.liquidation.v1 wire types (proto/vanna/liquidation/v1/*.proto): hand-written shapes over codecFor. */
import { codecFor, type Coin, type PageRequest, type PageResponse } from "../../src/codec/index.js";

export interface ParamsProto {
  authority: string;
  maxLiquidationsPerBlock: number;
  maxLiquidationOrdersPerBlock: number;
  priceBandPpm: bigint;
  minPriceBandTicks: bigint;
  targetBufferPpm: bigint;
  liquidationFeePpm: bigint;
}

export interface InsuranceEntryProto {
  id: bigint;
  kind: string;
  amountMicroUsdc: string;
  counterparty: string;
  seriesId: bigint;
  height: bigint;
  timeNs: bigint;
  balanceAfterMicroUsdc: string;
}

export interface LiquidationRecordProto {
  id: bigint;
  height: bigint;
  timeNs: bigint;
  kind: string;
  subaccount: string;
  seriesId: bigint;
  sizeDeltaContracts: string;
  cashMicroUsdc: string;
  feeMicroUsdc: string;
  counterparty: string;
  equityBeforeMicroUsdc: string;
  maintenanceMarginBeforeMicroUsdc: string;
  lossMicroUsdc: string;
}

export interface MsgDepositInsurance {
  sender: string;
  amount: Coin | undefined;
}
export interface MsgWithdrawInsurance {
  authority: string;
  recipient: string;
  amount: Coin | undefined;
}
export interface BalanceResponse {
  balanceMicroUsdc: string;
}

export type QueryParamsRequest = Record<string, never>;
export interface QueryParamsResponse {
  params: ParamsProto | undefined;
}
export type QueryInsuranceFundRequest = Record<string, never>;
export interface QueryInsuranceFundResponse {
  address: string;
  balanceMicroUsdc: string;
  subaccountCollateralMicroUsdc: string;
  subaccountPositions: number;
  unpaidClaimsMicroUsdc: string;
}
export interface PageQuery {
  pagination: PageRequest | undefined;
}
export interface QueryInsuranceHistoryResponse {
  entries: InsuranceEntryProto[];
  pagination: PageResponse | undefined;
}
export interface QueryLiquidationsResponse {
  liquidations: LiquidationRecordProto[];
  pagination: PageResponse | undefined;
}

const p = "vanna.liquidation.v1";
export const ParamsProto = codecFor<ParamsProto>(`${p}.Params`);
export const InsuranceEntryProto = codecFor<InsuranceEntryProto>(`${p}.InsuranceEntry`);
export const LiquidationRecordProto = codecFor<LiquidationRecordProto>(`${p}.LiquidationRecord`);
export const MsgDepositInsurance = codecFor<MsgDepositInsurance>(`${p}.MsgDepositInsurance`);
export const MsgDepositInsuranceResponse = codecFor<BalanceResponse>(`${p}.MsgDepositInsuranceResponse`);
export const MsgWithdrawInsurance = codecFor<MsgWithdrawInsurance>(`${p}.MsgWithdrawInsurance`);
export const MsgWithdrawInsuranceResponse = codecFor<BalanceResponse>(`${p}.MsgWithdrawInsuranceResponse`);
export const QueryParamsRequest = codecFor<QueryParamsRequest>(`${p}.QueryParamsRequest`);
export const QueryParamsResponse = codecFor<QueryParamsResponse>(`${p}.QueryParamsResponse`);
export const QueryInsuranceFundRequest = codecFor<QueryInsuranceFundRequest>(`${p}.QueryInsuranceFundRequest`);
export const QueryInsuranceFundResponse = codecFor<QueryInsuranceFundResponse>(`${p}.QueryInsuranceFundResponse`);
export const QueryInsuranceHistoryRequest = codecFor<PageQuery>(`${p}.QueryInsuranceHistoryRequest`);
export const QueryInsuranceHistoryResponse = codecFor<QueryInsuranceHistoryResponse>(`${p}.QueryInsuranceHistoryResponse`);
export const QueryLiquidationsRequest = codecFor<PageQuery>(`${p}.QueryLiquidationsRequest`);
export const QueryLiquidationsResponse = codecFor<QueryLiquidationsResponse>(`${p}.QueryLiquidationsResponse`);
