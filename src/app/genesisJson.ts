/**
 * Strict readers for genesis JSON: every field is checked for its type and reported with its path, so a bad
 * genesis fails at start-up with a message an operator can act on. Integers are strings (never JSON numbers,
 * which lose precision above 2^53).
 */
export class GenesisError extends Error {
  override readonly name = "GenesisError";
}

export type JsonObject = { readonly [key: string]: unknown };

export function obj(value: unknown, path: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new GenesisError(`${path}: expected an object`);
  return value as JsonObject;
}

export function arr(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new GenesisError(`${path}: expected an array`);
  return value;
}

export function str(value: unknown, path: string): string {
  if (typeof value !== "string") throw new GenesisError(`${path}: expected a string`);
  return value;
}

export function bool(value: unknown, path: string, fallback?: boolean): boolean {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "boolean") throw new GenesisError(`${path}: expected true or false`);
  return value;
}

/** A non-negative integer written as a decimal string (numbers are accepted only when they are safe integers). */
export function uint(value: unknown, path: string, fallback?: bigint): bigint {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value)) throw new GenesisError(`${path}: expected a non-negative integer string`);
  return BigInt(value);
}

/** Runs a parser, turning any error into a GenesisError that names the section. */
export function section<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof GenesisError) throw err;
    throw new GenesisError(`${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
