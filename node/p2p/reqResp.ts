/**
 * Request-response over one libp2p stream: exactly one request frame and one response frame, then the stream
 * closes. Frames are length-prefixed with a fixed 4-byte big-endian length so the size check happens before any
 * payload is buffered (CometBFT lp2p #5647):
 *
 *   request:  u32 length | payload
 *   response: u8 status (0 ok, 1 error) | u32 length | payload (error payload: UTF-8 message, <= 256 bytes)
 *
 * Every read has a deadline; a deadline, an oversized length or a truncated frame resets the stream. Errors are
 * values of ReqRespError so the caller can tell a remote fault (penalise the peer) from a local one.
 */
import type { Stream } from "@libp2p/interface";
import type { PenaltyReason } from "./penalties.js";

const STATUS_OK = 0;
const STATUS_ERROR = 1;
const REQUEST_HEADER_BYTES = 4;
const RESPONSE_HEADER_BYTES = 5;
const MAX_ERROR_MESSAGE_BYTES = 256;
const CLOSE_TIMEOUT_MS = 1000;

export type ReqRespErrorCode =
  | "TIMEOUT"
  | "OVERSIZED_REQUEST"
  | "OVERSIZED_RESPONSE"
  | "MALFORMED_RESPONSE"
  | "REMOTE_ERROR"
  | "STREAM_ERROR"
  | "DIAL_FAILED";

export class ReqRespError extends Error {
  constructor(
    readonly code: ReqRespErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ReqRespError";
  }
}

/** Which client-side failures are the remote peer's fault. */
export function penaltyForClientError(code: ReqRespErrorCode): PenaltyReason | undefined {
  if (code === "OVERSIZED_RESPONSE") return "oversizedFrame";
  if (code === "MALFORMED_RESPONSE") return "malformedFrame";
  return undefined;
}

interface Chunk {
  subarray(): Uint8Array;
}

/** Pulls exactly n bytes at a time from a stream source, keeping any surplus for the next read. */
class FrameReader {
  private pending: Uint8Array = new Uint8Array(0);

  constructor(private readonly source: AsyncIterator<Chunk>) {}

  async readExact(n: number): Promise<Uint8Array | undefined> {
    const parts: Uint8Array[] = this.pending.length > 0 ? [this.pending] : [];
    let have = this.pending.length;
    while (have < n) {
      const next = await this.source.next();
      if (next.done === true) return undefined;
      const bytes = next.value.subarray();
      parts.push(bytes);
      have += bytes.length;
    }
    const all = parts.length === 1 ? parts[0]! : concat(parts, have);
    this.pending = all.subarray(n);
    return all.subarray(0, n);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function encodeRequest(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(REQUEST_HEADER_BYTES + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out.set(payload, REQUEST_HEADER_BYTES);
  return out;
}

function encodeResponse(status: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RESPONSE_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, status);
  view.setUint32(1, payload.length);
  out.set(payload, RESPONSE_HEADER_BYTES);
  return out;
}

function errorResponse(message: string): Uint8Array {
  const bytes = new TextEncoder().encode(message).subarray(0, MAX_ERROR_MESSAGE_BYTES);
  return encodeResponse(STATUS_ERROR, bytes);
}

/** Runs onExpire after ms unless cleared; lets one timer guard a whole sequence of reads and writes. */
function deadline(ms: number, onExpire: () => void): { expired: () => boolean; clear: () => void } {
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    onExpire();
  }, ms);
  return { expired: () => expired, clear: () => clearTimeout(timer) };
}

async function closeQuietly(stream: Stream): Promise<void> {
  try {
    await stream.close({ signal: AbortSignal.timeout(CLOSE_TIMEOUT_MS) });
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)));
  }
}

export interface ClientRequest {
  openStream: (signal: AbortSignal) => Promise<Stream>;
  request: Uint8Array;
  maxBytes: number;
  timeoutMs: number;
}

/** Sends one request and reads one response; rejects with ReqRespError. */
export async function requestOnce(req: ClientRequest): Promise<Uint8Array> {
  if (req.request.length > req.maxBytes) {
    throw new ReqRespError("OVERSIZED_REQUEST", `request of ${req.request.length} bytes exceeds ${req.maxBytes}`);
  }
  const controller = new AbortController();
  let stream: Stream | undefined;
  const timer = deadline(req.timeoutMs, () => {
    controller.abort();
    stream?.abort(new ReqRespError("TIMEOUT", "request timed out"));
  });
  try {
    try {
      stream = await req.openStream(controller.signal);
    } catch (err) {
      if (timer.expired()) throw new ReqRespError("TIMEOUT", `no stream within ${req.timeoutMs} ms`);
      throw new ReqRespError("DIAL_FAILED", err instanceof Error ? err.message : String(err));
    }
    if (timer.expired()) throw new ReqRespError("TIMEOUT", `no stream within ${req.timeoutMs} ms`);
    const response = await exchange(stream, req);
    await closeQuietly(stream);
    return response;
  } catch (err) {
    const mapped = timer.expired()
      ? new ReqRespError("TIMEOUT", `no response within ${req.timeoutMs} ms`)
      : err instanceof ReqRespError
        ? err
        : new ReqRespError("STREAM_ERROR", err instanceof Error ? err.message : String(err));
    stream?.abort(mapped);
    throw mapped;
  } finally {
    timer.clear();
  }
}

