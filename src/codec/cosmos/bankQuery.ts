/** cosmos.bank.v1beta1.Query requests and responses. */
import { codecFor } from "../codec.js";
import type { Coin, PageRequest, PageResponse } from "./base.js";
import type { BankParams, Metadata } from "./bank.js";

export interface QueryBalanceRequest {
  address: string;
  denom: string;
}

export interface QueryBalanceResponse {
  balance: Coin | undefined;
}

export interface QueryAllBalancesRequest {
  address: string;
  pagination: PageRequest | undefined;
  resolveDenom: boolean;
}

export interface QueryAllBalancesResponse {
  balances: Coin[];
  pagination: PageResponse | undefined;
}

export interface QuerySpendableBalancesRequest {
  address: string;
  pagination: PageRequest | undefined;
}

export interface QuerySpendableBalancesResponse {
  balances: Coin[];
  pagination: PageResponse | undefined;
}

export interface QueryTotalSupplyRequest {
  pagination: PageRequest | undefined;
}

export interface QueryTotalSupplyResponse {
  supply: Coin[];
  pagination: PageResponse | undefined;
}

export interface QuerySupplyOfRequest {
  denom: string;
}

export interface QuerySupplyOfResponse {
  amount: Coin | undefined;
}

export type BankQueryParamsRequest = Record<string, never>;

export interface BankQueryParamsResponse {
  params: BankParams | undefined;
}

export interface QueryDenomMetadataRequest {
  denom: string;
}

export interface QueryDenomMetadataResponse {
  metadata: Metadata | undefined;
}

export interface QueryDenomsMetadataRequest {
  pagination: PageRequest | undefined;
}

export interface QueryDenomsMetadataResponse {
  metadatas: Metadata[];
  pagination: PageResponse | undefined;
}

const p = "cosmos.bank.v1beta1";
export const QueryBalanceRequest = codecFor<QueryBalanceRequest>(`${p}.QueryBalanceRequest`);
export const QueryBalanceResponse = codecFor<QueryBalanceResponse>(`${p}.QueryBalanceResponse`);
export const QueryAllBalancesRequest = codecFor<QueryAllBalancesRequest>(`${p}.QueryAllBalancesRequest`);
export const QueryAllBalancesResponse = codecFor<QueryAllBalancesResponse>(`${p}.QueryAllBalancesResponse`);
export const QuerySpendableBalancesRequest = codecFor<QuerySpendableBalancesRequest>(
  `${p}.QuerySpendableBalancesRequest`,
);
export const QuerySpendableBalancesResponse = codecFor<QuerySpendableBalancesResponse>(
  `${p}.QuerySpendableBalancesResponse`,
);
export const QueryTotalSupplyRequest = codecFor<QueryTotalSupplyRequest>(`${p}.QueryTotalSupplyRequest`);
export const QueryTotalSupplyResponse = codecFor<QueryTotalSupplyResponse>(`${p}.QueryTotalSupplyResponse`);
export const QuerySupplyOfRequest = codecFor<QuerySupplyOfRequest>(`${p}.QuerySupplyOfRequest`);
export const QuerySupplyOfResponse = codecFor<QuerySupplyOfResponse>(`${p}.QuerySupplyOfResponse`);
export const BankQueryParamsRequest = codecFor<BankQueryParamsRequest>(`${p}.QueryParamsRequest`);
export const BankQueryParamsResponse = codecFor<BankQueryParamsResponse>(`${p}.QueryParamsResponse`);
export const QueryDenomMetadataRequest = codecFor<QueryDenomMetadataRequest>(`${p}.QueryDenomMetadataRequest`);
export const QueryDenomMetadataResponse = codecFor<QueryDenomMetadataResponse>(`${p}.QueryDenomMetadataResponse`);
export const QueryDenomsMetadataRequest = codecFor<QueryDenomsMetadataRequest>(`${p}.QueryDenomsMetadataRequest`);
export const QueryDenomsMetadataResponse = codecFor<QueryDenomsMetadataResponse>(
  `${p}.QueryDenomsMetadataResponse`,
);
