/** cosmos.base.v1beta1 coins and cosmos.base.query.v1beta1 pagination. */
import { codecFor } from "../codec.js";

/** amount is a base-10 integer string. */
export interface Coin {
  denom: string;
  amount: string;
}

/** amount is a decimal string with 18 fractional digits. */
export interface DecCoin {
  denom: string;
  amount: string;
}

export interface PageRequest {
  key: Uint8Array;
  offset: bigint;
  limit: bigint;
  countTotal: boolean;
  reverse: boolean;
}

export interface PageResponse {
  nextKey: Uint8Array;
  total: bigint;
}

export const Coin = codecFor<Coin>("cosmos.base.v1beta1.Coin");
export const DecCoin = codecFor<DecCoin>("cosmos.base.v1beta1.DecCoin");
export const PageRequest = codecFor<PageRequest>("cosmos.base.query.v1beta1.PageRequest");
export const PageResponse = codecFor<PageResponse>("cosmos.base.query.v1beta1.PageResponse");
