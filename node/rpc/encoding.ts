/**
 * Primitive encoders/decoders for the CometBFT JSON wire format: hex, base64, decimal int64 strings and
 * RFC 3339 timestamps with nanoseconds. Pure; no I/O.
 */
import type { Bytes } from "../../src/store/types.js";

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Uppercase hex, as CometBFT prints hashes and addresses. */
export function toHexUpper(bytes: Bytes): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex").toUpperCase();
}

export function toHexLower(bytes: Bytes): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Strict hex (either case, even length, no 0x); undefined when invalid. */
export function fromHexStrict(text: string): Bytes | undefined {
  if (!HEX_RE.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "hex"));
}

/** Standard padded base64 (RFC 4648 §4). */
export function toBase64(bytes: Bytes): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Strict padded base64; undefined when invalid (Buffer.from alone silently skips bad characters). */
export function fromBase64Strict(text: string): Bytes | undefined {
  if (!BASE64_RE.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** base64, or null for empty bytes (Go marshals a nil []byte as null). */
export function base64OrNull(bytes: Bytes): string | null {
  return bytes.length === 0 ? null : toBase64(bytes);
}

export function decString(value: bigint | number): string {
  return typeof value === "bigint" ? value.toString(10) : String(Math.trunc(value));
}

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;
// Date handles ±8.64e15 ms; stay within years 0000..9999 so the 4-digit year form is valid RFC 3339.
const MIN_SECONDS = -62_167_219_200n; // 0000-01-01T00:00:00Z
const MAX_SECONDS = 253_402_300_799n; // 9999-12-31T23:59:59Z

/**
 * RFC 3339 UTC with exactly 9 fractional digits, from nanoseconds since the epoch. Seconds go through Date
 * (an integer number of ms, so exact); the nanoseconds are spliced in as text, so nothing is rounded.
 */
export function rfc3339FromNs(timeNs: bigint): string {
  let seconds = timeNs / NS_PER_SECOND;
  let nanos = timeNs % NS_PER_SECOND;
  if (nanos < 0n) {
    nanos += NS_PER_SECOND;
    seconds -= 1n;
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new RangeError(`time out of range: ${timeNs} ns`);
  const iso = new Date(Number(seconds) * 1000).toISOString(); // "YYYY-MM-DDTHH:MM:SS.000Z" (4-digit years here)
  return `${iso.slice(0, 19)}.${nanos.toString().padStart(9, "0")}Z`;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses RFC 3339 (≤ 9 fractional digits) into nanoseconds since the epoch; undefined when invalid. */
export function nsFromRfc3339(text: string): bigint | undefined {
  const m = RFC3339_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (oh * 60 + om) * (m[9] === "-" ? -1 : 1);
  }
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0..99 to 1900..1999; fix that up.
  const fixedMs = year < 100 ? new Date(epochMs).setUTCFullYear(year) : epochMs;
  const fraction = (m[7] ?? "").padEnd(9, "0");
  return (BigInt(fixedMs) - BigInt(offsetMinutes) * 60_000n) * NS_PER_MS + BigInt(fraction);
}

/** Parses a plain date "YYYY-MM-DD" into nanoseconds at midnight UTC. */
export function nsFromDate(text: string): bigint | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  return nsFromRfc3339(`${text}T00:00:00Z`);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
