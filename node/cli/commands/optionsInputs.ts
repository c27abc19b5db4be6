/**
 * Parsing what traders type for `vanna tx|query options …`: integers, subaccounts ("alice/1"), USDC amounts,
 * durations, times, series (an id or a name like BTC-20260130-100000-C) and prices (USDC on the tick, or raw
 * ticks). Everything local is a UsageError; resolving names against the chain happens in resolveSeries.
 */
import type { Coin } from "../../../src/codec/index.js";
import type { OptionsCodec } from "../../client/index.js";
import { InputError, parseExpiry, parseSeriesName, parseUsdc, priceToTicks, type SeriesNameParts, type VannaQueryClient } from "../../client/index.js";
import { CliError, UsageError, type CommandContext, type OptionSpec } from "../command.js";
import { resolveAddress } from "../keyringFlags.js";
import { MAX_SUBACCOUNT_NUMBER } from "../../../modules/subaccounts/index.js";

export { MAX_SUBACCOUNT_NUMBER };

const MAX_U64 = (1n << 64n) - 1n;

/** Runs a parser of node/client/units.ts, turning its InputError into a UsageError. */
export function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.message);
    throw err;
  }
}

/** A non-negative decimal integer (no sign, no leading zeros, no exponent) up to `max`. */
export function parseUint(text: string, what: string, max = MAX_U64): bigint {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) throw new UsageError(`invalid ${what} "${text}": expected a non-negative integer`);
  const v = BigInt(text);
  if (v > max) throw new UsageError(`invalid ${what} "${text}": at most ${max}`);
  return v;
}

export function parsePositive(text: string, what: string, max = MAX_U64): bigint {
  const v = parseUint(text, what, max);
  if (v === 0n) throw new UsageError(`invalid ${what} "${text}": must be positive`);
  return v;
}

/** An underlying symbol as the oracle spells them ("BTC"). */
export function parseSymbol(text: string): string {
  if (!/^[A-Z][A-Z0-9]{0,15}$/.test(text)) throw new UsageError(`invalid underlying "${text}": expected a symbol such as BTC`);
  return text;
}

export const subaccountOption: OptionSpec = {
  name: "subaccount",
  type: "int",
  valueName: "N",
  default: 0,
  min: 0,
  max: MAX_SUBACCOUNT_NUMBER,
  description: "subaccount number of the key",
};

export interface SubaccountRef {
  owner: string;
  number: number;
}

/** "alice", "alice/2", "vanna1…/2": an address (or key name) and a subaccount number (default 0). */
export async function parseSubaccountArg(ctx: CommandContext, text: string): Promise<SubaccountRef> {
  const slash = text.lastIndexOf("/");
  const who = slash < 0 ? text : text.slice(0, slash);
  const number = slash < 0 ? 0 : Number(parseUint(text.slice(slash + 1), "subaccount number", BigInt(MAX_SUBACCOUNT_NUMBER)));
  return { owner: await resolveAddress(ctx, who, "subaccount owner"), number };
}

/** "12.5usdc" (decimal USDC) or "12500000uusdc" (integer uusdc) as a uusdc coin. */
export function parseUsdcAmount(text: string): Coin {
  let micro: bigint;
  const base = /^([0-9]+)uusdc$/.exec(text);
  const whole = /^([0-9]+(?:\.[0-9]+)?)usdc$/i.exec(text);
  if (base !== null) micro = parseUint(base[1] ?? "", "amount");
  else if (whole !== null) micro = usage(() => parseUsdc(whole[1] ?? "", "amount"));
  else throw new UsageError(`invalid amount "${text}": expected e.g. 250usdc, 12.5usdc or 12500000uusdc`);
  if (micro === 0n) throw new UsageError(`invalid amount "${text}": must be positive`);
  return { denom: "uusdc", amount: micro.toString() };
}

const DURATION_UNITS_NS: Record<string, bigint> = { ns: 1n, us: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** "500ms", "10s", "5m", "1h", "1d" or "0" as nanoseconds. */
export function parseDuration(text: string, what: string): bigint {
  if (text === "0") return 0n;
  const m = /^([0-9]+)(ns|us|ms|s|m|h|d)$/.exec(text);
  if (m === null) throw new UsageError(`invalid ${what} "${text}": expected a duration such as 500ms, 10s, 5m, 1h or 0`);
  return BigInt(m[1] ?? "0") * (DURATION_UNITS_NS[m[2] ?? "s"] ?? 1n);
}

/** An RFC 3339 time ("2026-01-30T08:00:00Z") or integer Unix nanoseconds. */
export function parseTimeNs(text: string, what: string): bigint {
  if (/^[0-9]{16,19}$/.test(text)) return BigInt(text);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/.test(text)) {
    throw new UsageError(`invalid ${what} "${text}": expected an RFC 3339 time such as 2026-01-30T08:00:00Z, or Unix nanoseconds`);
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`invalid ${what} "${text}": not a valid time`);
  return BigInt(ms) * 1_000_000n;
}

export const parseExpiryArg = (text: string): bigint => usage(() => parseExpiry(text));

