/**
 * BIP-39 mnemonics and BIP-44 derivation of secp256k1 accounts (m/44'/118'/0'/0/N, the Cosmos Hub path), done by
 * cosmjs so that a key here gives exactly the address any cosmjs wallet gives for the same mnemonic.
 */
import { Bip39, EnglishMnemonic, Random } from "@cosmjs/crypto";
import { fromBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";

export const ADDRESS_PREFIX = "vanna";

/** Hardened indexes start at 2^31; account indexes are the non-hardened last component. */
export const MAX_ACCOUNT_INDEX = 2 ** 31 - 1;

export class MnemonicError extends Error {
  override readonly name = "MnemonicError";
}

export interface DerivedAccount {
  readonly address: string;
  /** 33-byte compressed secp256k1 public key */
  readonly pubkey: Uint8Array;
  readonly hdPath: string;
  readonly wallet: DirectSecp256k1HdWallet;
}

export function hdPathForIndex(index: number): string {
  checkIndex(index);
  return `m/44'/118'/0'/0/${index}`;
}

/** The account index of a path written by hdPathForIndex, or undefined for any other path. */
export function indexOfHdPath(path: string): number | undefined {
  const m = /^m\/44'\/118'\/0'\/0\/(0|[1-9][0-9]{0,9})$/.exec(path);
  if (m === null) return undefined;
  const index = Number(m[1]);
  return index <= MAX_ACCOUNT_INDEX ? index : undefined;
}

/** A fresh 24-word mnemonic from 256 bits of OS randomness. */
export function generateMnemonic(): string {
  return Bip39.encode(Random.getBytes(32)).toString();
}

/** Lower-cases and collapses whitespace, then checks the word list and checksum. */
export function normalizeMnemonic(text: string): string {
  const words = text.trim().toLowerCase().split(/\s+/).filter((w) => w !== "");
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new MnemonicError(`invalid mnemonic: expected 12, 15, 18, 21 or 24 words, got ${words.length}`);
  }
  const known = new Set(EnglishMnemonic.wordlist);
  const unknown = words.findIndex((w) => !known.has(w));
  // Say where the problem is, never what the words are: they are a secret.
  if (unknown >= 0) throw new MnemonicError(`invalid mnemonic: word ${unknown + 1} is not in the BIP-39 English word list`);
  const normalized = words.join(" ");
  try {
    return new EnglishMnemonic(normalized).toString();
  } catch {
    throw new MnemonicError("invalid mnemonic: checksum mismatch (a word is wrong or out of order)");
  }
}

export async function deriveAccount(mnemonic: string, index: number): Promise<DerivedAccount> {
  checkIndex(index);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, {
    prefix: ADDRESS_PREFIX,
    hdPaths: [makeCosmoshubPath(index)],
  });
  const [account] = await wallet.getAccounts();
  if (account === undefined) throw new Error("wallet derived no account");
  return { address: account.address, pubkey: account.pubkey, hdPath: hdPathForIndex(index), wallet };
}

/** True for a bech32 "vanna1…" account address with a 20-byte payload. */
export function isAccountAddress(text: string): boolean {
  try {
    const { prefix, data } = fromBech32(text);
    return prefix === ADDRESS_PREFIX && data.length === 20 && text === text.toLowerCase();
  } catch {
    return false;
  }
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_ACCOUNT_INDEX) {
    throw new MnemonicError(`account index must be an integer from 0 to ${MAX_ACCOUNT_INDEX}, got ${index}`);
  }
}
