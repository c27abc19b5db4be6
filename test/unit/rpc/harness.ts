/** Starts the real RPC server on an ephemeral port over a FakeBackend, plus small raw-protocol helpers. */
import { request } from "node:http";
import WebSocket from "ws";
import { startRpcServer, type RpcServer, type RpcServerOptions } from "../../../node/rpc/server.js";
import { FakeBackend } from "./fakeBackend.js";

export interface Harness {
  backend: FakeBackend;
  server: RpcServer;
  httpUrl: string;
  wsUrl: string;
  errors: unknown[];
}

export async function startHarness(opts: Partial<RpcServerOptions> = {}, txsPerBlock = [0, 3, 2, 40, 1]): Promise<Harness> {
  const backend = new FakeBackend(txsPerBlock);
  const errors: unknown[] = [];
  const server = await startRpcServer({ host: "127.0.0.1", port: 0, onError: (e) => errors.push(e), ...opts }, backend);
  return { backend, server, httpUrl: server.url, wsUrl: server.url.replace("http://", "ws://"), errors };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP exchange (fetch would hide some of what we check, e.g. bodies of early 413s). */
export function rawHttp(url: string, method: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { "Content-Type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await rawHttp(url, "POST", typeof body === "string" ? body : JSON.stringify(body));
  return { status: res.status, json: res.body === "" ? undefined : JSON.parse(res.body) };
}

/** A WebSocket that collects every message it receives. */
export class RawWs {
  readonly messages: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<RawWs> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new RawWs(ws);
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === "string" ? obj : JSON.stringify(obj));
  }

  /** Waits until `pred` holds for the collected messages. */
  async until(pred: (msgs: Record<string, unknown>[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.messages)) {
      if (Date.now() > deadline) throw new Error(`timeout; got ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Sends a request and waits for the response with that id. */
  async call(id: number | string, method: string, params: unknown = {}): Promise<Record<string, unknown>> {
    this.send({ jsonrpc: "2.0", id, method, params });
    await this.until((m) => m.some((x) => x.id === id && !("result" in x && isEvent(x))));
    return this.messages.find((x) => x.id === id && !isEvent(x)) as Record<string, unknown>;
  }

  close(): void {
    this.ws.close();
  }
}

function isEvent(msg: Record<string, unknown>): boolean {
  const r = msg.result as Record<string, unknown> | undefined;
  return r !== undefined && r !== null && typeof r === "object" && "query" in r;
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
