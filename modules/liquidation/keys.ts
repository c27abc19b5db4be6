/** Liquidation state keys, all under ModulePrefix.liquidation (0x08); ids are 8-byte big-endian. */
import { ModulePrefix } from "../prefixes.js";
import { concat } from "../../src/app/pagination.js";

const P: number = ModulePrefix.liquidation;
export const LIQUIDATION_STORE_PREFIX = P;

export { readU64be, u64be } from "../../src/store/bigEndian.js";
import { u64be } from "../../src/store/bigEndian.js";

export const LiquidationKeys = {
  params: new Uint8Array([P, 0x00]),
  /** → u64be: id of the next insurance history entry. */
  nextEntryId: new Uint8Array([P, 0x01]),
  /** 0x02 ‖ u64be(id) → InsuranceEntry */
  historyPrefix: new Uint8Array([P, 0x02]),
  /** → u64be: id of the next liquidation record. */
  nextRecordId: new Uint8Array([P, 0x03]),
  /** 0x04 ‖ u64be(id) → LiquidationRecord */
  recordPrefix: new Uint8Array([P, 0x04]),
  /** → subaccount order key (len ‖ owner ‖ u32be number) where the next block's scan starts (set when a cap stopped it). */
  cursor: new Uint8Array([P, 0x05]),
  entry(id: bigint): Uint8Array {
    return concat(this.historyPrefix, u64be(id));
  },
  record(id: bigint): Uint8Array {
    return concat(this.recordPrefix, u64be(id));
  },
};

/** Key-order bytes of a subaccount id (the subaccounts module's order: owner length, owner, number). */
export function subaccountOrderKey(id: { owner: Uint8Array; number: number }): Uint8Array {
  const out = new Uint8Array(1 + id.owner.length + 4);
  out[0] = id.owner.length;
  out.set(id.owner, 1);
  new DataView(out.buffer).setUint32(1 + id.owner.length, id.number, false);
  return out;
}
