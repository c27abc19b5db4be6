import { ModulePrefix } from "../prefixes.js";

const P = ModulePrefix.auth;

export const AuthKeys = {
  params: new Uint8Array([P, 0x00]),
  /** 0x01 ‖ 20-byte address → Any(BaseAccount | ModuleAccount) */
  accountPrefix: new Uint8Array([P, 0x01]),
  nextAccountNumber: new Uint8Array([P, 0x02]),
  account(address: Uint8Array): Uint8Array {
    const key = new Uint8Array(2 + address.length);
    key[0] = P;
    key[1] = 0x01;
    key.set(address, 2);
    return key;
  },
} as const;

/** The module account that collects tx fees. */
export const FEE_COLLECTOR_MODULE = "fee_collector";
