/**
 * Decoded shapes of the vanna.oracle.v1 messages (64-bit integers are bigint, uint32 are number) and their
 * codecs. Units: prices in micro-USD per whole unit of the underlying, vols in parts per million, expiries in
 * Unix seconds, times in nanoseconds since the Unix epoch.
 */
import { codecFor } from "../../src/codec/index.js";

const P = "vanna.oracle.v1";

export interface SpotObservation {
  underlying: string;
  priceMicroUsd: bigint;
}

export interface SmileObservation {
  underlying: string;
  expiryUnixS: bigint;
  atmVolPpm: bigint;
  skewPpm: bigint;
  curvaturePpm: bigint;
}

/** The vote extension payload. */
export interface Observation {
  spots: SpotObservation[];
  smiles: SmileObservation[];
}

export interface Price {
  underlying: string;
  priceMicroUsd: bigint;
  updatedHeight: bigint;
  updatedTimeNs: bigint;
  reportingPowerPpm: number;
}

export interface Smile {
  underlying: string;
  expiryUnixS: bigint;
  atmVolPpm: bigint;
  skewPpm: bigint;
  curvaturePpm: bigint;
  updatedHeight: bigint;
  updatedTimeNs: bigint;
  reportingPowerPpm: number;
}

export interface PricePoint {
  timeNs: bigint;
  priceMicroUsd: bigint;
  height: bigint;
}

export interface OracleParams {
  underlyings: string[];
  maxAgeNs: bigint;
  historyLength: number;
  minPowerPpm: number;
  maxExpiries: number;
  minPriceMicroUsd: bigint;
  maxPriceMicroUsd: bigint;
  minAtmVolPpm: bigint;
  maxAtmVolPpm: bigint;
  maxAbsSkewPpm: bigint;
  maxAbsCurvaturePpm: bigint;
  minPriceChangePpm: number;
  heartbeatNs: bigint;
  minSmileChangePpm: bigint;
}

export interface PriceHistory {
  underlying: string;
  points: PricePoint[];
}

export interface OracleGenesisState {
  params: OracleParams | undefined;
  prices: Price[];
  smiles: Smile[];
  history: PriceHistory[];
}

/** A time-weighted average price (see OracleKeeper.twap). */
export interface Twap {
  priceMicroUsd: bigint;
  /** Start of the averaged interval: now - window, or the first recorded point when history is shorter. */
  startTimeNs: bigint;
  endTimeNs: bigint;
  /** Price points that contributed. */
  samples: number;
}

export type OracleQueryParamsRequest = Record<string, never>;
export interface OracleQueryParamsResponse {
  params: OracleParams | undefined;
}
export interface QueryPriceRequest {
  underlying: string;
}
export interface QueryPriceResponse {
  price: Price | undefined;
  stale: boolean;
}
export type QueryPricesRequest = Record<string, never>;
export interface PriceStatus {
  price: Price | undefined;
  stale: boolean;
}
export interface QueryPricesResponse {
  prices: PriceStatus[];
}
export interface QuerySmileRequest {
  underlying: string;
  expiryUnixS: bigint;
}
export interface QuerySmileResponse {
  smile: Smile | undefined;
  stale: boolean;
}
export interface QuerySmilesRequest {
  underlying: string;
}
export interface QuerySmilesResponse {
  smiles: Smile[];
}
export interface QueryTwapRequest {
  underlying: string;
  windowNs: bigint;
}
export interface QueryTwapResponse {
  twapMicroUsd: bigint;
  startTimeNs: bigint;
  endTimeNs: bigint;
  samples: number;
}

export const SpotObservationCodec = codecFor<SpotObservation>(`${P}.SpotObservation`);
export const SmileObservationCodec = codecFor<SmileObservation>(`${P}.SmileObservation`);
export const ObservationCodec = codecFor<Observation>(`${P}.Observation`);
export const PriceCodec = codecFor<Price>(`${P}.Price`);
export const SmileCodec = codecFor<Smile>(`${P}.Smile`);
export const PricePointCodec = codecFor<PricePoint>(`${P}.PricePoint`);
export const OracleParamsCodec = codecFor<OracleParams>(`${P}.Params`);
export const OracleGenesisStateCodec = codecFor<OracleGenesisState>(`${P}.GenesisState`);
export const OracleQueryParamsRequestCodec = codecFor<OracleQueryParamsRequest>(`${P}.QueryParamsRequest`);
export const OracleQueryParamsResponseCodec = codecFor<OracleQueryParamsResponse>(`${P}.QueryParamsResponse`);
export const QueryPriceRequestCodec = codecFor<QueryPriceRequest>(`${P}.QueryPriceRequest`);
export const QueryPriceResponseCodec = codecFor<QueryPriceResponse>(`${P}.QueryPriceResponse`);
export const QueryPricesRequestCodec = codecFor<QueryPricesRequest>(`${P}.QueryPricesRequest`);
export const QueryPricesResponseCodec = codecFor<QueryPricesResponse>(`${P}.QueryPricesResponse`);
export const QuerySmileRequestCodec = codecFor<QuerySmileRequest>(`${P}.QuerySmileRequest`);
export const QuerySmileResponseCodec = codecFor<QuerySmileResponse>(`${P}.QuerySmileResponse`);
export const QuerySmilesRequestCodec = codecFor<QuerySmilesRequest>(`${P}.QuerySmilesRequest`);
export const QuerySmilesResponseCodec = codecFor<QuerySmilesResponse>(`${P}.QuerySmilesResponse`);
export const QueryTwapRequestCodec = codecFor<QueryTwapRequest>(`${P}.QueryTwapRequest`);
export const QueryTwapResponseCodec = codecFor<QueryTwapResponse>(`${P}.QueryTwapResponse`);
