/** Liquidation params: who may withdraw from the insurance fund, per-block caps, the price band, buffer and fee. */
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { ParamsProto } from "./codec.js";
import { LiquidationErrors } from "./errors.js";
import { LiquidationKeys } from "./keys.js";

export const PPM = 1_000_000n;

export interface LiquidationParams {
  /** bech32; empty: nobody may withdraw. */
  authority: string;
  maxLiquidationsPerBlock: number;
  maxLiquidationOrdersPerBlock: number;
  priceBandPpm: bigint;
  minPriceBandTicks: bigint;
  targetBufferPpm: bigint;
  liquidationFeePpm: bigint;
}

/** The authority defaults to the options authority in local genesis (node/config sets it); none by default. */
export const DEFAULT_LIQUIDATION_PARAMS: LiquidationParams = {
  authority: "",
  maxLiquidationsPerBlock: 20,
  maxLiquidationOrdersPerBlock: 100,
  priceBandPpm: 100_000n, // ±10% of the mark
  minPriceBandTicks: 5n,
  targetBufferPpm: 100_000n, // stop at equity ≥ 1.1 × MM
  liquidationFeePpm: 10_000n, // 1% of the closed premium
};

export function validateLiquidationParams(p: LiquidationParams): void {
  const bad = (why: string) => {
    throw LiquidationErrors.invalidParams.with(why);
  };
  if (p.authority !== "") {
    try {
      parseBech32Address(p.authority, ACCOUNT_PREFIX);
    } catch {
      bad(`authority ${p.authority.slice(0, 80)} is not a bech32 account address`);
    }
  }
  if (!Number.isInteger(p.maxLiquidationsPerBlock) || p.maxLiquidationsPerBlock < 1 || p.maxLiquidationsPerBlock > 10_000) bad("max_liquidations_per_block must be 1..10000");
  if (!Number.isInteger(p.maxLiquidationOrdersPerBlock) || p.maxLiquidationOrdersPerBlock < 1 || p.maxLiquidationOrdersPerBlock > 100_000) bad("max_liquidation_orders_per_block must be 1..100000");
  if (p.priceBandPpm < 0n || p.priceBandPpm > PPM) bad("price_band_ppm must be 0..1000000");
  if (p.minPriceBandTicks < 0n || p.minPriceBandTicks > 1_000_000_000n) bad("min_price_band_ticks must be 0..1e9");
  if (p.priceBandPpm === 0n && p.minPriceBandTicks === 0n) bad("price band is empty (price_band_ppm and min_price_band_ticks both 0)");
  if (p.targetBufferPpm < 0n || p.targetBufferPpm > 10n * PPM) bad("target_buffer_ppm must be 0..10000000");
  if (p.liquidationFeePpm < 0n || p.liquidationFeePpm > 500_000n) bad("liquidation_fee_ppm must be 0..500000");
}

export function paramsToProto(p: LiquidationParams): ParamsProto {
  return { ...p };
}

export function getLiquidationParams(store: KVReader): LiquidationParams {
  const raw = store.get(LiquidationKeys.params);
  if (raw === undefined) return DEFAULT_LIQUIDATION_PARAMS;
  const p = ParamsProto.decode(raw);
  return { ...p };
}

export function setLiquidationParams(store: KVStore, p: LiquidationParams): void {
  validateLiquidationParams(p);
  store.set(LiquidationKeys.params, ParamsProto.encode(paramsToProto(p)));
}
