/**
 * A directory of named secp256k1 keys, one JSON file per key (see keyfile.ts). The "file" backend lives in
 * `<home>/keyring/` and encrypts each mnemonic with the keyring passphrase; the insecure "test" backend lives in
 * `<home>/keyring-test/` and stores mnemonics in plain text. Keeping them in separate directories (as the
 * Cosmos SDK does) means a dev key can never be mistaken for a protected one.
 */
import { chmod, link, mkdir, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { OfflineDirectSigner } from "@cosmjs/proto-signing";
import { DEFAULT_SCRYPT, DecryptionError, open, seal, type ScryptParams } from "./crypto.js";
import { deriveAccount, generateMnemonic, isAccountAddress, normalizeMnemonic } from "./hd.js";
import {
  checkKeyName,
  commonFields,
  keyFileAad,
  keyInfoOf,
  KeyringError,
  parseKeyFile,
  type KeyFile,
  type KeyInfo,
  type KeyringBackend,
} from "./keyfile.js";

export interface KeyringOptions {
  readonly home: string;
  readonly backend: KeyringBackend;
  /** Overridable for tests only; files record their own parameters. */
  readonly scrypt?: ScryptParams;
}

export interface AddKeyOptions {
  /** Recover from this mnemonic; a new 24-word mnemonic is generated when absent. */
  readonly mnemonic?: string;
  /** Account index N in m/44'/118'/0'/0/N (default 0). */
  readonly index?: number;
  /** Required by the file backend. */
  readonly passphrase?: string;
}

export interface AddedKey {
  readonly key: KeyInfo;
  readonly mnemonic: string;
  readonly generated: boolean;
}

export function keyringDir(home: string, backend: KeyringBackend): string {
  return join(home, backend === "file" ? "keyring" : "keyring-test");
}

export class Keyring {
  readonly dir: string;
  readonly backend: KeyringBackend;
  private readonly scrypt: ScryptParams;

  constructor(options: KeyringOptions) {
    this.backend = options.backend;
    this.dir = keyringDir(options.home, options.backend);
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  }

  get needsPassphrase(): boolean {
    return this.backend === "file";
  }

  /** All keys, sorted by name. */
  async list(): Promise<KeyInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    const keys: KeyInfo[] = [];
    for (const file of names.sort()) {
      // Dot files are in-progress writes.
      if (!file.endsWith(".json") || file.startsWith(".")) continue;
      keys.push(keyInfoOf(await this.readKeyFile(file.slice(0, -".json".length))));
    }
    return keys;
  }

  /** A key by name or by address; undefined when there is none. */
  async find(nameOrAddress: string): Promise<KeyInfo | undefined> {
    const file = await this.findFile(nameOrAddress);
    return file === undefined ? undefined : keyInfoOf(file);
  }

  async get(nameOrAddress: string): Promise<KeyInfo> {
    return keyInfoOf(await this.getFile(nameOrAddress));
  }

  async add(name: string, options: AddKeyOptions = {}): Promise<AddedKey> {
    checkKeyName(name);
    const index = options.index ?? 0;
    const generated = options.mnemonic === undefined;
    const mnemonic = options.mnemonic === undefined ? generateMnemonic() : normalizeMnemonic(options.mnemonic);
    if ((await this.findFile(name)) !== undefined) throw new KeyringError(`key "${name}" already exists; delete it first or pick another name`);
    const passphrase = this.backend === "file" ? await this.checkPassphrase(options.passphrase) : undefined;

    const account = await deriveAccount(mnemonic, index);
    const same = (await this.list()).find((k) => k.address === account.address);
    if (same !== undefined) throw new KeyringError(`address ${account.address} is already in the keyring as "${same.name}"`);

    const common = commonFields(name, account.address, account.pubkey, account.hdPath);
    const file: KeyFile =
      passphrase === undefined
        ? { ...common, backend: "test", mnemonic }
        : {
            ...common,
            backend: "file",
            encryptedMnemonic: await seal(new TextEncoder().encode(mnemonic), passphrase, keyFileAad(common), this.scrypt),
          };
    await this.writeNew(name, file);
    return { key: keyInfoOf(file), mnemonic, generated };
  }

  async delete(nameOrAddress: string): Promise<KeyInfo> {
    const file = await this.getFile(nameOrAddress);
    await rm(this.pathOf(file.name));
    return keyInfoOf(file);
  }

  /**
   * A cosmjs signer for a key (SIGN_MODE_DIRECT), after checking that the decrypted mnemonic still derives the
   * recorded address.
   */
  async signer(nameOrAddress: string, passphrase?: string): Promise<{ key: KeyInfo; signer: OfflineDirectSigner }> {
    const file = await this.getFile(nameOrAddress);
    const key = keyInfoOf(file);
    const account = await deriveAccount(await this.mnemonicOf(file, passphrase), key.index);
    if (account.address !== key.address) throw new KeyringError(`key "${key.name}": the stored mnemonic does not derive ${key.address}`);
    return { key, signer: account.wallet };
  }

  /**
   * Checks a passphrase against an existing key, so that one keyring keeps one passphrase. Any passphrase is
   * accepted for an empty keyring (the caller should have it confirmed). Returns the passphrase.
   */
  async checkPassphrase(passphrase: string | undefined): Promise<string> {
    if (passphrase === undefined) throw new KeyringError("the file keyring needs a passphrase");
    const existing = await this.list();
    const first = existing[0];
    if (first === undefined) {
      if (passphrase.length < 8) throw new KeyringError("the keyring passphrase must have at least 8 characters");
      return passphrase;
    }
    try {
      await this.mnemonicOf(await this.readKeyFile(first.name), passphrase);
    } catch (err) {
      if (err instanceof KeyringError) throw new KeyringError(`wrong keyring passphrase: it does not decrypt the existing key "${first.name}"`);
      throw err;
    }
    return passphrase;
  }

  private async mnemonicOf(file: KeyFile, passphrase: string | undefined): Promise<string> {
    if (file.backend === "test") return normalizeMnemonic(file.mnemonic);
    if (passphrase === undefined) throw new KeyringError(`key "${file.name}" is encrypted and needs the keyring passphrase`);
    try {
      const plain = await open(file.encryptedMnemonic, passphrase, keyFileAad(file));
      return normalizeMnemonic(new TextDecoder("utf-8", { fatal: true }).decode(plain));
    } catch (err) {
      if (err instanceof DecryptionError) throw new KeyringError(`cannot decrypt key "${file.name}": ${err.message}`);
      throw err;
    }
  }

  private async findFile(nameOrAddress: string): Promise<KeyFile | undefined> {
    if (isAccountAddress(nameOrAddress)) {
      const key = (await this.list()).find((k) => k.address === nameOrAddress);
      return key === undefined ? undefined : this.readKeyFile(key.name);
    }
    checkKeyName(nameOrAddress);
    try {
      return await this.readKeyFile(nameOrAddress);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async getFile(nameOrAddress: string): Promise<KeyFile> {
    const file = await this.findFile(nameOrAddress);
    if (file === undefined) throw new KeyringError(`no key "${nameOrAddress}" in ${this.dir} (keyring backend ${this.backend})`);
    return file;
  }

  private async readKeyFile(name: string): Promise<KeyFile> {
    const path = this.pathOf(name);
    return parseKeyFile(await readFile(path, "utf8"), name, this.backend, path);
  }

  /** Writes a temp file, then hard-links it into place: atomic, and fails instead of overwriting. */
  private async writeNew(name: string, file: KeyFile): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    const tmp = join(this.dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
    await writeFile(tmp, JSON.stringify(file, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    try {
      await chmod(tmp, 0o600);
      await link(tmp, this.pathOf(name));
    } catch (err) {
      if (isCode(err, "EEXIST")) throw new KeyringError(`key "${name}" already exists; delete it first or pick another name`);
      throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  private pathOf(name: string): string {
    return join(this.dir, `${name}.json`);
  }
}

function isNotFound(err: unknown): boolean {
  return isCode(err, "ENOENT");
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === code;
}
