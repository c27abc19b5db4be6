/**
 * A small structured logger: one line per record, `level module message key=value...`. Context is
 * structured, never raw network payloads (Lodestar's rule). Level comes from config or VANNA_LOG_LEVEL.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>, err?: unknown): void;
  child(module: string): Logger;
}

export function createLogger(opts: { level?: LogLevel; module?: string; write?: (line: string) => void } = {}): Logger {
  const envLevel = process.env["VANNA_LOG_LEVEL"] as LogLevel | undefined;
  const level = opts.level ?? (envLevel !== undefined && envLevel in ORDER ? envLevel : "info");
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const module = opts.module ?? "node";
  const emit = (lvl: LogLevel, message: string, context?: Record<string, unknown>, err?: unknown) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const parts = [new Date().toISOString(), lvl.toUpperCase().padEnd(5), `[${module}]`, message];
    for (const [k, v] of Object.entries(context ?? {})) parts.push(`${k}=${format(v)}`);
    if (err !== undefined) parts.push(`err=${JSON.stringify(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
    write(parts.join(" "));
  };
  return {
    debug: (m, c) => emit("debug", m, c),
    info: (m, c) => emit("info", m, c),
    warn: (m, c) => emit("warn", m, c),
    error: (m, c, e) => emit("error", m, c, e),
    child: (child) => createLogger({ level, module: child, write }),
  };
}

function format(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex").toUpperCase();
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}
