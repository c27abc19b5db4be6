/** Account, validator and module addresses, and their strict bech32 form. */
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { SdkErrors } from "../errors.js";
import { ripemd160, sha256 } from "./hash.js";
import { LruCache } from "./lru.js";

export const ACCOUNT_PREFIX = "vanna";
export const VALOPER_PREFIX = "vannavaloper";

/** Bech32 strings are at most 90 characters (BIP-173). */
const MAX_BECH32_LENGTH = 90;
const ADDRESS_LENGTH = 20;

/** RIPEMD-160(SHA-256(pubKey)) of a 33-byte compressed secp256k1 key, as the Cosmos SDK. */
export function accAddressFromSecp256k1(pubKey33: Uint8Array): Uint8Array {
  if (pubKey33.length !== 33) throw SdkErrors.invalidPubKey.with(`secp256k1 key must be 33 bytes, got ${pubKey33.length}`);
  return ripemd160(sha256(pubKey33));
}

/** SHA-256(pubKey)[0:20] of a 32-byte ed25519 key, as CometBFT. */
export function validatorAddressFromEd25519(pubKey32: Uint8Array): Uint8Array {
  if (pubKey32.length !== 32) throw SdkErrors.invalidPubKey.with(`ed25519 key must be 32 bytes, got ${pubKey32.length}`);
  return sha256(pubKey32).slice(0, ADDRESS_LENGTH);
}

/** SHA-256(name)[0:20]: the address of a module account (the SDK's authtypes.NewModuleAddress). */
const moduleAddresses = new Map<string, Uint8Array>();

export function moduleAddress(name: string): Uint8Array {
  let address = moduleAddresses.get(name);
  if (address === undefined) {
    address = sha256(new TextEncoder().encode(name)).slice(0, ADDRESS_LENGTH);
    moduleAddresses.set(name, address);
  }
  return address.slice();
}

// Bech32 encoding and decoding are pure and cost microseconds; a tx touches the same few addresses many times
// (ante, messages, events), so both directions are memoized. Cached byte arrays are copied out, never shared.
const encoded = new LruCache<string, string>(20_000);
const decoded = new LruCache<string, Uint8Array>(20_000);

export function toBech32Address(prefix: string, bytes: Uint8Array): string {
  const key = `${prefix}:${Buffer.from(bytes).toString("latin1")}`;
  let text = encoded.get(key);
  if (text === undefined) {
    text = toBech32(prefix, bytes);
    encoded.set(key, text);
  }
  return text;
}

function describe(text: string): string {
  return JSON.stringify(text.length > MAX_BECH32_LENGTH ? `${text.slice(0, MAX_BECH32_LENGTH)}...` : text);
}

/**
 * The 20 address bytes of a bech32 string with exactly expectedPrefix. Strict: classic bech32 checksum,
 * lowercase only, 20-byte payload. Throws an SdkErrors.invalidAddress ChainError otherwise.
 */
export function parseBech32Address(text: string, expectedPrefix: string): Uint8Array {
  const cacheKey = typeof text === "string" ? `${expectedPrefix}:${text}` : undefined;
  const hit = cacheKey === undefined ? undefined : decoded.get(cacheKey);
  if (hit !== undefined) return hit.slice();
  const bytes = parseBech32Uncached(text, expectedPrefix);
  if (cacheKey !== undefined) decoded.set(cacheKey, bytes.slice());
  return bytes;
}

function parseBech32Uncached(text: string, expectedPrefix: string): Uint8Array {
  const fail = (why: string) => SdkErrors.invalidAddress.with(`${why} (address ${describe(String(text))})`);
  if (typeof text !== "string" || text.length === 0) throw fail("empty address string is not allowed");
  if (text.length > MAX_BECH32_LENGTH) throw fail("bech32 address is too long");
  if (text !== text.toLowerCase()) throw fail("bech32 address must be lowercase");
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(text, MAX_BECH32_LENGTH);
  } catch {
    throw fail("decoding bech32 failed");
  }
  if (decoded.prefix !== expectedPrefix) {
    throw fail(`invalid Bech32 prefix; expected ${expectedPrefix}, got ${decoded.prefix}`);
  }
  if (decoded.data.length !== ADDRESS_LENGTH) {
    throw fail(`address must be ${ADDRESS_LENGTH} bytes, got ${decoded.data.length}`);
  }
  return new Uint8Array(decoded.data);
}
