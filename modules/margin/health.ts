/**
 * Account health for liquidations: equity and maintenance margin of a subaccount's positions in one pass, with
 * every series priced once per scan (a HealthScan is one store, one time, one params version: a block).
 *
 * Exactly the numbers of the full evaluation (report().equityMicroUsdc and maintenanceMarginOf), cheaper:
 * - open orders are not read: equity never counts them and MM is positions-only in both models;
 * - each series' mark and standard requirements (SeriesRisk) are computed once per scan and shared by every
 *   account holding it, so a standard account's health is a sum over its positions of memoized per-contract
 *   numbers (O(positions) bigint operations);
 * - portfolio accounts take their MM from the portfolio engine, which keeps per-account results and recomputes
 *   one only when its positions or its series' scenario values (once per oracle update / time bucket) changed.
 */
import type { KVReader } from "../../src/store/types.js";
import type { Subaccount } from "../subaccounts/index.js";
import { getMarginParams, type MarginParams } from "./params.js";
import { getMarginMode, type PortfolioState } from "./portfolioKeeper.js";
import { riskOfPriced, type ScenarioSource } from "./portfolioModel.js";
import type { PricedSeries, SeriesPricer } from "./riskModel.js";
import { positionMaintenanceMargin, positionValue, type SeriesRisk } from "./standard.js";
import type { MarginMode } from "./types.js";

export interface AccountHealth {
  equityMicroUsdc: bigint;
  /** Positions only, under the subaccount's margin mode. */
  maintenanceMarginMicroUsdc: bigint;
  /** Held series with no price (no mark, no spot) or unknown, ascending: equity and MM count them as zero. */
  unpricedSeriesIds: bigint[];
  mode: MarginMode;
}

/** One priced position as report() lists it (portfolio: MM belongs to the underlying, so 0 per position). */
export interface HealthLine {
  seriesId: bigint;
  sizeContracts: bigint;
  markMicroUsdc: bigint;
  valueMicroUsdc: bigint;
  maintenanceMarginMicroUsdc: bigint;
}

interface SeriesEntry {
  priced: PricedSeries;
  risk: SeriesRisk | undefined;
}

export class HealthScan {
  private readonly seriesMemo = new Map<bigint, SeriesEntry>();
  private source: ScenarioSource | undefined;
  /** Accounts evaluated by this scan (benches, tests). */
  evaluated = 0;

  constructor(
    private readonly store: KVReader,
    private readonly nowNs: bigint,
    private readonly pricer: SeriesPricer,
    private readonly portfolio: PortfolioState,
    readonly params: MarginParams = getMarginParams(store),
  ) {}

  private entry(seriesId: bigint): SeriesEntry {
    let e = this.seriesMemo.get(seriesId);
    if (e === undefined) {
      const priced = this.pricer.price(seriesId);
      e = { priced, risk: riskOfPriced(priced) };
      this.seriesMemo.set(seriesId, e);
    }
    return e;
  }

  /** The subaccount as given (collateral and positions, e.g. as stored): equity and MM at the scan's time. */
  health(sub: Subaccount): AccountHealth {
    this.evaluated++;
    let equity = sub.quoteMicroUsdc;
    let mm = 0n;
    let unpriced: bigint[] | undefined;
    for (const p of sub.positions) {
      if (p.sizeContracts === 0n) continue;
      const e = this.entry(p.instrumentId);
      if (e.risk === undefined) {
        (unpriced ??= []).push(p.instrumentId);
        continue;
      }
      equity += positionValue(p.sizeContracts, e.risk);
      mm += positionMaintenanceMargin(p.sizeContracts, e.risk);
    }
    const mode = getMarginMode(this.store, sub.id);
    if (mode === "portfolio") {
      this.source ??= this.portfolio.source(this.store, this.nowNs, this.params);
      mm = this.portfolio.maintenanceMargin(this.pricer, this.source, this.params, sub);
    }
    const unpricedSeriesIds = unpriced === undefined ? [] : unpriced.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { equityMicroUsdc: equity, maintenanceMarginMicroUsdc: mm, unpricedSeriesIds, mode };
  }

  /** The priced positions in series order, with the same numbers as report().positions (no orders read). */
  lines(sub: Subaccount): HealthLine[] {
    const portfolio = getMarginMode(this.store, sub.id) === "portfolio";
    const out: HealthLine[] = [];
    for (const p of sub.positions) {
      const q = p.sizeContracts;
      if (q === 0n) continue;
      const r = this.entry(p.instrumentId).risk;
      if (r === undefined) continue;
      out.push({
        seriesId: p.instrumentId,
        sizeContracts: q,
        markMicroUsdc: q > 0n ? r.markLongMicroUsdc : r.markShortMicroUsdc,
        valueMicroUsdc: positionValue(q, r),
        maintenanceMarginMicroUsdc: portfolio ? 0n : positionMaintenanceMargin(q, r),
      });
    }
    return out.sort((a, b) => (a.seriesId < b.seriesId ? -1 : a.seriesId > b.seriesId ? 1 : 0));
  }
}
