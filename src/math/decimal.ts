/**
 * Fixed-point decimals for gas prices (e.g. "0.0025uvanna"): an integer mantissa scaled by 10^18, as the SDK's
 * LegacyDec. Only integer arithmetic is used, with explicit rounding at each call site.
 */
export const DEC_SCALE = 1_000_000_000_000_000_000n;
const DEC_RE = /^(0|[1-9][0-9]{0,40})(\.[0-9]{1,18})?$/;

/** A decimal as an integer number of 1e-18 units. */
export type DecAtto = bigint;

export function parseDec(text: string): DecAtto | undefined {
  if (!DEC_RE.test(text)) return undefined;
  const [whole, frac = ""] = text.split(".");
  const fracDigits = frac.padEnd(18, "0");
  return BigInt(whole ?? "0") * DEC_SCALE + BigInt(fracDigits === "" ? "0" : fracDigits);
}

export function formatDec(value: DecAtto): string {
  const whole = value / DEC_SCALE;
  const frac = (value % DEC_SCALE).toString().padStart(18, "0").replace(/0+$/, "");
  return frac === "" ? whole.toString() : `${whole}.${frac}`;
}

/** ceil(amount * dec): fees the chain requires round up, in the protocol's favour. */
export function mulDecCeil(amount: bigint, dec: DecAtto): bigint {
  const product = amount * dec;
  return (product + DEC_SCALE - 1n) / DEC_SCALE;
}

export interface DecCoin {
  denom: string;
  amount: DecAtto;
}

/** Parses "0.0025uvanna" (a node setting; not consensus data). */
export function parseDecCoin(text: string): DecCoin | undefined {
  const m = /^([0-9.]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(text.trim());
  if (!m) return undefined;
  const amount = parseDec(m[1] ?? "");
  if (amount === undefined) return undefined;
  return { denom: m[2] ?? "", amount };
}
