/** CLOB message routes: strict stateless checks in validateBasic, then one keeper call. */
import type { MsgRoute } from "../../src/app/module.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { ChainError } from "../../src/errors.js";
import { MAX_SUBACCOUNT_NUMBER } from "../subaccounts/index.js";
import * as codec from "./codec.js";
import { ClobErrors } from "./errors.js";
import type { ClobKeeper } from "./keeper.js";
import { sideFromProto, tifFromProto } from "./orderStore.js";
import { getClobParams, MAX_BATCH_ORDERS_LIMIT } from "./params.js";
import type { OrderRequest } from "./trading.js";

const MAX_UNDERLYING_LENGTH = 32;

function checkNumber(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SUBACCOUNT_NUMBER) throw ClobErrors.invalidSubaccount.with(`subaccount_number ${n} is above ${MAX_SUBACCOUNT_NUMBER}`);
}

function subaccount(owner: string, number: number) {
  return { owner: parseBech32Address(owner, ACCOUNT_PREFIX), number };
}

/** The stateless reading of an order: enums, required fields, time-in-force combinations. */
export function parseOrderSpec(spec: codec.OrderSpec | undefined): OrderRequest {
  if (spec === undefined) throw ClobErrors.invalidOrder.with("order is required");
  const side = sideFromProto(spec.side);
  if (side === undefined) throw ClobErrors.invalidOrder.with("side must be BUY or SELL");
  const tif = tifFromProto(spec.timeInForce);
  if (tif === undefined) throw ClobErrors.invalidTimeInForce.with(`unknown time_in_force ${spec.timeInForce}`);
  if (spec.orderType !== codec.OrderTypeProto.LIMIT && spec.orderType !== codec.OrderTypeProto.MARKET) throw ClobErrors.invalidOrder.with(`unknown order_type ${spec.orderType}`);
  const type = spec.orderType === codec.OrderTypeProto.MARKET ? "market" : "limit";
  if (spec.seriesId === 0n) throw ClobErrors.unknownSeries.with("series_id is required");
  if (spec.priceTicks === 0n) throw ClobErrors.invalidPrice.with(type === "market" ? "a market order needs price_ticks as its worst price" : "price_ticks must be positive");
  if (spec.sizeContracts === 0n) throw ClobErrors.invalidSize.with("size must be positive");
  const resting = tif === "GTC" || tif === "GTB" || tif === "GTT";
  if (type === "market" && resting) throw ClobErrors.invalidTimeInForce.with("a market order must be IOC or FOK");
  if (spec.postOnly && !resting) throw ClobErrors.invalidTimeInForce.with("a post-only order must be GTC, GTB or GTT");
  if (tif !== "GTB" && spec.goodTilBlock !== 0n) throw ClobErrors.invalidTimeInForce.with("good_til_block is only for GTB");
  if (tif !== "GTT" && spec.goodTilTimeNs !== 0n) throw ClobErrors.invalidTimeInForce.with("good_til_time_ns is only for GTT");
  if (tif === "GTB" && spec.goodTilBlock === 0n) throw ClobErrors.invalidTimeInForce.with("GTB needs good_til_block");
  if (tif === "GTT" && spec.goodTilTimeNs === 0n) throw ClobErrors.invalidTimeInForce.with("GTT needs good_til_time_ns");
  return {
    seriesId: spec.seriesId,
    side,
    type,
    priceTicks: spec.priceTicks,
    sizeContracts: spec.sizeContracts,
    timeInForce: tif,
    ...(tif === "GTB" ? { goodTilBlock: spec.goodTilBlock } : {}),
    ...(tif === "GTT" ? { goodTilTimeNs: spec.goodTilTimeNs } : {}),
    postOnly: spec.postOnly,
    reduceOnly: spec.reduceOnly,
    clientId: spec.clientId,
  };
}

function checkRef(orderId: bigint, clientId: bigint): void {
  if ((orderId === 0n) === (clientId === 0n)) throw ClobErrors.invalidOrder.with("give exactly one of order_id and client_id");
}

