/**
 * CLOB genesis (proto-JSON style, snake_case, integers as strings): params, the next order id, every open order
 * (with its book sequence, so time priority survives export/import), MMP configs, and the bookkeeping of
 * genesisHistory.ts (book counters, fill sequence, recent-fill rings, MMP states), so export → import gives the
 * same module state and app hash. The fee pool module account is created here.
 */
import type { Context } from "../../src/app/context.js";
import { arr, bool, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import { ACCOUNT_PREFIX, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import { MAX_SUBACCOUNT_NUMBER } from "../subaccounts/index.js";
import { SeriesBookState } from "./codec.js";
import type { AccountKeeper } from "./expectedKeepers.js";
import { ClobKeys, subaccountKey, u32be, u64be } from "./keys.js";
import { iterateMmpConfigs, setMmpConfig } from "./mmp.js";
import { OrderBook, type Side, type TimeInForce } from "./orderbook/index.js";
import { decodeOrder, viewFromStored, writeNewOrder, type StoredOrder } from "./orderStore.js";
import { DEFAULT_CLOB_PARAMS, getClobParams, setClobParams, validateClobParams, type ClobParams } from "./params.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { FEE_POOL_MODULE_ACCOUNT, type MmpConfig } from "./types.js";
import { decodeSubaccountKey } from "./keys.js";
import { exportClobHistory, initClobHistory, parseClobHistory, type ClobHistoryGenesis } from "./genesisHistory.js";

export interface ClobGenesis {
  params: ClobParams;
  nextOrderId: bigint;
  orders: StoredOrder[];
  mmp: Array<{ sub: Uint8Array; underlying: string; config: MmpConfig }>;
  history: ClobHistoryGenesis;
}

const TIFS: readonly TimeInForce[] = ["GTC", "GTB", "GTT"];

function paramsToJson(p: ClobParams): JsonObject {
  return {
    maker_fee_ppm: p.makerFeePpm.toString(),
    taker_fee_ppm: p.takerFeePpm.toString(),
    taker_fee_cap_notional_ppm: p.takerFeeCapNotionalPpm.toString(),
    max_batch_orders: p.maxBatchOrders,
    max_open_orders_per_subaccount: p.maxOpenOrdersPerSubaccount,
  };
}

export function defaultClobGenesis(): JsonObject {
  return { params: paramsToJson(DEFAULT_CLOB_PARAMS), next_order_id: "1", orders: [], mmp_configs: [] };
}

function small(v: unknown, path: string, fallback: number): number {
  const n = uint(v, path, BigInt(fallback));
  if (n > 0xffffffffn) throw new GenesisError(`${path}: above uint32`);
  return Number(n);
}

function subOf(o: JsonObject, path: string): { owner: Uint8Array; number: number } {
  const owner = parseBech32Address(str(o.owner, `${path}.owner`), ACCOUNT_PREFIX);
  const number = small(o.subaccount_number, `${path}.subaccount_number`, 0);
  if (number > MAX_SUBACCOUNT_NUMBER) throw new GenesisError(`${path}.subaccount_number: above ${MAX_SUBACCOUNT_NUMBER}`);
  return { owner, number };
}

export function parseClobGenesis(json: unknown): ClobGenesis {
  const g = obj(json ?? {}, "clob");
  const p = g.params === undefined ? undefined : obj(g.params, "clob.params");
  const d = DEFAULT_CLOB_PARAMS;
  const params: ClobParams =
    p === undefined
      ? d
      : {
          makerFeePpm: uint(p.maker_fee_ppm, "clob.params.maker_fee_ppm", d.makerFeePpm),
          takerFeePpm: uint(p.taker_fee_ppm, "clob.params.taker_fee_ppm", d.takerFeePpm),
          takerFeeCapNotionalPpm: uint(p.taker_fee_cap_notional_ppm, "clob.params.taker_fee_cap_notional_ppm", d.takerFeeCapNotionalPpm),
          maxBatchOrders: small(p.max_batch_orders, "clob.params.max_batch_orders", d.maxBatchOrders),
          maxOpenOrdersPerSubaccount: small(p.max_open_orders_per_subaccount, "clob.params.max_open_orders_per_subaccount", d.maxOpenOrdersPerSubaccount),
        };
  const bad = validateClobParams(params);
  if (bad !== undefined) throw new GenesisError(`clob.params: ${bad}`);
  const nextOrderId = uint(g.next_order_id, "clob.next_order_id", 1n);
  if (nextOrderId < 1n) throw new GenesisError("clob.next_order_id: must be at least 1");
  const ids = new Set<bigint>();
  const orders = arr(g.orders, "clob.orders").map((x, i): StoredOrder => {
    const path = `clob.orders[${i}]`;
    const o = obj(x, path);
    const orderId = uint(o.order_id, `${path}.order_id`);
    if (orderId < 1n || orderId >= nextOrderId) throw new GenesisError(`${path}.order_id: must be in 1..next_order_id-1`);
    if (ids.has(orderId)) throw new GenesisError(`${path}: duplicate order id ${orderId}`);
    ids.add(orderId);
    const subaccount = subOf(o, path);
    const side = str(o.side, `${path}.side`);
    if (side !== "buy" && side !== "sell") throw new GenesisError(`${path}.side: buy or sell`);
    const tif = str(o.time_in_force ?? "GTC", `${path}.time_in_force`) as TimeInForce;
    if (!TIFS.includes(tif)) throw new GenesisError(`${path}.time_in_force: GTC, GTB or GTT`);
    const remaining = uint(o.remaining_contracts, `${path}.remaining_contracts`);
    const filled = uint(o.filled_contracts, `${path}.filled_contracts`, 0n);
    const placed = uint(o.placed_contracts, `${path}.placed_contracts`, remaining + filled);
    const priceTicks = uint(o.price_ticks, `${path}.price_ticks`);
    if (remaining === 0n || priceTicks === 0n || placed < remaining + filled) throw new GenesisError(`${path}: sizes or price out of range`);
    return {
      orderId,
      seriesId: uint(o.series_id, `${path}.series_id`),
      subaccount,
      sub: subaccountKey(subaccount),
      side: side as Side,
      priceTicks,
      remainingContracts: remaining,
      placedContracts: placed,
      filledContracts: filled,
      timeInForce: tif,
      goodTilBlock: tif === "GTB" ? uint(o.good_til_block, `${path}.good_til_block`) : undefined,
      goodTilTimeNs: tif === "GTT" ? uint(o.good_til_time_ns, `${path}.good_til_time_ns`) : undefined,
      postOnly: bool(o.post_only, `${path}.post_only`, false),
      reduceOnly: bool(o.reduce_only, `${path}.reduce_only`, false),
      clientId: uint(o.client_id, `${path}.client_id`, 0n),
      seq: uint(o.seq, `${path}.seq`, orderId),
    };
  });
  // Each series' orders must form a valid, uncrossed book (the engine checks on restore).
  const bySeries = new Map<bigint, StoredOrder[]>();
  for (const o of orders) bySeries.set(o.seriesId, [...(bySeries.get(o.seriesId) ?? []), o]);
  const clientIds = new Set<string>();
  for (const o of orders) {
    if (o.clientId === 0n) continue;
    const k = `${Buffer.from(o.sub).toString("hex")}|${o.clientId}`;
    if (clientIds.has(k)) throw new GenesisError(`clob.orders: duplicate client id ${o.clientId} for one subaccount`);
    clientIds.add(k);
  }
  for (const [seriesId, list] of bySeries) {
    try {
      restoreBook(list, nextOrderId);
    } catch (err) {
      throw new GenesisError(`clob.orders of series ${seriesId}: ${(err as Error).message}`);
    }
  }
  const mmp = arr(g.mmp_configs, "clob.mmp_configs").map((x, i) => {
    const path = `clob.mmp_configs[${i}]`;
    const o = obj(x, path);
    const id = subOf(o, path);
    const config: MmpConfig = {
      windowNs: uint(o.window_ns, `${path}.window_ns`),
      maxContracts: uint(o.max_contracts, `${path}.max_contracts`, 0n),
      maxDeltaMicroUnits: uint(o.max_delta_micro_units, `${path}.max_delta_micro_units`, 0n),
      maxVegaMicroUsdc: uint(o.max_vega_micro_usdc, `${path}.max_vega_micro_usdc`, 0n),
      freezeNs: uint(o.freeze_ns, `${path}.freeze_ns`, 0n),
    };
    if (config.windowNs === 0n) throw new GenesisError(`${path}.window_ns: must be positive`);
    return { sub: subaccountKey(id), underlying: str(o.underlying, `${path}.underlying`), config };
  });
  const history = parseClobHistory(g);
  for (const b of history.seriesBooks) {
    for (const o of bySeries.get(b.seriesId) ?? []) {
      if (o.seq >= b.nextSeq) throw new GenesisError(`clob.series_books: series ${b.seriesId} next_seq ${b.nextSeq} not above order ${o.orderId}'s seq ${o.seq}`);
    }
  }
  return { params, nextOrderId, orders, mmp, history };
}

function sortForBook(list: StoredOrder[]): StoredOrder[] {
  return [...list].sort((a, b) => {
    if (a.side !== b.side) return a.side === "buy" ? -1 : 1;
    if (a.priceTicks !== b.priceTicks) return (a.side === "buy" ? a.priceTicks > b.priceTicks : a.priceTicks < b.priceTicks) ? -1 : 1;
    return a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
  });
}

function restoreBook(list: StoredOrder[], nextOrderId: bigint): OrderBook {
  const sorted = sortForBook(list);
  let maxSeq = 0n;
  for (const o of sorted) if (o.seq > maxSeq) maxSeq = o.seq;
  return OrderBook.restore({ lastOrderId: nextOrderId - 1n, nextSeq: Number(maxSeq + 1n), orders: sorted.map(viewFromStored) });
}

export function initClobGenesis(ctx: Context, accounts: AccountKeeper, json: unknown): void {
  const g = parseClobGenesis(json);
  setClobParams(ctx.store, g.params);
  accounts.ensureModuleAccount(ctx.store, FEE_POOL_MODULE_ACCOUNT);
  ctx.store.set(ClobKeys.nextOrderId, u64be(g.nextOrderId));
  const counts = new Map<string, { sub: Uint8Array; n: number }>();
  const nextSeq = new Map<bigint, bigint>();
  for (const o of g.orders) {
    writeNewOrder(ctx.store, o);
    const k = Buffer.from(o.sub).toString("hex");
    const c = counts.get(k) ?? { sub: o.sub, n: 0 };
    c.n++;
    counts.set(k, c);
    if (o.seq + 1n > (nextSeq.get(o.seriesId) ?? 1n)) nextSeq.set(o.seriesId, o.seq + 1n);
  }
  for (const c of counts.values()) ctx.store.set(ClobKeys.openCount(c.sub), u32be(c.n));
  for (const [seriesId, seq] of nextSeq) ctx.store.set(ClobKeys.seriesState(seriesId), SeriesBookState.encode({ mutationCounter: 1n, nextSeq: seq }));
  for (const m of g.mmp) setMmpConfig(ctx.store, m.sub, m.underlying, m.config);
  initClobHistory(ctx.store, g.history);
}

export function exportClobGenesis(ctx: Context): JsonObject {
  const store = ctx.store;
  const orders: JsonObject[] = [];
  const prefix = ClobKeys.orderPrefix;
  for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
    const o = decodeOrder(new DataView(key.buffer, key.byteOffset + prefix.length, 8).getBigUint64(0, false), value);
    orders.push({
      order_id: o.orderId.toString(),
      series_id: o.seriesId.toString(),
      owner: toBech32Address(ACCOUNT_PREFIX, o.subaccount.owner),
      subaccount_number: o.subaccount.number,
      side: o.side,
      price_ticks: o.priceTicks.toString(),
      remaining_contracts: o.remainingContracts.toString(),
      placed_contracts: o.placedContracts.toString(),
      filled_contracts: o.filledContracts.toString(),
      time_in_force: o.timeInForce,
      ...(o.goodTilBlock !== undefined ? { good_til_block: o.goodTilBlock.toString() } : {}),
      ...(o.goodTilTimeNs !== undefined ? { good_til_time_ns: o.goodTilTimeNs.toString() } : {}),
      post_only: o.postOnly,
      reduce_only: o.reduceOnly,
      client_id: o.clientId.toString(),
      seq: o.seq.toString(),
    });
  }
  const raw = store.get(ClobKeys.nextOrderId);
  const mmp = [...iterateMmpConfigs(store)].map((m) => {
    const { id } = decodeSubaccountKey(m.sub, 0);
    return {
      owner: toBech32Address(ACCOUNT_PREFIX, id.owner),
      subaccount_number: id.number,
      underlying: m.underlying,
      window_ns: m.config.windowNs.toString(),
      max_contracts: m.config.maxContracts.toString(),
      max_delta_micro_units: m.config.maxDeltaMicroUnits.toString(),
      max_vega_micro_usdc: m.config.maxVegaMicroUsdc.toString(),
      freeze_ns: m.config.freezeNs.toString(),
    };
  });
  return {
    params: paramsToJson(getClobParams(store)),
    next_order_id: (raw === undefined ? 1n : new DataView(raw.buffer, raw.byteOffset, 8).getBigUint64(0, false)).toString(),
    orders,
    mmp_configs: mmp,
    ...exportClobHistory(store),
  };
}
