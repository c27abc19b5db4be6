/**
 * ADR-027 canonical-encoding check as one allocation-free pass over the wire bytes, driven by the schema.
 * It accepts exactly the bytes that protobufjs's encoder would produce for the decoded value (a property the
 * tests check differentially), at a fraction of the cost of re-encoding: fields in ascending order, each
 * non-repeated field at most once, at most one member per oneof, no unknown fields, wire types as declared,
 * minimal varints (tags, lengths, values), values in the declared integer range, and no default scalars.
 * String contents are not checked here: decoding rejects invalid UTF-8. float/double fields are not
 * supported (NaN payloads need not survive a decode/encode round trip); walkPlanFor throws for them and the
 * codec falls back to re-encoding.
 */
import protobuf from "protobufjs";

const enum Kind {
  Int64, // int64, uint64: any 64-bit value
  Int32, // int32, enum: sign-extended 32-bit
  Uint32,
  Sint32,
  Bool,
  Fixed32, // fixed32, sfixed32
  Fixed64, // fixed64, sfixed64
  Bytes, // bytes, string
  Message,
}

interface WalkField {
  kind: Kind;
  wireType: number;
  repeated: boolean;
  packed: boolean;
  /** Index of its oneof group, or -1. Oneof members may hold default values (presence is explicit). */
  oneof: number;
  sub: WalkPlan | undefined;
}

export interface WalkPlan {
  byNumber: Map<number, WalkField>;
  oneofCount: number;
}

const KIND_BY_TYPE: Record<string, Kind> = {
  int64: Kind.Int64,
  uint64: Kind.Int64,
  sint64: Kind.Int64,
  int32: Kind.Int32,
  uint32: Kind.Uint32,
  sint32: Kind.Sint32,
  bool: Kind.Bool,
  fixed32: Kind.Fixed32,
  sfixed32: Kind.Fixed32,
  fixed64: Kind.Fixed64,
  sfixed64: Kind.Fixed64,
  bytes: Kind.Bytes,
  string: Kind.Bytes,
};

const WIRE_TYPE: Record<Kind, number> = {
  [Kind.Int64]: 0,
  [Kind.Int32]: 0,
  [Kind.Uint32]: 0,
  [Kind.Sint32]: 0,
  [Kind.Bool]: 0,
  [Kind.Fixed32]: 5,
  [Kind.Fixed64]: 1,
  [Kind.Bytes]: 2,
  [Kind.Message]: 2,
};

const MAX_DEPTH = 100; // protobufjs's own recursion limit

const plans = new Map<string, WalkPlan>();

export function walkPlanFor(type: protobuf.Type): WalkPlan {
  const cached = plans.get(type.fullName);
  if (cached) return cached;
  const plan: WalkPlan = { byNumber: new Map(), oneofCount: type.oneofsArray.length };
  plans.set(type.fullName, plan); // before the fields, so recursive types find it
  try {
    fillPlan(type, plan);
  } catch (err) {
    plans.delete(type.fullName); // never leave a partial plan behind
    throw err;
  }
  return plan;
}

function fillPlan(type: protobuf.Type, plan: WalkPlan): void {
  if (plan.oneofCount > 30) throw new Error(`${type.fullName}: too many oneofs`);
  for (const field of type.fieldsArray) {
    field.resolve();
    const resolved = field.resolvedType;
    let kind: Kind | undefined;
    if (resolved instanceof protobuf.Type) kind = Kind.Message;
    else if (resolved instanceof protobuf.Enum) kind = Kind.Int32;
    else kind = KIND_BY_TYPE[field.type];
    if (kind === undefined || field.map) throw new Error(`${type.fullName}.${field.name}: unsupported field type`);
    const packed = field.repeated && kind !== Kind.Bytes && kind !== Kind.Message;
    plan.byNumber.set(field.id, {
      kind,
      wireType: packed ? 2 : WIRE_TYPE[kind],
      repeated: field.repeated,
      packed,
      oneof: field.partOf ? type.oneofsArray.indexOf(field.partOf) : -1,
      sub: resolved instanceof protobuf.Type ? walkPlanFor(resolved) : undefined,
    });
  }
}

