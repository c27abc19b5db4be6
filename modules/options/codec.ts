/** vanna.options.v1 wire types (proto/vanna/options/v1/*.proto) over codecFor, and their domain conversions. */
import { codecFor, type PageRequest, type PageResponse } from "../../src/codec/index.js";
import type { OptionKind, OptionsParams, Series, SeriesMark, SeriesStatus, SettlementRecord, UnderlyingParams } from "./types.js";

/** Wire enum values. */
export const OPTION_KIND = { unspecified: 0, call: 1, put: 2 } as const;
export const SERIES_STATUS = { unspecified: 0, active: 1, close_only: 2, settled: 3 } as const;

export interface UnderlyingParamsProto {
  symbol: string;
  contractSizePpm: bigint;
  tickSizeMicroUsdc: bigint;
  minSizeContracts: bigint;
  maxOrderSizeContracts: bigint;
  maxPriceTicks: bigint;
  strikeStepMicroUsd: bigint;
  strikesEachSide: number;
  dailyExpiries: number;
  weeklyExpiries: number;
  monthlyExpiries: number;
  minTimeToExpiryS: bigint;
  maxLiveSeries: number;
  autoList: boolean;
}

export interface ParamsProto {
  authority: string;
  underlyings: UnderlyingParamsProto[];
  settlementTwapWindowNs: bigint;
  authorityMinTimeToExpiryS: bigint;
}

export interface SeriesProto {
  id: bigint;
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: number;
  status: number;
  listedHeight: bigint;
  settlementPriceMicroUsd: bigint;
  settledHeight: bigint;
}

export interface SettlementProto {
  seriesId: bigint;
  settlementPriceMicroUsd: bigint;
  twapStartNs: bigint;
  twapEndNs: bigint;
  twapSamples: number;
  payoutPerContractMicroUsdc: string;
  totalShortfallMicroUsdc: string;
  height: bigint;
  openInterestContracts: string;
}

export interface ShortfallClaimProto {
  owner: string;
  subaccountNumber: number;
  seriesId: bigint;
  amountMicroUsdc: string;
}

export interface SeriesMarkProto {
  seriesId: bigint;
  spotMicroUsd: bigint;
  volPpm: bigint;
  markMicroUsdcPerContract: string;
  deltaPpm: bigint;
  gammaPpb: bigint;
  vegaMicroUsdcPerVolPoint: string;
  thetaMicroUsdcPerDay: string;
  timeNs: bigint;
}

export interface MsgListSeries {
  authority: string;
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: number;
}
export interface MsgListSeriesResponse {
  seriesId: bigint;
}
export interface MsgDelistSeries {
  authority: string;
  seriesId: bigint;
}
export type MsgDelistSeriesResponse = Record<string, never>;

export type QueryParamsRequest = Record<string, never>;
export interface QueryParamsResponse {
  params: ParamsProto | undefined;
}
export type QueryUnderlyingsRequest = Record<string, never>;
export interface QueryUnderlyingsResponse {
  underlyings: UnderlyingParamsProto[];
}
export interface QuerySeriesRequest {
  seriesId: bigint;
}
export interface QuerySeriesResponse {
  series: SeriesProto | undefined;
}
export interface QuerySeriesListRequest {
  underlying: string;
  expiryUnixS: bigint;
  status: number;
  pagination: PageRequest | undefined;
}
export interface QuerySeriesListResponse {
  series: SeriesProto[];
  pagination: PageResponse | undefined;
}
export interface QueryMarkRequest {
  seriesId: bigint;
}
export interface QueryMarkResponse {
  mark: SeriesMarkProto | undefined;
  stale: boolean;
}
export interface QueryMarksRequest {
  underlying: string;
  expiryUnixS: bigint;
}
export interface QueryMarksResponse {
  marks: SeriesMarkProto[];
  stale: boolean;
}
export interface QuerySettlementRequest {
  seriesId: bigint;
}
export interface QuerySettlementResponse {
  settlement: SettlementProto | undefined;
}
export interface QueryShortfallClaimsRequest {
  pagination: PageRequest | undefined;
}
export interface QueryShortfallClaimsResponse {
  claims: ShortfallClaimProto[];
  pagination: PageResponse | undefined;
}
export interface QueryLiveExpiriesRequest {
  underlying: string;
}
export interface QueryLiveExpiriesResponse {
  expiriesUnixS: bigint[];
}

