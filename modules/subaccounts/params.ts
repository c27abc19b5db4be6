import type { KVReader, KVStore } from "../../src/store/types.js";
import { ParamsProto } from "./codec.js";
import { SubaccountsKeys } from "./keys.js";

/** Circuit breakers: deposits and withdrawals can be halted by governance (transfers stay internal). */
export interface SubaccountsParams {
  depositsEnabled: boolean;
  withdrawalsEnabled: boolean;
}

export const DEFAULT_SUBACCOUNTS_PARAMS: SubaccountsParams = { depositsEnabled: true, withdrawalsEnabled: true };

export function getSubaccountsParams(store: KVReader): SubaccountsParams {
  const raw = store.get(SubaccountsKeys.params);
  return raw === undefined ? DEFAULT_SUBACCOUNTS_PARAMS : ParamsProto.decode(raw);
}

export function setSubaccountsParams(store: KVStore, params: SubaccountsParams): void {
  store.set(SubaccountsKeys.params, ParamsProto.encode(params));
}
