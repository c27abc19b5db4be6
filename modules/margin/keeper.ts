/**
 * MarginKeeper: equity and margin of subaccounts for subaccounts (MarginChecker), clob (MarginGate), the
 * query service and, next, liquidations (maintenanceMarginOf). Nothing is stored but params: every number is
 * derived from collateral, positions, open orders and prices at the time asked.
 */
import type { Context } from "../../src/app/context.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { formatSubaccountId, type Subaccount, type SubaccountId } from "../subaccounts/index.js";
import * as events from "./events.js";
import { resolve, type ClobReader, type Lazy, type OpenOrder, type OptionsReader, type SpotReader, type SubaccountsReader } from "./expectedKeepers.js";
import { getMarginParams, portfolioParamsOf, setMarginParams, type MarginParams } from "./params.js";
import { MarginErrors } from "./errors.js";
import { portfolioModel } from "./portfolioModel.js";
import { getMarginMode, PortfolioState, setMarginModeState } from "./portfolioKeeper.js";
import { HealthScan, type AccountHealth } from "./health.js";
import { createPricer } from "./pricing.js";
import type { RiskModel, RiskSession, SeriesPricer } from "./riskModel.js";
import { STANDARD_MODEL } from "./standardModel.js";
import { UNMEETABLE_MARGIN_MICRO_USDC, type MarginGate, type MarginMode, type MarginReport, type MarginSummary, type NewOrderRisk, type OrderMarginSession } from "./types.js";

export interface MarginKeeperDeps {
  options: Lazy<OptionsReader>;
  oracle: Lazy<SpotReader>;
  clob: Lazy<ClobReader>;
  subaccounts: Lazy<SubaccountsReader>;
}

export const orderRiskOf = (o: OpenOrder): NewOrderRisk => ({
  seriesId: o.seriesId,
  side: o.side,
  priceTicks: o.priceTicks,
  sizeContracts: o.remainingContracts,
  reduceOnly: o.reduceOnly,
});

export interface SweepResult {
  checked: number;
  cancelledSubaccounts: number;
  cancelledOrders: number;
}

export class MarginKeeper implements MarginGate {
  /** Scenario values per series and cached portfolio MMs per subaccount (in memory; deterministic). */
  readonly portfolio: PortfolioState;
  /** Set only while sweep() runs (see there). */
  private sweepPricer: SeriesPricer | undefined;

  constructor(private readonly deps: MarginKeeperDeps) {
    this.portfolio = new PortfolioState(() => resolve(deps.options));
  }

  getParams(store: KVReader): MarginParams {
    return getMarginParams(store);
  }

  setParams(store: KVStore, params: MarginParams): void {
    setMarginParams(store, params);
  }

  marginModeOf(store: KVReader, subaccount: SubaccountId): MarginMode {
    return getMarginMode(store, subaccount);
  }

  /** The risk model of a mode, bound to the evaluation's store and time (portfolio needs scenario values). */
  modelFor(store: KVReader, mode: MarginMode, nowNs: bigint, params: MarginParams = getMarginParams(store)): RiskModel {
    return mode === "portfolio" ? portfolioModel(this.portfolio.source(store, nowNs, params), portfolioParamsOf(params)) : STANDARD_MODEL;
  }

  /** The risk model of a subaccount (its stored mode). */
  riskModelOf(store: KVReader, subaccount: SubaccountId, nowNs = 0n): RiskModel {
    return this.modelFor(store, getMarginMode(store, subaccount), nowNs);
  }

  private session(store: KVReader, subaccount: Subaccount, nowNs: bigint, mode: MarginMode = getMarginMode(store, subaccount.id), orders?: readonly NewOrderRisk[]): RiskSession {
    const d = this.deps;
    const params = getMarginParams(store);
    const pricer = this.sweepPricer ?? createPricer(store, nowNs, resolve(d.options), resolve(d.oracle), params);
    const o = orders ?? resolve(d.clob).openOrdersOf(store, subaccount.id).map(orderRiskOf);
    return this.modelFor(store, mode, nowNs, params).openSession(pricer, subaccount, o);
  }

  /** The report of a subaccount (or of given positions and orders) under a mode, without changing anything. */
  whatIf(store: KVReader, subaccount: Subaccount, orders: readonly NewOrderRisk[], mode: MarginMode, nowNs: bigint): MarginReport {
    return this.session(store, subaccount, nowNs, mode, orders).report();
  }

  /**
   * Switches a subaccount's risk model. Refused (nothing changes) when some position or order has no price, or
   * when equity does not cover the new mode's initial margin with open orders at their worst case.
   */
  setMarginMode(store: KVStore, id: SubaccountId, mode: MarginMode, nowNs: bigint): MarginReport {
    const sub = resolve(this.deps.subaccounts).get(store, id);
    const r = this.session(store, sub, nowNs, mode).report();
    const who = formatSubaccountId(id);
    if (r.unpricedSeriesIds.length > 0) {
      throw MarginErrors.modeChangeRefused.with(`subaccount ${who}: series ${r.unpricedSeriesIds[0]} has no price, so ${mode} margin cannot be judged`);
    }
    if (r.equityMicroUsdc < r.initialMarginMicroUsdc) {
      throw MarginErrors.modeChangeRefused.with(
        `subaccount ${who}: equity ${r.equityMicroUsdc}uusdc is below the ${mode} initial margin of ${r.initialMarginMicroUsdc}uusdc (positions and open orders at worst case)`,
      );
    }
    setMarginModeState(store, id, mode);
    return r;
  }

