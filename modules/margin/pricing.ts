/**
 * Resolves series prices for margin from options (marks) and the oracle (spot fallback), cached per evaluation.
 * A series inside its settlement TWAP window (expiry − settlement_twap_window_ns < now) also carries the TWAP
 * accrued since the window opened (oracle twap over [expiry − window, min(now, expiry)]), which bounds its marks
 * (standard.ts): settlement pays on that average, not on the spot.
 */
import type { KVReader } from "../../src/store/types.js";
import type { OptionsReader, SeriesView, SpotReader } from "./expectedKeepers.js";
import { riskParamsFor, type MarginParams } from "./params.js";
import type { PricedSeries, SeriesPricer } from "./riskModel.js";
import type { SettlementAccrual } from "./standard.js";

const NS_PER_S = 1_000_000_000n;

/** The accrued settlement TWAP of a series at nowNs; undefined outside its window or without price history. */
export function settlementAccrual(store: KVReader, nowNs: bigint, series: SeriesView, options: OptionsReader, oracle: SpotReader): SettlementAccrual | undefined {
  if (options.params === undefined || oracle.twap === undefined) return undefined;
  const windowNs = options.params(store).settlementTwapWindowNs;
  const expiryNs = series.expiryUnixS * NS_PER_S;
  const startNs = expiryNs - windowNs;
  if (windowNs <= 0n || nowNs <= startNs) return undefined;
  const endNs = nowNs < expiryNs ? nowNs : expiryNs;
  const twap = oracle.twap(store, series.underlying, endNs - startNs, endNs);
  if (twap === undefined || twap.priceMicroUsd <= 0n) return undefined;
  return { accruedTwapMicroUsd: twap.priceMicroUsd, elapsedNs: endNs - startNs, windowNs };
}

export function createPricer(store: KVReader, nowNs: bigint, options: OptionsReader, oracle: SpotReader, params: MarginParams): SeriesPricer {
  const cache = new Map<bigint, PricedSeries>();
  const accruals = new Map<string, SettlementAccrual | undefined>(); // per underlying and expiry
  const accrualOf = (series: SeriesView): { settlement?: SettlementAccrual } => {
    const key = `${series.underlying}|${series.expiryUnixS}`;
    if (!accruals.has(key)) accruals.set(key, settlementAccrual(store, nowNs, series, options, oracle));
    const a = accruals.get(key);
    return a === undefined ? {} : { settlement: a };
  };
  const resolveSeries = (seriesId: bigint): PricedSeries => {
    const series = options.series(store, seriesId);
    if (series === undefined) return { status: "unknown", seriesId };
    const underlying = options.underlying(store, series.underlying);
    if (underlying === undefined) return { status: "unknown", seriesId };
    const base = { series, contractSizePpm: underlying.contractSizePpm, tickSizeMicroUsdc: underlying.tickSizeMicroUsdc, risk: riskParamsFor(params, series.underlying) };
    // A settled series is valued at its settlement price: no mark or spot needed.
    if (series.status === "settled") return { status: "priced", ...base };
    const mark = options.mark(store, seriesId, nowNs);
    if (mark !== undefined) return { status: "priced", ...base, mark: { markMicroUsdcPerContract: mark.markMicroUsdcPerContract, spotMicroUsd: mark.spotMicroUsd }, ...accrualOf(series) };
    const spot = oracle.price(store, series.underlying);
    if (spot !== undefined && spot.priceMicroUsd > 0n) return { status: "priced", ...base, spotMicroUsd: spot.priceMicroUsd, ...accrualOf(series) };
    return { status: "unpriced", series };
  };
  return {
    paramsVersion: params.version,
    price(seriesId) {
      let p = cache.get(seriesId);
      if (p === undefined) {
        p = resolveSeries(seriesId);
        cache.set(seriesId, p);
      }
      return p;
    },
  };
}
