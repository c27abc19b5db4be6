/** Margin keeps only params; the invariant is that they are valid (every write validates them). */
import type { QueryContext } from "../../src/app/module.js";
import { ChainError } from "../../src/errors.js";
import { getMarginParams, validateMarginParams } from "./params.js";

export function marginInvariants(ctx: QueryContext): string[] {
  try {
    validateMarginParams(getMarginParams(ctx.store));
    return [];
  } catch (err) {
    return [`margin: stored params are invalid: ${err instanceof ChainError ? err.message : "undecodable"}`];
  }
}
