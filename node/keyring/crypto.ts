/**
 * Passphrase encryption of key material: scrypt (per-secret random salt) derives a 256-bit key, AES-256-GCM
 * encrypts and authenticates. GCM's tag makes a wrong passphrase (or a tampered file) fail loudly instead of
 * decrypting to garbage. The plain metadata of a key file is bound in as additional authenticated data.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from "node:crypto";
import { fromBase64, toBase64 } from "@cosmjs/encoding";

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly n: number;
  readonly r: number;
  readonly p: number;
}

/** ~32 MiB and roughly 0.1 s per derivation on a laptop: slow for guessing, fine for a CLI. */
export const DEFAULT_SCRYPT: ScryptParams = { n: 2 ** 15, r: 8, p: 1 };

export interface SealedSecret {
  readonly kdf: "scrypt";
  readonly n: number;
  readonly r: number;
  readonly p: number;
  /** base64, 16 bytes */
  readonly salt: string;
  readonly cipher: "aes-256-gcm";
  /** base64, 12 bytes */
  readonly iv: string;
  /** base64 */
  readonly ciphertext: string;
  /** base64, 16 bytes */
  readonly tag: string;
}

export class DecryptionError extends Error {
  override readonly name = "DecryptionError";
}

const KEY_BYTES = 32;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export async function seal(plaintext: Uint8Array, passphrase: string, aad: Uint8Array, params = DEFAULT_SCRYPT): Promise<SealedSecret> {
  checkParams(params);
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const key = await deriveKey(passphrase, salt, params);
  try {
    const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      kdf: "scrypt",
      n: params.n,
      r: params.r,
      p: params.p,
      salt: toBase64(salt),
      cipher: "aes-256-gcm",
      iv: toBase64(iv),
      ciphertext: toBase64(ciphertext),
      tag: toBase64(cipher.getAuthTag()),
    };
  } finally {
    key.fill(0);
  }
}

/** Decrypts, or throws DecryptionError when the passphrase is wrong or any authenticated byte was changed. */
export async function open(sealed: SealedSecret, passphrase: string, aad: Uint8Array): Promise<Uint8Array> {
  if (sealed.kdf !== "scrypt" || sealed.cipher !== "aes-256-gcm") throw new Error(`unsupported encryption ${sealed.kdf}/${sealed.cipher}`);
  // Parameters come from a file; bound them so a doctored file cannot demand gigabytes of memory.
  checkParams(sealed);
  const salt = decode(sealed.salt, "salt", SALT_BYTES);
  const iv = decode(sealed.iv, "iv", IV_BYTES);
  const tag = decode(sealed.tag, "tag", TAG_BYTES);
  const ciphertext = decode(sealed.ciphertext, "ciphertext");
  const key = await deriveKey(passphrase, salt, sealed);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    try {
      return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
    } catch {
      throw new DecryptionError("wrong passphrase, or the key file was modified (authentication failed)");
    }
  } finally {
    key.fill(0);
  }
}

function checkParams(params: ScryptParams): void {
  const { n, r, p } = params;
  const powerOfTwo = Number.isSafeInteger(n) && n >= 2 ** 10 && n <= 2 ** 20 && (n & (n - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new Error(`unsupported scrypt parameters N=${n} r=${r} p=${p}`);
  }
}

function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  // Normalised so that the same passphrase typed on different systems derives the same key.
  const secret = Buffer.from(passphrase.normalize("NFKC"), "utf8");
  const options: ScryptOptions = { N: params.n, r: params.r, p: params.p, maxmem: 256 * params.n * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(secret, salt, KEY_BYTES, options, (err, key) => {
      secret.fill(0);
      if (err) reject(err);
      else resolve(key);
    });
  });
}

function decode(text: string, what: string, expectedBytes?: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text);
  } catch {
    throw new Error(`malformed ${what} in key file`);
  }
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) throw new Error(`malformed ${what} in key file`);
  return bytes;
}
