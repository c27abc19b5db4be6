import type { ChainError } from "../../src/errors.js";
import { notFound } from "../../src/app/queryErrors.js";

/** cosmjs's getAccount returns null only for this NotFound text. */
export function accountNotFound(address: string): ChainError {
  return notFound(`account ${address} not found`);
}
