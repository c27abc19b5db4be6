/** Bank genesis in the SDK's export shape (snake_case JSON): params, balances, supply, denom metadata. */
import type { Context } from "../../src/app/context.js";
import { arr, bool, GenesisError, obj, str, type JsonObject } from "../../src/app/genesisJson.js";
import * as codec from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { addCoins, coinsToWire, parseCoins, type Coin } from "../../src/math/coins.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { BankKeys } from "./keys.js";
import type { BankKeeper } from "./keeper.js";
import type { AccountRegistry } from "./expectedKeepers.js";
import { DEFAULT_BANK_PARAMS, getBankParams, setBankParams, type BankParams } from "./params.js";

export interface BankGenesis {
  params: BankParams;
  balances: Array<{ address: string; coins: Coin[] }>;
  /** Empty means "compute from balances". */
  supply: Coin[];
  denomMetadata: codec.Metadata[];
}

export function parseBankGenesis(json: unknown): BankGenesis {
  const g = obj(json ?? {}, "bank");
  const p = g.params === undefined ? undefined : obj(g.params, "bank.params");
  const params: BankParams =
    p === undefined
      ? DEFAULT_BANK_PARAMS
      : {
          defaultSendEnabled: bool(p.default_send_enabled, "bank.params.default_send_enabled", true),
          sendEnabled: arr(p.send_enabled, "bank.params.send_enabled").map((e, i) => {
            const o = obj(e, `bank.params.send_enabled[${i}]`);
            return { denom: str(o.denom, `bank.params.send_enabled[${i}].denom`), enabled: bool(o.enabled, `bank.params.send_enabled[${i}].enabled`) };
          }),
        };
  const seen = new Set<string>();
  const balances = arr(g.balances, "bank.balances").map((b, i) => {
    const o = obj(b, `bank.balances[${i}]`);
    const address = str(o.address, `bank.balances[${i}].address`);
    parseBech32Address(address, ACCOUNT_PREFIX);
    if (seen.has(address)) throw new GenesisError(`bank.balances: duplicate address ${address}`);
    seen.add(address);
    return { address, coins: parseCoins(wireCoins(o.coins, `bank.balances[${i}].coins`), true) };
  });
  const supply = parseCoins(wireCoins(g.supply, "bank.supply"), true);
  const denomMetadata = arr(g.denom_metadata, "bank.denom_metadata").map((m, i) => parseMetadata(obj(m, `bank.denom_metadata[${i}]`)));
  return { params, balances, supply, denomMetadata };
}

export function validateBankGenesis(json: unknown): void {
  const g = parseBankGenesis(json);
  if (g.supply.length === 0) return;
  const computed = g.balances.reduce<Coin[]>((sum, b) => addCoins(sum, b.coins), []);
  const same = computed.length === g.supply.length && computed.every((c, i) => c.denom === g.supply[i]!.denom && c.amount === g.supply[i]!.amount);
  if (!same) throw new GenesisError("bank.supply does not equal the sum of bank.balances");
}

export function initBankGenesis(ctx: Context, bank: BankKeeper, accounts: AccountRegistry, json: unknown): void {
  validateBankGenesis(json);
  const g = parseBankGenesis(json);
  setBankParams(ctx.store, g.params);
  let total: Coin[] = [];
  for (const b of g.balances) {
    const addr = parseBech32Address(b.address, ACCOUNT_PREFIX);
    if (!accounts.hasAccount(ctx.store, addr)) accounts.newAccount(ctx.store, addr);
    for (const c of b.coins) bank.setBalance(ctx.store, addr, c.denom, c.amount);
    total = addCoins(total, b.coins);
  }
  for (const c of total) bank.setSupply(ctx.store, c.denom, c.amount);
  for (const m of g.denomMetadata) ctx.store.set(BankKeys.denomMetadata(m.base), codec.Metadata.encode(m));
}

export function exportBankGenesis(ctx: Context, bank: BankKeeper, addresses: Iterable<{ address: string; addressBytes: Uint8Array }>): JsonObject {
  const params = getBankParams(ctx.store);
  const balances = [];
  for (const a of addresses) {
    const coins = bank.getAllBalances(ctx.store, a.addressBytes);
    if (coins.length > 0) balances.push({ address: a.address, coins: coinsToWire(coins) });
  }
  const metadata = [];
  for (const [, value] of ctx.store.iterate(BankKeys.denomMetadataPrefix, prefixEnd(BankKeys.denomMetadataPrefix))) {
    metadata.push(metadataToJson(codec.Metadata.decode(value)));
  }
  return {
    params: { send_enabled: params.sendEnabled, default_send_enabled: params.defaultSendEnabled },
    balances,
    supply: coinsToWire([...bank.iterateSupply(ctx.store)]),
    denom_metadata: metadata,
  };
}

function wireCoins(value: unknown, path: string): Array<{ denom: string; amount: string }> {
  return arr(value, path).map((c, i) => {
    const o = obj(c, `${path}[${i}]`);
    return { denom: str(o.denom, `${path}[${i}].denom`), amount: str(o.amount, `${path}[${i}].amount`) };
  });
}

function parseMetadata(o: JsonObject): codec.Metadata {
  const units = arr(o.denom_units, "denom_units").map((u, i) => {
    const uo = obj(u, `denom_units[${i}]`);
    const exponent = uo.exponent ?? 0;
    if (typeof exponent !== "number" || !Number.isInteger(exponent) || exponent < 0 || exponent > 18) {
      throw new GenesisError(`denom_units[${i}].exponent: expected an integer 0..18`);
    }
    return { denom: str(uo.denom, "denom"), exponent, aliases: arr(uo.aliases, "aliases").map((a) => str(a, "alias")) };
  });
  const text = (v: unknown, p: string) => (v === undefined ? "" : str(v, p));
  return codec.Metadata.fromPartial({
    description: text(o.description, "description"),
    denomUnits: units,
    base: str(o.base, "base"),
    display: text(o.display, "display"),
    name: text(o.name, "name"),
    symbol: text(o.symbol, "symbol"),
  });
}

function metadataToJson(m: codec.Metadata): JsonObject {
  return {
    description: m.description,
    denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases })),
    base: m.base,
    display: m.display,
    name: m.name,
    symbol: m.symbol,
  };
}
