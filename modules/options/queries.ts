/** Options queries (vanna.options.v1.Query), answered from committed state at the last executed block's time. */
import type { QueryContext, QueryRoute } from "../../src/app/module.js";
import { concat, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, paginate, prefixEnd, type PageRequestLike } from "../../src/app/pagination.js";
import { invalidArgument, notFound } from "../../src/app/queryErrors.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import { ACCOUNT_PREFIX, toBech32Address } from "../../src/crypto/address.js";
import type { Bytes, KVReader } from "../../src/store/types.js";
import * as codec from "./codec.js";
import { decodeClaim, type OptionsKeeper } from "./keeper.js";
import { OptionsKeys, readU64be } from "./keys.js";
import type { Series } from "./types.js";

export const OPTIONS_QUERY_SERVICE = "/vanna.options.v1.Query";

/**
 * Like `paginate`, but items the filter rejects (decode → undefined) are skipped and not counted: next_key is
 * the key of the first matching item after the page.
 */
function filteredPage<T>(store: KVReader, prefix: Bytes, page: PageRequestLike | undefined, decode: (rest: Bytes, value: Bytes) => T | undefined) {
  const req = page ?? { key: new Uint8Array(), offset: 0n, limit: 0n, countTotal: false, reverse: false };
  if (req.key.length > 0 && req.offset > 0n) throw invalidArgument("paginate: either offset or key is expected, got both");
  const limit = req.limit === 0n ? DEFAULT_PAGE_LIMIT : req.limit > MAX_PAGE_LIMIT ? MAX_PAGE_LIMIT : req.limit;
  const useKey = req.key.length > 0;
  const start = useKey ? concat(prefix, req.key) : prefix;
  const iter = req.reverse ? store.iterate(prefix, useKey ? concat(start, new Uint8Array([0])) : prefixEnd(prefix), true) : store.iterate(start, prefixEnd(prefix));
  const items: T[] = [];
  let nextKey = new Uint8Array();
  let total = 0n;
  let skipped = 0n;
  for (const [key, value] of iter) {
    const rest = key.subarray(prefix.length);
    const item = decode(rest, value);
    if (item === undefined) continue;
    total++;
    if (!useKey && skipped < req.offset) {
      skipped++;
      continue;
    }
    if (BigInt(items.length) === limit) {
      if (nextKey.length === 0) nextKey = rest.slice();
      if (!req.countTotal || useKey) break;
      continue;
    }
    items.push(item);
  }
  return { items, pagination: { nextKey, total: req.countTotal && !useKey ? total : 0n } };
}

function seriesFilter(req: codec.QuerySeriesListRequest): (s: Series) => boolean {
  const status = req.status === 0 ? undefined : codec.statusFromWire(req.status);
  if (req.status !== 0 && status === undefined) throw invalidArgument(`unknown status ${req.status}`);
  return (s) => (req.underlying === "" || s.underlying === req.underlying) && (req.expiryUnixS === 0n || s.expiryUnixS === req.expiryUnixS) && (status === undefined || s.status === status);
}

