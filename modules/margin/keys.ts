/** Margin state keys, under ModulePrefix.margin (0x07). Margin derives everything else from other modules. */
import { ModulePrefix } from "../prefixes.js";

export const MARGIN_STORE_PREFIX: number = ModulePrefix.margin;

export const MarginKeys = {
  /** 0x00 → Params */
  params: new Uint8Array([MARGIN_STORE_PREFIX, 0x00]),
};
