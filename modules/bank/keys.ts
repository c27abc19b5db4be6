import { ModulePrefix } from "../prefixes.js";
import { concat } from "../../src/app/pagination.js";

const P = ModulePrefix.bank;
const utf8 = new TextEncoder();
/** Denoms are few and hot (every balance key has one): their bytes are encoded once. */
const denomBytes = new Map<string, Uint8Array>();
function denomKey(denom: string): Uint8Array {
  let bytes = denomBytes.get(denom);
  if (bytes === undefined) {
    bytes = utf8.encode(denom);
    if (denomBytes.size < 10_000) denomBytes.set(denom, bytes);
  }
  return bytes;
}

export const BankKeys = {
  params: new Uint8Array([P, 0x00]),
  /** 0x01 ‖ denom → total supply (decimal string) */
  supplyPrefix: new Uint8Array([P, 0x01]),
  /** 0x02 ‖ len(addr) ‖ addr ‖ denom → balance (decimal string); the length byte keeps prefix scans exact. */
  balancePrefix: new Uint8Array([P, 0x02]),
  /** 0x03 ‖ denom → Metadata */
  denomMetadataPrefix: new Uint8Array([P, 0x03]),
  supply(denom: string): Uint8Array {
    return concat(this.supplyPrefix, utf8.encode(denom));
  },
  accountBalancesPrefix(address: Uint8Array): Uint8Array {
    return concat(this.balancePrefix, new Uint8Array([address.length]), address);
  },
  balance(address: Uint8Array, denom: string): Uint8Array {
    return concat(this.accountBalancesPrefix(address), denomKey(denom));
  },
  denomMetadata(denom: string): Uint8Array {
    return concat(this.denomMetadataPrefix, utf8.encode(denom));
  },
};