function checkUnderlying(u: string): void {
  if (u.length === 0 || u.length > MAX_UNDERLYING_LENGTH) throw ClobErrors.unknownUnderlying.with(`underlying must be 1..${MAX_UNDERLYING_LENGTH} characters`);
}

function itemResult(r: { ok: boolean; orderId: bigint; filledContracts: bigint; restingContracts: bigint; error?: ChainError }): codec.ItemResult {
  return { ok: r.ok, orderId: r.orderId, filledContracts: r.filledContracts, restingContracts: r.restingContracts, codespace: r.error?.codespace ?? "", code: r.error?.code ?? 0, log: r.error?.message ?? "" };
}

export function clobMsgRoutes(keeper: ClobKeeper): MsgRoute<unknown>[] {
  const place: MsgRoute<codec.MsgPlaceOrder> = {
    typeUrl: codec.MsgPlaceOrder.typeUrl,
    decode: (b) => codec.MsgPlaceOrder.decodeCanonical(b),
    signers: (m) => [m.owner],
    validateBasic(m) {
      parseBech32Address(m.owner, ACCOUNT_PREFIX);
      checkNumber(m.subaccountNumber);
      parseOrderSpec(m.order);
    },
    handle(ctx, m) {
      const r = keeper.placeOrder(ctx, subaccount(m.owner, m.subaccountNumber), parseOrderSpec(m.order));
      return { typeUrl: codec.MsgPlaceOrderResponse.typeUrl, value: codec.MsgPlaceOrderResponse.encode(r) };
    },
  };
  const cancel: MsgRoute<codec.MsgCancelOrder> = {
    typeUrl: codec.MsgCancelOrder.typeUrl,
    decode: (b) => codec.MsgCancelOrder.decodeCanonical(b),
    signers: (m) => [m.owner],
    validateBasic(m) {
      parseBech32Address(m.owner, ACCOUNT_PREFIX);
      checkNumber(m.subaccountNumber);
      checkRef(m.orderId, m.clientId);
    },
    handle(ctx, m) {
      const r = keeper.cancelOrder(ctx, subaccount(m.owner, m.subaccountNumber), m.orderId, m.clientId);
      return { typeUrl: codec.MsgCancelOrderResponse.typeUrl, value: codec.MsgCancelOrderResponse.encode(r) };
    },
  };
  const cancelAll: MsgRoute<codec.MsgCancelAll> = {
    typeUrl: codec.MsgCancelAll.typeUrl,
    decode: (b) => codec.MsgCancelAll.decodeCanonical(b),
    signers: (m) => [m.owner],
    validateBasic(m) {
      parseBech32Address(m.owner, ACCOUNT_PREFIX);
      checkNumber(m.subaccountNumber);
      if (m.underlying.length > MAX_UNDERLYING_LENGTH) checkUnderlying(m.underlying);
    },
    handle(ctx, m) {
      const n = keeper.cancelAll(ctx, subaccount(m.owner, m.subaccountNumber), { underlying: m.underlying, expiryUnixS: m.expiryUnixS, seriesId: m.seriesId });
      return { typeUrl: codec.MsgCancelAllResponse.typeUrl, value: codec.MsgCancelAllResponse.encode({ cancelled: n }) };
    },
  };
  const amend: MsgRoute<codec.MsgAmendOrder> = {
    typeUrl: codec.MsgAmendOrder.typeUrl,
    decode: (b) => codec.MsgAmendOrder.decodeCanonical(b),
    signers: (m) => [m.owner],
    validateBasic(m) {
      parseBech32Address(m.owner, ACCOUNT_PREFIX);
      checkNumber(m.subaccountNumber);
      checkRef(m.orderId, m.clientId);
      if (m.newSizeContracts === 0n) throw ClobErrors.invalidAmend.with("new_size_contracts must be positive (cancel to remove)");
    },
    handle(ctx, m) {
      const r = keeper.amendOrder(ctx, subaccount(m.owner, m.subaccountNumber), { orderId: m.orderId, clientId: m.clientId, newSizeContracts: m.newSizeContracts, newPriceTicks: m.newPriceTicks });
      return { typeUrl: codec.MsgAmendOrderResponse.typeUrl, value: codec.MsgAmendOrderResponse.encode(r) };
    },
  };
  const batch: MsgRoute<codec.MsgBatch> = {
    typeUrl: codec.MsgBatch.typeUrl,
    decode: (b) => codec.MsgBatch.decodeCanonical(b),
    signers: (m) => [m.owner],
    validateBasic(m) {
      parseBech32Address(m.owner, ACCOUNT_PREFIX);
      checkNumber(m.subaccountNumber);
      const n = m.cancels.length + m.places.length;
      if (n === 0) throw ClobErrors.invalidBatch.with("a batch needs at least one cancel or place");
      if (n > MAX_BATCH_ORDERS_LIMIT) throw ClobErrors.batchTooLarge.with(`${n} items, at most ${MAX_BATCH_ORDERS_LIMIT}`);
    },
    handle(ctx, m) {
      const limit = getClobParams(ctx.store).maxBatchOrders;
      const n = m.cancels.length + m.places.length;
      if (n > limit) throw ClobErrors.batchTooLarge.with(`${n} items, at most ${limit} (param max_batch_orders)`);
      const places = m.places.map((p) => {
        try {
          return parseOrderSpec(p);
        } catch (err) {
          if (err instanceof ChainError) return err;
          throw err;
        }
      });
      const r = keeper.batch(ctx, subaccount(m.owner, m.subaccountNumber), m.cancels, places);
      return { typeUrl: codec.MsgBatchResponse.typeUrl, value: codec.MsgBatchResponse.encode({ cancels: r.cancels.map(itemResult), places: r.places.map(itemResult) }) };
    },
  };
  const setMmp: MsgRoute<codec.MsgSetMmp> = {
    typeUrl: codec.MsgSetMmp.typeUrl,
    decode: (b) => codec.MsgSetMmp.decodeCanonical(b),
    signers: (m) => [m.owner],
    validateBasic(m) {
      parseBech32Address(m.owner, ACCOUNT_PREFIX);
      checkNumber(m.subaccountNumber);
      checkUnderlying(m.underlying);
    },
    handle(ctx, m) {
      keeper.setMmp(ctx, subaccount(m.owner, m.subaccountNumber), m.underlying, {
        windowNs: m.windowNs,
        maxContracts: m.maxContracts,
        maxDeltaMicroUnits: m.maxDeltaMicroUnits,
        maxVegaMicroUsdc: m.maxVegaMicroUsdc,
        freezeNs: m.freezeNs,
      });
      return { typeUrl: codec.MsgSetMmpResponse.typeUrl, value: codec.MsgSetMmpResponse.encode({}) };
    },
  };
  const resetMmp: MsgRoute<codec.MsgResetMmp> = {
    typeUrl: codec.MsgResetMmp.typeUrl,
    decode: (b) => codec.MsgResetMmp.decodeCanonical(b),
    signers: (m) => [m.owner],
    validateBasic(m) {
      parseBech32Address(m.owner, ACCOUNT_PREFIX);
      checkNumber(m.subaccountNumber);
      checkUnderlying(m.underlying);
    },
    handle(ctx, m) {
      keeper.resetMmp(ctx, subaccount(m.owner, m.subaccountNumber), m.underlying);
      return { typeUrl: codec.MsgResetMmpResponse.typeUrl, value: codec.MsgResetMmpResponse.encode({}) };
    },
  };
  return [place, cancel, cancelAll, amend, batch, setMmp, resetMmp] as MsgRoute<unknown>[];
}

export const CLOB_MSG_TYPE_URLS = {
  placeOrder: codec.MsgPlaceOrder.typeUrl,
  cancelOrder: codec.MsgCancelOrder.typeUrl,
  cancelAll: codec.MsgCancelAll.typeUrl,
  amendOrder: codec.MsgAmendOrder.typeUrl,
  batch: codec.MsgBatch.typeUrl,
  setMmp: codec.MsgSetMmp.typeUrl,
  resetMmp: codec.MsgResetMmp.typeUrl,
} as const;
