/**
 * The libp2p peer id of an ed25519 node key, computed without loading libp2p (the CLI and the testnet layout
 * need ids, not a network): base58btc of the identity multihash of the protobuf-encoded public key
 * (KeyType Ed25519 = 1), exactly as libp2p derives it.
 */
import { ed25519PublicKeyFromSeed } from "../../src/crypto/ed25519.js";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)]! + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

export function peerIdFromEd25519PublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError("an ed25519 public key has 32 bytes");
  // PublicKey protobuf { Type = 1 (Ed25519), Data = key } is 36 bytes; identity multihash: 0x00, length.
  const proto = new Uint8Array([0x08, 0x01, 0x12, 0x20, ...publicKey]);
  return base58btc(new Uint8Array([0x00, proto.length, ...proto]));
}

export function peerIdOfSeed(seed: Uint8Array): string {
  return peerIdFromEd25519PublicKey(ed25519PublicKeyFromSeed(seed));
}