async function exchange(stream: Stream, req: ClientRequest): Promise<Uint8Array> {
  await stream.sink([encodeRequest(req.request)]);
  const reader = new FrameReader(stream.source[Symbol.asyncIterator]());
  const header = await reader.readExact(RESPONSE_HEADER_BYTES);
  if (header === undefined) throw new ReqRespError("MALFORMED_RESPONSE", "stream ended before the response header");
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const status = view.getUint8(0);
  const length = view.getUint32(1);
  if (status !== STATUS_OK && status !== STATUS_ERROR) throw new ReqRespError("MALFORMED_RESPONSE", `unknown status ${status}`);
  if (status === STATUS_ERROR && length > MAX_ERROR_MESSAGE_BYTES) {
    throw new ReqRespError("MALFORMED_RESPONSE", `error message of ${length} bytes`);
  }
  if (length > req.maxBytes) throw new ReqRespError("OVERSIZED_RESPONSE", `response of ${length} bytes exceeds ${req.maxBytes}`);
  const payload = await reader.readExact(length);
  if (payload === undefined) throw new ReqRespError("MALFORMED_RESPONSE", "stream ended inside the response");
  if (status === STATUS_ERROR) throw new ReqRespError("REMOTE_ERROR", `remote error: ${new TextDecoder().decode(payload)}`);
  // Copy so the caller does not hold the reader's (possibly larger) backing buffer.
  return payload.slice();
}

export interface ServerLimits {
  maxBytes: number;
  /** Deadline for the whole request frame to arrive (slow-loris guard). */
  readTimeoutMs: number;
  handlerTimeoutMs: number;
  writeTimeoutMs: number;
}

export interface ServeRequest extends ServerLimits {
  stream: Stream;
  handle: (request: Uint8Array) => Promise<Uint8Array>;
  onPeerFault: (reason: PenaltyReason, detail: string) => void;
  onHandlerError: (err: unknown) => void;
}

/** Serves one inbound request stream. Never throws: every failure ends as an error frame or a reset. */
export async function serveOnce(s: ServeRequest): Promise<void> {
  const { stream } = s;
  try {
    const request = await readRequest(s);
    if (request === undefined) return;
    const response = await runHandler(s, request);
    const writeTimer = deadline(s.writeTimeoutMs, () => {
      s.onPeerFault("slowStream", "response not consumed in time");
      stream.abort(new Error("response write timed out"));
    });
    try {
      await stream.sink([response]);
    } finally {
      writeTimer.clear();
    }
    await closeQuietly(stream);
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)));
  }
}

async function readRequest(s: ServeRequest): Promise<Uint8Array | undefined> {
  const { stream } = s;
  const timer = deadline(s.readTimeoutMs, () => {
    s.onPeerFault("slowStream", `request not received within ${s.readTimeoutMs} ms`);
    stream.abort(new Error("request read timed out"));
  });
  try {
    const reader = new FrameReader(stream.source[Symbol.asyncIterator]());
    const header = await reader.readExact(REQUEST_HEADER_BYTES);
    if (header === undefined) {
      s.onPeerFault("malformedFrame", "stream ended before the request header");
      stream.abort(new Error("truncated request"));
      return undefined;
    }
    const length = new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(0);
    if (length > s.maxBytes) {
      s.onPeerFault("oversizedFrame", `request of ${length} bytes exceeds ${s.maxBytes}`);
      stream.abort(new Error("request too large"));
      return undefined;
    }
    const payload = await reader.readExact(length);
    if (payload === undefined) {
      s.onPeerFault("malformedFrame", "stream ended inside the request");
      stream.abort(new Error("truncated request"));
      return undefined;
    }
    return payload.slice();
  } catch (err) {
    // A reset by the remote or our own deadline abort; the deadline already penalised if it fired.
    if (!timer.expired()) stream.abort(err instanceof Error ? err : new Error(String(err)));
    return undefined;
  } finally {
    timer.clear();
  }
}

/** Returns the encoded response frame: the handler's bytes, or an error frame if it failed, hung or overflowed. */
async function runHandler(s: ServeRequest, request: Uint8Array): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const pending = Promise.resolve().then(() => s.handle(request));
    // If the handler outlives its deadline its eventual rejection must not become an unhandled rejection.
    pending.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`handler timed out after ${s.handlerTimeoutMs} ms`)), s.handlerTimeoutMs);
    });
    const response = await Promise.race([pending, timeout]);
    if (!(response instanceof Uint8Array)) return errorResponse("handler returned no bytes");
    if (response.length > s.maxBytes) {
      s.onHandlerError(new Error(`response of ${response.length} bytes exceeds ${s.maxBytes}`));
      return errorResponse("response too large");
    }
    return encodeResponse(STATUS_OK, response);
  } catch (err) {
    s.onHandlerError(err);
    return errorResponse(err instanceof Error ? err.message : "handler failed");
  } finally {
    clearTimeout(timer);
  }
}
