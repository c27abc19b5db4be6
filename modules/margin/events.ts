/** Margin events in Cosmos shapes (flat string attributes, amounts as "123uusdc"). */
import { event, type Event } from "../../src/types/events.js";

const amount = (value: bigint) => `${value}uusdc`;

/** The BeginBlock sweep cancelled every open order of an under-margined subaccount. */
export const ordersCancelledForMargin = (subaccount: string, equity: bigint, initialMargin: bigint, cancelled: number): Event =>
  event("margin_orders_cancelled", {
    subaccount,
    equity: amount(equity),
    initial_margin: amount(initialMargin),
    orders_cancelled: String(cancelled),
  });

/** A subaccount switched its risk model (the new mode's IM was met). */
export const marginModeSet = (subaccount: string, mode: string, equity: bigint, initialMargin: bigint): Event =>
  event("margin_mode_set", { subaccount, mode, equity: amount(equity), initial_margin: amount(initialMargin) });
