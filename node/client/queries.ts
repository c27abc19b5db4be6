/**
 * A cosmjs QueryClient extension for every Vanna query: `QueryClient.withExtensions(comet, setupVannaExtension)`
 * gives `client.{subaccounts, oracle, options, clob, margin, liquidation}` (no clash with cosmjs's own extensions). Results have our codecs' decoded shapes
 * (64-bit integers as bigint, big amounts as decimal strings). A query the node rejects (not found, invalid
 * argument) throws cosmjs's "Query failed with (code): log" Error.
 */
import { createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import type { Codec, PageRequest } from "../../src/codec/index.js";
import type { OptionKindName } from "./msgs.js";
import { ClobCodec, LiquidationCodec, MarginCodec, OptionsCodec, OracleCodec, SubaccountsCodec } from "./wire.js";

type SeriesStatusName = "active" | "close_only" | "settled";

/** Calls "/<service>/<method>" with our codecs on both sides. */
type Rpc = <Req, Res>(service: string, method: string, req: Codec<Req>, res: Codec<Res>, value: Req) => Promise<Res>;

function rpcOf(base: QueryClient): Rpc {
  const rpc = createProtobufRpcClient(base);
  return async (service, method, req, res, value) => res.decode(await rpc.request(service, method, req.encode(value)));
}

function subaccountsQueries(call: Rpc) {
  const S = "vanna.subaccounts.v1.Query";
  const C = SubaccountsCodec;
  return {
    params: async () => (await call(S, "Params", C.QueryParamsRequest, C.QueryParamsResponse, {})).params,
    subaccount: async (owner: string, number = 0) => (await call(S, "Subaccount", C.QuerySubaccountRequest, C.QuerySubaccountResponse, { owner, number })).subaccount,
    subaccounts: (owner: string, pagination?: PageRequest) =>
      call(S, "Subaccounts", C.QuerySubaccountsRequest, C.QuerySubaccountsResponse, { owner, pagination }),
    positions: (owner: string, number = 0, pagination?: PageRequest) =>
      call(S, "Positions", C.QueryPositionsRequest, C.QueryPositionsResponse, { owner, number, pagination }),
  };
}

function oracleQueries(call: Rpc) {
  const S = "vanna.oracle.v1.Query";
  const C = OracleCodec;
  return {
    params: async () => (await call(S, "Params", C.OracleQueryParamsRequestCodec, C.OracleQueryParamsResponseCodec, {})).params,
    /** The latest aggregated price and whether it is older than params.maxAgeNs. */
    price: (underlying: string) => call(S, "Price", C.QueryPriceRequestCodec, C.QueryPriceResponseCodec, { underlying }),
    prices: async () => (await call(S, "Prices", C.QueryPricesRequestCodec, C.QueryPricesResponseCodec, {})).prices,
    smile: (underlying: string, expiryUnixS: bigint) => call(S, "Smile", C.QuerySmileRequestCodec, C.QuerySmileResponseCodec, { underlying, expiryUnixS }),
    smiles: async (underlying: string) => (await call(S, "Smiles", C.QuerySmilesRequestCodec, C.QuerySmilesResponseCodec, { underlying })).smiles,
    twap: (underlying: string, windowNs: bigint) => call(S, "Twap", C.QueryTwapRequestCodec, C.QueryTwapResponseCodec, { underlying, windowNs }),
  };
}

export interface SeriesFilter {
  underlying?: string;
  expiryUnixS?: bigint;
  status?: SeriesStatusName;
  pagination?: PageRequest;
}

function optionsQueries(call: Rpc) {
  const S = "vanna.options.v1.Query";
  const C = OptionsCodec;
  return {
    params: async () => (await call(S, "Params", C.QueryParamsRequest, C.QueryParamsResponse, {})).params,
    underlyings: async () => (await call(S, "Underlyings", C.QueryUnderlyingsRequest, C.QueryUnderlyingsResponse, {})).underlyings,
    series: async (seriesId: bigint) => (await call(S, "Series", C.QuerySeriesRequest, C.QuerySeriesResponse, { seriesId })).series,
    /** With an underlying: (expiry, strike, kind) order; without: series id order. */
    seriesList: (f: SeriesFilter = {}) =>
      call(S, "SeriesList", C.QuerySeriesListRequest, C.QuerySeriesListResponse, {
        underlying: f.underlying ?? "",
        expiryUnixS: f.expiryUnixS ?? 0n,
        status: f.status === undefined ? C.SERIES_STATUS.unspecified : C.SERIES_STATUS[f.status],
        pagination: f.pagination,
      }),
    /** `mark` is undefined while the oracle has no price or no smile for the series' expiry. */
    mark: (seriesId: bigint) => call(S, "Mark", C.QueryMarkRequest, C.QueryMarkResponse, { seriesId }),
    marks: (underlying: string, expiryUnixS = 0n) => call(S, "Marks", C.QueryMarksRequest, C.QueryMarksResponse, { underlying, expiryUnixS }),
    settlement: async (seriesId: bigint) => (await call(S, "Settlement", C.QuerySettlementRequest, C.QuerySettlementResponse, { seriesId })).settlement,
    shortfallClaims: (pagination?: PageRequest) => call(S, "ShortfallClaims", C.QueryShortfallClaimsRequest, C.QueryShortfallClaimsResponse, { pagination }),
    liveExpiries: async (underlying: string) =>
      (await call(S, "LiveExpiries", C.QueryLiveExpiriesRequest, C.QueryLiveExpiriesResponse, { underlying })).expiriesUnixS,
  };
}

/** Fills of a series, or of a subaccount. */
export type FillsFilter = { seriesId: bigint; limit?: number } | { owner: string; number?: number; limit?: number };

function clobQueries(call: Rpc) {
  const S = "vanna.clob.v1.Query";
  const C = ClobCodec;
  return {
    params: async () => (await call(S, "Params", C.QueryParamsRequest, C.QueryParamsResponse, {})).params,
    order: async (orderId: bigint) => (await call(S, "Order", C.QueryOrderRequest, C.QueryOrderResponse, { orderId })).order,
    orderByClientId: async (owner: string, number: number, clientId: bigint) =>
      (await call(S, "OrderByClientId", C.QueryOrderByClientIdRequest, C.QueryOrderResponse, { owner, number, clientId })).order,
    /** seriesId 0 / omitted: every series. */
    openOrders: (owner: string, number = 0, seriesId = 0n, pagination?: PageRequest) =>
      call(S, "OpenOrders", C.QueryOpenOrdersRequest, C.QueryOpenOrdersResponse, { owner, number, seriesId, pagination }),
    /** Aggregated levels; levels 0: the node's default (50). */
    bookL2: (seriesId: bigint, levels = 0) => call(S, "BookL2", C.QueryBookL2Request, C.QueryBookL2Response, { seriesId, levels }),
    /** Individual orders per side; limit 0: the node's default (100). */
    bookL3: (seriesId: bigint, limit = 0) => call(S, "BookL3", C.QueryBookL3Request, C.QueryBookL3Response, { seriesId, limit }),
    /** Newest first. */
    fills: async (f: FillsFilter) => {
      const req = "seriesId" in f ? { seriesId: f.seriesId, owner: "", number: 0, limit: f.limit ?? 0 } : { seriesId: 0n, owner: f.owner, number: f.number ?? 0, limit: f.limit ?? 0 };
      return (await call(S, "Fills", C.QueryFillsRequest, C.QueryFillsResponse, req)).fills;
    },
    mmp: (owner: string, number: number, underlying: string) => call(S, "Mmp", C.QueryMmpRequest, C.QueryMmpResponse, { owner, number, underlying }),
  };
}

function marginQueries(call: Rpc) {
  const S = "vanna.margin.v1.Query";
  const C = MarginCodec;
  return {
    params: async () => (await call(S, "Params", C.QueryParamsRequest, C.QueryParamsResponse, {})).params,
    /** Equity, initial/maintenance margin and free collateral at the last block's time. */
    subaccountMargin: (owner: string, number = 0) =>
      call(S, "SubaccountMargin", C.QuerySubaccountMarginRequest, C.QuerySubaccountMarginResponse, { owner, number }),
    /**
     * Margin of any positions (signed contracts), open orders and collateral under a mode, at the last block's
     * time, with the portfolio breakdown (scenarios, charges, worst scenario) in portfolio mode.
     */
    whatIf: (req: {
      mode: "standard" | "portfolio";
      collateralMicroUsdc?: bigint;
      positions?: ReadonlyArray<{ seriesId: bigint; sizeContracts: bigint }>;
      orders?: ReadonlyArray<{ seriesId: bigint; side: "buy" | "sell"; priceTicks: bigint; sizeContracts: bigint; reduceOnly?: boolean }>;
    }) =>
      call(S, "WhatIf", C.QueryWhatIfRequest, C.QuerySubaccountMarginResponse, {
        mode: req.mode,
        collateralMicroUsdc: (req.collateralMicroUsdc ?? 0n).toString(),
        positions: (req.positions ?? []).map((p) => ({ seriesId: p.seriesId, sizeContracts: p.sizeContracts.toString() })),
        orders: (req.orders ?? []).map((o) => ({ seriesId: o.seriesId, side: o.side, priceTicks: o.priceTicks, sizeContracts: o.sizeContracts, reduceOnly: o.reduceOnly ?? false })),
      }),
  };
}

function liquidationQueries(call: Rpc) {
  const S = "vanna.liquidation.v1.Query";
  const C = LiquidationCodec;
  return {
    params: async () => (await call(S, "Params", C.QueryParamsRequest, C.QueryParamsResponse, {})).params,
    /** The fund's bank balance, its subaccount (taken-over positions) and the unpaid settlement shortfall claims. */
    insuranceFund: () => call(S, "InsuranceFund", C.QueryInsuranceFundRequest, C.QueryInsuranceFundResponse, {}),
    /** Every movement of the fund, oldest first. */
    insuranceHistory: (pagination?: PageRequest) => call(S, "InsuranceHistory", C.QueryInsuranceHistoryRequest, C.QueryInsuranceHistoryResponse, { pagination }),
    /** Liquidation records (partial, takeover, deleverage), oldest first. */
    liquidations: (pagination?: PageRequest) => call(S, "Liquidations", C.QueryLiquidationsRequest, C.QueryLiquidationsResponse, { pagination }),
  };
}

export interface VannaExtension {
  readonly subaccounts: ReturnType<typeof subaccountsQueries>;
  readonly oracle: ReturnType<typeof oracleQueries>;
  readonly options: ReturnType<typeof optionsQueries>;
  readonly clob: ReturnType<typeof clobQueries>;
  readonly margin: ReturnType<typeof marginQueries>;
  readonly liquidation: ReturnType<typeof liquidationQueries>;
}

export function setupVannaExtension(base: QueryClient): VannaExtension {
  const call = rpcOf(base);
  return {
    subaccounts: subaccountsQueries(call),
    oracle: oracleQueries(call),
    options: optionsQueries(call),
    clob: clobQueries(call),
    margin: marginQueries(call),
    liquidation: liquidationQueries(call),
  };
}

/** Words for the wire enums in query results. */
export const optionKindName = (k: number): OptionKindName | undefined => OptionsCodec.kindFromWire(k);
export const seriesStatusName = (s: number): SeriesStatusName | undefined => OptionsCodec.statusFromWire(s);
export const sideName = (s: number): "buy" | "sell" | undefined => (s === ClobCodec.SideProto.BUY ? "buy" : s === ClobCodec.SideProto.SELL ? "sell" : undefined);
