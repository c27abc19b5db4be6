/**
 * Per-type conversion plans between protobufjs's wire objects and our decoded shape (camelCase, bigint for
 * 64-bit integers, plain Uint8Array for bytes, arrays always present, unset sub-messages undefined).
 * A plan is built once per message type from the reflection descriptor; decoding then runs protobufjs's
 * generated decoder followed by these precomputed field converters.
 */
import protobuf from "protobufjs";
import { SdkErrors } from "../errors.js";

/** A protobufjs message instance or a plain object with field values. */
export type WireObject = Record<string, unknown>;

/** Shared immutable default for unset bytes fields (a zero-length typed array can be frozen). */
export const EMPTY_BYTES: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;

const LONG_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const UNSIGNED_LONG_TYPES = new Set(["uint64", "fixed64"]);
const MAX_U64 = (1n << 64n) - 1n;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

interface LongLike {
  low: number;
  high: number;
}

interface FieldPlan {
  readonly name: string;
  /** Wire value (possibly a prototype default) to our value. */
  readonly read: (v: unknown) => unknown;
  /** Our value to a value the protobufjs encoder accepts; undefined when no conversion is needed. */
  readonly write: ((v: unknown) => unknown) | undefined;
  /** Partial value (possibly undefined) to a complete value. */
  readonly partial: (v: unknown) => unknown;
}

export interface TypePlan {
  readonly type: protobuf.Type;
  readonly fields: FieldPlan[];
  /** True when encoding needs a converted copy (the type reaches a 64-bit field). */
  needsWireCopy: boolean;
}

function longToBigInt(v: unknown, unsigned: boolean): bigint {
  if (typeof v === "number") return BigInt(v);
  if (v === null || typeof v !== "object") return 0n;
  const { low, high } = v as LongLike;
  if (high === 0 && low >= 0) return BigInt(low); // common case: small non-negative values
  const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return unsigned ? bits : BigInt.asIntN(64, bits);
}

function bigIntToLong(v: bigint, unsigned: boolean, where: string): LongLike {
  if (v >= 0n && v <= 0x7fffffffn) return { low: Number(v), high: 0 };
  if (unsigned ? v < 0n || v > MAX_U64 : v < MIN_I64 || v > MAX_I64) {
    throw SdkErrors.invalidRequest.with(`${where}: ${v} is out of ${unsigned ? "uint64" : "int64"} range`);
  }
  const bits = BigInt.asUintN(64, v);
  return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0 };
}

function readBytes(v: unknown): Uint8Array {
  // Set bytes are subarray views into the decoded input (no copy, as cosmjs-types); unset ones read the
  // prototype default, which protobufjs makes a plain array.
  return v instanceof Uint8Array && v.length > 0 ? v : EMPTY_BYTES;
}

function scalarDefault(field: protobuf.Field): unknown {
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  switch (field.type) {
    case "string":
      return "";
    case "bool":
      return false;
    default:
      return 0;
  }
}

const plans = new Map<string, TypePlan>();

/** The plan of a message type, built on first use (recursive types share the cached plan). */
export function planFor(type: protobuf.Type): TypePlan {
  const existing = plans.get(type.fullName);
  if (existing) return existing;
  const plan: TypePlan = { type, fields: [], needsWireCopy: false };
  plans.set(type.fullName, plan);
  for (const field of type.fieldsArray) {
    field.resolve();
    if (field.map) throw new Error(`${type.fullName}.${field.name}: map fields are not supported`);
    plan.fields.push(fieldPlan(type, field));
  }
  plan.needsWireCopy = reachesLong(type, new Set());
  return plan;
}

function reachesLong(type: protobuf.Type, seen: Set<string>): boolean {
  if (seen.has(type.fullName)) return false;
  seen.add(type.fullName);
  return type.fieldsArray.some(
    (f) => LONG_TYPES.has(f.type) || (f.resolvedType instanceof protobuf.Type && reachesLong(f.resolvedType, seen)),
  );
}

function fieldPlan(owner: protobuf.Type, field: protobuf.Field): FieldPlan {
  const where = `${owner.fullName}.${field.name}`;
  const single = elementPlan(field, where);
  if (!field.repeated) return { name: field.name, ...single };
  const { read, write, partial } = single;
  return {
    name: field.name,
    read: (v) => {
      if (!Array.isArray(v) || v.length === 0) return [];
      // The decoder built this array for us; convert in place unless values pass through unchanged.
      return single.identityRead ? v : v.map(read);
    },
    write: write && ((v) => (Array.isArray(v) ? v.map(write) : v)),
    partial: (v) => (Array.isArray(v) ? v.map(partial) : []),
  };
}

interface ElementPlan {
  read: (v: unknown) => unknown;
  write: ((v: unknown) => unknown) | undefined;
  partial: (v: unknown) => unknown;
  identityRead: boolean;
}

function elementPlan(field: protobuf.Field, where: string): ElementPlan {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    // Resolved lazily: the sub-plan may still be under construction for recursive types.
    let sub: TypePlan | undefined;
    const subPlan = (): TypePlan => (sub ??= planFor(resolved));
    return {
      read: (v) => (v === null || v === undefined ? undefined : fromWire(subPlan(), v as WireObject)),
      write: (v) => (v === null || v === undefined || !subPlan().needsWireCopy ? v : toWire(subPlan(), v as WireObject)),
      partial: (v) => (v === null || v === undefined ? undefined : fromPartial(subPlan(), v as WireObject)),
      identityRead: false,
    };
  }
  if (LONG_TYPES.has(field.type)) {
    const unsigned = UNSIGNED_LONG_TYPES.has(field.type);
    return {
      read: (v) => longToBigInt(v, unsigned),
      write: (v) => (typeof v === "bigint" ? bigIntToLong(v, unsigned, where) : v),
      partial: (v) => (typeof v === "bigint" ? v : typeof v === "number" ? BigInt(v) : 0n),
      identityRead: false,
    };
  }
  if (field.type === "bytes") {
    return {
      read: readBytes,
      write: undefined,
      partial: (v) => (v instanceof Uint8Array ? v : EMPTY_BYTES),
      identityRead: false,
    };
  }
  const fallback = scalarDefault(field);
  return {
    read: (v) => (v === undefined || v === null ? fallback : v),
    write: undefined,
    partial: (v) => (v === undefined || v === null ? fallback : v),
    identityRead: true,
  };
}

/** A decoded protobufjs message to our shape. */
export function fromWire(plan: TypePlan, m: WireObject): WireObject {
  const out: WireObject = {};
  for (const f of plan.fields) out[f.name] = f.read(m[f.name]);
  return out;
}

/** Our shape to an object protobufjs's encoder accepts (a copy only where 64-bit values need converting). */
export function toWire(plan: TypePlan, o: WireObject): WireObject {
  if (!plan.needsWireCopy) return o;
  const out: WireObject = {};
  for (const f of plan.fields) {
    const v = o[f.name];
    if (v === undefined || v === null) continue;
    out[f.name] = f.write ? f.write(v) : v;
  }
  return out;
}

/** Fills every missing field of a partial value with its default. */
export function fromPartial(plan: TypePlan, p: WireObject | undefined | null): WireObject {
  const out: WireObject = {};
  for (const f of plan.fields) out[f.name] = f.partial(p?.[f.name]);
  return out;
}