const p = "vanna.options.v1";
export const UnderlyingParamsProto = codecFor<UnderlyingParamsProto>(`${p}.UnderlyingParams`);
export const ParamsProto = codecFor<ParamsProto>(`${p}.Params`);
export const SeriesProto = codecFor<SeriesProto>(`${p}.Series`);
export const SettlementProto = codecFor<SettlementProto>(`${p}.Settlement`);
export const ShortfallClaimProto = codecFor<ShortfallClaimProto>(`${p}.ShortfallClaim`);
export const SeriesMarkProto = codecFor<SeriesMarkProto>(`${p}.SeriesMark`);
export const MsgListSeries = codecFor<MsgListSeries>(`${p}.MsgListSeries`);
export const MsgListSeriesResponse = codecFor<MsgListSeriesResponse>(`${p}.MsgListSeriesResponse`);
export const MsgDelistSeries = codecFor<MsgDelistSeries>(`${p}.MsgDelistSeries`);
export const MsgDelistSeriesResponse = codecFor<MsgDelistSeriesResponse>(`${p}.MsgDelistSeriesResponse`);
export const QueryParamsRequest = codecFor<QueryParamsRequest>(`${p}.QueryParamsRequest`);
export const QueryParamsResponse = codecFor<QueryParamsResponse>(`${p}.QueryParamsResponse`);
export const QueryUnderlyingsRequest = codecFor<QueryUnderlyingsRequest>(`${p}.QueryUnderlyingsRequest`);
export const QueryUnderlyingsResponse = codecFor<QueryUnderlyingsResponse>(`${p}.QueryUnderlyingsResponse`);
export const QuerySeriesRequest = codecFor<QuerySeriesRequest>(`${p}.QuerySeriesRequest`);
export const QuerySeriesResponse = codecFor<QuerySeriesResponse>(`${p}.QuerySeriesResponse`);
export const QuerySeriesListRequest = codecFor<QuerySeriesListRequest>(`${p}.QuerySeriesListRequest`);
export const QuerySeriesListResponse = codecFor<QuerySeriesListResponse>(`${p}.QuerySeriesListResponse`);
export const QueryMarkRequest = codecFor<QueryMarkRequest>(`${p}.QueryMarkRequest`);
export const QueryMarkResponse = codecFor<QueryMarkResponse>(`${p}.QueryMarkResponse`);
export const QueryMarksRequest = codecFor<QueryMarksRequest>(`${p}.QueryMarksRequest`);
export const QueryMarksResponse = codecFor<QueryMarksResponse>(`${p}.QueryMarksResponse`);
export const QuerySettlementRequest = codecFor<QuerySettlementRequest>(`${p}.QuerySettlementRequest`);
export const QuerySettlementResponse = codecFor<QuerySettlementResponse>(`${p}.QuerySettlementResponse`);
export const QueryShortfallClaimsRequest = codecFor<QueryShortfallClaimsRequest>(`${p}.QueryShortfallClaimsRequest`);
export const QueryShortfallClaimsResponse = codecFor<QueryShortfallClaimsResponse>(`${p}.QueryShortfallClaimsResponse`);
export const QueryLiveExpiriesRequest = codecFor<QueryLiveExpiriesRequest>(`${p}.QueryLiveExpiriesRequest`);
export const QueryLiveExpiriesResponse = codecFor<QueryLiveExpiriesResponse>(`${p}.QueryLiveExpiriesResponse`);

// ---- domain <-> wire --------------------------------------------------------------------------------------

export function kindFromWire(k: number): OptionKind | undefined {
  return k === OPTION_KIND.call ? "call" : k === OPTION_KIND.put ? "put" : undefined;
}

