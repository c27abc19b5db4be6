/**
 * The only code that reads or writes auth state: accounts (number, sequence, public key) and params.
 * Accounts are stored as an Any so module accounts and base accounts share one key space, as in the SDK.
 */
import { ChainError, SdkErrors } from "../../src/errors.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { Any as AnyCodec, AuthParams as AuthParamsCodec, BaseAccount, ModuleAccount, Secp256k1PubKey } from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, moduleAddress, toBech32Address } from "../../src/crypto/address.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { AuthKeys } from "./keys.js";
import { DEFAULT_AUTH_PARAMS, type AuthParams } from "./params.js";

export const BASE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.BaseAccount";
export const MODULE_ACCOUNT_TYPE_URL = "/cosmos.auth.v1beta1.ModuleAccount";
export const SECP256K1_PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey";

export interface Account {
  address: string;
  addressBytes: Uint8Array;
  /** 33-byte compressed secp256k1 key; undefined until the account's first tx. */
  pubKey: Uint8Array | undefined;
  accountNumber: bigint;
  sequence: bigint;
  /** Set for module accounts (which never sign). */
  module?: { name: string; permissions: string[] };
}

export class AuthKeeper {
  getParams(store: KVReader): AuthParams {
    const raw = store.get(AuthKeys.params);
    return raw === undefined ? DEFAULT_AUTH_PARAMS : AuthParamsCodec.decode(raw);
  }

  setParams(store: KVStore, params: AuthParams): void {
    store.set(AuthKeys.params, AuthParamsCodec.encode(params));
  }

  getAccount(store: KVReader, addressBytes: Uint8Array): Account | undefined {
    const raw = store.get(AuthKeys.account(addressBytes));
    return raw === undefined ? undefined : decodeAccount(raw, addressBytes);
  }

  /** Raw stored Any bytes (for the Account query, which returns them verbatim). */
  getAccountAny(store: KVReader, addressBytes: Uint8Array): Uint8Array | undefined {
    return store.get(AuthKeys.account(addressBytes));
  }

  setAccount(store: KVStore, account: Account): void {
    store.set(AuthKeys.account(account.addressBytes), encodeAccount(account));
  }

  hasAccount(store: KVReader, addressBytes: Uint8Array): boolean {
    return store.has(AuthKeys.account(addressBytes));
  }

  isModuleAccount(store: KVReader, addressBytes: Uint8Array): boolean {
    return this.getAccount(store, addressBytes)?.module !== undefined;
  }

  /** Creates an account with the next account number (numbers are never reused). */
  newAccount(store: KVStore, addressBytes: Uint8Array): Account {
    if (this.hasAccount(store, addressBytes)) throw new ChainError("sdk", 1, "account already exists");
    const account: Account = {
      address: toBech32Address(ACCOUNT_PREFIX, addressBytes),
      addressBytes,
      pubKey: undefined,
      accountNumber: this.takeNextAccountNumber(store),
      sequence: 0n,
    };
    this.setAccount(store, account);
    return account;
  }

  /** The module account for `name`, created on first use. */
  ensureModuleAccount(store: KVStore, name: string, permissions: string[] = []): Account {
    const addressBytes = moduleAddress(name);
    const existing = this.getAccount(store, addressBytes);
    if (existing !== undefined) return existing;
    const account: Account = {
      address: toBech32Address(ACCOUNT_PREFIX, addressBytes),
      addressBytes,
      pubKey: undefined,
      accountNumber: this.takeNextAccountNumber(store),
      sequence: 0n,
      module: { name, permissions },
    };
    this.setAccount(store, account);
    return account;
  }

  *iterateAccounts(store: KVReader): IterableIterator<Account> {
    for (const [key, value] of store.iterate(AuthKeys.accountPrefix, prefixEnd(AuthKeys.accountPrefix))) {
      yield decodeAccount(value, key.subarray(AuthKeys.accountPrefix.length));
    }
  }

  peekNextAccountNumber(store: KVReader): bigint {
    const raw = store.get(AuthKeys.nextAccountNumber);
    return raw === undefined ? 0n : BigInt(new TextDecoder().decode(raw));
  }

  setNextAccountNumber(store: KVStore, next: bigint): void {
    store.set(AuthKeys.nextAccountNumber, new TextEncoder().encode(next.toString()));
  }

  private takeNextAccountNumber(store: KVStore): bigint {
    const next = this.peekNextAccountNumber(store);
    this.setNextAccountNumber(store, next + 1n);
    return next;
  }
}

export function encodeAccount(account: Account): Uint8Array {
  const pubKey =
    account.pubKey === undefined
      ? undefined
      : { typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: Secp256k1PubKey.encode({ key: account.pubKey }) };
  const base = { address: account.address, pubKey, accountNumber: account.accountNumber, sequence: account.sequence };
  if (account.module !== undefined) {
    const value = ModuleAccount.encode({ baseAccount: base, name: account.module.name, permissions: account.module.permissions });
    return AnyCodec.encode({ typeUrl: MODULE_ACCOUNT_TYPE_URL, value });
  }
  return AnyCodec.encode({ typeUrl: BASE_ACCOUNT_TYPE_URL, value: BaseAccount.encode(base) });
}

/** Decodes a stored account; its address bytes come from the store key, which is cheaper than bech32 decoding. */
export function decodeAccount(raw: Uint8Array, addressBytes: Uint8Array): Account {
  const any = AnyCodec.decode(raw);
  if (any.typeUrl === MODULE_ACCOUNT_TYPE_URL) {
    const m = ModuleAccount.decode(any.value);
    if (m.baseAccount === undefined) throw new ChainError("sdk", 1, "corrupt module account");
    return { ...fromBase(m.baseAccount, addressBytes), module: { name: m.name, permissions: m.permissions } };
  }
  if (any.typeUrl !== BASE_ACCOUNT_TYPE_URL) throw SdkErrors.invalidType.with(`unknown account type ${any.typeUrl}`);
  return fromBase(BaseAccount.decode(any.value), addressBytes);
}

function fromBase(base: BaseAccount, addressBytes: Uint8Array): Account {
  let pubKey: Uint8Array | undefined;
  if (base.pubKey !== undefined && base.pubKey.typeUrl !== "") pubKey = Secp256k1PubKey.decode(base.pubKey.value).key;
  return {
    address: base.address,
    addressBytes,
    pubKey,
    accountNumber: base.accountNumber,
    sequence: base.sequence,
  };
}
