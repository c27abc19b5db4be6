/**
 * Runs the benchmarks and records the figures: `npm run bench` (all) or `node dist/test/bench/run.js store
 * latency` (by name). Prints a summary table and writes bench-results/<ISO timestamp>.json and
 * bench-results/latest.json with machine info, per-bench figures and errors. A failing bench is recorded and
 * the others still run; the exit code is non-zero if any failed.
 *
 * Each bench runs in its own child process (this file with `--child <name>`): a fresh heap and JIT, so one
 * bench's garbage or warm code does not skew the next; a crash is contained; a hung bench is killed at the
 * time limit.
 */
import { execFileSync, fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { msSince, nowNs, round } from "./harness.js";

/** In run order. Each module exports `run(): Promise<Record<string, unknown>>`. */
const BENCHES = ["crypto", "store", "txThroughput", "latency", "pricing", "matching", "orderPath", "testnet", "optionsTestnet", "chainSync", "portfolioMargin", "liquidations"] as const;

/** Generous per-bench ceiling so a hung bench cannot stall the whole run (the run stays well under 10 min). */
const BENCH_TIMEOUT_MS = Number(process.env.VANNA_BENCH_TIMEOUT_MS ?? 240_000);

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const RESULTS_DIR = join(REPO_ROOT, "bench-results");

interface BenchRecord {
  name: string;
  ok: boolean;
  durationMs: number;
  /** 1-minute load average just before the bench started: how busy the machine was. */
  loadAvg1mAtStart?: number;
  figures?: Record<string, unknown>;
  error?: string;
}

type BenchModule = { run?: () => Promise<Record<string, unknown>> };
type ChildMessage = { ok: true; figures: Record<string, unknown> } | { ok: false; error: string };

/** In the child: runs one bench and sends its figures (or error) to the parent. */
async function runChild(name: string): Promise<void> {
  // SIGTERM from the parent (time limit): exit through the normal path so "exit" handlers (which kill any
  // node processes a bench spawned) run.
  process.on("SIGTERM", () => process.exit(143));
  let message: ChildMessage;
  try {
    const mod = (await import(`./${name}.js`)) as BenchModule;
    if (typeof mod.run !== "function") throw new Error(`bench module ${name} does not export run()`);
    message = { ok: true, figures: await mod.run() };
  } catch (err) {
    message = { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  process.send!(message, () => process.exit(0));
}

async function runOne(name: string): Promise<BenchRecord> {
  const start = nowNs();
  const child = fork(import.meta.filename, ["--child", name], { serialization: "advanced", execArgv: ["--expose-gc"], stdio: "inherit" });
  let message: ChildMessage | undefined;
  child.on("message", (m) => (message = m as ChildMessage));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
  }, BENCH_TIMEOUT_MS);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once("exit", (code, signal) => res({ code, signal })));
  clearTimeout(timer);
  const durationMs = round(msSince(start));
  if (timedOut) return { name, ok: false, durationMs, error: `timed out after ${BENCH_TIMEOUT_MS} ms (killed)` };
  if (message === undefined) return { name, ok: false, durationMs, error: `bench process exited (code ${exit.code}, signal ${exit.signal}) without a result` };
  return message.ok ? { name, ok: true, durationMs, figures: message.figures } : { name, ok: false, durationMs, error: message.error };
}

function gitCommit(): string | undefined {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return dirty === "" ? commit : `${commit}+dirty`;
  } catch {
    return undefined;
  }
}

function machineInfo() {
  const cpuList = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl,
    platform: `${platform()} ${release()}`,
    arch: arch(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? "unknown",
    totalMemMiB: Math.round(totalmem() / 2 ** 20),
    loadAvgAtStart: loadavg().map((x) => round(x, 2)),
  };
}

// ---- Summary table ----------------------------------------------------------------------------------------

function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US") : String(v);
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v === null || v === undefined) return String(v);
  return JSON.stringify(v);
}

