/** The codec contract shared by every protobuf message type. */

/** Values that DeepPartial leaves whole (bytes, 64-bit integers, scalars, enums). */
type Builtin = Uint8Array | bigint | number | string | boolean | undefined | null;

/** A message with any subset of its fields, recursively (the `fromPartial` input, as in ts-proto). */
export type DeepPartial<T> = T extends Builtin
  ? T
  : T extends Array<infer U>
    ? Array<DeepPartial<U>>
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : Partial<T>;

export interface Codec<T> {
  /** Full protobuf name, e.g. "cosmos.bank.v1beta1.MsgSend". */
  readonly typeName: string;
  /** "/" + typeName, as used in google.protobuf.Any. */
  readonly typeUrl: string;
  /** Canonical proto3 bytes (fields in number order, defaults omitted), identical to ts-proto's output. */
  encode(msg: T): Uint8Array;
  /**
   * Lenient decode (unknown fields skipped); throws an SdkErrors.txDecode ChainError on malformed bytes.
   * Bytes fields of the result are views into the input (no copy, as cosmjs-types): do not mutate the input.
   */
  decode(bytes: Uint8Array): T;
  /**
   * Decode that also requires the bytes to be exactly what `encode` produces (ADR-027): no unknown fields,
   * fields in order and not repeated, no explicit default values, minimal varints.
   */
  decodeCanonical(bytes: Uint8Array): T;
  /** A complete message from a partial one, defaults filled in. */
  fromPartial(partial: DeepPartial<T>): T;
}
