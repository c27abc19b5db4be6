/** Subaccounts events in Cosmos shapes (flat string attributes, amounts as "123uusdc"); bank adds its own. */
import { event, type Event } from "../../src/types/events.js";
import { COLLATERAL_DENOM } from "./types.js";

const amount = (value: bigint) => `${value}${COLLATERAL_DENOM}`;

export const deposit = (sender: string, subaccountNumber: number, value: bigint): Event =>
  event("deposit", { sender, subaccount_number: String(subaccountNumber), amount: amount(value) });

export const withdraw = (sender: string, subaccountNumber: number, recipient: string, value: bigint): Event =>
  event("withdraw", { sender, subaccount_number: String(subaccountNumber), recipient, amount: amount(value) });

export const transfer = (sender: string, fromNumber: number, toNumber: number, value: bigint): Event =>
  event("transfer", {
    sender,
    from_subaccount_number: String(fromNumber),
    to_subaccount_number: String(toNumber),
    amount: amount(value),
  });