/** Flattens nested figures to dotted keys; arrays and deep objects are summarised, the JSON has them whole. */
function flatten(figures: Record<string, unknown>, prefix = "", depth = 0, out: Array<[string, string]> = []): Array<[string, string]> {
  for (const [k, v] of Object.entries(figures)) {
    const key = prefix === "" ? k : `${prefix}.${k}`;
    if (Array.isArray(v)) out.push([key, `[${v.length} entries, see JSON]`]);
    else if (v !== null && typeof v === "object" && depth < 3) flatten(v as Record<string, unknown>, key, depth + 1, out);
    else out.push([key, formatValue(v)]);
  }
  return out;
}

function printSummary(records: readonly BenchRecord[]): void {
  const rows: Array<[string, string, string]> = [];
  for (const r of records) {
    rows.push([r.name, r.ok ? "ok" : "FAILED", `${(r.durationMs / 1000).toFixed(1)} s`]);
    if (r.ok && r.figures) for (const [k, v] of flatten(r.figures)) rows.push(["", k, v]);
    if (!r.ok) rows.push(["", "error", (r.error ?? "").split("\n")[0] ?? ""]);
  }
  const widths = [0, 1].map((c) => Math.min(80, Math.max(...rows.map((row) => row[c]!.length))));
  const line = "-".repeat(widths[0]! + widths[1]! + 40);
  console.log("");
  for (const [a, b, c] of rows) {
    if (a !== "") console.log(line);
    console.log(`${a.padEnd(widths[0]!)}  ${b.padEnd(widths[1]!)}  ${c.length > 100 ? `${c.slice(0, 97)}...` : c}`);
  }
  console.log(line);
}

const isChild = process.argv[2] === "--child";

// ---- Main ---------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args[0] === "--child" && args[1] !== undefined) {
    await runChild(args[1]);
    return 0;
  }
  const unknown = args.filter((a) => !BENCHES.some((b) => b.toLowerCase() === a.toLowerCase()));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(", ")}; available: ${BENCHES.join(", ")}`);
    return 2;
  }
  const selected = args.length === 0 ? [...BENCHES] : BENCHES.filter((b) => args.some((a) => a.toLowerCase() === b.toLowerCase()));

  const startedAt = new Date();
  const machine = machineInfo();
  console.log(`vanna bench: ${selected.join(", ")} on ${machine.cpus}x ${machine.cpuModel}, node ${machine.node}, load ${machine.loadAvgAtStart.join(" ")}`);
  const records: BenchRecord[] = [];
  for (const name of selected) {
    process.stdout.write(`running ${name}... `);
    const loadAvg1mAtStart = round(loadavg()[0] ?? 0, 2);
    const record = { ...(await runOne(name)), loadAvg1mAtStart };
    console.log(record.ok ? `ok (${(record.durationMs / 1000).toFixed(1)} s)` : `FAILED (${(record.durationMs / 1000).toFixed(1)} s)`);
    if (!record.ok) console.error(record.error);
    records.push(record);
  }
  printSummary(records);

  const failed = records.filter((r) => !r.ok).map((r) => r.name);
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: gitCommit(),
    machine: { ...machine, loadAvgAtEnd: loadavg().map((x) => round(x, 2)) },
    benches: Object.fromEntries(records.map((r) => [r.name, r.ok ? { durationMs: r.durationMs, loadAvg1mAtStart: r.loadAvg1mAtStart, ...r.figures } : { durationMs: r.durationMs, loadAvg1mAtStart: r.loadAvg1mAtStart }])),
    errors: Object.fromEntries(records.filter((r) => !r.ok).map((r) => [r.name, r.error])),
    failed,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  // ISO 8601 with ":" replaced by "-", which some file systems and tools do not accept in names.
  const file = join(RESULTS_DIR, `${startedAt.toISOString().replace(/:/g, "-")}.json`);
  const json = `${JSON.stringify(report, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
  writeFileSync(file, json);
  writeFileSync(join(RESULTS_DIR, "latest.json"), json);
  console.log(`results: ${file}`);
  if (failed.length > 0) console.error(`failed: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

// The parent exits explicitly once the report is written; a child exits once its result has been sent.
main().then(
  (code) => {
    if (!isChild) process.exit(code);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
