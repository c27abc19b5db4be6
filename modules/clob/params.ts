import type { KVReader, KVStore } from "../../src/store/types.js";
import { ParamsProto } from "./codec.js";
import { ClobKeys } from "./keys.js";

/**
 * Fees are ppm of the premium, rounded UP to the next micro-USDC (never in the trader's favour, so the pool
 * never pays out rounding). The taker fee of a fill is capped at takerFeeCapNotionalPpm of the underlying
 * notional (spot × contract size × contracts), also rounded up; a cap of 0 means no cap.
 */
export interface ClobParams {
  makerFeePpm: bigint;
  takerFeePpm: bigint;
  takerFeeCapNotionalPpm: bigint;
  maxBatchOrders: number;
  maxOpenOrdersPerSubaccount: number;
}

export const DEFAULT_CLOB_PARAMS: ClobParams = {
  makerFeePpm: 1_000n,
  takerFeePpm: 3_000n,
  takerFeeCapNotionalPpm: 300n,
  maxBatchOrders: 500,
  maxOpenOrdersPerSubaccount: 2_000,
};

/** Hard bounds checked at genesis (a fee of 100% or a batch beyond this would be a misconfiguration). */
export const MAX_FEE_PPM = 1_000_000n;
export const MAX_BATCH_ORDERS_LIMIT = 10_000;

let cached: { raw: Uint8Array; params: ClobParams } | undefined;

export function getClobParams(store: KVReader): ClobParams {
  const raw = store.get(ClobKeys.params);
  if (raw === undefined) return DEFAULT_CLOB_PARAMS;
  // Params are read by every message: decode once per distinct value.
  if (cached !== undefined && cached.raw.length === raw.length && Buffer.compare(Buffer.from(cached.raw), Buffer.from(raw)) === 0) return cached.params;
  const params = ParamsProto.decode(raw);
  cached = { raw: raw.slice(), params };
  return params;
}

export function setClobParams(store: KVStore, params: ClobParams): void {
  store.set(ClobKeys.params, ParamsProto.encode(params));
}

export function validateClobParams(p: ClobParams): string | undefined {
  if (p.makerFeePpm < 0n || p.makerFeePpm > MAX_FEE_PPM) return "maker_fee_ppm must be in 0..1000000";
  if (p.takerFeePpm < 0n || p.takerFeePpm > MAX_FEE_PPM) return "taker_fee_ppm must be in 0..1000000";
  if (p.takerFeeCapNotionalPpm < 0n || p.takerFeeCapNotionalPpm > MAX_FEE_PPM) return "taker_fee_cap_notional_ppm must be in 0..1000000";
  if (!Number.isInteger(p.maxBatchOrders) || p.maxBatchOrders < 1 || p.maxBatchOrders > MAX_BATCH_ORDERS_LIMIT) return `max_batch_orders must be in 1..${MAX_BATCH_ORDERS_LIMIT}`;
  if (!Number.isInteger(p.maxOpenOrdersPerSubaccount) || p.maxOpenOrdersPerSubaccount < 1) return "max_open_orders_per_subaccount must be positive";
  return undefined;
}
