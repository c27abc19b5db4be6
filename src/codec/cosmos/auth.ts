/** cosmos.auth.v1beta1: accounts, params, queries and genesis. */
import { codecFor } from "../codec.js";
import type { Any } from "../google.js";
import type { PageRequest, PageResponse } from "./base.js";

export interface BaseAccount {
  address: string;
  pubKey: Any | undefined;
  accountNumber: bigint;
  sequence: bigint;
}

export interface ModuleAccount {
  baseAccount: BaseAccount | undefined;
  name: string;
  permissions: string[];
}

export interface AuthParams {
  maxMemoCharacters: bigint;
  txSigLimit: bigint;
  txSizeCostPerByte: bigint;
  sigVerifyCostEd25519: bigint;
  sigVerifyCostSecp256k1: bigint;
}

export interface AuthGenesisState {
  params: AuthParams | undefined;
  accounts: Any[];
}

export interface QueryAccountsRequest {
  pagination: PageRequest | undefined;
}

export interface QueryAccountsResponse {
  accounts: Any[];
  pagination: PageResponse | undefined;
}

export interface QueryAccountRequest {
  address: string;
}

export interface QueryAccountResponse {
  account: Any | undefined;
}

export type AuthQueryParamsRequest = Record<string, never>;

export interface AuthQueryParamsResponse {
  params: AuthParams | undefined;
}

export interface QueryModuleAccountByNameRequest {
  name: string;
}

export interface QueryModuleAccountByNameResponse {
  account: Any | undefined;
}

export type Bech32PrefixRequest = Record<string, never>;

export interface Bech32PrefixResponse {
  bech32Prefix: string;
}

export interface AddressBytesToStringRequest {
  addressBytes: Uint8Array;
}

export interface AddressBytesToStringResponse {
  addressString: string;
}

export interface AddressStringToBytesRequest {
  addressString: string;
}

export interface AddressStringToBytesResponse {
  addressBytes: Uint8Array;
}

const p = "cosmos.auth.v1beta1";
export const BaseAccount = codecFor<BaseAccount>(`${p}.BaseAccount`);
export const ModuleAccount = codecFor<ModuleAccount>(`${p}.ModuleAccount`);
export const AuthParams = codecFor<AuthParams>(`${p}.Params`);
export const AuthGenesisState = codecFor<AuthGenesisState>(`${p}.GenesisState`);
export const QueryAccountsRequest = codecFor<QueryAccountsRequest>(`${p}.QueryAccountsRequest`);
export const QueryAccountsResponse = codecFor<QueryAccountsResponse>(`${p}.QueryAccountsResponse`);
export const QueryAccountRequest = codecFor<QueryAccountRequest>(`${p}.QueryAccountRequest`);
export const QueryAccountResponse = codecFor<QueryAccountResponse>(`${p}.QueryAccountResponse`);
export const AuthQueryParamsRequest = codecFor<AuthQueryParamsRequest>(`${p}.QueryParamsRequest`);
export const AuthQueryParamsResponse = codecFor<AuthQueryParamsResponse>(`${p}.QueryParamsResponse`);
export const QueryModuleAccountByNameRequest = codecFor<QueryModuleAccountByNameRequest>(
  `${p}.QueryModuleAccountByNameRequest`,
);
export const QueryModuleAccountByNameResponse = codecFor<QueryModuleAccountByNameResponse>(
  `${p}.QueryModuleAccountByNameResponse`,
);
export const Bech32PrefixRequest = codecFor<Bech32PrefixRequest>(`${p}.Bech32PrefixRequest`);
export const Bech32PrefixResponse = codecFor<Bech32PrefixResponse>(`${p}.Bech32PrefixResponse`);
export const AddressBytesToStringRequest = codecFor<AddressBytesToStringRequest>(`${p}.AddressBytesToStringRequest`);
export const AddressBytesToStringResponse = codecFor<AddressBytesToStringResponse>(
  `${p}.AddressBytesToStringResponse`,
);
export const AddressStringToBytesRequest = codecFor<AddressStringToBytesRequest>(`${p}.AddressStringToBytesRequest`);
export const AddressStringToBytesResponse = codecFor<AddressStringToBytesResponse>(
  `${p}.AddressStringToBytesResponse`,
);
