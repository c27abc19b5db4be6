/** RFC 3339 with nanoseconds, to and from bigint nanoseconds since the Unix epoch (Date has only ms). */
const RFC3339_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export function parseRfc3339Ns(text: string): bigint {
  const m = RFC3339_RE.exec(text);
  if (!m) throw new Error(`invalid RFC 3339 time "${text}"`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new Error(`invalid RFC 3339 time "${text}"`);
  const fraction = BigInt((m[2] ?? "").padEnd(9, "0") || "0");
  return BigInt(ms) * 1_000_000n + fraction;
}

/** UTC, always 9 fractional digits, as CometBFT prints block times. */
export function formatRfc3339Ns(ns: bigint): string {
  const seconds = (ns >= 0n ? ns : ns - 999_999_999n) / 1_000_000_000n;
  const fraction = ns - seconds * 1_000_000_000n;
  const base = new Date(Number(seconds * 1000n)).toISOString().slice(0, 19);
  return `${base}.${fraction.toString().padStart(9, "0")}Z`;
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
