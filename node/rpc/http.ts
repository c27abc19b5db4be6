/**
 * HTTP transport: JSON-RPC over POST (single or batch), CometBFT URI calls over GET (`/block?height=5`),
 * CORS preflight, and the body size cap. JSON-RPC errors go out with HTTP 200 (cosmjs drops the body of
 * any status ≥ 400); only an oversized body gets 413, with a JSON-RPC error body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { callMethod, dispatchText, errorResponse, RpcCode, type DispatchOptions, type MethodTable } from "./jsonrpc.js";
import { Params } from "./params.js";

export interface HttpHandlerOptions {
  methods: MethodTable;
  maxBodyBytes: number;
  maxBatchSize: number;
  onUnexpected?: (err: unknown) => void;
}

/** Past this many discarded bytes an oversized upload is cut off instead of drained. */
const DRAIN_FACTOR = 8;
/** CometBFT answers URI (GET) calls with id -1. */
const URI_CALL_ID = -1;

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, Accept, Origin, X-Requested-With",
  "Access-Control-Max-Age": "600",
};

function send(res: ServerResponse, status: number, body: string | undefined, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { ...CORS_HEADERS, ...extra };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = Buffer.byteLength(body);
  }
  res.writeHead(status, headers);
  res.end(body);
}

export function handleHttpRequest(req: IncomingMessage, res: ServerResponse, opts: HttpHandlerOptions): void {
  const dispatch: DispatchOptions = {
    transport: "http",
    methods: opts.methods,
    maxBatchSize: opts.maxBatchSize,
    onUnexpected: opts.onUnexpected,
  };
  const fail = (err: unknown): void => {
    opts.onUnexpected?.(err);
    send(res, 200, errorResponse(null, RpcCode.internalError, "internal error"));
  };
  switch (req.method) {
    case "OPTIONS":
      send(res, 204, undefined);
      return;
    case "POST":
      readBody(req, res, opts.maxBodyBytes, (text) => {
        dispatchText(text, dispatch).then((out) => {
          // Only notifications: nothing to answer (JSON-RPC 2.0), so an empty 200.
          send(res, 200, out.response ?? "");
          for (const cb of out.after) cb();
        }, fail);
      });
      return;
    case "GET":
    case "HEAD":
      handleGet(req, res, dispatch).catch(fail);
      return;
    default:
      send(res, 405, errorResponse(null, RpcCode.invalidRequest, `HTTP method ${req.method ?? ""} not allowed`), {
        Allow: "GET, POST, OPTIONS",
      });
  }
}

/** Reads the body as UTF-8, or answers 413 when it is over the cap (draining a bounded amount first). */
function readBody(req: IncomingMessage, res: ServerResponse, maxBytes: number, onBody: (text: string) => void): void {
  const tooLarge = (): void =>
    send(res, 413, errorResponse(null, RpcCode.invalidRequest, `request body exceeds ${maxBytes} bytes`), { Connection: "close" });
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes * DRAIN_FACTOR) {
    tooLarge();
    req.destroy();
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received <= maxBytes) chunks.push(chunk);
    else if (received > maxBytes * DRAIN_FACTOR) {
      tooLarge();
      req.destroy();
    }
  });
  req.on("end", () => {
    if (received > maxBytes) tooLarge();
    else onBody(Buffer.concat(chunks).toString("utf8"));
  });
  req.on("error", () => req.destroy());
}

async function handleGet(req: IncomingMessage, res: ServerResponse, dispatch: DispatchOptions): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://rpc.invalid");
  } catch {
    send(res, 200, errorResponse(null, RpcCode.invalidRequest, "invalid URL"));
    return;
  }
  const method = url.pathname.slice(1);
  if (method === "") {
    // Endpoint list; fixed text only (never echo the Host header: CometBFT's #5921).
    const names = [...dispatch.methods.entries()].filter(([, d]) => !d.wsOnly).map(([n]) => n);
    send(res, 200, JSON.stringify({ jsonrpc: "2.0", id: URI_CALL_ID, result: { methods: names.sort() } }));
    return;
  }
  const after: (() => void)[] = [];
  const body = await callMethod(method, URI_CALL_ID, (spec) => Params.fromUri(spec, url.searchParams), dispatch, after);
  send(res, 200, body);
}
