import { ChainError } from "../../src/errors.js";

/** Query errors in the exact text cosmjs recognises (it returns null for `rpc error: code = NotFound`). */
export function accountNotFound(address: string): ChainError {
  return new ChainError("sdk", 22, `rpc error: code = NotFound desc = account ${address} not found: key not found`);
}

export function invalidArgument(detail: string): ChainError {
  return new ChainError("sdk", 18, `rpc error: code = InvalidArgument desc = ${detail}: invalid request`);
}
