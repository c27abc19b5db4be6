/**
 * JSON-RPC 2.0 envelopes and dispatch, shared by HTTP POST, GET and WebSocket. Never throws on client input:
 * every failure becomes an error object with a CometBFT code and the reason in `data`.
 */
import { BackendError } from "./backend.js";
import type { Json } from "./json.js";
import { ParamError, Params, type ParamSpec } from "./params.js";
import { QuerySyntaxError } from "./query.js";

export const RpcCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

const MESSAGES: Record<number, string> = {
  [RpcCode.parseError]: "Parse error",
  [RpcCode.invalidRequest]: "Invalid Request",
  [RpcCode.methodNotFound]: "Method not found",
  [RpcCode.invalidParams]: "Invalid params",
  [RpcCode.internalError]: "Internal error",
};

export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(
    readonly code: number,
    readonly data?: string,
  ) {
    super(MESSAGES[code] ?? "Server error");
  }
}

export type RpcId = number | string;

/** What a method sees of the caller. */
export interface CallContext {
  transport: "http" | "ws";
  /** The JSON-RPC id of this call (subscriptions reuse it for their events). */
  id: RpcId;
  /** The WebSocket connection, for ws calls. */
  session?: unknown;
  /** Runs after this call's response has been written (e.g. to start delivering subscription events). */
  afterResponse(callback: () => void): void;
}

export interface MethodDef {
  params: ParamSpec;
  /** subscribe/unsubscribe exist only on WebSocket connections. */
  wsOnly?: boolean;
  call(params: Params, ctx: CallContext): Json | Promise<Json>;
}

export type MethodTable = ReadonlyMap<string, MethodDef>;

/** Maps anything a method throws to a JSON-RPC error; unexpected errors are reported to `onUnexpected`. */
export function toRpcError(err: unknown, onUnexpected?: (err: unknown) => void): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof ParamError) return new RpcError(RpcCode.invalidParams, err.message);
  if (err instanceof QuerySyntaxError) return new RpcError(RpcCode.invalidParams, `failed to parse query: ${err.message}`);
  if (err instanceof BackendError) {
    return new RpcError(err.kind === "invalidArgument" ? RpcCode.invalidParams : RpcCode.internalError, err.message);
  }
  onUnexpected?.(err);
  return new RpcError(RpcCode.internalError, err instanceof Error ? err.message : "internal error");
}

function errorEnvelope(id: RpcId | null, err: RpcError): string {
  const error: Record<string, Json> = { code: err.code, message: err.message };
  if (err.data !== undefined) error.data = err.data;
  return JSON.stringify({ jsonrpc: "2.0", id, error });
}

export function resultEnvelope(id: RpcId, result: Json): string {
  return JSON.stringify({ jsonrpc: "2.0", id, result });
}

export function errorResponse(id: RpcId | null, code: number, data?: string): string {
  return errorEnvelope(id, new RpcError(code, data));
}

/** A valid id is a string or a safe integer; floats, NaN and > 2^53 would not round-trip. */
function validId(id: unknown): id is RpcId {
  return (typeof id === "string" && id.length <= 256) || (typeof id === "number" && Number.isSafeInteger(id));
}

export interface DispatchOptions {
  transport: "http" | "ws";
  methods: MethodTable;
  maxBatchSize: number;
  session?: unknown;
  onUnexpected?: (err: unknown) => void;
}

/** Output of one request body: the response text (absent when it held only notifications) and hooks to run after sending it. */
export interface DispatchOutput {
  response: string | undefined;
  after: (() => void)[];
}

/** Runs one request object. Returns undefined for notifications (no id), which are skipped as CometBFT does. */
export async function dispatchOne(req: unknown, opts: DispatchOptions, after: (() => void)[]): Promise<string | undefined> {
  if (typeof req !== "object" || req === null || Array.isArray(req)) {
    return errorResponse(null, RpcCode.invalidRequest, "request must be a JSON object");
  }
  const r = req as Record<string, unknown>;
  const hasId = Object.hasOwn(r, "id") && r.id !== null;
  if (hasId && !validId(r.id)) {
    return errorResponse(null, RpcCode.invalidRequest, "id must be a string or an integer below 2^53");
  }
  const id = hasId ? (r.id as RpcId) : null;
  if (r.jsonrpc !== "2.0") return errorResponse(id, RpcCode.invalidRequest, 'jsonrpc must be "2.0"');
  if (typeof r.method !== "string") return errorResponse(id, RpcCode.invalidRequest, "method must be a string");
  if (id === null) return undefined;
  return callMethod(r.method, id, (spec) => Params.fromJson(spec, r.params), opts, after);
}

/** Looks the method up, parses params with `parse` and runs it; always resolves to a response envelope. */
export async function callMethod(
  method: string,
  id: RpcId,
  parse: (spec: ParamSpec) => Params,
  opts: DispatchOptions,
  after: (() => void)[],
): Promise<string> {
  const def = opts.methods.get(method);
  if (!def || (def.wsOnly && opts.transport !== "ws")) {
    const why = def ? `${method} is only available over websocket` : `unknown method ${JSON.stringify(method.slice(0, 64))}`;
    return errorResponse(id, RpcCode.methodNotFound, why);
  }
  try {
    const params = parse(def.params);
    const ctx: CallContext = { transport: opts.transport, id, session: opts.session, afterResponse: (cb) => after.push(cb) };
    const result = await def.call(params, ctx);
    return resultEnvelope(id, result);
  } catch (err) {
    return errorEnvelope(id, toRpcError(err, opts.onUnexpected));
  }
}

/** Handles a whole request body (single object or batch). */
export async function dispatchText(text: string, opts: DispatchOptions): Promise<DispatchOutput> {
  const after: (() => void)[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { response: errorResponse(null, RpcCode.parseError, err instanceof Error ? err.message : "invalid JSON"), after };
  }
  if (!Array.isArray(parsed)) return { response: await dispatchOne(parsed, opts, after), after };
  if (parsed.length === 0) return { response: errorResponse(null, RpcCode.invalidRequest, "empty batch"), after };
  if (parsed.length > opts.maxBatchSize) {
    return { response: errorResponse(null, RpcCode.invalidRequest, `batch of ${parsed.length} exceeds the limit of ${opts.maxBatchSize}`), after };
  }
  const responses = await Promise.all(parsed.map((req) => dispatchOne(req, opts, after)));
  const present = responses.filter((r): r is string => r !== undefined);
  return { response: present.length > 0 ? `[${present.join(",")}]` : undefined, after };
}
