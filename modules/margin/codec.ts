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

export interface ScenarioGridProto {
  spotMovesPpm: bigint[];
  volShockPpm: bigint;
  skewShockPpm: bigint;
  tailMovesPpm: bigint[];
  tailWeightPpm: bigint;
  nakedShortChargePpm: bigint;
  oracleChargePpm: bigint;
}

export interface PortfolioParamsProto {
  defaultGrid: ScenarioGridProto | undefined;
  underlyings: Array<{ underlying: string; grid: ScenarioGridProto | undefined }>;
  imFactorPpm: bigint;
  volScaleDays: bigint;
  minScaleDays: bigint;
  minVolPpm: bigint;
  fallbackVolPpm: bigint;
  timeBucketS: bigint;
  crossUnderlyingOffset: boolean;
}

export interface ParamsProto {
  version: number;
  defaultRisk: RiskParamsProto | undefined;
  underlyings: UnderlyingRiskParamsProto[];
  portfolio?: PortfolioParamsProto | undefined;
}

export interface ScenarioLossProto {
  index: number;
  description: string;
  lossMicroUsdc: string;
  weightPpm: number;
}

export interface UnderlyingPortfolioMarginProto {
  underlying: string;
  scenarios: ScenarioLossProto[];
  worstIndex: number;
  worstDescription: string;
  scenarioLossMicroUsdc: string;
  nakedShortContracts: string;
  nakedChargeMicroUsdc: string;
  oracleChargeMicroUsdc: string;
  capMicroUsdc: string;
  maintenanceMarginMicroUsdc: string;
  initialMarginMicroUsdc: string;
  ordersInitialMarginMicroUsdc: string;
}

export interface QueryWhatIfRequest {
  positions: Array<{ seriesId: bigint; sizeContracts: string }>;
  orders: Array<{ seriesId: bigint; side: string; priceTicks: bigint; sizeContracts: bigint; reduceOnly: boolean }>;
  mode: string;
  collateralMicroUsdc: string;
}

export interface MsgSetMarginMode {
  owner: string;
  subaccountNumber: number;
  mode: string;
}

export interface MsgSetMarginModeResponse {
  initialMarginMicroUsdc: string;
  equityMicroUsdc: string;
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
  portfolio?: UnderlyingPortfolioMarginProto[];
  worstScenario?: string;
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
export const QueryWhatIfRequest = codecFor<QueryWhatIfRequest>(`${p}.QueryWhatIfRequest`);
export const MsgSetMarginMode = codecFor<MsgSetMarginMode>(`${p}.MsgSetMarginMode`);
export const MsgSetMarginModeResponse = codecFor<MsgSetMarginModeResponse>(`${p}.MsgSetMarginModeResponse`);
