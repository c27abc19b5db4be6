/**
 * What subaccounts needs from other modules, declared here so it imports none of them: bank (coins in and out
 * of the module account), auth (the module account exists from genesis) and margin (equity and initial margin).
 */
import type { Context } from "../../src/app/context.js";
import type { Coin } from "../../src/math/coins.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import type { Subaccount } from "./types.js";

export interface BankKeeper {
  getBalance(store: KVReader, address: Uint8Array, denom: string): bigint;
  sendToModule(ctx: Context, from: Uint8Array, moduleName: string, coins: readonly Coin[]): void;
  sendFromModule(ctx: Context, moduleName: string, to: Uint8Array, coins: readonly Coin[]): void;
  /** Module accounts: a user withdrawal may not pay one (as MsgSend may not). */
  isBlockedRecipient(store: KVReader, address: Uint8Array): boolean;
}

export interface AccountKeeper {
  ensureModuleAccount(store: KVStore, name: string, permissions?: string[]): { address: string; addressBytes: Uint8Array };
}

/**
 * Equity and initial margin of a subaccount, as the margin module will compute them (prices from the store).
 * Called on the state a subaccount would have after an update, so a withdrawal or trade is refused when it
 * would leave equity below the initial margin. Values in micro-USDC.
 */
export interface MarginChecker {
  /** `nowNs`: the block time (marks depend on time to expiry). */
  initialMarginOf(store: KVReader, subaccount: Subaccount, nowNs: bigint): bigint;
  equityOf(store: KVReader, subaccount: Subaccount, nowNs: bigint): bigint;
}

/** Until the margin module exists: no requirement, equity is the collateral (positions count for nothing). */
export const COLLATERAL_ONLY_MARGIN: MarginChecker = {
  initialMarginOf: () => 0n,
  equityOf: (_store, subaccount) => subaccount.quoteMicroUsdc,
};
