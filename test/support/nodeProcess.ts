/**
 * Runs the real `vanna` binary (dist/node/cli/main.js, built by `npm test`) as a child process on a temp home,
 * for end-to-end tests. Every process is killed when the test file ends.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const VANNA_BIN = resolve(import.meta.dirname, "../../dist/node/cli/main.js");

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? res(addr.port) : rej(new Error("no port"))));
    });
  });
}

export function tempHome(prefix = "vanna-e2e-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface NodeProcess {
  proc: ChildProcess;
  rpcUrl: string;
  output: () => string;
  /** SIGKILL, no cleanup: the crash case. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

export async function startDevNode(home: string, rpcPort: number, extraArgs: string[] = []): Promise<NodeProcess> {
  return startVanna(["dev", "--home", home, "--rpc-port", String(rpcPort), ...extraArgs], rpcPort);
}

export async function startVanna(args: string[], rpcPort: number): Promise<NodeProcess> {
  const proc = spawn(process.execPath, [VANNA_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, VANNA_LOG_LEVEL: "info" } });
  running.add(proc);
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((res) => proc.once("exit", () => (running.delete(proc), res())));
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`vanna exited with ${proc.exitCode} before serving RPC:\n${out}`);
    try {
      const res = await fetch(`${rpcUrl}/status`);
      const body = (await res.json()) as { result?: { sync_info?: { latest_block_height?: string } } };
      if (Number(body.result?.sync_info?.latest_block_height ?? "0") >= 1) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`vanna did not produce a block within 30s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    proc,
    rpcUrl,
    output: () => out,
    kill9: async () => {
      proc.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}

export async function rpc<T = unknown>(url: string, method: string, params: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

export async function waitForHeight(url: string, height: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await rpc<{ sync_info: { latest_block_height: string } }>(url, "status");
    const h = Number(status.sync_info.latest_block_height);
    if (h >= height) return h;
    if (Date.now() > deadline) throw new Error(`height ${height} not reached (at ${h})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