export type SeriesRef = { id: bigint } | { name: string; parts: SeriesNameParts };

/** A series id ("12") or name ("BTC-20260130-100000-C"). */
export function parseSeriesRef(text: string): SeriesRef {
  if (/^[0-9]+$/.test(text)) return { id: parsePositive(text, "series id") };
  const parts = usage(() => parseSeriesName(text));
  if (parts === undefined) throw new UsageError(`invalid series "${text}": expected an id (e.g. 12) or a name such as BTC-20260130-100000-C`);
  return { name: text, parts };
}

/** The answer of a query, or undefined when the node says NotFound. */
export function unlessNotFound<T>(answer: Promise<T>): Promise<T | undefined> {
  return answer.catch((err: unknown) => {
    if (err instanceof Error && /code = NotFound/.test(err.message)) return undefined;
    throw err;
  });
}

/**
 * A CliError with the node's gRPC-style query error ("rpc error: code = NotFound desc = order 9: key not found")
 * as a plain sentence ("order 9 not found"); other errors unchanged.
 */
export function plainQueryError(err: unknown): unknown {
  if (!(err instanceof CliError)) return err;
  const m = /^query failed \(code \d+\): rpc error: code = (\w+) desc = ([\s\S]*?)(?:: key not found|: invalid request)?$/.exec(err.message);
  if (m === null) return err;
  return new CliError(m[1] === "NotFound" ? `${m[2]} not found` : `the node refused the query: ${m[2]}`);
}

/** The series a reference names, from the chain. */
export async function resolveSeries(query: VannaQueryClient, ref: SeriesRef): Promise<OptionsCodec.SeriesProto> {
  if ("id" in ref) {
    const found = await unlessNotFound(query.options.series(ref.id));
    if (found === undefined) throw new CliError(`series ${ref.id} not found`);
    return found;
  }
  const { underlying, strikeMicroUsd, kind } = ref.parts;
  const expiryUnixS = parseExpiry(ref.parts.date);
  const wantKind = kind === "call" ? 1 : 2;
  const list = await query.options.seriesList({ underlying, expiryUnixS, pagination: { key: new Uint8Array(), offset: 0n, limit: 1000n, countTotal: false, reverse: false } });
  const found = list.series.find((s) => s.strikeMicroUsd === strikeMicroUsd && s.kind === wantKind);
  if (found === undefined) throw new CliError(`series ${ref.name} is not listed (see: vanna query options series-list --underlying ${underlying})`);
  return found;
}

/** The trading parameters (tick, lot) of an underlying. */
export async function underlyingParams(query: VannaQueryClient, symbol: string): Promise<OptionsCodec.UnderlyingParamsProto> {
  const found = (await query.options.underlyings()).find((u) => u.symbol === symbol);
  if (found === undefined) throw new CliError(`underlying ${symbol} is not configured in the options module`);
  return found;
}

/** The price flags of a command: exactly one of --price (USDC per contract) and --price-ticks. */
export interface PriceInput {
  usdc?: string;
  ticks?: bigint;
}

export const priceOptions: readonly OptionSpec[] = [
  { name: "price", type: "string", valueName: "USDC", description: "premium per contract in USDC, exactly on the series' tick (e.g. 12.35)" },
  { name: "price-ticks", type: "string", valueName: "N", description: "premium per contract in ticks (instead of --price)" },
];

export function readPriceInput(ctx: CommandContext, required: boolean): PriceInput | undefined {
  const usdcText = ctx.opts.string("price");
  const ticksText = ctx.opts.string("price-ticks");
  if (usdcText !== undefined && ticksText !== undefined) throw new UsageError("--price and --price-ticks are mutually exclusive");
  if (usdcText !== undefined) {
    usage(() => parseUsdc(usdcText, "price")); // syntax now; the tick check needs the chain
    return { usdc: usdcText };
  }
  if (ticksText !== undefined) return { ticks: parsePositive(ticksText, "--price-ticks") };
  if (required) throw new UsageError("give the price: --price USDC or --price-ticks N");
  return undefined;
}

/** The price in ticks, checked against the tick size (refused when off the tick, never rounded). */
export function ticksOf(price: PriceInput, tickSizeMicroUsdc: bigint): bigint {
  if (price.ticks !== undefined) return price.ticks;
  const ticks = usage(() => priceToTicks(price.usdc ?? "", tickSizeMicroUsdc));
  if (ticks === 0n) throw new UsageError("price must be positive");
  return ticks;
}

/** Sizes are whole contracts in multiples of the underlying's lot. */
export function checkLot(sizeContracts: bigint, u: OptionsCodec.UnderlyingParamsProto): void {
  if (u.minSizeContracts > 0n && sizeContracts % u.minSizeContracts !== 0n) {
    throw new UsageError(`size ${sizeContracts} is not a multiple of the ${u.symbol} lot of ${u.minSizeContracts} contracts`);
  }
  if (u.maxOrderSizeContracts > 0n && sizeContracts > u.maxOrderSizeContracts) {
    throw new UsageError(`size ${sizeContracts} is above the ${u.symbol} maximum of ${u.maxOrderSizeContracts} contracts per order`);
  }
}
