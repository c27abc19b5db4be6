import { ModulePrefix } from "../prefixes.js";
import { concat } from "../../src/app/pagination.js";

const P = ModulePrefix.bank;
const utf8 = new TextEncoder();

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
    return concat(this.accountBalancesPrefix(address), utf8.encode(denom));
  },
  denomMetadata(denom: string): Uint8Array {
    return concat(this.denomMetadataPrefix, utf8.encode(denom));
  },
};
