/**
 * A small strict command-line parser. Commands declare their options; anything undeclared, a missing value,
 * a repeated non-repeatable flag or a malformed integer is a UsageError (exit 2), never silently ignored.
 *
 * Accepted forms: `--flag value`, `--flag=value`, `-x value` (declared short aliases), boolean `--flag` /
 * `--flag=true|false`, and `--` to end options. Flags may appear before, between or after positionals,
 * but only after the command words (`vanna keys add --recover NAME`).
 */
import { UsageError, type ArgSpec, type CommandSpec, type OptionSpec, type OptionValue } from "./command.js";

export class ParsedOptions {
  constructor(
    private readonly specs: ReadonlyMap<string, OptionSpec>,
    private readonly values: ReadonlyMap<string, readonly OptionValue[]>,
  ) {}

  /** True when the user gave the flag explicitly (defaults do not count). */
  given(name: string): boolean {
    this.spec(name);
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    return this.single(name, "string") as string | undefined;
  }

  requireString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new UsageError(`missing required flag --${name}`);
    return value;
  }

  int(name: string): number | undefined {
    return this.single(name, "int") as number | undefined;
  }

  bool(name: string): boolean {
    return (this.single(name, "bool") as boolean | undefined) ?? false;
  }

  /** All values of a repeated string option, in command-line order (the default when none was given). */
  strings(name: string): string[] {
    return this.list(name, "string") as string[];
  }

  ints(name: string): number[] {
    return this.list(name, "int") as number[];
  }

  private single(name: string, type: OptionSpec["type"]): OptionValue | undefined {
    const spec = this.typed(name, type);
    const values = this.values.get(name);
    return values === undefined ? spec.default : values[values.length - 1];
  }

  private list(name: string, type: OptionSpec["type"]): OptionValue[] {
    const spec = this.typed(name, type);
    const values = this.values.get(name);
    if (values !== undefined) return [...values];
    return spec.default === undefined ? [] : [spec.default];
  }

  private typed(name: string, type: OptionSpec["type"]): OptionSpec {
    const spec = this.spec(name);
    // A wrong accessor is a programming error in the command, not a user error.
    if (spec.type !== type) throw new Error(`option --${name} is declared as ${spec.type}, read as ${type}`);
    return spec;
  }

  private spec(name: string): OptionSpec {
    const spec = this.specs.get(name);
    if (spec === undefined) throw new Error(`option --${name} is not declared by this command`);
    return spec;
  }
}

export class ParsedArgs {
  constructor(
    private readonly specs: readonly ArgSpec[],
    readonly all: readonly string[],
  ) {}

  get(name: string): string | undefined {
    const index = this.indexOf(name);
    return this.all[index];
  }

  require(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw new UsageError(`missing argument ${name}`);
    return value;
  }

  /** The values of a variadic argument (everything from its position on). */
  rest(name: string): string[] {
    return this.all.slice(this.indexOf(name));
  }

  private indexOf(name: string): number {
    const index = this.specs.findIndex((s) => s.name === name);
    if (index < 0) throw new Error(`argument ${name} is not declared by this command`);
    return index;
  }
}

export type Resolution =
  | { kind: "command"; command: CommandSpec; rest: string[] }
  | { kind: "group"; path: string[]; rest: string[] };

/**
 * Finds the command named by the leading words of argv, preferring the longest match. Words that do not
 * continue any known path stop the walk; they are then positionals of a command or an unknown subcommand.
 */
export function resolveCommand(commands: readonly CommandSpec[], argv: readonly string[]): Resolution {
  const path: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i] ?? "";
    if (word.startsWith("-")) break;
    const candidate = [...path, word];
    if (!commands.some((c) => startsWith(c.path, candidate))) break;
    path.push(word);
  }
  const rest = argv.slice(i);
  const exact = commands.find((c) => sameWords(c.path, path));
  if (exact !== undefined) return { kind: "command", command: exact, rest };
  return { kind: "group", path, rest };
}

/** Names directly below `path`: commands and subgroups, sorted. */
export function childrenOf(commands: readonly CommandSpec[], path: readonly string[]): string[] {
  const names = new Set<string>();
  for (const c of commands) {
    if (c.path.length > path.length && startsWith(c.path, path)) names.add(c.path[path.length] ?? "");
  }
  return [...names].sort();
}

