/** The margin module's public shapes (contracts.md) and its detailed report. Amounts in uusdc. */
import type { ChainError } from "../../src/errors.js";
import type { KVReader } from "../../src/store/types.js";
import type { SubaccountId } from "../subaccounts/index.js";
import type { PortfolioMargin } from "./portfolio.js";

/** An order as the margin gate sees it (clob: before accepting a place or a size-increasing amend). */
export interface NewOrderRisk {
  seriesId: bigint;
  side: "buy" | "sell";
  priceTicks: bigint;
  sizeContracts: bigint;
  reduceOnly: boolean;
}

export interface MarginGate {
  /** Snapshot of the subaccount's margin (collateral, positions, open orders at worst case) at `nowNs`. */
  openSession(store: KVReader, subaccount: SubaccountId, nowNs: bigint): OrderMarginSession;
}

export interface OrderMarginSession {
  /** Counts one more open order at its worst case if equity still covers initial margin with it; O(1). */
  tryAdd(order: NewOrderRisk): ChainError | undefined;
  /** Forgets an order removed earlier in the same message, releasing its requirement. */
  remove(order: NewOrderRisk): void;
}

export interface MarginSummary {
  equityMicroUsdc: bigint;
  initialMarginMicroUsdc: bigint;
  maintenanceMarginMicroUsdc: bigint;
  freeCollateralMicroUsdc: bigint;
}

/**
 * The initial margin reported while some position or open order has no price at all: nothing can meet it, so
 * no new risk (withdrawal, opening order) is accepted until a price exists. 2^255 uusdc.
 */
export const UNMEETABLE_MARGIN_MICRO_USDC = 1n << 255n;

export interface PositionMarginLine {
  seriesId: bigint;
  sizeContracts: bigint;
  /** The mark used: the long mark for longs, the short mark for shorts. */
  markMicroUsdc: bigint;
  valueMicroUsdc: bigint;
  initialMarginMicroUsdc: bigint;
  maintenanceMarginMicroUsdc: bigint;
}

export interface SeriesOrdersMarginLine {
  seriesId: bigint;
  buyContracts: bigint;
  sellContracts: bigint;
  buyPremiumMicroUsdc: bigint;
  markMicroUsdc: bigint;
  /** What the orders add to the position's initial margin at their worst case. */
  initialMarginMicroUsdc: bigint;
}

/** Everything behind a summary. equity/IM/MM sum the priced series only; see unpricedSeriesIds. */
export interface MarginReport {
  riskModel: string;
  paramsVersion: number;
  collateralMicroUsdc: bigint;
  equityMicroUsdc: bigint;
  initialMarginMicroUsdc: bigint;
  maintenanceMarginMicroUsdc: bigint;
  positions: PositionMarginLine[];
  orders: SeriesOrdersMarginLine[];
  /** Series held or (non-reduce-only) ordered that have no mark and no spot, ascending. */
  unpricedSeriesIds: bigint[];
  /** Portfolio model only: per underlying, per-scenario losses, worst scenario and contingencies. */
  portfolio?: PortfolioMargin;
}

export type MarginMode = "standard" | "portfolio";
