/** What bank needs from auth: an account registry. Declared here so bank never imports auth's internals. */
import type { KVReader, KVStore } from "../../src/store/types.js";

export interface AccountRegistry {
  hasAccount(store: KVReader, addressBytes: Uint8Array): boolean;
  newAccount(store: KVStore, addressBytes: Uint8Array): unknown;
  ensureModuleAccount(store: KVStore, name: string, permissions?: string[]): { address: string; addressBytes: Uint8Array };
  isModuleAccount(store: KVReader, addressBytes: Uint8Array): boolean;
}
