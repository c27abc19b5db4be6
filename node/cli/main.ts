#!/usr/bin/env node
/**
 * The `vanna` binary: the command table, dispatch, help, and the mapping of errors to exit codes
 * (0 ok, 1 failure, 2 command-line mistake). `runCli` does all of it in-process so tests need no child process.
 */
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KeyringError, MnemonicError, PromptError } from "../keyring/index.js";
import { parseCommandLine, resolveCommand, suggest, childrenOf, wantsHelp } from "./args.js";
import { CliError, UsageError, type CliIo, type CommandSpec } from "./command.js";
import { keysCommands } from "./commands/keys.js";
import { nodeCommands } from "./commands/node.js";
import { optionsMarketQueryCommands } from "./commands/optionsQuery.js";
import { optionsAccountQueryCommands } from "./commands/optionsQueryAccount.js";
import { optionsAccountTxCommands } from "./commands/optionsTx.js";
import { optionsOrderTxCommands } from "./commands/optionsTxOrders.js";
import { optionsInsuranceQueryCommands, optionsInsuranceTxCommands } from "./commands/optionsInsurance.js";
import { queryCommands } from "./commands/query.js";
import { statusCommands } from "./commands/status.js";
import { txCommands } from "./commands/tx.js";
import { BINARY, commandHelp, groupHelp, usageLine } from "./help.js";

export const commands: readonly CommandSpec[] = [
  ...nodeCommands,
  ...keysCommands,
  ...txCommands,
  ...optionsAccountTxCommands,
  ...optionsOrderTxCommands,
  ...optionsInsuranceTxCommands,
  ...queryCommands,
  ...optionsMarketQueryCommands,
  ...optionsAccountQueryCommands,
  ...optionsInsuranceQueryCommands,
  ...statusCommands,
];

/** Runs one command line; `table` lets a higher layer (testnet/main.ts) add its own commands. */
export async function runCli(argv: string[], io: CliIo, table: readonly CommandSpec[] = commands): Promise<number> {
  try {
    return await dispatch(table, argv, io);
  } catch (err) {
    return report(err, io);
  }
}

async function dispatch(table: readonly CommandSpec[], argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 1 && argv[0] === "--version") {
    io.stdout.write(`${BINARY} ${version()}\n`);
    return 0;
  }
  if (argv[0] === "help") return help(table, argv.slice(1), io);

  const found = resolveCommand(table, argv);
  if (found.kind === "group") {
    const next = found.rest[0];
    if (next === undefined || wantsHelp(found.rest)) {
      io.stdout.write(groupHelp(table, found.path, version()));
      return 0;
    }
    const where = [BINARY, ...found.path].join(" ");
    if (next.startsWith("-")) {
      throw new UsageError(`unknown flag ${next} for "${where}"${found.path.length === 0 ? " (flags go after the command)" : ""}; run '${where} --help'`);
    }
    throw new UsageError(`unknown command "${next}" for "${where}"${suggest(next, childrenOf(table, found.path))}; run '${where} --help'`);
  }

  const command = found.command;
  if (wantsHelp(found.rest)) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    const { args, opts } = parseCommandLine(command, found.rest);
    const code = await command.run({ command, args, opts, io });
    return code ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\nUsage: ${usageLine(command)}\nRun '${[BINARY, ...command.path].join(" ")} --help' for details.\n`);
      return 2;
    }
    throw err;
  }
}

function help(table: readonly CommandSpec[], path: readonly string[], io: CliIo): number {
  const found = resolveCommand(table, path);
  if (found.rest.length > 0) {
    throw new UsageError(`no help for "${path.join(" ")}": unknown command; run '${BINARY} help'`);
  }
  io.stdout.write(found.kind === "command" ? commandHelp(found.command) : groupHelp(table, found.path, version()));
  return 0;
}

/** One line on stderr; stack traces only for unexpected errors and only with VANNA_DEBUG=1. */
function report(err: unknown, io: CliIo): number {
  if (err instanceof UsageError) {
    io.stderr.write(`error: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CliError) {
    io.stderr.write(`error: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof KeyringError || err instanceof MnemonicError || err instanceof PromptError) {
    io.stderr.write(`error: ${err.message}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`error: ${message.split("\n")[0] ?? message}\n`);
  if (io.env["VANNA_DEBUG"] === "1" && err instanceof Error && err.stack !== undefined) io.stderr.write(`${err.stack}\n`);
  return 1;
}

let cachedVersion: string | undefined;

/** The version in the package.json above this file (works from node/cli/ and from dist/node/cli/). */
export function version(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "vanna" && typeof pkg.version === "string") return (cachedVersion = pkg.version);
    } catch {
      // not here; look one directory up
    }
    dir = dirname(dir);
  }
  return (cachedVersion = "unknown");
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // Through npm's bin symlink argv[1] is the link, so compare real paths.
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** The process-level wiring of the CLI: real streams, EPIPE tolerance, exit code. */
export async function runAsProcess(table: readonly CommandSpec[] = commands): Promise<void> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    // Lazy: touching process.stdin opens it, which commands that never read it should not do.
    get stdin() {
      return process.stdin;
    },
  };
  // `vanna keys list | head -1` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = await runCli(process.argv.slice(2), io, table);
}

if (isEntryPoint()) await runAsProcess();
