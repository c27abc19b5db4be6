/** Margin messages: MsgSetMarginMode (a subaccount chooses the standard or the portfolio risk model). */
import type { MsgRoute } from "../../src/app/module.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { MAX_SUBACCOUNT_NUMBER } from "../subaccounts/index.js";
import { MsgSetMarginMode, MsgSetMarginModeResponse } from "./codec.js";
import { MarginErrors } from "./errors.js";
import * as events from "./events.js";
import type { MarginKeeper } from "./keeper.js";
import { parseMarginMode } from "./portfolioKeeper.js";

function checkMsg(msg: MsgSetMarginMode) {
  const owner = parseBech32Address(msg.owner, ACCOUNT_PREFIX);
  if (!Number.isInteger(msg.subaccountNumber) || msg.subaccountNumber < 0 || msg.subaccountNumber > MAX_SUBACCOUNT_NUMBER) {
    throw MarginErrors.invalidMode.with(`subaccount_number ${msg.subaccountNumber} is above ${MAX_SUBACCOUNT_NUMBER}`);
  }
  const mode = parseMarginMode(msg.mode);
  if (mode === undefined) throw MarginErrors.invalidMode.with(`mode "${msg.mode.slice(0, 40)}": expected "standard" or "portfolio"`);
  return { owner, mode };
}

export function msgSetMarginModeRoute(keeper: MarginKeeper): MsgRoute<MsgSetMarginMode> {
  return {
    typeUrl: MsgSetMarginMode.typeUrl,
    decode: (bytes) => MsgSetMarginMode.decodeCanonical(bytes),
    signers: (msg) => [msg.owner],
    validateBasic: (msg) => void checkMsg(msg),
    handle(ctx, msg) {
      const { owner, mode } = checkMsg(msg);
      const r = keeper.setMarginMode(ctx.store, { owner, number: msg.subaccountNumber }, mode, ctx.blockTimeNs);
      ctx.events.push(events.marginModeSet(`${msg.owner}/${msg.subaccountNumber}`, mode, r.equityMicroUsdc, r.initialMarginMicroUsdc));
      return {
        typeUrl: MsgSetMarginModeResponse.typeUrl,
        value: MsgSetMarginModeResponse.encode({ initialMarginMicroUsdc: r.initialMarginMicroUsdc.toString(), equityMicroUsdc: r.equityMicroUsdc.toString() }),
      };
    },
  };
}
