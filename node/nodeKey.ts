/** The node's p2p identity key (`<home>/config/node_key.json`); its id is the first 20 bytes of SHA-256(pubkey). */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { ed25519PublicKeyFromSeed } from "../src/crypto/ed25519.js";
import { sha256 } from "../src/crypto/hash.js";

export interface NodeKey {
  seed: Uint8Array;
  pubKey: Uint8Array;
  nodeId: Uint8Array;
}

export function loadOrCreateNodeKey(path: string): NodeKey {
  if (!existsSync(path)) {
    const seed = new Uint8Array(randomBytes(32));
    const pubKey = ed25519PublicKeyFromSeed(seed);
    const json = { priv_key: { type: "tendermint/PrivKeyEd25519", value: Buffer.concat([seed, pubKey]).toString("base64") } };
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
  }
  const json = JSON.parse(readFileSync(path, "utf8")) as { priv_key?: { value?: string } };
  const bytes = Buffer.from(json.priv_key?.value ?? "", "base64");
  if (bytes.length !== 64) throw new Error(`${path}: invalid node key`);
  const seed = new Uint8Array(bytes.subarray(0, 32));
  const pubKey = ed25519PublicKeyFromSeed(seed);
  return { seed, pubKey, nodeId: sha256(pubKey).subarray(0, 20) };
}