// Result registers of readVarint (avoids allocating a result object per varint).
let pos = 0;
let lo = 0;
let hi = 0;

/** Reads a minimal varint at `pos` (before `end`) into lo/hi and advances pos; false if malformed or padded. */
function readVarint(buf: Uint8Array, end: number): boolean {
  lo = 0;
  hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) return false;
    const b = buf[pos++]!;
    const bits = b & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) {
      lo |= (bits & 0x0f) << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (7 * i - 32);
    if ((b & 0x80) === 0) {
      if (i > 0 && b === 0) return false; // a trailing zero group: not minimal
      if (i === 9 && b > 1) return false; // beyond 64 bits
      lo >>>= 0;
      hi >>>= 0;
      return true;
    }
  }
  return false;
}

/** True when the varint in lo/hi is a canonical encoding of a value of this kind. */
function varintFits(kind: Kind): boolean {
  switch (kind) {
    case Kind.Int32:
      return hi === (lo >= 0x80000000 ? 0xffffffff : 0);
    case Kind.Uint32:
    case Kind.Sint32:
      return hi === 0;
    case Kind.Bool:
      return hi === 0 && lo <= 1;
    default:
      return true;
  }
}

/** True when buf[start, end) is exactly what the encoder produces for some value of the planned message. */
export function isCanonical(plan: WalkPlan, buf: Uint8Array, start = 0, end = buf.length, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  pos = start;
  let lastNumber = 0;
  let oneofsSeen = 0; // bit set (fillPlan caps oneofs per message at 30)
  while (pos < end) {
    if (!readVarint(buf, end) || hi !== 0) return false;
    const number = lo >>> 3;
    const field = plan.byNumber.get(number);
    if (field === undefined || (lo & 7) !== field.wireType) return false;
    if (number < lastNumber || (number === lastNumber && (!field.repeated || field.packed))) return false;
    if (field.oneof >= 0 && number !== lastNumber) {
      const bit = 1 << field.oneof;
      if (oneofsSeen & bit) return false;
      oneofsSeen |= bit;
    }
    lastNumber = number;
    const mayBeDefault = field.repeated || field.oneof >= 0;
    switch (field.wireType) {
      case 0:
        if (!readVarint(buf, end) || !varintFits(field.kind)) return false;
        if (!mayBeDefault && lo === 0 && hi === 0) return false;
        break;
      case 1:
      case 5: {
        const size = field.wireType === 1 ? 8 : 4;
        if (pos + size > end) return false;
        let orBits = 0;
        for (let i = 0; i < size; i++) orBits |= buf[pos + i]!;
        if (!mayBeDefault && orBits === 0) return false;
        pos += size;
        break;
      }
      case 2: {
        if (!readVarint(buf, end) || hi !== 0 || lo > end - pos) return false;
        const bodyEnd = pos + lo;
        if (field.kind === Kind.Message) {
          if (!isCanonical(field.sub!, buf, pos, bodyEnd, depth + 1)) return false;
          pos = bodyEnd; // the nested walk moved the shared cursor
        } else if (field.packed) {
          if (bodyEnd === pos || !isCanonicalPacked(field.kind, buf, bodyEnd)) return false;
        } else {
          if (!mayBeDefault && bodyEnd === pos) return false;
          pos = bodyEnd;
        }
        break;
      }
      default:
        return false;
    }
  }
  return pos === end;
}

function isCanonicalPacked(kind: Kind, buf: Uint8Array, end: number): boolean {
  if (kind === Kind.Fixed32 || kind === Kind.Fixed64) {
    const size = kind === Kind.Fixed32 ? 4 : 8;
    if ((end - pos) % size !== 0) return false;
    pos = end;
    return true;
  }
  while (pos < end) if (!readVarint(buf, end) || !varintFits(kind)) return false;
  return true;
}
