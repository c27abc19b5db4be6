/** Liquidation events in Cosmos shapes (flat string attributes; amounts "123uusdc"; subaccounts "bech32/number"). */
import { event, type Event } from "../../src/types/events.js";
import type { InsuranceEntry, LiquidationRecord } from "./types.js";

const USDC = "uusdc";

export const insurance = (e: InsuranceEntry): Event =>
  event("insurance_fund", {
    entry_id: e.id.toString(),
    kind: e.kind,
    amount: `${e.amountMicroUsdc}${USDC}`,
    counterparty: e.counterparty,
    series_id: e.seriesId.toString(),
    balance_after: `${e.balanceAfterMicroUsdc}${USDC}`,
  });

const eventTypeOf = { partial: "liquidation", takeover: "liquidation_takeover", deleverage: "deleveraging" } as const;

export const liquidation = (r: LiquidationRecord): Event =>
  event(eventTypeOf[r.kind], {
    liquidation_id: r.id.toString(),
    subaccount: r.subaccount,
    series_id: r.seriesId.toString(),
    size_delta_contracts: r.sizeDeltaContracts.toString(),
    cash: `${r.cashMicroUsdc}${USDC}`,
    fee: `${r.feeMicroUsdc}${USDC}`,
    counterparty: r.counterparty,
    equity_before: `${r.equityBeforeMicroUsdc}${USDC}`,
    maintenance_margin_before: `${r.maintenanceMarginBeforeMicroUsdc}${USDC}`,
    loss: `${r.lossMicroUsdc}${USDC}`,
  });

export const liquidationSkipped = (subaccount: string, reason: string): Event => event("liquidation_skipped", { subaccount, reason });

export const badDebt = (subaccount: string, uncoveredMicroUsdc: bigint): Event => event("bad_debt", { subaccount, uncovered: `${uncoveredMicroUsdc}${USDC}` });
