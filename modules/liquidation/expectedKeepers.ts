/**
 * What liquidation needs from other modules, declared here so it imports none of their internals: bank (the
 * fund's balance), subaccounts (reads and the one way to move collateral and positions), margin (equity, MM and
 * the per-position breakdown), options (series, underlyings, marks, staleness, shortfall claims), clob
 * (cancel-all and protocol liquidation orders) and auth (the module account exists from genesis).
 */
import type { Context } from "../../src/app/context.js";
import type { Coin } from "../../src/math/coins.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import type { ApplyOptions, Position, Subaccount, SubaccountId, SubaccountUpdate } from "../subaccounts/index.js";

export interface BankKeeper {
  getBalance(store: KVReader, address: Uint8Array, denom: string): bigint;
  getSupply(store: KVReader, denom: string): bigint;
  sendToModule(ctx: Context, from: Uint8Array, moduleName: string, coins: readonly Coin[]): void;
  sendFromModule(ctx: Context, moduleName: string, to: Uint8Array, coins: readonly Coin[]): void;
  isBlockedRecipient(store: KVReader, address: Uint8Array): boolean;
}

export interface AccountKeeper {
  ensureModuleAccount(store: KVStore, name: string, permissions?: string[]): { addressBytes: Uint8Array };
}

export interface SubaccountsKeeper {
  get(store: KVReader, id: SubaccountId): Subaccount;
  collateral(store: KVReader, id: SubaccountId): bigint;
  positions(store: KVReader, id: SubaccountId): Position[];
  position(store: KVReader, id: SubaccountId, instrumentId: bigint): Position | undefined;
  holders(store: KVReader, instrumentId: bigint): IterableIterator<SubaccountId>;
  iterateSubaccounts(store: KVReader, owner?: Uint8Array): IterableIterator<Subaccount>;
  iteratePositions(store: KVReader): IterableIterator<{ id: SubaccountId; position: Position }>;
  applyUpdates(ctx: Context, updates: readonly SubaccountUpdate[], opts: ApplyOptions): unknown;
  moduleBalance(store: KVReader): bigint;
}

/** The margin numbers of a subaccount as margin reports them (MarginReport, the fields used here). */
export interface MarginReportView {
  equityMicroUsdc: bigint;
  maintenanceMarginMicroUsdc: bigint;
  positions: ReadonlyArray<{ seriesId: bigint; sizeContracts: bigint; markMicroUsdc: bigint; valueMicroUsdc: bigint; maintenanceMarginMicroUsdc: bigint }>;
  unpricedSeriesIds: readonly bigint[];
}

/** Equity and MM (positions only, the subaccount's mode) of one subaccount, as margin's AccountHealth. */
export interface AccountHealthView {
  equityMicroUsdc: bigint;
  maintenanceMarginMicroUsdc: bigint;
  unpricedSeriesIds: readonly bigint[];
}

/** One block's evaluations: every series priced once for all accounts (margin's HealthScan). */
export interface HealthScanView {
  health(subaccount: Subaccount): AccountHealthView;
  /** The priced positions in series order, as report().positions lists them. */
  lines(subaccount: Subaccount): MarginReportView["positions"];
}

export interface MarginKeeper {
  /** Valid while prices and params do not change: one block's scan. */
  healthScan(store: KVReader, nowNs: bigint): HealthScanView;
  report(store: KVReader, subaccount: SubaccountId | Subaccount, nowNs: bigint): MarginReportView;
  /** Positions only, under the subaccount's margin mode (standard or portfolio). */
  maintenanceMarginOf(store: KVReader, subaccount: SubaccountId | Subaccount, nowNs: bigint): bigint;
}

export interface SeriesView {
  id: bigint;
  underlying: string;
  status: "active" | "close_only" | "settled";
  expiryUnixS: bigint;
}

export interface UnderlyingView {
  contractSizePpm: bigint;
  tickSizeMicroUsdc: bigint;
  minSizeContracts: bigint;
  maxOrderSizeContracts: bigint;
  maxPriceTicks: bigint;
}

export interface ShortfallClaimView {
  owner: Uint8Array;
  subaccountNumber: number;
  seriesId: bigint;
  amountMicroUsdc: bigint;
}

export interface OptionsKeeper {
  series(store: KVReader, seriesId: bigint): SeriesView | undefined;
  underlying(store: KVReader, symbol: string): UnderlyingView | undefined;
  isStale(store: KVReader, underlying: string, nowNs: bigint): boolean;
  iterateClaims(store: KVReader, seriesId?: bigint): IterableIterator<ShortfallClaimView>;
  /** Lowers an outstanding shortfall claim by what the insurance fund paid (removing it when fully paid). */
  payClaim(store: KVStore, seriesId: bigint, owner: Uint8Array, subaccountNumber: number, paidMicroUsdc: bigint): void;
}

export interface LiquidationOrderResult {
  orderId: bigint;
  filledContracts: bigint;
  /** Σ price × size of the fills (premium, unsigned). */
  premiumMicroUsdc: bigint;
}

export interface ClobKeeper {
  cancelAllOf(ctx: Context, subaccount: SubaccountId, reason: string): number;
  /** IOC, reduce-only, no margin gate, no staleness or MMP gating; fills at makers' prices; no taker fee. */
  placeLiquidationOrder(ctx: Context, subaccount: SubaccountId, seriesId: bigint, side: "buy" | "sell", sizeContracts: bigint, limitPriceTicks: bigint): LiquidationOrderResult;
}

export type Lazy<T> = T | (() => T);

export function resolve<T extends object>(dep: Lazy<T>): T {
  return typeof dep === "function" ? (dep as () => T)() : dep;
}
