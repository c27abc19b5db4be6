/**
 * The command model of the `vanna` CLI: every command (ours and the node commands in ./commands/node.ts) is a
 * CommandSpec with a path (["keys", "add"]), declared positional arguments and options, and a run function.
 * Groups ("keys", "tx bank") are implied by the paths.
 */
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { ParsedArgs, ParsedOptions } from "./args.js";

export type OptionType = "string" | "int" | "bool";
export type OptionValue = string | number | boolean;

export interface OptionSpec {
  /** Long name without the leading "--", e.g. "home". */
  readonly name: string;
  /** Optional one-letter alias used as "-x". */
  readonly short?: string;
  readonly type: OptionType;
  readonly description: string;
  /** Must match `type`; shown in help. */
  readonly default?: OptionValue;
  readonly required?: boolean;
  /** May be given more than once; values accumulate. Otherwise a second occurrence is an error. */
  readonly repeated?: boolean;
  /** Allowed values (string options only). */
  readonly choices?: readonly string[];
  /** Inclusive bounds (int options only). */
  readonly min?: number;
  readonly max?: number;
  /** Placeholder in help, e.g. "DIR" in "--home DIR". */
  readonly valueName?: string;
}

export interface ArgSpec {
  /** Shown in usage, conventionally upper case: "NAME". */
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
  /** Only the last argument may be variadic; it collects the rest. */
  readonly variadic?: boolean;
}

/** Where a command writes and reads. Tests pass in-memory sinks; main passes process streams. */
export interface TextSink {
  write(chunk: string): unknown;
}

export interface InputSource extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin?: InputSource;
}

export interface CommandContext {
  readonly command: CommandSpec;
  readonly args: ParsedArgs;
  readonly opts: ParsedOptions;
  readonly io: CliIo;
}

export interface CommandSpec {
  readonly path: readonly string[];
  /** One line, shown in group listings. */
  readonly summary: string;
  /** Longer text shown in the command's own help. */
  readonly description?: string;
  readonly args?: readonly ArgSpec[];
  readonly options?: readonly OptionSpec[];
  /** Full command lines, e.g. "vanna keys add alice". */
  readonly examples?: readonly string[];
  /** Returns the exit code (undefined = 0). Throw UsageError / CliError for user errors. */
  run(ctx: CommandContext): Promise<number | void>;
}

/** A mistake in the command line: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A user-facing failure (bad input value, unreachable node, failed tx): one line on stderr, exit code 1. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const DEFAULT_HOME = "~/.vanna";
export const DEFAULT_NODE_URL = "http://127.0.0.1:26657";
export const DEFAULT_GAS_PRICE = "0.0025uvanna";
export const DEFAULT_GAS_ADJUSTMENT = "1.4";
export const FEE_DENOM = "uvanna";

// Shared option declarations, so every command spells and documents them the same way.
export const homeOption: OptionSpec = {
  name: "home",
  type: "string",
  valueName: "DIR",
  default: DEFAULT_HOME,
  description: "directory for config, data and keys",
};

export const nodeOption: OptionSpec = {
  name: "node",
  type: "string",
  valueName: "URL",
  default: DEFAULT_NODE_URL,
  description: "RPC endpoint of the node (http://, https://, ws://, wss:// or tcp://)",
};

export const outputOption: OptionSpec = {
  name: "output",
  short: "o",
  type: "string",
  valueName: "FORMAT",
  default: "text",
  choices: ["text", "json"],
  description: "output format",
};

export const chainIdOption: OptionSpec = {
  name: "chain-id",
  type: "string",
  valueName: "ID",
  description: "chain id to sign for (default: the node's network from `status`)",
};

export const keyringBackendOption: OptionSpec = {
  name: "keyring-backend",
  type: "string",
  valueName: "BACKEND",
  choices: ["file", "test"],
  description:
    'where keys live: "file" (encrypted with a passphrase) or "test" (UNENCRYPTED, INSECURE: dev/test only); ' +
    "default: $VANNA_KEYRING_BACKEND or file",
};

export const keyringPassphraseOption: OptionSpec = {
  name: "keyring-passphrase",
  type: "string",
  valueName: "PASS",
  description:
    "passphrase of the file keyring (visible to other users in the process list; prefer " +
    "$VANNA_KEYRING_PASSPHRASE or the interactive prompt)",
};

export const keyringOptions: readonly OptionSpec[] = [homeOption, keyringBackendOption, keyringPassphraseOption];

/** The home directory of a command, with "~" expanded against $HOME. */
export function resolveHome(ctx: CommandContext): string {
  return expandPath(ctx.opts.string("home") ?? DEFAULT_HOME, ctx.io.env);
}

export function expandPath(path: string, env: CliIo["env"]): string {
  if (path === "") throw new UsageError("--home must not be empty");
  const home = env["HOME"] || homedir();
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(path);
}

/** The --output choice of a command that declares outputOption. */
export function outputFormat(ctx: CommandContext): "text" | "json" {
  return ctx.opts.string("output") === "json" ? "json" : "text";
}
