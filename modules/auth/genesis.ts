/** Auth genesis in the SDK's export shape: params and accounts (account numbers and sequences kept). */
import type { Context } from "../../src/app/context.js";
import { arr, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { isValidSecp256k1PubKey } from "../../src/crypto/secp256k1.js";
import { BASE_ACCOUNT_TYPE_URL, MODULE_ACCOUNT_TYPE_URL, SECP256K1_PUBKEY_TYPE_URL, type Account, type AuthKeeper } from "./keeper.js";
import { FEE_COLLECTOR_MODULE } from "./keys.js";
import { DEFAULT_AUTH_PARAMS, validateAuthParams, type AuthParams } from "./params.js";

export interface AuthGenesis {
  params: AuthParams;
  accounts: Account[];
}

export function defaultAuthGenesis(): JsonObject {
  return { params: paramsToJson(DEFAULT_AUTH_PARAMS), accounts: [] };
}

export function parseAuthGenesis(json: unknown): AuthGenesis {
  const g = obj(json ?? {}, "auth");
  const p = g.params === undefined ? undefined : obj(g.params, "auth.params");
  const d = DEFAULT_AUTH_PARAMS;
  const params: AuthParams =
    p === undefined
      ? d
      : {
          maxMemoCharacters: uint(p.max_memo_characters, "auth.params.max_memo_characters", d.maxMemoCharacters),
          txSigLimit: uint(p.tx_sig_limit, "auth.params.tx_sig_limit", d.txSigLimit),
          txSizeCostPerByte: uint(p.tx_size_cost_per_byte, "auth.params.tx_size_cost_per_byte", d.txSizeCostPerByte),
          sigVerifyCostEd25519: uint(p.sig_verify_cost_ed25519, "auth.params.sig_verify_cost_ed25519", d.sigVerifyCostEd25519),
          sigVerifyCostSecp256k1: uint(p.sig_verify_cost_secp256k1, "auth.params.sig_verify_cost_secp256k1", d.sigVerifyCostSecp256k1),
        };
  validateAuthParams(params);
  const numbers = new Set<bigint>();
  const addresses = new Set<string>();
  const accounts = arr(g.accounts, "auth.accounts").map((a, i) => {
    const path = `auth.accounts[${i}]`;
    const o = obj(a, path);
    const type = str(o["@type"] ?? BASE_ACCOUNT_TYPE_URL, `${path}.@type`);
    const base = type === MODULE_ACCOUNT_TYPE_URL ? obj(o.base_account, `${path}.base_account`) : o;
    if (type !== BASE_ACCOUNT_TYPE_URL && type !== MODULE_ACCOUNT_TYPE_URL) throw new GenesisError(`${path}: unsupported account type ${type}`);
    const address = str(base.address, `${path}.address`);
    const addressBytes = parseBech32Address(address, ACCOUNT_PREFIX);
    const accountNumber = uint(base.account_number, `${path}.account_number`, BigInt(i));
    if (numbers.has(accountNumber)) throw new GenesisError(`${path}: duplicate account number ${accountNumber}`);
    if (addresses.has(address)) throw new GenesisError(`${path}: duplicate address ${address}`);
    numbers.add(accountNumber);
    addresses.add(address);
    const account: Account = { address, addressBytes, pubKey: parsePubKey(base.pub_key, `${path}.pub_key`), accountNumber, sequence: uint(base.sequence, `${path}.sequence`, 0n) };
    if (type === MODULE_ACCOUNT_TYPE_URL) {
      account.module = { name: str(o.name, `${path}.name`), permissions: arr(o.permissions, `${path}.permissions`).map((x) => str(x, `${path}.permissions`)) };
    }
    return account;
  });
  return { params, accounts };
}

/** An exported public key: `{"@type": "/cosmos.crypto.secp256k1.PubKey", "key": base64}`, or null. */
function parsePubKey(value: unknown, path: string): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  const o = obj(value, path);
  if (o["@type"] !== SECP256K1_PUBKEY_TYPE_URL) throw new GenesisError(`${path}: only ${SECP256K1_PUBKEY_TYPE_URL} keys are supported`);
  const key = Buffer.from(str(o.key, `${path}.key`), "base64");
  if (!isValidSecp256k1PubKey(key)) throw new GenesisError(`${path}: not a valid compressed secp256k1 public key`);
  return new Uint8Array(key);
}

export function initAuthGenesis(ctx: Context, auth: AuthKeeper, json: unknown): void {
  const g = parseAuthGenesis(json);
  auth.setParams(ctx.store, g.params);
  let next = 0n;
  for (const account of g.accounts) {
    auth.setAccount(ctx.store, account);
    if (account.accountNumber >= next) next = account.accountNumber + 1n;
  }
  auth.setNextAccountNumber(ctx.store, next);
  // Module accounts that every chain has exist from genesis, so no user tx pays to create them.
  auth.ensureModuleAccount(ctx.store, FEE_COLLECTOR_MODULE);
}

export function exportAuthGenesis(ctx: Context, auth: AuthKeeper): JsonObject {
  const accounts = [...auth.iterateAccounts(ctx.store)].map((a) => {
    const base = {
      address: a.address,
      pub_key: a.pubKey === undefined ? null : { "@type": SECP256K1_PUBKEY_TYPE_URL, key: Buffer.from(a.pubKey).toString("base64") },
      account_number: a.accountNumber.toString(),
      sequence: a.sequence.toString(),
    };
    return a.module === undefined
      ? { "@type": BASE_ACCOUNT_TYPE_URL, ...base }
      : { "@type": MODULE_ACCOUNT_TYPE_URL, base_account: base, name: a.module.name, permissions: a.module.permissions };
  });
  return { params: paramsToJson(auth.getParams(ctx.store)), accounts };
}

function paramsToJson(p: AuthParams): JsonObject {
  return {
    max_memo_characters: p.maxMemoCharacters.toString(),
    tx_sig_limit: p.txSigLimit.toString(),
    tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
    sig_verify_cost_ed25519: p.sigVerifyCostEd25519.toString(),
    sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
  };
}
