/** The CLOB's public shapes (what other modules see through index.ts). */
import type { Context } from "../../src/app/context.js";
import type { KVReader } from "../../src/store/types.js";
import type { SubaccountId } from "./expectedKeepers.js";

/** The bank module account that receives trading fees. */
export const FEE_POOL_MODULE_ACCOUNT = "clob_fee_pool";

/** Recent fills kept per series and per subaccount (bounded rings). */
export const FILLS_KEPT = 100;

export interface OpenOrder {
  orderId: bigint;
  seriesId: bigint;
  subaccount: SubaccountId;
  side: "buy" | "sell";
  priceTicks: bigint;
  remainingContracts: bigint;
  reduceOnly: boolean;
}

export interface ClobReader {
  /** Open orders of a subaccount, in (seriesId, orderId) order. */
  openOrdersOf(store: KVReader, subaccount: SubaccountId): OpenOrder[];
  /** Subaccounts that have at least one open order, in key order. */
  subaccountsWithOrders(store: KVReader): IterableIterator<SubaccountId>;
  /** Cancels every open order of the subaccount (reason e.g. "margin"), emitting events. */
  cancelAllOf(ctx: Context, subaccount: SubaccountId, reason: string): number;
}

/** Implemented by the CLOB; the options module calls it before settling or delisting a series. */
export interface SeriesLifecycleHooks {
  onSeriesClosing(ctx: Context, seriesId: bigint, reason: "expired" | "delisted"): void;
}

export interface MmpConfig {
  windowNs: bigint;
  maxContracts: bigint;
  maxDeltaMicroUnits: bigint;
  maxVegaMicroUsdc: bigint;
  freezeNs: bigint;
}

export interface MmpState {
  windowStartNs: bigint;
  contracts: bigint;
  deltaMicroUnits: bigint;
  vegaMicroUsdc: bigint;
  frozen: boolean;
  /** 0 while frozen: until MsgResetMmp. */
  frozenUntilNs: bigint;
}
