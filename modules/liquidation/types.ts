/** Public shapes of x/liquidation. Amounts in uusdc (signed where stated). */
import type { SubaccountId } from "../subaccounts/index.js";

/** The bank module account holding the insurance fund's liquid uusdc. */
export const INSURANCE_FUND_MODULE_ACCOUNT = "insurance_fund";
/** The fund's own subaccount number (owner: the module account address): it holds taken-over positions. */
export const INSURANCE_FUND_SUBACCOUNT_NUMBER = 0;

export type InsuranceEntryKind = "deposit" | "withdrawal" | "liquidation_fee" | "takeover" | "claim_paid" | "fund_topup" | "fund_sweep";
export type LiquidationKind = "partial" | "takeover" | "deleverage";

export interface InsuranceEntry {
  id: bigint;
  kind: InsuranceEntryKind;
  /** Positive into the fund, negative out of it. */
  amountMicroUsdc: bigint;
  counterparty: string;
  seriesId: bigint;
  height: bigint;
  timeNs: bigint;
  balanceAfterMicroUsdc: bigint;
}

export interface LiquidationRecord {
  id: bigint;
  height: bigint;
  timeNs: bigint;
  kind: LiquidationKind;
  subaccount: string;
  seriesId: bigint;
  sizeDeltaContracts: bigint;
  cashMicroUsdc: bigint;
  feeMicroUsdc: bigint;
  counterparty: string;
  equityBeforeMicroUsdc: bigint;
  maintenanceMarginBeforeMicroUsdc: bigint;
  lossMicroUsdc: bigint;
}

/** What one BeginBlock did (for tests and logs). */
export interface LiquidationBlockResult {
  scanned: number;
  skippedStale: number;
  skippedUnpriced: number;
  liquidated: number;
  ordersPlaced: number;
  takenOver: number;
  deleveraged: number;
  claimsPaidMicroUsdc: bigint;
  /** True when a per-block cap stopped the scan (the next block resumes where it stopped). */
  capped: boolean;
}

export type { SubaccountId };
