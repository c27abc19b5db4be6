/**
 * What the CLOB needs from other modules, declared here so that it imports none of them: the options module
 * (series, underlying parameters, marks, staleness, block time), the margin gate (orders are accepted only if
 * their worst case is covered), subaccounts (positions, and the one way to move collateral: applyUpdates) and
 * auth (the fee pool module account exists from genesis). Shapes follow contracts.md; the real keepers satisfy
 * them structurally.
 */
import type { Context } from "../../src/app/context.js";
import type { ChainError } from "../../src/errors.js";
import type { KVReader, KVStore } from "../../src/store/types.js";

export interface SubaccountId {
  owner: Uint8Array;
  number: number;
}

export type SeriesStatus = "active" | "close_only" | "settled";

export interface Series {
  id: bigint;
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: "call" | "put";
  status: SeriesStatus;
}

export interface UnderlyingParams {
  symbol: string;
  contractSizePpm: bigint;
  tickSizeMicroUsdc: bigint;
  minSizeContracts: bigint;
  maxOrderSizeContracts: bigint;
  maxPriceTicks: bigint;
}

/** The parts of a series mark the CLOB uses: spot (fee cap) and per-contract greeks (MMP). */
export interface SeriesMark {
  spotMicroUsd: bigint;
  /** BS delta × 1e6 of one unit of the underlying (per contract: × contractSizePpm / 1e6). */
  deltaPpm: bigint;
  /** Vega of one contract, micro-USDC per vol point (absent: MMP vega limits see 0). */
  vegaMicroUsdcPerVolPoint?: bigint;
}

export interface OptionsReader {
  series(store: KVReader, seriesId: bigint): Series | undefined;
  underlying(store: KVReader, symbol: string): UnderlyingParams | undefined;
  mark(store: KVReader, seriesId: bigint, nowNs: bigint): SeriesMark | undefined;
  isStale(store: KVReader, underlying: string, nowNs: bigint): boolean;
}

export interface NewOrderRisk {
  seriesId: bigint;
  side: "buy" | "sell";
  priceTicks: bigint;
  sizeContracts: bigint;
  reduceOnly: boolean;
}

export interface OrderMarginSession {
  tryAdd(order: NewOrderRisk): ChainError | undefined;
  remove(order: NewOrderRisk): void;
}

export interface MarginGate {
  openSession(store: KVReader, subaccount: SubaccountId, nowNs: bigint): OrderMarginSession;
}

/** No margin module wired (tests, early genesis): every order is accepted. */
export const NO_MARGIN_GATE: MarginGate = {
  openSession: () => ({ tryAdd: () => undefined, remove: () => undefined }),
};

export interface PositionDelta {
  instrumentId: bigint;
  sizeDelta: bigint;
  costBasisDelta?: bigint;
}

export interface SubaccountUpdate {
  id: SubaccountId;
  collateralDelta: bigint;
  positionDeltas: PositionDelta[];
}

export interface SubaccountsKeeper {
  position(store: KVReader, id: SubaccountId, instrumentId: bigint): { sizeContracts: bigint; costBasisMicroUsdc: bigint } | undefined;
  applyUpdates(ctx: Context, updates: readonly SubaccountUpdate[], opts: { kind: "trade"; counterparty?: Uint8Array }): unknown;
  /** Moves the net collateral of body's applyUpdates with `counterparty` (the fee pool) once, at the end. */
  withNettedTransfers?<T>(ctx: Context, counterparty: Uint8Array, body: () => T): T;
}

export interface AccountKeeper {
  ensureModuleAccount(store: KVStore, name: string, permissions?: string[]): { addressBytes: Uint8Array };
}
