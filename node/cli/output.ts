/** Printing helpers: JSON for scripts (--output json) and aligned "label: value" text for people. */
import { toBase64 } from "@cosmjs/encoding";
import type { TextSink } from "./command.js";

/** JSON with bigints as decimal strings and byte arrays as base64, two-space indented, one trailing newline. */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(
      value,
      (_key, v: unknown) => {
        if (typeof v === "bigint") return v.toString();
        if (v instanceof Uint8Array) return toBase64(v);
        return v;
      },
      2,
    ) + "\n"
  );
}

export function printJson(out: TextSink, value: unknown): void {
  out.write(toJson(value));
}

export type Field = readonly [label: string, value: string | number | bigint | boolean];

/** Aligned "label: value" lines. */
export function formatFields(fields: readonly Field[], indent = ""): string {
  if (fields.length === 0) return "";
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  return fields.map(([label, value]) => `${indent}${`${label}:`.padEnd(width)} ${String(value)}`).join("\n") + "\n";
}

export function printFields(out: TextSink, fields: readonly Field[], indent = ""): void {
  out.write(formatFields(fields, indent));
}

/** A plain table with a header row; columns padded to the widest cell. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

/** "100uusdc,5uvanna", or "(none)" for an empty list. */
export function formatCoinList(coins: ReadonlyArray<{ denom: string; amount: string }>): string {
  return coins.length === 0 ? "(none)" : coins.map((c) => `${c.amount}${c.denom}`).join(",");
}
