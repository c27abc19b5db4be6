/** cosmos.tx.v1beta1.Service requests and responses (simulate, get tx, search, broadcast). */
import { codecFor } from "../codec.js";
import type { GasInfo, Result, TxResponse } from "./abci.js";
import type { PageRequest, PageResponse } from "./base.js";
import type { Tx } from "./tx.js";

export enum OrderBy {
  ORDER_BY_UNSPECIFIED = 0,
  ORDER_BY_ASC = 1,
  ORDER_BY_DESC = 2,
}

export enum BroadcastMode {
  BROADCAST_MODE_UNSPECIFIED = 0,
  BROADCAST_MODE_BLOCK = 1,
  BROADCAST_MODE_SYNC = 2,
  BROADCAST_MODE_ASYNC = 3,
}

export interface SimulateRequest {
  /** Deprecated in favour of txBytes. */
  tx: Tx | undefined;
  txBytes: Uint8Array;
}

export interface SimulateResponse {
  gasInfo: GasInfo | undefined;
  result: Result | undefined;
}

export interface GetTxRequest {
  hash: string;
}

export interface GetTxResponse {
  tx: Tx | undefined;
  txResponse: TxResponse | undefined;
}

export interface GetTxsEventRequest {
  /** Deprecated in favour of query. */
  events: string[];
  pagination: PageRequest | undefined;
  orderBy: OrderBy;
  page: bigint;
  limit: bigint;
  query: string;
}

export interface GetTxsEventResponse {
  txs: Tx[];
  txResponses: TxResponse[];
  pagination: PageResponse | undefined;
  total: bigint;
}

export interface BroadcastTxRequest {
  txBytes: Uint8Array;
  mode: BroadcastMode;
}

export interface BroadcastTxResponse {
  txResponse: TxResponse | undefined;
}

export const SimulateRequest = codecFor<SimulateRequest>("cosmos.tx.v1beta1.SimulateRequest");
export const SimulateResponse = codecFor<SimulateResponse>("cosmos.tx.v1beta1.SimulateResponse");
export const GetTxRequest = codecFor<GetTxRequest>("cosmos.tx.v1beta1.GetTxRequest");
export const GetTxResponse = codecFor<GetTxResponse>("cosmos.tx.v1beta1.GetTxResponse");
export const GetTxsEventRequest = codecFor<GetTxsEventRequest>("cosmos.tx.v1beta1.GetTxsEventRequest");
export const GetTxsEventResponse = codecFor<GetTxsEventResponse>("cosmos.tx.v1beta1.GetTxsEventResponse");
export const BroadcastTxRequest = codecFor<BroadcastTxRequest>("cosmos.tx.v1beta1.BroadcastTxRequest");
export const BroadcastTxResponse = codecFor<BroadcastTxResponse>("cosmos.tx.v1beta1.BroadcastTxResponse");
