/** Strict decimal parsing into integer units (no floating point on the way). */

const DECIMAL_RE = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
const MAX_I63 = (1n << 63n) - 1n;

/**
 * Parses "60000.5" (or the JSON number 60000.5) into units of 10^-decimals: parseDecimalUnits("60000.5", 6)
 * = 60000500000n. A JSON number is read through its shortest round-trip text (String(n)), which is the
 * literal the operator wrote for any number with at most 15 significant digits. Rejected: more fractional
 * digits than `decimals`, exponents, leading zeros, "+", ".5", "5.", whitespace, negatives unless allowed,
 * and magnitudes of 2^63 or more.
 */
export function parseDecimalUnits(value: unknown, decimals: number, opts: { allowNegative?: boolean } = {}): bigint {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
  else throw new Error("expected a decimal number or string");
  const m = DECIMAL_RE.exec(text);
  if (m === null) throw new Error(`"${text.slice(0, 40)}" is not a plain decimal`);
  const fraction = m[3] ?? "";
  if (fraction.length > decimals) throw new Error(`"${text.slice(0, 40)}" has more than ${decimals} decimal places`);
  const magnitude = BigInt(m[2]!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  if (magnitude > MAX_I63) throw new Error(`"${text.slice(0, 40)}" is too large`);
  if (m[1] === "-") {
    if (!opts.allowNegative) throw new Error(`"${text.slice(0, 40)}" must not be negative`);
    return -magnitude;
  }
  return magnitude;
}
