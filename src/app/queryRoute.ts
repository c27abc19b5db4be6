/** Builds a typed gRPC-over-ABCI query route from a request codec, a response codec and a handler. */
import type { QueryContext, QueryRoute } from "./module.js";

interface Decoder<T> {
  decode(bytes: Uint8Array): T;
}
interface Encoder<T> {
  encode(msg: T): Uint8Array;
}

export function queryRoute<Req, Res>(
  path: string,
  request: Decoder<Req>,
  response: Encoder<Res>,
  handler: (ctx: QueryContext, req: Req) => Res,
): QueryRoute {
  return {
    path,
    handle: (ctx, bytes) => response.encode(handler(ctx, request.decode(bytes))),
  };
}
