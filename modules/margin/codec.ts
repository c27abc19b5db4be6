/** vanna.margin.v1 wire types (proto/vanna/margin/v1/*.proto): hand-written shapes over codecFor. */
import { codecFor } from "../../src/codec/index.js";

export interface RiskParamsProto {
  shortImFractionPpm: number;
  shortImMinFractionPpm: number;
  shortMmFractionPpm: number;
  shortMmMinFractionPpm: number;
}

export interface UnderlyingRiskParamsProto {
  underlying: string;
  risk: RiskParamsProto | undefined;
}

export interface ParamsProto {
  version: number;
  defaultRisk: RiskParamsProto | undefined;
  underlyings: UnderlyingRiskParamsProto[];
}

export interface PositionMarginProto {
  seriesId: bigint;
  sizeContracts: string;
  markMicroUsdc: string;
  valueMicroUsdc: string;
  imMicroUsdc: string;
  mmMicroUsdc: string;
}

export interface SeriesOrdersMarginProto {
  seriesId: bigint;
  buyContracts: string;
  sellContracts: string;
  buyPremiumMicroUsdc: string;
  markMicroUsdc: string;
  imMicroUsdc: string;
  mmMicroUsdc: string;
}

export type QueryParamsRequest = Record<string, never>;

export interface QueryParamsResponse {
  params: ParamsProto | undefined;
}

export interface QuerySubaccountMarginRequest {
  owner: string;
  number: number;
}

export interface QuerySubaccountMarginResponse {
  equityMicroUsdc: string;
  initialMarginMicroUsdc: string;
  maintenanceMarginMicroUsdc: string;
  freeCollateralMicroUsdc: string;
  riskModel: string;
  paramsVersion: number;
  positions: PositionMarginProto[];
  orders: SeriesOrdersMarginProto[];
  unpricedSeriesIds: bigint[];
}

const p = "vanna.margin.v1";
export const RiskParamsProto = codecFor<RiskParamsProto>(`${p}.RiskParams`);
export const UnderlyingRiskParamsProto = codecFor<UnderlyingRiskParamsProto>(`${p}.UnderlyingRiskParams`);
export const ParamsProto = codecFor<ParamsProto>(`${p}.Params`);
export const PositionMarginProto = codecFor<PositionMarginProto>(`${p}.PositionMargin`);
export const SeriesOrdersMarginProto = codecFor<SeriesOrdersMarginProto>(`${p}.SeriesOrdersMargin`);
export const QueryParamsRequest = codecFor<QueryParamsRequest>(`${p}.QueryParamsRequest`);
export const QueryParamsResponse = codecFor<QueryParamsResponse>(`${p}.QueryParamsResponse`);
export const QuerySubaccountMarginRequest = codecFor<QuerySubaccountMarginRequest>(`${p}.QuerySubaccountMarginRequest`);
export const QuerySubaccountMarginResponse = codecFor<QuerySubaccountMarginResponse>(`${p}.QuerySubaccountMarginResponse`);
