/**
 * What options needs from other modules, declared here so it imports none of their internals: the oracle
 * (spot, smiles, TWAP, staleness, two of its params) and subaccounts (holders and positions of a series, and
 * the one choke point that closes them at settlement).
 */
import type { Context } from "../../src/app/context.js";
import type { KVReader } from "../../src/store/types.js";
import type { OracleParams, OracleReader } from "../oracle/index.js";
import type { ApplyOptions, OpenInterest, Position, Subaccount, SubaccountId, SubaccountUpdate } from "../subaccounts/index.js";

export interface OracleKeeper extends Pick<OracleReader, "price" | "smile" | "twap" | "isStale"> {
  /** min_atm_vol_ppm floors the smile's vol; max_expiries bounds the live expiries per underlying. */
  getParams(store: KVReader): Pick<OracleParams, "minAtmVolPpm" | "maxExpiries">;
}

export interface SubaccountsKeeper {
  applyUpdates(ctx: Context, updates: readonly SubaccountUpdate[], opts: ApplyOptions): Subaccount[];
  /** Every subaccount holding a position in the instrument (== series id), in key order. */
  holders(store: KVReader, instrumentId: bigint): IterableIterator<SubaccountId>;
  position(store: KVReader, id: SubaccountId, instrumentId: bigint): Position | undefined;
  collateral(store: KVReader, id: SubaccountId): bigint;
  openInterest(store: KVReader, instrumentId: bigint): OpenInterest;
}
