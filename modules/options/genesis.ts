/**
 * Options genesis in proto-JSON style (snake_case; 64-bit integers as strings; kinds "call"/"put" and statuses
 * "active"/"close_only"/"settled"): params, every series, settlements, shortfall claims, the next series id and
 * the series waiting for a settlement price. Indexes are rebuilt on import; the block time starts at genesis time.
 */
import type { Context } from "../../src/app/context.js";
import { arr, bool, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import { ACCOUNT_PREFIX, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import { ChainError } from "../../src/errors.js";
import type { OptionsKeeper } from "./keeper.js";
import { DEFAULT_OPTIONS_PARAMS, setOptionsParams, validateOptionsParams } from "./params.js";
import type { OptionKind, OptionsParams, Series, SeriesStatus, SettlementRecord, ShortfallClaim, UnderlyingParams } from "./types.js";

export interface OptionsGenesis {
  params: OptionsParams;
  series: Series[];
  settlements: SettlementRecord[];
  shortfallClaims: ShortfallClaim[];
  nextSeriesId: bigint;
  expiredSeriesIds: bigint[];
}

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U32 = 0xffff_ffff;

function u64(v: unknown, path: string, fallback?: bigint): bigint {
  const x = uint(v, path, fallback);
  if (x > MAX_U64) throw new GenesisError(`${path}: above uint64`);
  return x;
}

function i64(v: unknown, path: string, fallback = 0n): bigint {
  if (v === undefined) return fallback;
  const text = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : str(v, path);
  if (!/^-?(0|[1-9][0-9]*)$/.test(text) || text === "-0") throw new GenesisError(`${path}: expected an integer string`);
  const x = BigInt(text);
  if (x < -(1n << 63n) || x >= 1n << 63n) throw new GenesisError(`${path}: out of int64 range`);
  return x;
}

function u32(v: unknown, path: string, fallback?: number): number {
  const x = uint(v, path, fallback === undefined ? undefined : BigInt(fallback));
  if (x > BigInt(MAX_U32)) throw new GenesisError(`${path}: above uint32`);
  return Number(x);
}

function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  const s = str(v, path);
  if (!(values as readonly string[]).includes(s)) throw new GenesisError(`${path}: expected one of ${values.join(", ")}`);
  return s as T;
}

function parseUnderlying(v: unknown, path: string): UnderlyingParams {
  const o = obj(v, path);
  return {
    symbol: str(o.symbol, `${path}.symbol`),
    contractSizePpm: u64(o.contract_size_ppm, `${path}.contract_size_ppm`),
    tickSizeMicroUsdc: u64(o.tick_size_micro_usdc, `${path}.tick_size_micro_usdc`),
    minSizeContracts: u64(o.min_size_contracts, `${path}.min_size_contracts`),
    maxOrderSizeContracts: u64(o.max_order_size_contracts, `${path}.max_order_size_contracts`),
    maxPriceTicks: u64(o.max_price_ticks, `${path}.max_price_ticks`),
    strikeStepMicroUsd: u64(o.strike_step_micro_usd, `${path}.strike_step_micro_usd`),
    strikesEachSide: u32(o.strikes_each_side, `${path}.strikes_each_side`),
    dailyExpiries: u32(o.daily_expiries, `${path}.daily_expiries`, 0),
    weeklyExpiries: u32(o.weekly_expiries, `${path}.weekly_expiries`, 0),
    monthlyExpiries: u32(o.monthly_expiries, `${path}.monthly_expiries`, 0),
    minTimeToExpiryS: u64(o.min_time_to_expiry_s, `${path}.min_time_to_expiry_s`, 0n),
    maxLiveSeries: u32(o.max_live_series, `${path}.max_live_series`),
    autoList: bool(o.auto_list, `${path}.auto_list`, true),
  };
}

export function parseOptionsParams(v: unknown, path = "options.params"): OptionsParams {
  const o = obj(v, path);
  const params: OptionsParams = {
    authority: str(o.authority, `${path}.authority`),
    underlyings: arr(o.underlyings, `${path}.underlyings`).map((u, i) => parseUnderlying(u, `${path}.underlyings[${i}]`)),
    settlementTwapWindowNs: u64(o.settlement_twap_window_ns, `${path}.settlement_twap_window_ns`),
    authorityMinTimeToExpiryS: u64(o.authority_min_time_to_expiry_s, `${path}.authority_min_time_to_expiry_s`, DEFAULT_OPTIONS_PARAMS.authorityMinTimeToExpiryS),
  };
  try {
    validateOptionsParams(params);
  } catch (err) {
    throw new GenesisError(`${path}: ${err instanceof ChainError ? err.message : String(err)}`);
  }
  return params;
}

export function optionsParamsToJson(p: OptionsParams): JsonObject {
  return {
    authority: p.authority,
    underlyings: p.underlyings.map((u) => ({
      symbol: u.symbol,
      contract_size_ppm: u.contractSizePpm.toString(),
      tick_size_micro_usdc: u.tickSizeMicroUsdc.toString(),
      min_size_contracts: u.minSizeContracts.toString(),
      max_order_size_contracts: u.maxOrderSizeContracts.toString(),
      max_price_ticks: u.maxPriceTicks.toString(),
      strike_step_micro_usd: u.strikeStepMicroUsd.toString(),
      strikes_each_side: u.strikesEachSide,
      daily_expiries: u.dailyExpiries,
      weekly_expiries: u.weeklyExpiries,
      monthly_expiries: u.monthlyExpiries,
      min_time_to_expiry_s: u.minTimeToExpiryS.toString(),
      max_live_series: u.maxLiveSeries,
      auto_list: u.autoList,
    })),
    settlement_twap_window_ns: p.settlementTwapWindowNs.toString(),
    authority_min_time_to_expiry_s: p.authorityMinTimeToExpiryS.toString(),
  };
}

export function defaultOptionsGenesis(): JsonObject {
  return { params: optionsParamsToJson(DEFAULT_OPTIONS_PARAMS), series: [], settlements: [], shortfall_claims: [], next_series_id: "1", expired_series_ids: [] };
}

function parseSeries(v: unknown, path: string): Series {
  const o = obj(v, path);
  const status = oneOf<SeriesStatus>(o.status, `${path}.status`, ["active", "close_only", "settled"]);
  const s: Series = {
    id: u64(o.id, `${path}.id`),
    underlying: str(o.underlying, `${path}.underlying`),
    expiryUnixS: i64(o.expiry_unix_s, `${path}.expiry_unix_s`),
    strikeMicroUsd: u64(o.strike_micro_usd, `${path}.strike_micro_usd`),
    kind: oneOf<OptionKind>(o.kind, `${path}.kind`, ["call", "put"]),
    status,
    listedHeight: i64(o.listed_height, `${path}.listed_height`),
  };
  if (s.expiryUnixS <= 0n) throw new GenesisError(`${path}.expiry_unix_s: must be positive`);
  if (s.strikeMicroUsd <= 0n) throw new GenesisError(`${path}.strike_micro_usd: must be positive`);
  if (status === "settled") {
    s.settlementPriceMicroUsd = u64(o.settlement_price_micro_usd, `${path}.settlement_price_micro_usd`);
    s.settledHeight = i64(o.settled_height, `${path}.settled_height`);
  }
  return s;
}

function signedAmount(v: unknown, path: string): bigint {
  const x = i64(v ?? "0", path);
  if (x < 0n) throw new GenesisError(`${path}: must not be negative`);
  return x;
}

function parseSettlement(v: unknown, path: string): SettlementRecord {
  const o = obj(v, path);
  return {
    seriesId: u64(o.series_id, `${path}.series_id`),
    settlementPriceMicroUsd: u64(o.settlement_price_micro_usd, `${path}.settlement_price_micro_usd`),
    twapStartNs: i64(o.twap_start_ns, `${path}.twap_start_ns`),
    twapEndNs: i64(o.twap_end_ns, `${path}.twap_end_ns`),
    twapSamples: u32(o.twap_samples, `${path}.twap_samples`, 0),
    payoutPerContractMicroUsdc: uint(o.payout_per_contract_micro_usdc ?? "0", `${path}.payout_per_contract_micro_usdc`),
    totalShortfallMicroUsdc: uint(o.total_shortfall_micro_usdc ?? "0", `${path}.total_shortfall_micro_usdc`),
    openInterestContracts: uint(o.open_interest_contracts ?? "0", `${path}.open_interest_contracts`),
    height: i64(o.height, `${path}.height`),
  };
}

function parseClaim(v: unknown, path: string): ShortfallClaim {
  const o = obj(v, path);
  const amount = signedAmount(o.amount_micro_usdc, `${path}.amount_micro_usdc`);
  if (amount === 0n) throw new GenesisError(`${path}.amount_micro_usdc: a claim is never zero`);
  return {
    owner: parseBech32Address(str(o.owner, `${path}.owner`), ACCOUNT_PREFIX),
    subaccountNumber: u32(o.subaccount_number, `${path}.subaccount_number`),
    seriesId: u64(o.series_id, `${path}.series_id`),
    amountMicroUsdc: amount,
  };
}

export function parseOptionsGenesis(json: unknown): OptionsGenesis {
  const g = obj(json ?? {}, "options");
  // Params given in part (e.g. only an authority, as local chains' genesis does) take the defaults for the rest.
  const params = g.params === undefined ? DEFAULT_OPTIONS_PARAMS : parseOptionsParams({ ...optionsParamsToJson(DEFAULT_OPTIONS_PARAMS), ...obj(g.params, "options.params") });
  const series = arr(g.series, "options.series").map((s, i) => parseSeries(s, `options.series[${i}]`));
  const settlements = arr(g.settlements, "options.settlements").map((s, i) => parseSettlement(s, `options.settlements[${i}]`));
  const shortfallClaims = arr(g.shortfall_claims, "options.shortfall_claims").map((c, i) => {
    try {
      return parseClaim(c, `options.shortfall_claims[${i}]`);
    } catch (err) {
      if (err instanceof GenesisError) throw err;
      throw new GenesisError(`options.shortfall_claims[${i}]: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const nextSeriesId = u64(g.next_series_id, "options.next_series_id", 1n);
  const expiredSeriesIds = arr(g.expired_series_ids, "options.expired_series_ids").map((v, i) => u64(v, `options.expired_series_ids[${i}]`));

  // Ids are 1..next-1, each once, in order; terms are unique; live series trade a configured underlying.
  if (nextSeriesId < 1n) throw new GenesisError("options.next_series_id: must be at least 1");
  if (BigInt(series.length) !== nextSeriesId - 1n) throw new GenesisError(`options: ${series.length} series but next_series_id ${nextSeriesId} (ids must be 1..${nextSeriesId - 1n})`);
  const byId = new Map<bigint, Series>();
  const terms = new Set<string>();
  series.forEach((s, i) => {
    if (s.id !== BigInt(i + 1)) throw new GenesisError(`options.series[${i}]: id ${s.id}, expected ${i + 1} (ids are contiguous and sorted)`);
    byId.set(s.id, s);
    const t = `${s.underlying}|${s.expiryUnixS}|${s.strikeMicroUsd}|${s.kind}`;
    if (terms.has(t)) throw new GenesisError(`options.series[${i}]: duplicate terms ${t}`);
    terms.add(t);
    if (s.status !== "settled" && !params.underlyings.some((u) => u.symbol === s.underlying)) {
      throw new GenesisError(`options.series[${i}]: underlying ${s.underlying} is not in the params`);
    }
  });
  const settledIds = new Set<bigint>();
  settlements.forEach((r, i) => {
    const s = byId.get(r.seriesId);
    if (s === undefined || s.status !== "settled") throw new GenesisError(`options.settlements[${i}]: series ${r.seriesId} is not a settled series`);
    if (settledIds.has(r.seriesId)) throw new GenesisError(`options.settlements[${i}]: duplicate settlement of series ${r.seriesId}`);
    settledIds.add(r.seriesId);
  });
  for (const s of series) if (s.status === "settled" && !settledIds.has(s.id)) throw new GenesisError(`options: settled series ${s.id} has no settlement record`);
  const claimSums = new Map<bigint, bigint>();
  const claimKeys = new Set<string>();
  shortfallClaims.forEach((c, i) => {
    if (!settledIds.has(c.seriesId)) throw new GenesisError(`options.shortfall_claims[${i}]: series ${c.seriesId} is not settled`);
    const k = `${c.seriesId}|${Buffer.from(c.owner).toString("hex")}|${c.subaccountNumber}`;
    if (claimKeys.has(k)) throw new GenesisError(`options.shortfall_claims[${i}]: duplicate claim`);
    claimKeys.add(k);
    claimSums.set(c.seriesId, (claimSums.get(c.seriesId) ?? 0n) + c.amountMicroUsdc);
  });
  for (const r of settlements) {
    const sum = claimSums.get(r.seriesId) ?? 0n;
    // Outstanding claims: the insurance fund may have paid part of the shortfall (x/liquidation).
    if (sum > r.totalShortfallMicroUsdc) throw new GenesisError(`options: claims of series ${r.seriesId} sum to ${sum}, above the shortfall of ${r.totalShortfallMicroUsdc} its settlement records`);
  }
  const pending = new Set<bigint>();
  expiredSeriesIds.forEach((id, i) => {
    const s = byId.get(id);
    if (s === undefined || s.status === "settled") throw new GenesisError(`options.expired_series_ids[${i}]: series ${id} is not an unsettled series`);
    if (pending.has(id)) throw new GenesisError(`options.expired_series_ids[${i}]: duplicate ${id}`);
    pending.add(id);
  });
  return { params, series, settlements, shortfallClaims, nextSeriesId, expiredSeriesIds };
}

export function initOptionsGenesis(ctx: Context, keeper: OptionsKeeper, json: unknown): void {
  const g = parseOptionsGenesis(json);
  setOptionsParams(ctx.store, g.params);
  keeper.setNextSeriesId(ctx.store, g.nextSeriesId);
  for (const s of g.series) keeper.insertSeries(ctx.store, s);
  for (const r of g.settlements) keeper.setSettlement(ctx.store, r);
  for (const c of g.shortfallClaims) keeper.addClaim(ctx.store, c);
  for (const id of g.expiredSeriesIds) keeper.markExpiredPending(ctx.store, id);
}

export function exportOptionsGenesis(ctx: Context, keeper: OptionsKeeper): JsonObject {
  const series = [...keeper.iterateSeries(ctx.store)].map((s) => ({
    id: s.id.toString(),
    underlying: s.underlying,
    expiry_unix_s: s.expiryUnixS.toString(),
    strike_micro_usd: s.strikeMicroUsd.toString(),
    kind: s.kind,
    status: s.status,
    listed_height: s.listedHeight.toString(),
    ...(s.status === "settled" ? { settlement_price_micro_usd: (s.settlementPriceMicroUsd ?? 0n).toString(), settled_height: (s.settledHeight ?? 0n).toString() } : {}),
  }));
  const settlements = [...keeper.iterateSettlements(ctx.store)].map((r) => ({
    series_id: r.seriesId.toString(),
    settlement_price_micro_usd: r.settlementPriceMicroUsd.toString(),
    twap_start_ns: r.twapStartNs.toString(),
    twap_end_ns: r.twapEndNs.toString(),
    twap_samples: r.twapSamples,
    payout_per_contract_micro_usdc: r.payoutPerContractMicroUsdc.toString(),
    total_shortfall_micro_usdc: r.totalShortfallMicroUsdc.toString(),
    open_interest_contracts: r.openInterestContracts.toString(),
    height: r.height.toString(),
  }));
  const shortfall_claims = [...keeper.iterateClaims(ctx.store)].map((c) => ({
    owner: toBech32Address(ACCOUNT_PREFIX, c.owner),
    subaccount_number: c.subaccountNumber,
    series_id: c.seriesId.toString(),
    amount_micro_usdc: c.amountMicroUsdc.toString(),
  }));
  return {
    params: optionsParamsToJson(keeper.params(ctx.store)),
    series,
    settlements,
    shortfall_claims,
    next_series_id: keeper.nextSeriesId(ctx.store).toString(),
    expired_series_ids: [...keeper.iterateExpiredPending(ctx.store)].map((id) => id.toString()),
  };
}
