/** cosmos.crypto key and multisig messages. */
import { codecFor } from "../codec.js";

/** key: 33-byte compressed secp256k1 public key. */
export interface Secp256k1PubKey {
  key: Uint8Array;
}

export interface Secp256k1PrivKey {
  key: Uint8Array;
}

/** key: 32-byte ed25519 public key. */
export interface Ed25519PubKey {
  key: Uint8Array;
}

export interface Ed25519PrivKey {
  key: Uint8Array;
}

export interface MultiSignature {
  signatures: Uint8Array[];
}

export interface CompactBitArray {
  extraBitsStored: number;
  elems: Uint8Array;
}

export const Secp256k1PubKey = codecFor<Secp256k1PubKey>("cosmos.crypto.secp256k1.PubKey");
export const Secp256k1PrivKey = codecFor<Secp256k1PrivKey>("cosmos.crypto.secp256k1.PrivKey");
export const Ed25519PubKey = codecFor<Ed25519PubKey>("cosmos.crypto.ed25519.PubKey");
export const Ed25519PrivKey = codecFor<Ed25519PrivKey>("cosmos.crypto.ed25519.PrivKey");
export const MultiSignature = codecFor<MultiSignature>("cosmos.crypto.multisig.v1beta1.MultiSignature");
export const CompactBitArray = codecFor<CompactBitArray>("cosmos.crypto.multisig.v1beta1.CompactBitArray");
