/**
 * Exact conversions between what people type ("12.34" USDC, "100000" USD strikes, "2026-01-30") and the chain's
 * integer units (uusdc, price ticks, micro-USD, Unix seconds). Never via floating point: decimals are parsed
 * digit by digit, and a value that does not land exactly on a unit (or tick) is refused, not rounded.
 */

export class InputError extends Error {
  override readonly name = "InputError";
}

const DECIMAL_RE = /^([0-9]+)(?:\.([0-9]+))?$/;

/** "12.34" with `decimals` 6 -> 12_340_000n. Non-negative; at most `decimals` fraction digits. */
export function parseDecimalUnits(text: string, decimals: number, what = "amount"): bigint {
  const m = DECIMAL_RE.exec(text);
  if (m === null) throw new InputError(`invalid ${what} "${text}": expected a decimal number such as 12.34`);
  const whole = m[1] ?? "0";
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) throw new InputError(`invalid ${what} "${text}": at most ${decimals} decimal places`);
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/** Micro-units as a decimal string without trailing zeros: 12_340_000n -> "12.34", -5n -> "-0.000005". */
export function formatMicro(micro: bigint, decimals = 6): string {
  const negative = micro < 0n;
  const abs = negative ? -micro : micro;
  const scale = 10n ** BigInt(decimals);
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / scale}${fraction === "" ? "" : `.${fraction}`}`;
}

/** A USDC amount ("12.34") in uusdc. */
export const parseUsdc = (text: string, what = "USDC amount"): bigint => parseDecimalUnits(text, 6, what);
/** A USD price or strike ("100000", "2450.5") in micro-USD per whole unit of the underlying. */
export const parseUsd = (text: string, what = "USD price"): bigint => parseDecimalUnits(text, 6, what);

/** A premium per contract in USDC as price ticks; refuses prices that are not a whole number of ticks. */
export function priceToTicks(text: string, tickSizeMicroUsdc: bigint): bigint {
  if (tickSizeMicroUsdc <= 0n) throw new InputError(`tick size ${tickSizeMicroUsdc} is not positive`);
  const micro = parseUsdc(text, "price");
  if (micro % tickSizeMicroUsdc !== 0n) {
    const below = (micro / tickSizeMicroUsdc) * tickSizeMicroUsdc;
    throw new InputError(
      `price ${text} USDC is not on the tick of ${formatMicro(tickSizeMicroUsdc)} USDC (nearest: ${formatMicro(below)} or ${formatMicro(below + tickSizeMicroUsdc)})`,
    );
  }
  return micro / tickSizeMicroUsdc;
}

/** Price ticks as a USDC premium per contract: 247n ticks of 50_000 uusdc -> "12.35". */
export const ticksToUsdc = (ticks: bigint, tickSizeMicroUsdc: bigint): string => formatMicro(ticks * tickSizeMicroUsdc);

// ---- dates and series names ----

/** 08:00 UTC: the expiry time of every listed series (options calendar). */
export const EXPIRY_SECOND_OF_DAY = 8n * 3600n;

/** "20260130" of a Unix time (UTC). */
export function yyyymmdd(unixS: bigint): string {
  const d = new Date(Number(unixS) * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

/** "2026-01-30", "20260130" (08:00 UTC that day) or Unix seconds as Unix seconds. */
export function parseExpiry(text: string): bigint {
  if (/^[0-9]{9,11}$/.test(text)) return BigInt(text);
  const m = /^([0-9]{4})-?([0-9]{2})-?([0-9]{2})$/.exec(text);
  if (m === null) throw new InputError(`invalid expiry "${text}": expected YYYY-MM-DD, YYYYMMDD or Unix seconds`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new InputError(`invalid expiry "${text}": no such date`);
  }
  return BigInt(ms / 1000) + EXPIRY_SECOND_OF_DAY;
}

export interface SeriesNameParts {
  underlying: string;
  /** UTC date "YYYYMMDD" of the expiry. */
  date: string;
  strikeMicroUsd: bigint;
  kind: "call" | "put";
}

/** "BTC-20260130-100000-C": underlying, expiry date (UTC), strike in USD, C or P. */
export function seriesName(s: { underlying: string; expiryUnixS: bigint; strikeMicroUsd: bigint; kind: "call" | "put" }): string {
  return `${s.underlying}-${yyyymmdd(s.expiryUnixS)}-${formatMicro(s.strikeMicroUsd)}-${s.kind === "call" ? "C" : "P"}`;
}

/** Parses a series name; undefined when `text` does not look like one (e.g. a numeric id). */
export function parseSeriesName(text: string): SeriesNameParts | undefined {
  const m = /^([A-Z][A-Z0-9]{0,15})-([0-9]{8})-([0-9]+(?:\.[0-9]+)?)-([CP])$/i.exec(text);
  if (m === null) return undefined;
  parseExpiry(m[2] ?? ""); // validates the date
  return { underlying: (m[1] ?? "").toUpperCase(), date: m[2] ?? "", strikeMicroUsd: parseUsd(m[3] ?? "", "strike"), kind: m[4]?.toUpperCase() === "C" ? "call" : "put" };
}
