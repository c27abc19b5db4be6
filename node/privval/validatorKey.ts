/**
 * The validator's ed25519 consensus key (`<home>/config/priv_validator_key.json`, CometBFT's shape), written
 * with mode 0600. The seed is the 32-byte private scalar seed; CometBFT stores seed ‖ public key (64 bytes).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { ed25519PublicKeyFromSeed, signEd25519 } from "../../src/crypto/ed25519.js";
import { validatorAddressFromEd25519 } from "../../src/crypto/address.js";

export interface ValidatorKey {
  address: Uint8Array;
  pubKey: Uint8Array;
  seed: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function validatorKeyFromSeed(seed: Uint8Array): ValidatorKey {
  const pubKey = ed25519PublicKeyFromSeed(seed);
  return { address: validatorAddressFromEd25519(pubKey), pubKey, seed, sign: (message) => signEd25519(seed, message) };
}

export function generateValidatorKey(): ValidatorKey {
  return validatorKeyFromSeed(new Uint8Array(randomBytes(32)));
}

export function saveValidatorKey(path: string, key: ValidatorKey): void {
  const json = {
    address: Buffer.from(key.address).toString("hex").toUpperCase(),
    pub_key: { type: "tendermint/PubKeyEd25519", value: Buffer.from(key.pubKey).toString("base64") },
    priv_key: { type: "tendermint/PrivKeyEd25519", value: Buffer.concat([key.seed, key.pubKey]).toString("base64") },
  };
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
}

export function loadValidatorKey(path: string): ValidatorKey {
  let json: { priv_key?: { type?: string; value?: string } };
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read validator key ${path}: ${(err as Error).message}`);
  }
  if (json.priv_key?.type !== "tendermint/PrivKeyEd25519" || typeof json.priv_key.value !== "string") {
    throw new Error(`${path}: priv_key must be a tendermint/PrivKeyEd25519`);
  }
  const bytes = Buffer.from(json.priv_key.value, "base64");
  if (bytes.length !== 64) throw new Error(`${path}: priv_key must be 64 bytes (seed ‖ public key)`);
  const key = validatorKeyFromSeed(new Uint8Array(bytes.subarray(0, 32)));
  if (!Buffer.from(key.pubKey).equals(bytes.subarray(32))) throw new Error(`${path}: public key does not match the private key`);
  return key;
}
