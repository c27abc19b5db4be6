/**
 * The CometBFT 0.38-compatible RPC server: one Node http server for JSON-RPC POST and URI GET, with a
 * WebSocket endpoint at `<any prefix>/websocket`. Defaults follow CometBFT's config (1 MB bodies, 900
 * connections, batches of 10, 100 subscription clients with 5 subscriptions each, 10 s broadcast_tx_commit).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocketServer } from "ws";
import type { RpcBackend } from "./backend.js";
import { handleHttpRequest } from "./http.js";
import { buildMethods } from "./methods.js";
import { MAX_QUERY_LENGTH } from "./query.js";
import { EventHub } from "./subscriptions.js";
import { WsSession } from "./websocket.js";

export interface RpcServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  maxBodyBytes?: number;
  /** Open TCP connections (HTTP and WebSocket together); more are refused. */
  maxConnections?: number;
  maxBatchSize?: number;
  maxSubscriptionClients?: number;
  maxWsSubscriptionsPerClient?: number;
  /** broadcast_tx_commit calls that may wait for inclusion at once. */
  maxCommitWaiters?: number;
  broadcastTxCommitTimeoutMs?: number;
  maxQueryLength?: number;
  wsPingIntervalMs?: number;
  wsMaxBufferedBytes?: number;
  wsMaxInFlight?: number;
  /** Unexpected errors (bugs, backend failures), for the node's logger. Client mistakes are not reported. */
  onError?: (err: unknown) => void;
}

export interface RpcServer {
  /** The bound address, e.g. "127.0.0.1". */
  readonly address: string;
  readonly port: number;
  /** http://address:port (IPv6 addresses bracketed). */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULTS = {
  maxBodyBytes: 1_000_000,
  maxConnections: 900,
  maxBatchSize: 10,
  maxSubscriptionClients: 100,
  maxWsSubscriptionsPerClient: 5,
  maxCommitWaiters: 100,
  broadcastTxCommitTimeoutMs: 10_000,
  maxQueryLength: MAX_QUERY_LENGTH,
  wsPingIntervalMs: 30_000,
  wsMaxBufferedBytes: 16 * 1024 * 1024,
  wsMaxInFlight: 64,
} as const;

export async function startRpcServer(options: RpcServerOptions, backend: RpcBackend): Promise<RpcServer> {
  const opts = { ...DEFAULTS, ...definedOnly(options) };
  const hub = new EventHub({
    maxSubscriptionClients: opts.maxSubscriptionClients,
    maxSubscriptionsPerClient: opts.maxWsSubscriptionsPerClient,
    maxCommitWaiters: opts.maxCommitWaiters,
    maxQueryLength: opts.maxQueryLength,
    onError: opts.onError,
  });
  const methods = buildMethods(backend, hub, {
    broadcastTxCommitTimeoutMs: opts.broadcastTxCommitTimeoutMs,
    maxQueryLength: opts.maxQueryLength,
  });

  const server = createServer((req, res) =>
    handleHttpRequest(req, res, {
      methods,
      maxBodyBytes: opts.maxBodyBytes,
      maxBatchSize: opts.maxBatchSize,
      onUnexpected: opts.onError,
    }),
  );
  server.maxConnections = opts.maxConnections;

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxBodyBytes, perMessageDeflate: false });
  const sessions = new Set<WsSession>();
  server.on("upgrade", (req, socket: Socket, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!path.endsWith("/websocket")) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new WsSession(ws, hub, {
        methods,
        maxBatchSize: opts.maxBatchSize,
        maxBufferedBytes: opts.wsMaxBufferedBytes,
        maxInFlight: opts.wsMaxInFlight,
        pingIntervalMs: opts.wsPingIntervalMs,
        onUnexpected: opts.onError,
      });
      sessions.add(session);
      ws.on("close", () => sessions.delete(session));
    });
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  hub.attach(backend);
  server.on("error", (err) => opts.onError?.(err));

  const addr = server.address() as AddressInfo;
  const hostText = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  return {
    address: addr.address,
    port: addr.port,
    url: `http://${hostText}:${addr.port}`,
    close: () => (closing ??= closeAll(server, wss, sessions, hub)),
  };
}

async function closeAll(server: Server, wss: WebSocketServer, sessions: Set<WsSession>, hub: EventHub): Promise<void> {
  hub.close();
  for (const s of sessions) s.terminate();
  sessions.clear();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
