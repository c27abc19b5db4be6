/** CLOB queries (vanna.clob.v1.Query), answered from the store alone (never from the in-memory books). */
import type { QueryRoute } from "../../src/app/module.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import { paginate, prefixEnd } from "../../src/app/pagination.js";
import { notFound, invalidArgument } from "../../src/app/queryErrors.js";
import { ACCOUNT_PREFIX, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import type { ChainError } from "../../src/errors.js";
import type { KVReader } from "../../src/store/types.js";
import * as codec from "./codec.js";
import { ClobKeys, readU64be, subaccountKey } from "./keys.js";
import { getMmpConfig, getMmpState } from "./mmp.js";
import { bookOrders, orderIdByClientId, readOrder, sideToProto, tifToProto, type StoredOrder } from "./orderStore.js";
import { getClobParams } from "./params.js";
import type { Side } from "./orderbook/index.js";
import { FILLS_KEPT } from "./types.js";

const SERVICE = "/vanna.clob.v1.Query";
const MAX_LEVELS = 500;
const MAX_L3 = 1000;

function sub(owner: string, number: number): Uint8Array {
  try {
    return subaccountKey({ owner: parseBech32Address(owner, ACCOUNT_PREFIX), number });
  } catch (err) {
    throw invalidArgument(`invalid owner: ${(err as ChainError).message}`);
  }
}

export function orderToProto(o: StoredOrder): codec.OrderProto {
  return {
    orderId: o.orderId,
    seriesId: o.seriesId,
    owner: toBech32Address(ACCOUNT_PREFIX, o.subaccount.owner),
    subaccountNumber: o.subaccount.number,
    side: sideToProto(o.side),
    priceTicks: o.priceTicks,
    remainingContracts: o.remainingContracts,
    placedContracts: o.placedContracts,
    filledContracts: o.filledContracts,
    timeInForce: tifToProto(o.timeInForce),
    goodTilBlock: o.goodTilBlock ?? 0n,
    goodTilTimeNs: o.goodTilTimeNs ?? 0n,
    postOnly: o.postOnly,
    reduceOnly: o.reduceOnly,
    clientId: o.clientId,
    seq: o.seq,
  };
}

/** Aggregated levels from the store, best first, at most `levels` per side. */
export function l2FromStore(store: KVReader, seriesId: bigint, levels: number): { bids: codec.LevelProto[]; asks: codec.LevelProto[] } {
  const side = (s: Side): codec.LevelProto[] => {
    const out: codec.LevelProto[] = [];
    for (const o of bookOrders(store, seriesId, s)) {
      const last = out[out.length - 1];
      if (last !== undefined && last.priceTicks === o.priceTicks) {
        last.sizeContracts += o.remainingContracts;
        last.orderCount++;
        continue;
      }
      if (out.length === levels) break;
      out.push({ priceTicks: o.priceTicks, sizeContracts: o.remainingContracts, orderCount: 1 });
    }
    return out;
  };
  return { bids: side("buy"), asks: side("sell") };
}

export function l3FromStore(store: KVReader, seriesId: bigint, limit: number): { bids: StoredOrder[]; asks: StoredOrder[] } {
  const side = (s: Side): StoredOrder[] => {
    const out: StoredOrder[] = [];
    for (const o of bookOrders(store, seriesId, s)) {
      if (out.length === limit) break;
      out.push(o);
    }
    return out;
  };
  return { bids: side("buy"), asks: side("sell") };
}

/** The ring's fills, newest first. */
export function fillsFromRing(store: KVReader, ring: Uint8Array, limit: number): codec.FillProto[] {
  const prefix = ClobKeys.fillRing(ring);
  const out: codec.FillProto[] = [];
  for (const [, v] of store.iterate(prefix, prefixEnd(prefix))) out.push(codec.FillProto.decode(v));
  out.sort((a, b) => (a.sequence > b.sequence ? -1 : a.sequence < b.sequence ? 1 : 0));
  return out.slice(0, limit);
}


export function clobQueryRoutes(): QueryRoute[] {
  return [
    queryRoute(`${SERVICE}/Params`, codec.QueryParamsRequest, codec.QueryParamsResponse, (ctx) => ({ params: getClobParams(ctx.store) })),
    queryRoute(`${SERVICE}/Order`, codec.QueryOrderRequest, codec.QueryOrderResponse, (ctx, req) => {
      const o = readOrder(ctx.store, req.orderId);
      if (o === undefined) throw notFound(`order ${req.orderId}`);
      return { order: orderToProto(o) };
    }),
    queryRoute(`${SERVICE}/OrderByClientId`, codec.QueryOrderByClientIdRequest, codec.QueryOrderResponse, (ctx, req) => {
      const id = orderIdByClientId(ctx.store, sub(req.owner, req.number), req.clientId);
      const o = id === undefined ? undefined : readOrder(ctx.store, id);
      if (o === undefined) throw notFound(`order with client id ${req.clientId}`);
      return { order: orderToProto(o) };
    }),
    queryRoute(`${SERVICE}/OpenOrders`, codec.QueryOpenOrdersRequest, codec.QueryOpenOrdersResponse, (ctx, req) => {
      const s = sub(req.owner, req.number);
      const prefix = req.seriesId === 0n ? ClobKeys.subaccountOrdersPrefix(s) : ClobKeys.subaccountSeriesPrefix(s, req.seriesId);
      const page = paginate(ctx.store, prefix, req.pagination, (key) => readOrder(ctx.store, readU64be(key, key.length - 8)));
      return { orders: page.items.filter((o) => o !== undefined).map(orderToProto), pagination: { nextKey: page.nextKey, total: page.total } };
    }),
    queryRoute(`${SERVICE}/BookL2`, codec.QueryBookL2Request, codec.QueryBookL2Response, (ctx, req) => {
      const levels = req.levels === 0 ? 50 : Math.min(req.levels, MAX_LEVELS);
      return l2FromStore(ctx.store, req.seriesId, levels);
    }),
    queryRoute(`${SERVICE}/BookL3`, codec.QueryBookL3Request, codec.QueryBookL3Response, (ctx, req) => {
      const limit = req.limit === 0 ? 100 : Math.min(req.limit, MAX_L3);
      const { bids, asks } = l3FromStore(ctx.store, req.seriesId, limit);
      return { bids: bids.map(orderToProto), asks: asks.map(orderToProto) };
    }),
    queryRoute(`${SERVICE}/Fills`, codec.QueryFillsRequest, codec.QueryFillsResponse, (ctx, req) => {
      const bySeries = req.seriesId !== 0n;
      if (bySeries === (req.owner !== "")) throw invalidArgument("give exactly one of series_id and owner");
      const ring = bySeries ? ClobKeys.seriesRing(req.seriesId) : ClobKeys.subaccountRing(sub(req.owner, req.number));
      const limit = req.limit === 0 || req.limit > FILLS_KEPT ? FILLS_KEPT : req.limit;
      return { fills: fillsFromRing(ctx.store, ring, limit) };
    }),
    queryRoute(`${SERVICE}/Mmp`, codec.QueryMmpRequest, codec.QueryMmpResponse, (ctx, req) => {
      const s = sub(req.owner, req.number);
      const state = getMmpState(ctx.store, s, req.underlying);
      return {
        config: getMmpConfig(ctx.store, s, req.underlying),
        state: { ...state, deltaMicroUnits: state.deltaMicroUnits.toString(), vegaMicroUsdc: state.vegaMicroUsdc.toString() },
      };
    }),
  ];
}
