/**
 * The per-subaccount risk model seam. "standard" (strategy-free, per-position) is the first; portfolio margin
 * comes next as a second implementation chosen per subaccount. A model sees prices only through a SeriesPricer.
 */
import type { ChainError } from "../../src/errors.js";
import type { Subaccount } from "../subaccounts/index.js";
import type { SeriesView } from "./expectedKeepers.js";
import type { RiskParams } from "./params.js";
import type { SettlementAccrual } from "./standard.js";
import type { MarginReport, NewOrderRisk } from "./types.js";

export type RiskModelName = "standard" | "portfolio";

/** Series facts and prices at one time, resolved once per series per evaluation. */
export type PricedSeries =
  | {
      status: "priced";
      series: SeriesView;
      contractSizePpm: bigint;
      tickSizeMicroUsdc: bigint;
      risk: RiskParams;
      mark?: { markMicroUsdcPerContract: bigint; spotMicroUsd: bigint };
      spotMicroUsd?: bigint;
      /** Inside the settlement TWAP window: what is already accrued (standard.ts, projectedSettlement). */
      settlement?: SettlementAccrual;
    }
  /** Known series without mark or spot. */
  | { status: "unpriced"; series: SeriesView }
  /** Not a series (or its underlying is unknown). */
  | { status: "unknown"; seriesId: bigint };

export interface SeriesPricer {
  readonly paramsVersion: number;
  price(seriesId: bigint): PricedSeries;
}

export interface RiskSession {
  tryAdd(order: NewOrderRisk): ChainError | undefined;
  remove(order: NewOrderRisk): void;
  report(): MarginReport;
  /** True when some series has no price: no new risk is accepted. */
  hasUnpriced(): boolean;
}

export interface RiskModel {
  readonly name: RiskModelName;
  /** The subaccount with its open orders (already at their remaining sizes). */
  openSession(pricer: SeriesPricer, subaccount: Subaccount, orders: readonly NewOrderRisk[]): RiskSession;
}
