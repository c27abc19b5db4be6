/** fast-check arbitraries for any message type, derived from the protobufjs reflection descriptor. */
import fc from "fast-check";
import protobuf from "protobufjs";
import { protoRoot } from "../../../src/codec/index.js";

type Value = Record<string, unknown>;

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function scalar(field: protobuf.Field): fc.Arbitrary<unknown> {
  if (field.resolvedType instanceof protobuf.Enum) {
    const known = Object.values(field.resolvedType.values);
    return fc.oneof(fc.constantFrom(...known), fc.constant(77)); // 77: a value the enum does not name
  }
  switch (field.type) {
    case "string":
      return fc.oneof(fc.constant(""), fc.string({ unit: "grapheme", maxLength: 12 }));
    case "bool":
      return fc.boolean();
    case "int32":
      return fc.oneof(fc.constant(0), fc.integer());
    case "uint32":
      return fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff }));
    case "int64":
      return fc.oneof(fc.constant(0n), fc.bigInt({ min: INT64_MIN, max: INT64_MAX }));
    case "uint64":
      return fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }));
    case "bytes":
      return fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 40 }));
    default:
      throw new Error(`no arbitrary for ${field.type}`);
  }
}

/** Full values of the message (every scalar set, sub-messages possibly undefined), nesting up to maxDepth. */
export function arbitraryMessage(typeName: string, maxDepth = 3): fc.Arbitrary<Value> {
  return messageArb(protoRoot.lookupType(typeName), maxDepth);
}

function messageArb(type: protobuf.Type, depth: number): fc.Arbitrary<Value> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    if (field.partOf) continue;
    const resolved = field.resolvedType;
    let elem: fc.Arbitrary<unknown>;
    if (resolved instanceof protobuf.Type) {
      if (depth <= 0) {
        parts[field.name] = field.repeated ? fc.constant([]) : fc.constant(undefined);
        continue;
      }
      elem = messageArb(resolved, depth - 1);
      parts[field.name] = field.repeated ? fc.array(elem, { maxLength: 3 }) : fc.option(elem, { nil: undefined });
    } else {
      elem = scalar(field);
      parts[field.name] = field.repeated ? fc.array(elem, { maxLength: 3 }) : elem;
    }
  }
  const base = fc.record(parts, { noNullPrototype: true }).map((r) => ({ ...r }) as Value);
  if (type.oneofsArray.length === 0) return base;
  // Oneof members: set at most one per group (both set is not a value the wire can express).
  const groups = type.oneofsArray.map((oneof) => {
    const members = oneof.fieldsArray.map((f) => {
      f.resolve();
      const resolved = f.resolvedType;
      const arb =
        resolved instanceof protobuf.Type
          ? depth <= 0
            ? fc.constant(undefined)
            : messageArb(resolved, depth - 1)
          : scalar(f);
      return arb.map((v) => ({ name: f.name, v }));
    });
    return fc.option(fc.oneof(...members), { nil: undefined }).map((chosen) => {
      const out: Value = {};
      for (const f of oneof.fieldsArray) out[f.name] = chosen && chosen.name === f.name ? chosen.v : undefined;
      return out;
    });
  });
  return fc.tuple(base, ...groups).map(([b, ...gs]) => Object.assign({}, b, ...gs) as Value);
}
