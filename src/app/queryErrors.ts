/** Query errors in the gRPC-status text Cosmos SDK nodes produce; cosmjs matches on it (e.g. NotFound → null). */
import { ChainError } from "../errors.js";

export function notFound(what: string): ChainError {
  return new ChainError("sdk", 22, `rpc error: code = NotFound desc = ${what}: key not found`);
}

export function invalidArgument(detail: string): ChainError {
  return new ChainError("sdk", 18, `rpc error: code = InvalidArgument desc = ${detail}: invalid request`);
}
