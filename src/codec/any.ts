/** Packing messages into google.protobuf.Any and back. */
import { SdkErrors } from "../errors.js";
import type { Any } from "./google.js";
import type { Codec } from "./types.js";

/** An Any holding msg, encoded with its codec. */
export function anyOf<T>(codec: Codec<T>, msg: T): Any {
  return { typeUrl: codec.typeUrl, value: codec.encode(msg) };
}

/**
 * The message inside an Any. Throws SdkErrors.invalidType when the type URL is not the codec's, and
 * SdkErrors.txDecode on bad bytes. "canonical" (the default) also rejects non-canonical encodings.
 */
export function unpackAny<T>(packed: Any, codec: Codec<T>, mode: "canonical" | "lenient" = "canonical"): T {
  if (packed.typeUrl !== codec.typeUrl) {
    throw SdkErrors.invalidType.with(`expected ${codec.typeUrl}, got ${JSON.stringify(packed.typeUrl.slice(0, 128))}`);
  }
  return mode === "canonical" ? codec.decodeCanonical(packed.value) : codec.decode(packed.value);
}
