/**
 * Where the keyring passphrase comes from: the --keyring-passphrase flag, then $VANNA_KEYRING_PASSPHRASE, then a
 * no-echo prompt when stdin is a terminal. Without any of them it is an error, never an empty passphrase.
 */

export const PASSPHRASE_ENV = "VANNA_KEYRING_PASSPHRASE";

export interface PromptInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface PromptOutput {
  write(chunk: string): unknown;
}

export class PromptError extends Error {
  override readonly name = "PromptError";
}

export interface PassphraseSources {
  readonly flag?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin?: PromptInput;
  /** Prompts go to stderr so that stdout stays clean for results. */
  readonly prompt: PromptOutput;
  /** Ask twice and require both to match (creating the first key). */
  readonly confirm?: boolean;
}

export async function resolvePassphrase(sources: PassphraseSources): Promise<string> {
  if (sources.flag !== undefined) return nonEmpty(sources.flag, "--keyring-passphrase");
  const fromEnv = sources.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined) return nonEmpty(fromEnv, `$${PASSPHRASE_ENV}`);
  const stdin = sources.stdin;
  if (stdin?.isTTY !== true) {
    throw new PromptError(`the file keyring needs a passphrase: pass --keyring-passphrase or set $${PASSPHRASE_ENV} (stdin is not a terminal)`);
  }
  const first = await readHidden(stdin, sources.prompt, "Enter keyring passphrase: ");
  if (sources.confirm === true) {
    const second = await readHidden(stdin, sources.prompt, "Re-enter keyring passphrase: ");
    if (first !== second) throw new PromptError("passphrases do not match");
  }
  return nonEmpty(first, "the passphrase");
}

function nonEmpty(value: string, what: string): string {
  if (value === "") throw new PromptError(`${what} is empty`);
  return value;
}

/** Reads one line from a terminal in raw mode without echoing it. Ctrl-C or Ctrl-D aborts. */
export function readHidden(stdin: PromptInput, out: PromptOutput, question: string): Promise<string> {
  out.write(question);
  return new Promise((resolve, reject) => {
    let typed = "";
    const raw = typeof stdin.setRawMode === "function";
    const finish = (err: Error | undefined): void => {
      stdin.removeListener("data", onData);
      stdin.removeListener("end", onEnd);
      if (raw) stdin.setRawMode?.(false);
      stdin.pause();
      out.write("\n");
      if (err === undefined) resolve(typed);
      else reject(err);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of typeof chunk === "string" ? chunk : chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish(undefined);
        if (ch === "\u0003" || (ch === "\u0004" && typed === "")) return finish(new PromptError("aborted"));
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else if (ch >= " ") typed += ch;
      }
    };
    const onEnd = (): void => finish(new PromptError("aborted: end of input"));
    if (raw) stdin.setRawMode?.(true);
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
  });
}

/** Reads one visible line (used for a mnemonic typed or piped in). */
export function readLine(stdin: PromptInput, out: PromptOutput, question: string): Promise<string> {
  if (stdin.isTTY === true) out.write(question);
  return new Promise((resolve, reject) => {
    let buffered = "";
    const finish = (err: Error | undefined, line: string): void => {
      stdin.removeListener("data", onData);
      stdin.removeListener("end", onEnd);
      stdin.pause();
      if (err === undefined) resolve(line);
      else reject(err);
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += typeof chunk === "string" ? chunk : chunk.toString("utf8");
      const nl = buffered.indexOf("\n");
      if (nl >= 0) finish(undefined, buffered.slice(0, nl).replace(/\r$/, ""));
    };
    const onEnd = (): void => {
      if (buffered === "") finish(new PromptError("no input"), "");
      else finish(undefined, buffered.replace(/\r?\n?$/, ""));
    };
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
  });
}