export function statusFromWire(s: number): SeriesStatus | undefined {
  return s === SERIES_STATUS.active ? "active" : s === SERIES_STATUS.close_only ? "close_only" : s === SERIES_STATUS.settled ? "settled" : undefined;
}

export function underlyingToProto(u: UnderlyingParams): UnderlyingParamsProto {
  return { ...u };
}

export function underlyingFromProto(u: UnderlyingParamsProto): UnderlyingParams {
  return { ...u };
}

export function paramsToProto(p: OptionsParams): ParamsProto {
  return {
    authority: p.authority,
    underlyings: p.underlyings.map(underlyingToProto),
    settlementTwapWindowNs: p.settlementTwapWindowNs,
    authorityMinTimeToExpiryS: p.authorityMinTimeToExpiryS,
  };
}

export function paramsFromProto(p: ParamsProto): OptionsParams {
  return {
    authority: p.authority,
    underlyings: p.underlyings.map(underlyingFromProto),
    settlementTwapWindowNs: p.settlementTwapWindowNs,
    authorityMinTimeToExpiryS: p.authorityMinTimeToExpiryS,
  };
}

export function seriesToProto(s: Series): SeriesProto {
  return {
    id: s.id,
    underlying: s.underlying,
    expiryUnixS: s.expiryUnixS,
    strikeMicroUsd: s.strikeMicroUsd,
    kind: OPTION_KIND[s.kind],
    status: SERIES_STATUS[s.status],
    listedHeight: s.listedHeight,
    settlementPriceMicroUsd: s.settlementPriceMicroUsd ?? 0n,
    settledHeight: s.settledHeight ?? 0n,
  };
}

/** Stored series are written by this module only, so their enums are valid. */
export function seriesFromProto(s: SeriesProto): Series {
  const out: Series = {
    id: s.id,
    underlying: s.underlying,
    expiryUnixS: s.expiryUnixS,
    strikeMicroUsd: s.strikeMicroUsd,
    kind: kindFromWire(s.kind) ?? "call",
    status: statusFromWire(s.status) ?? "active",
    listedHeight: s.listedHeight,
  };
  if (out.status === "settled") {
    out.settlementPriceMicroUsd = s.settlementPriceMicroUsd;
    out.settledHeight = s.settledHeight;
  }
  return out;
}

export function settlementToProto(s: SettlementRecord): SettlementProto {
  return {
    seriesId: s.seriesId,
    settlementPriceMicroUsd: s.settlementPriceMicroUsd,
    twapStartNs: s.twapStartNs,
    twapEndNs: s.twapEndNs,
    twapSamples: s.twapSamples,
    payoutPerContractMicroUsdc: s.payoutPerContractMicroUsdc.toString(),
    totalShortfallMicroUsdc: s.totalShortfallMicroUsdc.toString(),
    height: s.height,
    openInterestContracts: s.openInterestContracts.toString(),
  };
}

export function settlementFromProto(s: SettlementProto): SettlementRecord {
  return {
    seriesId: s.seriesId,
    settlementPriceMicroUsd: s.settlementPriceMicroUsd,
    twapStartNs: s.twapStartNs,
    twapEndNs: s.twapEndNs,
    twapSamples: s.twapSamples,
    payoutPerContractMicroUsdc: BigInt(s.payoutPerContractMicroUsdc || "0"),
    totalShortfallMicroUsdc: BigInt(s.totalShortfallMicroUsdc || "0"),
    height: s.height,
    openInterestContracts: BigInt(s.openInterestContracts || "0"),
  };
}

export function markToProto(m: SeriesMark): SeriesMarkProto {
  return {
    seriesId: m.seriesId,
    spotMicroUsd: m.spotMicroUsd,
    volPpm: m.volPpm,
    markMicroUsdcPerContract: m.markMicroUsdcPerContract.toString(),
    deltaPpm: m.deltaPpm,
    gammaPpb: m.gammaPpb,
    vegaMicroUsdcPerVolPoint: m.vegaMicroUsdcPerVolPoint.toString(),
    thetaMicroUsdcPerDay: m.thetaMicroUsdcPerDay.toString(),
    timeNs: m.timeNs,
  };
}
