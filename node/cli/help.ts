/** Help and usage text for commands and command groups. */
import { childrenOf } from "./args.js";
import type { CommandSpec, OptionSpec } from "./command.js";

export const BINARY = "vanna";

const HELP_FLAG = "  -h, --help";

/** Short summaries of the groups implied by command paths; unknown groups get a generic line. */
export const GROUP_SUMMARIES: ReadonlyMap<string, string> = new Map([
  ["keys", "manage the local keyring (create, recover, list, show, delete keys)"],
  ["tx", "sign and broadcast transactions"],
  ["tx bank", "bank transactions (send tokens)"],
  ["query", "query chain state through a node"],
  ["query bank", "bank queries (balances)"],
]);

export function usageLine(spec: CommandSpec): string {
  const parts = [BINARY, ...spec.path];
  for (const a of spec.args ?? []) {
    const shown = a.variadic === true ? `${a.name}...` : a.name;
    parts.push(a.optional === true ? `[${shown}]` : shown);
  }
  if ((spec.options ?? []).length > 0) parts.push("[flags]");
  return parts.join(" ");
}

export function commandHelp(spec: CommandSpec): string {
  const lines: string[] = [spec.description ?? spec.summary, "", "Usage:", `  ${usageLine(spec)}`];
  const args = spec.args ?? [];
  if (args.length > 0) {
    lines.push("", "Arguments:");
    const width = Math.max(...args.map((a) => a.name.length));
    for (const a of args) lines.push(`  ${a.name.padEnd(width)}  ${a.description}${a.optional === true ? " (optional)" : ""}`);
  }
  lines.push("", "Flags:");
  const flagLines = (spec.options ?? []).map((o) => [flagLabel(o), optionText(o)] as const);
  const all: Array<readonly [string, string]> = [...flagLines, [HELP_FLAG, "show this help"]];
  const width = Math.max(...all.map(([label]) => label.length));
  for (const [label, text] of all) lines.push(`${label.padEnd(width)}   ${text}`);
  if ((spec.examples ?? []).length > 0) {
    lines.push("", "Examples:");
    for (const e of spec.examples ?? []) lines.push(`  ${e}`);
  }
  return lines.join("\n") + "\n";
}

export function groupHelp(commands: readonly CommandSpec[], path: readonly string[], version: string): string {
  const key = path.join(" ");
  const title =
    path.length === 0 ? `vanna ${version}: node and client for the Vanna options app-chain` : (GROUP_SUMMARIES.get(key) ?? `${key} commands`);
  const lines = [title, "", "Usage:", `  ${[BINARY, ...path, "COMMAND"].join(" ")} [flags]`, "", "Commands:"];
  const rows = childrenOf(commands, path).map((name) => [name, childSummary(commands, [...path, name])] as const);
  if (path.length === 0) rows.push(["help", "show help for a command: vanna help [COMMAND...]"]);
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, summary] of rows) lines.push(`  ${name.padEnd(width)}   ${summary}`);
  lines.push("", "Flags:", `${HELP_FLAG}     show help`);
  if (path.length === 0) lines.push("      --version  print the version");
  lines.push("", `Run '${[BINARY, ...path].join(" ")} COMMAND --help' for details of a command.`);
  return lines.join("\n") + "\n";
}

function childSummary(commands: readonly CommandSpec[], path: readonly string[]): string {
  const exact = commands.find((c) => c.path.length === path.length && c.path.every((w, i) => w === path[i]));
  if (exact !== undefined) return exact.summary;
  return GROUP_SUMMARIES.get(path.join(" ")) ?? `${path.join(" ")} commands`;
}

function flagLabel(o: OptionSpec): string {
  const short = o.short !== undefined ? `  -${o.short}, ` : "      ";
  const value = o.type === "bool" ? "" : ` ${o.valueName ?? (o.type === "int" ? "N" : "VALUE")}`;
  return `${short}--${o.name}${value}`;
}

function optionText(o: OptionSpec): string {
  let text = o.description;
  if (o.choices !== undefined) text += ` (one of: ${o.choices.join(", ")})`;
  if (o.required === true) text += " (required)";
  if (o.repeated === true) text += " (may be repeated)";
  if (o.default !== undefined && o.type !== "bool") text += ` (default ${JSON.stringify(o.default)})`;
  return text;
}
