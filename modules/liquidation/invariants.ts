/**
 * Invariants of x/liquidation (committed state, after every block in test builds):
 * - the fund's ledger is complete: Σ history amounts == the insurance_fund module account's uusdc balance, and
 *   every entry's balance_after is non-negative (the fund is never negative);
 * - uusdc is conserved: the bank supply of uusdc equals Σ uusdc balances... as seen by the two accounts this
 *   module moves money between: Σ collateral == the subaccounts module balance (liquidation moves collateral only
 *   through applyUpdates with the fund as counterparty, so neither side can drift);
 * - positions net to zero per series;
 * - no subaccount without positions has negative collateral (a bankrupt account ends at exactly zero; the fund's
 *   subaccount excepted: its negative collateral is bad debt no counterparty could absorb), and every
 *   subaccount liquidated in the latest block that still holds positions has non-negative equity.
 */
import type { QueryContext } from "../../src/app/module.js";
import { COLLATERAL_DENOM, formatSubaccountId } from "../subaccounts/index.js";
import type { LiquidationKeeper } from "./keeper.js";
import { iterateEntries, iterateRecords } from "./ledger.js";

export function liquidationInvariants(ctx: QueryContext, keeper: LiquidationKeeper): string[] {
  const broken: string[] = [];
  const store = ctx.store;
  const balance = keeper.fundBalance(store);
  if (balance < 0n) broken.push(`liquidation: insurance fund balance ${balance} is negative`);
  let ledger = 0n;
  for (const e of iterateEntries(store)) {
    ledger += e.amountMicroUsdc;
    if (e.balanceAfterMicroUsdc < 0n) broken.push(`liquidation: history entry ${e.id} leaves the fund at ${e.balanceAfterMicroUsdc}`);
  }
  if (ledger !== balance) broken.push(`liquidation: fund history sums to ${ledger}${COLLATERAL_DENOM}, fund balance is ${balance}${COLLATERAL_DENOM}`);

  let collateral = 0n;
  const sums = new Map<bigint, bigint>();
  const withPositions = new Set<string>();
  for (const { id, position } of keeper.subaccounts.iteratePositions(store)) {
    sums.set(position.instrumentId, (sums.get(position.instrumentId) ?? 0n) + position.sizeContracts);
    withPositions.add(formatSubaccountId(id));
  }
  for (const [series, sum] of sums) if (sum !== 0n) broken.push(`liquidation: positions of series ${series} sum to ${sum}`);
  for (const s of keeper.subaccounts.iterateSubaccounts(store)) {
    collateral += s.quoteMicroUsdc;
    if (s.quoteMicroUsdc < 0n && s.positions.length === 0 && !keeper.isFundSubaccount(s.id)) broken.push(`liquidation: ${formatSubaccountId(s.id)} has ${s.quoteMicroUsdc} collateral and no positions`);
  }
  const moduleBalance = keeper.subaccounts.moduleBalance(store);
  if (collateral !== moduleBalance) broken.push(`liquidation: Σ collateral ${collateral} != subaccounts module balance ${moduleBalance}`);

  const latest = new Set<string>();
  for (const r of iterateRecords(store)) if (r.height === ctx.height) latest.add(r.subaccount);
  for (const s of keeper.subaccounts.iterateSubaccounts(store)) {
    const name = formatSubaccountId(s.id);
    if (!latest.has(name) || s.positions.length === 0 || keeper.isFundSubaccount(s.id)) continue;
    const r = keeper.margin.report(store, s.id, ctx.blockTimeNs);
    if (r.unpricedSeriesIds.length === 0 && r.equityMicroUsdc < 0n) broken.push(`liquidation: ${name} was liquidated at height ${ctx.height} and is left with equity ${r.equityMicroUsdc}`);
  }
  return broken;
}
