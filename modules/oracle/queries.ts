/** Oracle queries (vanna.oracle.v1.Query), answered from committed state at the last block time. */
import type { QueryRoute } from "../../src/app/module.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import { invalidArgument, notFound } from "../../src/app/queryErrors.js";
import type { OracleKeeper } from "./keeper.js";
import { UNDERLYING_RE } from "./params.js";
import * as t from "./types.js";

export const ORACLE_QUERY_SERVICE = "/vanna.oracle.v1.Query";

function underlying(text: string): string {
  if (!UNDERLYING_RE.test(text)) throw invalidArgument(`invalid underlying "${text.slice(0, 40)}"`);
  return text;
}

export function oracleQueryRoutes(keeper: OracleKeeper): QueryRoute[] {
  const S = ORACLE_QUERY_SERVICE;
  return [
    queryRoute(`${S}/Params`, t.OracleQueryParamsRequestCodec, t.OracleQueryParamsResponseCodec, (ctx) => ({ params: keeper.getParams(ctx.store) })),
    queryRoute(`${S}/Price`, t.QueryPriceRequestCodec, t.QueryPriceResponseCodec, (ctx, req) => {
      const u = underlying(req.underlying);
      const price = keeper.price(ctx.store, u);
      if (price === undefined) throw notFound(`price of ${u}`);
      return { price, stale: keeper.isStale(ctx.store, u, ctx.blockTimeNs) };
    }),
    queryRoute(`${S}/Prices`, t.QueryPricesRequestCodec, t.QueryPricesResponseCodec, (ctx) => ({
      prices: [...keeper.iteratePrices(ctx.store)].map((price) => ({ price, stale: keeper.isStale(ctx.store, price.underlying, ctx.blockTimeNs) })),
    })),
    queryRoute(`${S}/Smile`, t.QuerySmileRequestCodec, t.QuerySmileResponseCodec, (ctx, req) => {
      const u = underlying(req.underlying);
      const smile = keeper.smile(ctx.store, u, req.expiryUnixS);
      if (smile === undefined) throw notFound(`smile of ${u} expiring at ${req.expiryUnixS}`);
      return { smile, stale: keeper.isSmileStale(ctx.store, u, req.expiryUnixS, ctx.blockTimeNs) };
    }),
    queryRoute(`${S}/Smiles`, t.QuerySmilesRequestCodec, t.QuerySmilesResponseCodec, (ctx, req) => ({
      smiles: [...keeper.iterateSmiles(ctx.store, underlying(req.underlying))],
    })),
    queryRoute(`${S}/Twap`, t.QueryTwapRequestCodec, t.QueryTwapResponseCodec, (ctx, req) => {
      const u = underlying(req.underlying);
      if (req.windowNs <= 0n) throw invalidArgument("window_ns must be positive");
      const twap = keeper.twap(ctx.store, u, req.windowNs, ctx.blockTimeNs);
      if (twap === undefined) throw notFound(`price history of ${u}`);
      return { twapMicroUsd: twap.priceMicroUsd, startTimeNs: twap.startTimeNs, endTimeNs: twap.endTimeNs, samples: twap.samples };
    }),
  ];
}