/** `--help` or `-h` anywhere before `--` asks for help, whatever else is on the line. */
export function wantsHelp(tokens: readonly string[]): boolean {
  for (const t of tokens) {
    if (t === "--") return false;
    if (t === "--help" || t === "-h") return true;
  }
  return false;
}

export function parseCommandLine(spec: CommandSpec, tokens: readonly string[]): { args: ParsedArgs; opts: ParsedOptions } {
  const options = spec.options ?? [];
  const byName = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const o of options) {
    byName.set(o.name, o);
    if (o.short !== undefined) byShort.set(o.short, o);
  }
  const values = new Map<string, OptionValue[]>();
  const positionals: string[] = [];

  const record = (o: OptionSpec, flag: string, raw: string): void => {
    const previous = values.get(o.name);
    if (previous !== undefined && o.repeated !== true) throw new UsageError(`${flag} was given more than once`);
    const value = convert(o, flag, raw);
    if (previous === undefined) values.set(o.name, [value]);
    else previous.push(value);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    if (token === "--") {
      positionals.push(...tokens.slice(i + 1));
      break;
    }
    let o: OptionSpec | undefined;
    let flag: string;
    let inline: string | undefined;
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? undefined : token.slice(eq + 1);
      flag = `--${name}`;
      if (name === "") throw new UsageError(`malformed flag "${token}"`);
      o = byName.get(name);
      if (o === undefined) throw new UsageError(`unknown flag ${flag}${suggest(name, [...byName.keys()], "--")}`);
    } else if (token.length > 1 && token.startsWith("-") && !/^-[0-9]/.test(token)) {
      flag = token;
      o = token.length === 2 ? byShort.get(token.slice(1)) : undefined;
      if (o === undefined) throw new UsageError(`unknown flag ${token}`);
    } else {
      positionals.push(token);
      continue;
    }

    if (o.type === "bool") {
      record(o, flag, inline ?? "true");
      continue;
    }
    if (inline === undefined) {
      const next = tokens[i + 1];
      // A following flag means the value was forgotten; values that really start with "--" use --flag=value.
      if (next === undefined || (next.startsWith("--") && next.length > 2) || next === "--") {
        throw new UsageError(`flag ${flag} needs a value`);
      }
      inline = next;
      i++;
    }
    record(o, flag, inline);
  }

  for (const o of options) {
    if (o.required === true && !values.has(o.name)) throw new UsageError(`missing required flag --${o.name}`);
  }
  checkPositionals(spec.args ?? [], positionals);
  return { args: new ParsedArgs(spec.args ?? [], positionals), opts: new ParsedOptions(byName, values) };
}

function checkPositionals(specs: readonly ArgSpec[], positionals: readonly string[]): void {
  const last = specs[specs.length - 1];
  const variadic = last?.variadic === true;
  const requiredCount = specs.filter((s) => s.optional !== true).length;
  if (positionals.length < requiredCount) {
    const missing = specs.slice(positionals.length).filter((s) => s.optional !== true);
    throw new UsageError(`missing argument${missing.length > 1 ? "s" : ""} ${missing.map((s) => s.name).join(" ")}`);
  }
  if (!variadic && positionals.length > specs.length) {
    const extra = positionals.slice(specs.length);
    throw new UsageError(`unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((e) => JSON.stringify(e)).join(" ")}`);
  }
}

const INT_RE = /^-?(0|[1-9][0-9]*)$/;

function convert(o: OptionSpec, flag: string, raw: string): OptionValue {
  switch (o.type) {
    case "bool":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw new UsageError(`flag ${flag} takes no value or =true/=false, got "${raw}"`);
    case "int": {
      const value = INT_RE.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(value)) throw new UsageError(`flag ${flag} needs an integer, got "${raw}"`);
      if (o.min !== undefined && value < o.min) throw new UsageError(`flag ${flag} must be at least ${o.min}, got ${value}`);
      if (o.max !== undefined && value > o.max) throw new UsageError(`flag ${flag} must be at most ${o.max}, got ${value}`);
      return value;
    }
    case "string":
      if (o.choices !== undefined && !o.choices.includes(raw)) {
        throw new UsageError(`flag ${flag} must be one of ${o.choices.join(", ")}; got "${raw}"`);
      }
      return raw;
  }
}

/** ", did you mean --xyz?" for a near miss (edit distance at most 2), else "". */
export function suggest(word: string, candidates: readonly string[], prefix = ""): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === undefined ? "" : ` (did you mean ${prefix}${best}?)`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((w, i) => path[i] === w);
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}
