/**
 * The options module's in-memory shapes (what other modules see through index.ts). Units are in the names:
 * spot and strike in micro-USD per whole unit of the underlying (the oracle's unit), premiums and values in
 * uusdc per contract (1 uusdc = 1 micro-USD), contract size in millionths of one unit per contract, expiries in
 * Unix seconds, times in nanoseconds.
 */
import type { Context } from "../../src/app/context.js";
import type { KVReader } from "../../src/store/types.js";

export type OptionKind = "call" | "put";
/** close_only: delisted, only cancels and reduce-only orders until expiry. settled: archived after expiry. */
export type SeriesStatus = "active" | "close_only" | "settled";

export interface UnderlyingParams {
  /** Oracle symbol, e.g. "BTC"; quoted in uusdc. */
  symbol: string;
  /** Millionths of one unit of the underlying per contract (BTC 10_000 = 0.01 BTC). */
  contractSizePpm: bigint;
  /** Premium step per contract: premium = priceTicks × tickSizeMicroUsdc. */
  tickSizeMicroUsdc: bigint;
  /** The lot: order sizes are multiples of it. */
  minSizeContracts: bigint;
  maxOrderSizeContracts: bigint;
  /** Highest order price in ticks; maxPriceTicks × tick × maxOrderSize fits in int64 (validated). */
  maxPriceTicks: bigint;
  /** Listing grid: strikes are multiples of this (BTC 1,000 USD, ETH 50 USD). */
  strikeStepMicroUsd: bigint;
  /** Auto-listing keeps every grid strike within this many steps of spot listed (both kinds). */
  strikesEachSide: number;
  /** Auto-listing keeps the next N daily / weekly (Friday) / monthly (last Friday) 08:00 UTC expiries listed. */
  dailyExpiries: number;
  weeklyExpiries: number;
  monthlyExpiries: number;
  /** No expiry closer than this to the block time is listed (by policy or by message). */
  minTimeToExpiryS: bigint;
  /** Cap on this underlying's series that are not settled yet. */
  maxLiveSeries: number;
  /** False: only MsgListSeries lists series of this underlying. */
  autoList: boolean;
}

export interface OptionsParams {
  /** bech32 address allowed to list and delist series by message. */
  authority: string;
  /** Sorted by symbol, unique. */
  underlyings: UnderlyingParams[];
  /** Settlement price = oracle TWAP over this window, ending at the expiry. */
  settlementTwapWindowNs: bigint;
  /** MsgListSeries may list an expiry this soon (seconds after the block time); the policy uses minTimeToExpiryS. */
  authorityMinTimeToExpiryS: bigint;
}

export interface Series {
  /** == subaccounts instrumentId; the first series is 1. */
  id: bigint;
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: OptionKind;
  status: SeriesStatus;
  listedHeight: bigint;
  settlementPriceMicroUsd?: bigint;
  settledHeight?: bigint;
}

/**
 * Mark and greeks of a series at `timeNs`. Not stored in state: a pure function of the oracle's price and smile
 * and of the block time, recomputed (and cached in memory) on demand, so it cannot drift from its inputs.
 * - markMicroUsdcPerContract: Black-Scholes premium × contractSizePpm / 1e6, rounded half-even to a uusdc.
 * - deltaPpm: Black-Scholes delta × 1e6, dimensionless, for an option on ONE unit of the underlying (per contract:
 *   × contractSizePpm / 1e6), signed (puts negative). Rounded half-even.
 * - gammaPpb: d(delta)/d(spot in USD) × 1e9, for an option on one unit (as deltaPpm). E.g. BTC at 100,000 USD,
 *   60 % vol, 30 days: gamma ≈ 2.3e-5 per USD → 23_000 ppb. Rounded half-even.
 * - vegaMicroUsdcPerVolPoint: premium change per contract for +1 vol point (0.01), in uusdc, half-even.
 * - thetaMicroUsdcPerDay: premium change per contract over one calendar day (1/365 year), uusdc, half-even;
 *   usually negative.
 */
export interface SeriesMark {
  seriesId: bigint;
  spotMicroUsd: bigint;
  /** The smile's vol at this strike (floored at the oracle's min ATM vol), ppm, half-even. */
  volPpm: bigint;
  markMicroUsdcPerContract: bigint;
  deltaPpm: bigint;
  gammaPpb: bigint;
  vegaMicroUsdcPerVolPoint: bigint;
  thetaMicroUsdcPerDay: bigint;
  timeNs: bigint;
}

export interface SettlementRecord {
  seriesId: bigint;
  settlementPriceMicroUsd: bigint;
  twapStartNs: bigint;
  twapEndNs: bigint;
  twapSamples: number;
  /** floor(intrinsic × contractSizePpm / 1e6): what each long contract is owed and each short contract owes. */
  payoutPerContractMicroUsdc: bigint;
  totalShortfallMicroUsdc: bigint;
  /** Long open interest that was settled. */
  openInterestContracts: bigint;
  height: bigint;
}

export interface ShortfallClaim {
  owner: Uint8Array;
  subaccountNumber: number;
  seriesId: bigint;
  amountMicroUsdc: bigint;
}

export interface OptionsReader {
  series(store: KVReader, seriesId: bigint): Series | undefined;
  underlying(store: KVReader, symbol: string): UnderlyingParams | undefined;
  /** undefined when the oracle has no price or no smile for the series' expiry yet. Deterministic; cached. */
  mark(store: KVReader, seriesId: bigint, nowNs: bigint): SeriesMark | undefined;
  /** Oracle price missing or older than oracle max age: only cancels and reduce-only orders are accepted. */
  isStale(store: KVReader, underlying: string, nowNs: bigint): boolean;
  /** Expiries of the underlying that still have unsettled series, ascending (the oracle feeders quote their smiles). */
  liveExpiries(store: KVReader, underlying: string): bigint[];
}

/** Implemented by clob: options calls it before settling/delisting a series (cancel all resting orders, emit events). */
export interface SeriesLifecycleHooks {
  onSeriesClosing(ctx: Context, seriesId: bigint, reason: "expired" | "delisted"): void;
}

export const NO_HOOKS: SeriesLifecycleHooks = { onSeriesClosing: () => undefined };
