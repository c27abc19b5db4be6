/** Resolves series prices for margin from options (marks) and the oracle (spot fallback), cached per evaluation. */
import type { KVReader } from "../../src/store/types.js";
import type { OptionsReader, SpotReader } from "./expectedKeepers.js";
import { riskParamsFor, type MarginParams } from "./params.js";
import type { PricedSeries, SeriesPricer } from "./riskModel.js";

export function createPricer(store: KVReader, nowNs: bigint, options: OptionsReader, oracle: SpotReader, params: MarginParams): SeriesPricer {
  const cache = new Map<bigint, PricedSeries>();
  const resolveSeries = (seriesId: bigint): PricedSeries => {
    const series = options.series(store, seriesId);
    if (series === undefined) return { status: "unknown", seriesId };
    const underlying = options.underlying(store, series.underlying);
    if (underlying === undefined) return { status: "unknown", seriesId };
    const base = { series, contractSizePpm: underlying.contractSizePpm, tickSizeMicroUsdc: underlying.tickSizeMicroUsdc, risk: riskParamsFor(params, series.underlying) };
    // A settled series is valued at its settlement price: no mark or spot needed.
    if (series.status === "settled") return { status: "priced", ...base };
    const mark = options.mark(store, seriesId, nowNs);
    if (mark !== undefined) return { status: "priced", ...base, mark: { markMicroUsdcPerContract: mark.markMicroUsdcPerContract, spotMicroUsd: mark.spotMicroUsd } };
    const spot = oracle.price(store, series.underlying);
    if (spot !== undefined && spot.priceMicroUsd > 0n) return { status: "priced", ...base, spotMicroUsd: spot.priceMicroUsd };
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