export function optionsQueryRoutes(keeper: OptionsKeeper): QueryRoute[] {
  const S = OPTIONS_QUERY_SERVICE;
  const seriesOrThrow = (ctx: QueryContext, id: bigint) => {
    const s = keeper.series(ctx.store, id);
    if (s === undefined) throw notFound(`series ${id}`);
    return s;
  };
  return [
    queryRoute(`${S}/Params`, codec.QueryParamsRequest, codec.QueryParamsResponse, (ctx) => ({ params: codec.paramsToProto(keeper.params(ctx.store)) })),
    queryRoute(`${S}/Underlyings`, codec.QueryUnderlyingsRequest, codec.QueryUnderlyingsResponse, (ctx) => ({
      underlyings: keeper.params(ctx.store).underlyings.map(codec.underlyingToProto),
    })),
    queryRoute(`${S}/Series`, codec.QuerySeriesRequest, codec.QuerySeriesResponse, (ctx, req) => ({
      series: codec.seriesToProto(seriesOrThrow(ctx, req.seriesId)),
    })),
    queryRoute(`${S}/SeriesList`, codec.QuerySeriesListRequest, codec.QuerySeriesListResponse, (ctx, req) => {
      if (req.expiryUnixS < 0n) throw invalidArgument("expiry_unix_s must not be negative");
      const keep = seriesFilter(req);
      if (req.underlying === "") {
        const page = filteredPage(ctx.store, OptionsKeys.seriesPrefix, req.pagination, (_k, v) => {
          const s = codec.seriesFromProto(codec.SeriesProto.decode(v));
          return keep(s) ? codec.seriesToProto(s) : undefined;
        });
        return { series: page.items, pagination: page.pagination };
      }
      const prefix = req.expiryUnixS === 0n ? OptionsKeys.contractsOf(req.underlying) : OptionsKeys.contractsAt(req.underlying, req.expiryUnixS);
      const page = filteredPage(ctx.store, prefix, req.pagination, (_k, v) => {
        const s = keeper.series(ctx.store, readU64be(v));
        return s !== undefined && keep(s) ? codec.seriesToProto(s) : undefined;
      });
      return { series: page.items, pagination: page.pagination };
    }),
    queryRoute(`${S}/Mark`, codec.QueryMarkRequest, codec.QueryMarkResponse, (ctx, req) => {
      const s = seriesOrThrow(ctx, req.seriesId);
      const now = ctx.blockTimeNs;
      const mark = keeper.mark(ctx.store, s.id, now);
      return { mark: mark === undefined ? undefined : codec.markToProto(mark), stale: keeper.isStale(ctx.store, s.underlying, now) };
    }),
    queryRoute(`${S}/Marks`, codec.QueryMarksRequest, codec.QueryMarksResponse, (ctx, req) => {
      if (keeper.underlying(ctx.store, req.underlying) === undefined) throw invalidArgument(`unknown underlying "${req.underlying.slice(0, 40)}"`);
      const now = ctx.blockTimeNs;
      const expiries = req.expiryUnixS === 0n ? keeper.liveExpiries(ctx.store, req.underlying) : [req.expiryUnixS];
      const marks: codec.SeriesMarkProto[] = [];
      for (const e of expiries) {
        if (e < 0n) throw invalidArgument("expiry_unix_s must not be negative");
        for (const id of keeper.seriesIdsAt(ctx.store, req.underlying, e)) {
          if (keeper.series(ctx.store, id)?.status === "settled") continue;
          const m = keeper.mark(ctx.store, id, now);
          if (m !== undefined) marks.push(codec.markToProto(m));
        }
      }
      return { marks, stale: keeper.isStale(ctx.store, req.underlying, now) };
    }),
    queryRoute(`${S}/Settlement`, codec.QuerySettlementRequest, codec.QuerySettlementResponse, (ctx, req) => {
      const r = keeper.settlement(ctx.store, req.seriesId);
      if (r === undefined) throw notFound(`settlement of series ${req.seriesId}`);
      return { settlement: codec.settlementToProto(r) };
    }),
    queryRoute(`${S}/ShortfallClaims`, codec.QueryShortfallClaimsRequest, codec.QueryShortfallClaimsResponse, (ctx, req) => {
      const prefix = OptionsKeys.claimPrefix;
      const page = paginate(ctx.store, prefix, req.pagination, (rest, value) => {
        const c = decodeClaim(concat(prefix, rest), value);
        return { owner: toBech32Address(ACCOUNT_PREFIX, c.owner), subaccountNumber: c.subaccountNumber, seriesId: c.seriesId, amountMicroUsdc: c.amountMicroUsdc.toString() };
      });
      return { claims: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
    queryRoute(`${S}/LiveExpiries`, codec.QueryLiveExpiriesRequest, codec.QueryLiveExpiriesResponse, (ctx, req) => {
      if (keeper.underlying(ctx.store, req.underlying) === undefined) throw invalidArgument(`unknown underlying "${req.underlying.slice(0, 40)}"`);
      return { expiriesUnixS: keeper.liveExpiries(ctx.store, req.underlying) };
    }),
  ];
}
