/** In-memory CliIo for running the CLI in-process. */
import { PassThrough } from "node:stream";
import { runCli } from "../../../node/cli/main.js";
import type { CliIo, InputSource } from "../../../node/cli/command.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function vanna(argv: string[], options: { env?: Record<string, string>; stdin?: string | InputSource } = {}): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  let stdin: InputSource | undefined;
  if (typeof options.stdin === "string") {
    const piped = new PassThrough();
    piped.end(options.stdin);
    stdin = piped;
  } else {
    stdin = options.stdin;
  }
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    // No HOME fallback to the real one: tests always pass --home.
    env: { HOME: "/nonexistent-home", ...options.env },
    stdin,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

export const ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
