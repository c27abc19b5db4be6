/** Margin state keys, under ModulePrefix.margin (0x07). Margin derives everything else from other modules. */
import { ModulePrefix } from "../prefixes.js";

export const MARGIN_STORE_PREFIX: number = ModulePrefix.margin;

export const MarginKeys = {
  /** 0x00 → Params */
  params: new Uint8Array([MARGIN_STORE_PREFIX, 0x00]),
  /** 0x01 | owner(20) | number(u32 BE) → [1]: the subaccount is in portfolio mode (absent: standard). */
  modePrefix: new Uint8Array([MARGIN_STORE_PREFIX, 0x01]),
};

export function modeKey(owner: Uint8Array, number: number): Uint8Array {
  const k = new Uint8Array(2 + owner.length + 4);
  k.set(MarginKeys.modePrefix, 0);
  k.set(owner, 2);
  new DataView(k.buffer).setUint32(2 + owner.length, number);
  return k;
}
