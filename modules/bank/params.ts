import type { KVReader, KVStore } from "../../src/store/types.js";
import { BankParams as BankParamsCodec } from "../../src/codec/index.js";
import { BankKeys } from "./keys.js";

export interface BankParams {
  sendEnabled: Array<{ denom: string; enabled: boolean }>;
  defaultSendEnabled: boolean;
}

export const DEFAULT_BANK_PARAMS: BankParams = { sendEnabled: [], defaultSendEnabled: true };

export function getBankParams(store: KVReader): BankParams {
  const raw = store.get(BankKeys.params);
  return raw === undefined ? DEFAULT_BANK_PARAMS : BankParamsCodec.decode(raw);
}

export function setBankParams(store: KVStore, params: BankParams): void {
  store.set(BankKeys.params, BankParamsCodec.encode(params));
}

export function isSendEnabled(params: BankParams, denom: string): boolean {
  const entry = params.sendEnabled.find((e) => e.denom === denom);
  return entry === undefined ? params.defaultSendEnabled : entry.enabled;
}
