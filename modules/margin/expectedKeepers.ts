/**
 * What margin needs from other modules, declared here (shapes copied from contracts.md) so it imports none of
 * them: options (series, underlying params, marks, block time), the oracle (spot, for marks without a smile),
 * clob (open orders, cancel-all) and subaccounts (collateral and positions). The real keepers are supersets.
 */
import type { Context } from "../../src/app/context.js";
import type { KVReader } from "../../src/store/types.js";
import type { Subaccount, SubaccountId } from "../subaccounts/index.js";

export type OptionKind = "call" | "put";
export type SeriesStatus = "active" | "close_only" | "settled";

export interface SeriesView {
  id: bigint;
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: OptionKind;
  status: SeriesStatus;
  settlementPriceMicroUsd?: bigint;
}

export interface UnderlyingView {
  symbol: string;
  /** Millionths of one underlying unit per contract. */
  contractSizePpm: bigint;
  /** Premium per price tick, per contract. */
  tickSizeMicroUsdc: bigint;
}

export interface MarkView {
  seriesId: bigint;
  spotMicroUsd: bigint;
  markMicroUsdcPerContract: bigint;
  /** The smile's vol at the strike (fraction ppm); portfolio margin shocks it (absent: the fallback vol). */
  volPpm?: bigint;
}

export interface OptionsReader {
  series(store: KVReader, seriesId: bigint): SeriesView | undefined;
  underlying(store: KVReader, symbol: string): UnderlyingView | undefined;
  /** undefined when the oracle has no price or no smile for the series' expiry yet. */
  mark(store: KVReader, seriesId: bigint, nowNs: bigint): MarkView | undefined;
  /** Options params (OptionsKeeper.params): the settlement TWAP window. Absent: no settlement-window pricing. */
  params?(store: KVReader): { settlementTwapWindowNs: bigint };
}

/** The oracle's spot (OracleReader.price): the fallback for series that have no mark yet. */
export interface SpotReader {
  price(store: KVReader, underlying: string): { priceMicroUsd: bigint } | undefined;
  /** OracleKeeper.twap: TWAP over [nowNs − windowNs, nowNs] (settlement's own average). Absent: not used. */
  twap?(store: KVReader, underlying: string, windowNs: bigint, nowNs: bigint): { priceMicroUsd: bigint } | undefined;
}

export interface OpenOrder {
  orderId: bigint;
  seriesId: bigint;
  subaccount: SubaccountId;
  side: "buy" | "sell";
  priceTicks: bigint;
  remainingContracts: bigint;
  reduceOnly: boolean;
}

export interface ClobReader {
  /** Open orders of a subaccount, in (seriesId, orderId) order. */
  openOrdersOf(store: KVReader, subaccount: SubaccountId): OpenOrder[];
  /** Subaccounts that have at least one open order, in key order. */
  subaccountsWithOrders(store: KVReader): IterableIterator<SubaccountId>;
  /** Cancels every open order of the subaccount, emitting events; returns how many. */
  cancelAllOf(ctx: Context, subaccount: SubaccountId, reason: string): number;
}

export interface SubaccountsReader {
  /** The subaccount (zero collateral and no positions when never used). */
  get(store: KVReader, id: SubaccountId): Subaccount;
}

/** Keepers are built in an order where some do not exist yet (clob needs margin's gate): accept a getter. */
export type Lazy<T> = T | (() => T);

export function resolve<T extends object>(dep: Lazy<T>): T {
  return typeof dep === "function" ? (dep as () => T)() : dep;
}
