/**
 * The only code that touches balances and supply. Every movement of coins goes through `send`, `mint` or
 * `burn`, each of which checks before it writes, so a failed call leaves state unchanged.
 */
import { SdkErrors } from "../../src/errors.js";
import type { Context } from "../../src/app/context.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { ACCOUNT_PREFIX, moduleAddress, toBech32Address } from "../../src/crypto/address.js";
import type { Coin } from "../../src/math/coins.js";
import { BankKeys } from "./keys.js";
import * as events from "./events.js";
import type { AccountRegistry } from "./expectedKeepers.js";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function encodeAmount(amount: bigint): Uint8Array {
  return utf8.encode(amount.toString());
}

function decodeAmount(raw: Uint8Array): bigint {
  return BigInt(fromUtf8.decode(raw));
}

export class BankKeeper {
  constructor(private readonly accounts: AccountRegistry) {}

  getBalance(store: KVReader, address: Uint8Array, denom: string): bigint {
    const raw = store.get(BankKeys.balance(address, denom));
    return raw === undefined ? 0n : decodeAmount(raw);
  }

  /** All non-zero balances of an address, sorted by denom (key order). */
  getAllBalances(store: KVReader, address: Uint8Array): Coin[] {
    const prefix = BankKeys.accountBalancesPrefix(address);
    const coins: Coin[] = [];
    for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
      coins.push({ denom: fromUtf8.decode(key.subarray(prefix.length)), amount: decodeAmount(value) });
    }
    return coins;
  }

  getSupply(store: KVReader, denom: string): bigint {
    const raw = store.get(BankKeys.supply(denom));
    return raw === undefined ? 0n : decodeAmount(raw);
  }

  *iterateSupply(store: KVReader): IterableIterator<Coin> {
    const prefix = BankKeys.supplyPrefix;
    for (const [key, value] of store.iterate(prefix, prefixEnd(prefix))) {
      yield { denom: fromUtf8.decode(key.subarray(prefix.length)), amount: decodeAmount(value) };
    }
  }

  /** Moves coins between accounts, creating the recipient's account on first receipt (as the SDK does). */
  send(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Coin[]): void {
    const fromAddress = toBech32Address(ACCOUNT_PREFIX, from);
    const toAddress = toBech32Address(ACCOUNT_PREFIX, to);
    this.subtract(ctx, from, fromAddress, coins);
    if (!this.accounts.hasAccount(ctx.store, to)) this.accounts.newAccount(ctx.store, to);
    this.add(ctx, to, toAddress, coins);
    ctx.events.push(events.transfer(fromAddress, toAddress, coins), events.messageSender(fromAddress));
  }

  sendToModule(ctx: Context, from: Uint8Array, moduleName: string, coins: readonly Coin[]): void {
    this.accounts.ensureModuleAccount(ctx.store, moduleName);
    this.send(ctx, from, moduleAddress(moduleName), coins);
  }

  sendFromModule(ctx: Context, moduleName: string, to: Uint8Array, coins: readonly Coin[]): void {
    this.send(ctx, moduleAddress(moduleName), to, coins);
  }

  /** Creates coins in a module account and raises the supply. */
  mint(ctx: Context, moduleName: string, coins: readonly Coin[]): void {
    const module = this.accounts.ensureModuleAccount(ctx.store, moduleName, ["minter"]);
    this.add(ctx, module.addressBytes, module.address, coins);
    for (const c of coins) this.setSupply(ctx.store, c.denom, this.getSupply(ctx.store, c.denom) + c.amount);
    ctx.events.push(events.coinbase(module.address, coins));
  }

  /** Destroys coins held by a module account and lowers the supply. */
  burn(ctx: Context, moduleName: string, coins: readonly Coin[]): void {
    const module = this.accounts.ensureModuleAccount(ctx.store, moduleName, ["burner"]);
    this.subtract(ctx, module.addressBytes, module.address, coins);
    for (const c of coins) this.setSupply(ctx.store, c.denom, this.getSupply(ctx.store, c.denom) - c.amount);
    ctx.events.push(events.burn(module.address, coins));
  }

  /** Genesis only: sets a balance directly (supply is reconciled by the caller). */
  setBalance(store: KVStore, address: Uint8Array, denom: string, amount: bigint): void {
    const key = BankKeys.balance(address, denom);
    if (amount === 0n) store.delete(key);
    else store.set(key, encodeAmount(amount));
  }

  setSupply(store: KVStore, denom: string, amount: bigint): void {
    const key = BankKeys.supply(denom);
    if (amount === 0n) store.delete(key);
    else store.set(key, encodeAmount(amount));
  }

  isBlockedRecipient(store: KVReader, address: Uint8Array): boolean {
    return this.accounts.isModuleAccount(store, address);
  }

  private subtract(ctx: Context, address: Uint8Array, bech32: string, coins: readonly Coin[]): void {
    // Check every denom before writing any, so a failure leaves no partial debit behind.
    const balances = coins.map((c) => this.getBalance(ctx.store, address, c.denom));
    coins.forEach((c, i) => {
      const have = balances[i]!;
      if (have < c.amount) {
        throw SdkErrors.insufficientFunds.with(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
      }
    });
    coins.forEach((c, i) => this.setBalance(ctx.store, address, c.denom, balances[i]! - c.amount));
    ctx.events.push(events.coinSpent(bech32, coins));
  }

  private add(ctx: Context, address: Uint8Array, bech32: string, coins: readonly Coin[]): void {
    for (const c of coins) this.setBalance(ctx.store, address, c.denom, this.getBalance(ctx.store, address, c.denom) + c.amount);
    ctx.events.push(events.coinReceived(bech32, coins));
  }
}

