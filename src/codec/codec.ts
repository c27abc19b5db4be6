/**
 * Codec implementations: protobufjs reflection types built once from the generated descriptor, wrapped so that
 * every decode failure is a ChainError and values have our shape (see plan.ts).
 */
import protobuf from "protobufjs";
import { ChainError, SdkErrors } from "../errors.js";
import { isCanonical, walkPlanFor, type WalkPlan } from "./canonical.js";
import { descriptor } from "./gen/descriptor.js";
import { fromPartial, fromWire, planFor, toWire, type TypePlan, type WireObject } from "./plan.js";
import type { Codec, DeepPartial } from "./types.js";

// Without `long`, protobufjs silently decodes 64-bit integers as lossy doubles.
if (!protobuf.util.Long) throw new Error("protobufjs is missing the `long` package");

/** The resolved protobufjs root of every schema under proto/. */
export const protoRoot: protobuf.Root = protobuf.Root.fromJSON(descriptor);
protoRoot.resolveAll();

/** True when a and b hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (a.length > 64) return Buffer.compare(toBuffer(a), toBuffer(b)) === 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A protobufjs reader whose `bytes` fields come out as plain Uint8Array subarrays of the input (not Buffers). */
function plainReader(bytes: Uint8Array): protobuf.Reader {
  const plain = Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
  const reader = new protobuf.Reader(plain);
  reader.discardUnknown = true; // canonical checking catches unknown fields separately
  return reader;
}

function finish(writer: protobuf.Writer): Uint8Array {
  const out = writer.finish();
  if (out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) {
    return new Uint8Array(out.buffer, 0, out.byteLength);
  }
  // Small outputs live in a shared pool slab; give callers a Uint8Array that owns its memory.
  const copy = new Uint8Array(out.byteLength);
  copy.set(out);
  return copy;
}

class MessageCodec<T> implements Codec<T> {
  readonly typeUrl: string;
  private readonly plan: TypePlan;
  /** Schema for the fast canonical check; undefined for types it does not support (then we re-encode). */
  private readonly walk: WalkPlan | undefined;

  constructor(readonly typeName: string) {
    this.typeUrl = `/${typeName}`;
    const type = protoRoot.lookupType(typeName);
    this.plan = planFor(type);
    this.walk = tryWalkPlan(type);
  }

  encode(msg: T): Uint8Array {
    const wire = toWire(this.plan, msg as WireObject);
    return finish(this.plan.type.encode(wire));
  }

  decode(bytes: Uint8Array): T {
    if (!(bytes instanceof Uint8Array)) throw SdkErrors.txDecode.with(`${this.typeName}: expected bytes`);
    try {
      return fromWire(this.plan, this.plan.type.decode(plainReader(bytes)) as unknown as WireObject) as T;
    } catch (err) {
      if (err instanceof ChainError) throw err;
      // The library's message is not part of the log: logs enter consensus data and must not depend on it.
      throw SdkErrors.txDecode.with(`invalid ${this.typeName} bytes`);
    }
  }

  decodeCanonical(bytes: Uint8Array): T {
    const value = this.decode(bytes); // first, so that malformed bytes report as such
    const canonical = this.walk ? isCanonical(this.walk, bytes) : bytesEqual(this.encode(value), bytes);
    if (!canonical) throw SdkErrors.txDecode.with(`non-canonical ${this.typeName} encoding`);
    return value;
  }

  fromPartial(partial: DeepPartial<T>): T {
    return fromPartial(this.plan, partial as WireObject) as T;
  }
}

function tryWalkPlan(type: protobuf.Type): WalkPlan | undefined {
  try {
    return walkPlanFor(type);
  } catch {
    return undefined;
  }
}

const codecs = new Map<string, Codec<unknown>>();

/**
 * The codec of a message type in the descriptor, e.g. codecFor<MsgSend>("cosmos.bank.v1beta1.MsgSend").
 * T must describe the message's decoded shape; the exported codec constants pair each type with its interface.
 */
export function codecFor<T>(typeName: string): Codec<T> {
  let codec = codecs.get(typeName);
  if (!codec) {
    codec = new MessageCodec<unknown>(typeName);
    codecs.set(typeName, codec);
  }
  return codec as Codec<T>;
}

/**
 * A codec over a different in-memory shape than the wire message (e.g. src/types Block vs vanna.types.v1.Block).
 * decodeCanonical re-encodes through the mapping, so a canonical value maps back to exactly the given bytes.
 */
export function mappedCodec<P, T>(
  inner: Codec<P>,
  toProto: (value: T) => P,
  fromProto: (proto: P) => T,
  partial: (p: DeepPartial<T>) => T,
): Codec<T> {
  return {
    typeName: inner.typeName,
    typeUrl: inner.typeUrl,
    encode: (value) => inner.encode(toProto(value)),
    decode: (bytes) => fromProto(inner.decode(bytes)),
    decodeCanonical(bytes) {
      const value = fromProto(inner.decode(bytes));
      if (!bytesEqual(inner.encode(toProto(value)), bytes)) {
        throw SdkErrors.txDecode.with(`non-canonical ${inner.typeName} encoding`);
      }
      return value;
    },
    fromPartial: partial,
  };
}
