/**
 * One WebSocket connection: JSON-RPC calls (every method, plus subscriptions) and event delivery. Each text
 * frame is one request; responses are matched by id. Slow readers are dropped instead of buffered forever, and
 * a ping/pong keepalive removes dead peers while never closing idle but live ones.
 */
import type { RawData, WebSocket } from "ws";
import { dispatchText, errorResponse, RpcCode, type DispatchOptions, type MethodTable } from "./jsonrpc.js";
import type { EventHub, EventSink } from "./subscriptions.js";

export interface WsSessionOptions {
  methods: MethodTable;
  maxBatchSize: number;
  /** Close the connection when this much output is queued (the client is not reading). */
  maxBufferedBytes: number;
  /** Requests of one connection that may run at once; more get an error. */
  maxInFlight: number;
  pingIntervalMs: number;
  onUnexpected?: (err: unknown) => void;
}

/** Close code for a client that cannot keep up (RFC 6455 1008: policy violation). */
const CLOSE_TOO_SLOW = 1008;

export class WsSession implements EventSink {
  private inFlight = 0;
  private alive = true;
  private readonly pingTimer: NodeJS.Timeout;
  private readonly dispatch: DispatchOptions;

  constructor(
    private readonly ws: WebSocket,
    private readonly hub: EventHub,
    private readonly opts: WsSessionOptions,
  ) {
    this.dispatch = {
      transport: "ws",
      methods: opts.methods,
      maxBatchSize: opts.maxBatchSize,
      session: this,
      onUnexpected: opts.onUnexpected,
    };
    ws.on("message", (data) => this.onMessage(data));
    ws.on("pong", () => {
      this.alive = true;
    });
    ws.on("close", () => this.cleanup());
    ws.on("error", () => ws.terminate()); // a socket error must never become an uncaught 'error' event
    this.pingTimer = setInterval(() => this.keepalive(), opts.pingIntervalMs);
    this.pingTimer.unref();
  }

  send(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.opts.maxBufferedBytes) {
      this.hub.removeSink(this);
      this.ws.close(CLOSE_TOO_SLOW, "client is not pulling messages fast enough");
      return;
    }
    this.ws.send(text);
  }

  /** Closes the connection from the server side (shutdown). */
  terminate(): void {
    this.cleanup();
    this.ws.terminate();
  }

  private onMessage(data: RawData): void {
    const text = Buffer.isBuffer(data)
      ? data.toString("utf8")
      : Array.isArray(data)
        ? Buffer.concat(data).toString("utf8")
        : Buffer.from(data).toString("utf8");
    if (this.inFlight >= this.opts.maxInFlight) {
      this.send(errorResponse(null, RpcCode.internalError, `too many concurrent requests on this connection (max ${this.opts.maxInFlight})`));
      return;
    }
    this.inFlight++;
    dispatchText(text, this.dispatch)
      .then((out) => {
        if (out.response !== undefined) this.send(out.response);
        for (const cb of out.after) cb();
      })
      .catch((err: unknown) => this.opts.onUnexpected?.(err))
      .finally(() => {
        this.inFlight--;
      });
  }

  private keepalive(): void {
    if (!this.alive) {
      this.terminate();
      return;
    }
    this.alive = false;
    try {
      this.ws.ping();
    } catch {
      this.terminate();
    }
  }

  private cleanup(): void {
    clearInterval(this.pingTimer);
    this.hub.removeSink(this);
  }
}
