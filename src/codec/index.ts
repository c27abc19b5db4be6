/**
 * Public surface of the protobuf codec. Every message has an interface (its decoded shape) and a codec constant
 * of the same name; see types.ts for the Codec contract.
 */
export type { Codec, DeepPartial } from "./types.js";
export { codecFor, mappedCodec, protoRoot, bytesEqual } from "./codec.js";
export { EMPTY_BYTES } from "./plan.js";
export { anyOf, unpackAny } from "./any.js";
export * from "./google.js";
export * from "./cosmos/base.js";
export * from "./cosmos/abci.js";
export * from "./cosmos/crypto.js";
export * from "./cosmos/tx.js";
export * from "./cosmos/txService.js";
export * from "./cosmos/auth.js";
export * from "./cosmos/bank.js";
export * from "./cosmos/bankQuery.js";
export * from "./vanna/block.js";
export * from "./vanna/consensus.js";
