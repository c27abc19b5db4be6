/**
 * The on-disk form of one key: `<dir>/<name>.json`. Name, address, public key and HD path are plain (so keys can
 * be listed and addresses resolved without the passphrase); the mnemonic is sealed (file backend) or, for the
 * insecure test backend, stored as is. Reading validates every field: a key file is untrusted input.
 */
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import type { SealedSecret } from "./crypto.js";
import { indexOfHdPath, isAccountAddress } from "./hd.js";

export type KeyringBackend = "file" | "test";

export const KEYFILE_VERSION = 1;

export interface KeyInfo {
  readonly name: string;
  readonly address: string;
  /** 33-byte compressed secp256k1 public key */
  readonly pubkey: Uint8Array;
  readonly hdPath: string;
  readonly index: number;
  readonly backend: KeyringBackend;
}

export interface KeyFileCommon {
  readonly version: typeof KEYFILE_VERSION;
  readonly name: string;
  readonly type: "local";
  readonly algo: "secp256k1";
  readonly address: string;
  /** base64 */
  readonly pubkey: string;
  readonly hdPath: string;
}

export type KeyFile =
  | (KeyFileCommon & { readonly backend: "file"; readonly encryptedMnemonic: SealedSecret })
  | (KeyFileCommon & { readonly backend: "test"; readonly mnemonic: string });

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Names are file names, so they are restricted; they must not look like addresses, which are looked up too. */
export function checkKeyName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new KeyringError(`invalid key name "${name}": use 1-64 letters, digits, "_", "." or "-", starting with a letter or digit`);
  }
  if (name.startsWith("vanna1")) throw new KeyringError(`invalid key name "${name}": names must not look like addresses`);
}

export class KeyringError extends Error {
  override readonly name = "KeyringError";
}

/** Authenticated data binding the plain fields to the ciphertext: edit the address and decryption fails. */
export function keyFileAad(file: Pick<KeyFileCommon, "address" | "pubkey" | "hdPath">): Uint8Array {
  return new TextEncoder().encode(`vanna-keyring-v1\n${file.address}\n${file.pubkey}\n${file.hdPath}`);
}

export function keyInfoOf(file: KeyFile): KeyInfo {
  return {
    name: file.name,
    address: file.address,
    pubkey: fromBase64(file.pubkey),
    hdPath: file.hdPath,
    index: indexOfHdPath(file.hdPath) ?? 0,
    backend: file.backend,
  };
}

export function commonFields(name: string, address: string, pubkey: Uint8Array, hdPath: string): KeyFileCommon {
  return { version: KEYFILE_VERSION, name, type: "local", algo: "secp256k1", address, pubkey: toBase64(pubkey), hdPath };
}

export function parseKeyFile(text: string, expectedName: string, expectedBackend: KeyringBackend, where: string): KeyFile {
  const bad = (what: string): KeyringError => new KeyringError(`corrupt key file ${where}: ${what}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad("not JSON");
  }
  if (!isRecord(raw)) throw bad("not an object");
  if (raw["version"] !== KEYFILE_VERSION) throw bad(`unsupported version ${JSON.stringify(raw["version"])}`);
  const name = raw["name"];
  if (name !== expectedName) throw bad(`name ${JSON.stringify(name)} does not match the file name`);
  if (raw["type"] !== "local" || raw["algo"] !== "secp256k1") throw bad("unsupported key type");
  const address = raw["address"];
  if (typeof address !== "string" || !isAccountAddress(address)) throw bad("invalid address");
  const pubkey = raw["pubkey"];
  if (typeof pubkey !== "string" || !isPubkey(pubkey)) throw bad("invalid pubkey");
  const hdPath = raw["hdPath"];
  if (typeof hdPath !== "string" || indexOfHdPath(hdPath) === undefined) throw bad("invalid hdPath");
  const common = commonFields(expectedName, address, fromBase64(pubkey), hdPath);
  if (raw["backend"] !== expectedBackend) throw bad(`backend ${JSON.stringify(raw["backend"])} where ${expectedBackend} was expected`);
  if (expectedBackend === "test") {
    const mnemonic = raw["mnemonic"];
    if (typeof mnemonic !== "string") throw bad("missing mnemonic");
    return { ...common, backend: "test", mnemonic };
  }
  const sealed = raw["encryptedMnemonic"];
  if (!isSealed(sealed)) throw bad("missing or malformed encryptedMnemonic");
  return { ...common, backend: "file", encryptedMnemonic: sealed };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isPubkey(text: string): boolean {
  try {
    const bytes = fromBase64(text);
    return bytes.length === 33 && (bytes[0] === 2 || bytes[0] === 3);
  } catch {
    return false;
  }
}

function isSealed(v: unknown): v is SealedSecret {
  if (!isRecord(v)) return false;
  const strings = ["salt", "iv", "ciphertext", "tag"].every((k) => typeof v[k] === "string");
  const numbers = ["n", "r", "p"].every((k) => typeof v[k] === "number");
  return strings && numbers && v["kdf"] === "scrypt" && v["cipher"] === "aes-256-gcm";
}
