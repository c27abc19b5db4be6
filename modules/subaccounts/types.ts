/** The in-memory shapes of subaccounts and of updates to them (what other modules see through index.ts). */
import type { ChainError } from "../../src/errors.js";

/** The one collateral denom: micro-USDC. */
export const COLLATERAL_DENOM = "uusdc";
/** The bank module account that holds every deposited uusdc. */
export const SUBACCOUNTS_MODULE_ACCOUNT = "subaccounts";
/** Highest subaccount number (dYdX's MaxSubaccountIdNumber): bounds what one address can create. */
export const MAX_SUBACCOUNT_NUMBER = 127_999;
/** Largest magnitude of any stored signed integer (collateral, size, cost basis): 256 bits, as sdk.Int. */
export const MAX_MAGNITUDE = (1n << 256n) - 1n;
/** Instrument ids are uint64 (big-endian in keys). */
export const MAX_INSTRUMENT_ID = (1n << 64n) - 1n;

export interface SubaccountId {
  /** Raw address bytes (20 for accounts), not bech32. */
  owner: Uint8Array;
  number: number;
}

export interface Position {
  instrumentId: bigint;
  /** Positive long, negative short; never zero in state. */
  sizeContracts: bigint;
  /** Quote paid for the position in micro-USDC (negative when premium was received). */
  costBasisMicroUsdc: bigint;
}

export interface Subaccount {
  id: SubaccountId;
  /** Collateral in micro-USDC. */
  quoteMicroUsdc: bigint;
  /** In instrument id order. */
  positions: Position[];
}

export interface PositionDelta {
  instrumentId: bigint;
  sizeDelta: bigint;
  /** Added to the cost basis; when the size returns to zero the position (and its cost basis) is removed. */
  costBasisDelta?: bigint;
}

export interface SubaccountUpdate {
  id: SubaccountId;
  collateralDelta: bigint;
  positionDeltas: PositionDelta[];
}

/**
 * Why a batch of updates is applied, which decides the checks:
 * - deposit, withdrawal, transfer, match: collateral may not go negative; an update that can lower equity
 *   (a collateral debit or any position change) must leave equity at or above the initial margin;
 * - trade (order-book fills): neither check; margin is enforced before an order is accepted (its worst case is
 *   counted against initial margin) and by the per-block sweep that cancels the orders of under-margined
 *   subaccounts, so a fill at the maker's price never needs a second, order-dependent check;
 * - settlement, liquidation: neither check (collateral may go negative while positions remain).
 */
export type UpdateKind = "deposit" | "withdrawal" | "transfer" | "match" | "trade" | "settlement" | "liquidation";

/** Per-update outcome of the dry run, after dYdX's UpdateResult. */
export type UpdateResult =
  | "success"
  /** Equity was at or above the initial margin before and would be below after. */
  | "newly_undercollateralized"
  /** Equity was below the initial margin before and would still be after. */
  | "still_undercollateralized"
  /** Collateral would go below zero on a path that does not allow it. */
  | "negative_collateral"
  /** A value would exceed 256 bits. */
  | "overflow"
  /** Malformed: duplicate subaccount in the batch, number or instrument out of range, repeated instrument. */
  | "invalid_update";

export interface ApplyOptions {
  kind: UpdateKind;
  /**
   * The bank account on the other side of the batch's net collateral change N = Σ collateralDelta: when N > 0
   * it pays N uusdc into the module account, when N < 0 it receives -N. Required when N ≠ 0, so collateral
   * can never be created or destroyed without the matching bank movement (I1 by construction).
   */
  counterparty?: Uint8Array;
  /** Allow position deltas that do not sum to zero per instrument within this batch (e.g. a chunked settlement). */
  allowUnbalancedPositions?: boolean;
  /** Block time for the margin check of a dry run (`canApplyUpdates`); `applyUpdates` uses its context's. */
  nowNs?: bigint;
}

export interface CanApplyResult {
  /** True when applyUpdates would succeed. */
  ok: boolean;
  /** One entry per update, in input order. */
  results: UpdateResult[];
  /** The error applyUpdates would throw (the first failing update, else the batch-level failure). */
  error?: ChainError;
}