  /** The full breakdown of a subaccount (as stored, or as given) with its open orders, at nowNs. */
  report(store: KVReader, subaccount: SubaccountId | Subaccount, nowNs: bigint): MarginReport {
    const s = "positions" in subaccount ? subaccount : resolve(this.deps.subaccounts).get(store, subaccount);
    return this.session(store, s, nowNs).report();
  }

  /** IM is unmeetable (UNMEETABLE_MARGIN_MICRO_USDC) while a position or opening order has no price. */
  summary(store: KVReader, subaccount: SubaccountId | Subaccount, nowNs: bigint): MarginSummary {
    return summaryOf(this.report(store, subaccount, nowNs));
  }

  openSession(store: KVReader, subaccount: SubaccountId, nowNs: bigint): OrderMarginSession {
    return this.session(store, resolve(this.deps.subaccounts).get(store, subaccount), nowNs);
  }

  // MarginChecker (subaccounts): on the state a subaccount would have after an update, at the block's time.

  initialMarginOf(store: KVReader, subaccount: Subaccount, nowNs: bigint): bigint {
    return this.summary(store, subaccount, nowNs).initialMarginMicroUsdc;
  }

  equityOf(store: KVReader, subaccount: Subaccount, nowNs: bigint): bigint {
    return this.summary(store, subaccount, nowNs).equityMicroUsdc;
  }

  /**
   * A health scan at nowNs: equity and MM (positions only) of any number of subaccounts, each series priced once
   * for all of them. Valid while prices, params and series do not change (one block's liquidation scan).
   */
  healthScan(store: KVReader, nowNs: bigint): HealthScan {
    const d = this.deps;
    const params = getMarginParams(store);
    return new HealthScan(store, nowNs, createPricer(store, nowNs, resolve(d.options), resolve(d.oracle), params), this.portfolio, params);
  }

  /** Equity and maintenance margin (positions only, the subaccount's mode) in one evaluation. */
  healthOf(store: KVReader, subaccount: SubaccountId | Subaccount, nowNs: bigint): AccountHealth {
    const s = "positions" in subaccount ? subaccount : resolve(this.deps.subaccounts).get(store, subaccount);
    return this.healthScan(store, nowNs).health(s);
  }

  /** Positions only (open orders are cancelled before a liquidation); unpriced series count zero. */
  maintenanceMarginOf(store: KVReader, subaccount: SubaccountId | Subaccount, nowNs: bigint): bigint {
    return this.healthOf(store, subaccount, nowNs).maintenanceMarginMicroUsdc;
  }

  /**
   * BeginBlock (after oracle, options and clob): cancels every order of each subaccount with open orders whose
   * equity is below its initial margin (orders counted at worst case). Subaccounts with an unpriced series are
   * left alone: their margin cannot be judged, and no new risk is accepted for them meanwhile.
   */
  sweep(ctx: Context): SweepResult {
    const clob = resolve(this.deps.clob);
    const nowNs = ctx.blockTimeNs;
    // Collected first: cancelling while iterating the clob's index would mutate what is being walked.
    const ids = [...clob.subaccountsWithOrders(ctx.store)];
    const result: SweepResult = { checked: ids.length, cancelledSubaccounts: 0, cancelledOrders: 0 };
    // One pricer for the whole sweep: every series is priced once per block, not once per subaccount holding
    // it (same store, time and params throughout; cancelling orders changes no price).
    const d = this.deps;
    this.sweepPricer = createPricer(ctx.store, nowNs, resolve(d.options), resolve(d.oracle), getMarginParams(ctx.store));
    try {
      for (const id of ids) {
        const r = this.report(ctx.store, id, nowNs);
        if (r.unpricedSeriesIds.length > 0 || r.equityMicroUsdc >= r.initialMarginMicroUsdc) continue;
        const n = clob.cancelAllOf(ctx, id, "margin");
        result.cancelledSubaccounts++;
        result.cancelledOrders += n;
        ctx.events.push(events.ordersCancelledForMargin(formatSubaccountId(id), r.equityMicroUsdc, r.initialMarginMicroUsdc, n));
      }
    } finally {
      this.sweepPricer = undefined;
    }
    return result;
  }
}

export function summaryOf(r: MarginReport): MarginSummary {
  const im = r.unpricedSeriesIds.length > 0 ? UNMEETABLE_MARGIN_MICRO_USDC : r.initialMarginMicroUsdc;
  return {
    equityMicroUsdc: r.equityMicroUsdc,
    initialMarginMicroUsdc: im,
    maintenanceMarginMicroUsdc: r.maintenanceMarginMicroUsdc,
    freeCollateralMicroUsdc: r.equityMicroUsdc - im,
  };
}
