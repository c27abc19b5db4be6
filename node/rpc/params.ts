/**
 * Typed method parameters, parsed strictly from JSON-RPC params (object or positional array) or from GET URI
 * query strings with CometBFT's URI conventions (ints bare or quoted, strings quoted, bytes as 0x-hex or a
 * quoted string taken as raw UTF-8 bytes).
 */
import type { Bytes } from "../../src/store/types.js";
import { fromBase64Strict, fromHexStrict } from "./encoding.js";

/** `int`: non-negative int64; `bytesB64`/`bytesHex`: how the bytes are written in JSON. */
export type ParamKind = "int" | "string" | "bool" | "bytesB64" | "bytesHex";
export type ParamSpec = readonly (readonly [name: string, kind: ParamKind])[];
type ParamValue = bigint | string | boolean | Bytes;

export class ParamError extends Error {
  override readonly name = "ParamError";
}

const INT64_MAX = (1n << 63n) - 1n;
const DEC_RE = /^[0-9]{1,19}$/;

/** Strict non-negative int64 from a dec-string or a JSON number; rejects "1e3", "-1", "0x10", " 1", 1.5. */
export function parseNonNegativeInt(name: string, raw: unknown): bigint {
  if (typeof raw === "number") {
    if (!Number.isSafeInteger(raw) || raw < 0) throw new ParamError(`${name}: expected a non-negative integer`);
    return BigInt(raw);
  }
  if (typeof raw === "string" && DEC_RE.test(raw)) {
    const v = BigInt(raw);
    if (v <= INT64_MAX) return v;
  }
  throw new ParamError(`${name}: expected a non-negative decimal integer (string or number), got ${preview(raw)}`);
}

function preview(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fromJson(name: string, kind: ParamKind, raw: unknown): ParamValue {
  switch (kind) {
    case "int":
      return parseNonNegativeInt(name, raw);
    case "string":
      if (typeof raw !== "string") throw new ParamError(`${name}: expected a string, got ${preview(raw)}`);
      return raw;
    case "bool":
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      throw new ParamError(`${name}: expected a boolean, got ${preview(raw)}`);
    case "bytesB64": {
      const bytes = typeof raw === "string" ? fromBase64Strict(raw) : undefined;
      if (!bytes) throw new ParamError(`${name}: expected standard padded base64, got ${preview(raw)}`);
      return bytes;
    }
    case "bytesHex": {
      const bytes = typeof raw === "string" ? fromHexStrict(raw) : undefined;
      if (!bytes) throw new ParamError(`${name}: expected hex, got ${preview(raw)}`);
      return bytes;
    }
  }
}

/** One URI value per CometBFT's http_uri_handler (nonJSONStringToArg, then JSON decoding). */
function fromUri(name: string, kind: ParamKind, raw: string): ParamValue {
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
  const isHex = raw.slice(0, 2).toLowerCase() === "0x";
  switch (kind) {
    case "int":
      return parseNonNegativeInt(name, quoted ? raw.slice(1, -1) : raw);
    case "bool":
      if (raw === "true" || raw === "false") return raw === "true";
      throw new ParamError(`${name}: expected true or false, got ${preview(raw)}`);
    case "string":
    case "bytesB64":
    case "bytesHex": {
      if (isHex) {
        const bytes = fromHexStrict(raw.slice(2));
        if (!bytes) throw new ParamError(`${name}: invalid hex after 0x`);
        return kind === "string" ? new TextDecoder().decode(bytes) : bytes;
      }
      if (!quoted) throw new ParamError(`${name}: expected a "quoted string" or 0x-prefixed hex`);
      let text: unknown;
      try {
        text = JSON.parse(raw);
      } catch {
        throw new ParamError(`${name}: invalid quoted string`);
      }
      if (typeof text !== "string") throw new ParamError(`${name}: invalid quoted string`);
      return kind === "string" ? text : new TextEncoder().encode(text);
    }
  }
}

/** Parsed parameters with typed accessors; absent parameters read as undefined. */
export class Params {
  private constructor(private readonly values: Map<string, ParamValue>) {}

  /** JSON-RPC params: undefined/null → none, object by name, array by position. Unknown names are ignored. */
  static fromJson(spec: ParamSpec, raw: unknown): Params {
    const values = new Map<string, ParamValue>();
    if (raw === undefined || raw === null) return new Params(values);
    if (Array.isArray(raw)) {
      if (raw.length > spec.length) throw new ParamError(`expected at most ${spec.length} positional params`);
      raw.forEach((v, i) => {
        const [name, kind] = spec[i] as readonly [string, ParamKind];
        if (v !== null && v !== undefined) values.set(name, fromJson(name, kind, v));
      });
      return new Params(values);
    }
    if (typeof raw !== "object") throw new ParamError("params must be an object or an array");
    const obj = raw as Record<string, unknown>;
    for (const [name, kind] of spec) {
      const v = Object.hasOwn(obj, name) ? obj[name] : undefined;
      if (v !== null && v !== undefined) values.set(name, fromJson(name, kind, v));
    }
    return new Params(values);
  }

  static fromUri(spec: ParamSpec, search: URLSearchParams): Params {
    const values = new Map<string, ParamValue>();
    for (const [name, kind] of spec) {
      const v = search.get(name);
      if (v !== null && v !== "") values.set(name, fromUri(name, kind, v));
    }
    return new Params(values);
  }

  int(name: string): bigint | undefined {
    return this.typed(name, (v): v is bigint => typeof v === "bigint");
  }

  string(name: string): string | undefined {
    return this.typed(name, (v): v is string => typeof v === "string");
  }

  bool(name: string): boolean | undefined {
    return this.typed(name, (v): v is boolean => typeof v === "boolean");
  }

  bytes(name: string): Bytes | undefined {
    return this.typed(name, (v): v is Bytes => v instanceof Uint8Array);
  }

  /** A page/per_page style int that must fit a JS number. */
  smallInt(name: string): number | undefined {
    const v = this.int(name);
    if (v === undefined) return undefined;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ParamError(`${name}: too large`);
    return Number(v);
  }

  private typed<T extends ParamValue>(name: string, is: (v: ParamValue) => v is T): T | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (!is(v)) throw new Error(`param ${name} read with the wrong type`); // a bug in a method's spec
    return v;
  }
}
