/** Subaccounts message handlers: strict stateless checks, then one call to the keeper's choke point. */
import type { MsgRoute } from "../../src/app/module.js";
import type { Coin } from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { parseAmount } from "../../src/math/coins.js";
import { SdkErrors } from "../../src/errors.js";
import {
  MsgDeposit,
  MsgDepositResponse,
  MsgTransfer,
  MsgTransferResponse,
  MsgWithdraw,
  MsgWithdrawResponse,
} from "./codec.js";
import { SubaccountsErrors } from "./errors.js";
import * as events from "./events.js";
import type { SubaccountsKeeper } from "./keeper.js";
import { getSubaccountsParams } from "./params.js";
import { COLLATERAL_DENOM, MAX_SUBACCOUNT_NUMBER } from "./types.js";

/** A positive uusdc amount: the denom first (a clear "only uusdc" error), then the SDK's amount rules. */
export function parseCollateralAmount(coin: Coin | undefined): bigint {
  if (coin === undefined) throw SdkErrors.invalidCoins.with("amount is required");
  if (coin.denom !== COLLATERAL_DENOM) throw SubaccountsErrors.invalidCollateralDenom.with(`got "${coin.denom.slice(0, 80)}"`);
  const amount = parseAmount(coin.amount);
  if (amount === 0n) throw SdkErrors.invalidCoins.with(`zero amount of ${COLLATERAL_DENOM}`);
  return amount;
}

export function checkSubaccountNumber(n: number, field: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SUBACCOUNT_NUMBER) {
    throw SubaccountsErrors.invalidSubaccountNumber.with(`${field} ${n} is above ${MAX_SUBACCOUNT_NUMBER}`);
  }
}

export function msgDepositRoute(keeper: SubaccountsKeeper): MsgRoute<MsgDeposit> {
  return {
    typeUrl: MsgDeposit.typeUrl,
    decode: (bytes) => MsgDeposit.decodeCanonical(bytes),
    signers: (msg) => [msg.sender],
    validateBasic(msg) {
      parseBech32Address(msg.sender, ACCOUNT_PREFIX);
      checkSubaccountNumber(msg.subaccountNumber, "subaccount_number");
      parseCollateralAmount(msg.amount);
    },
    handle(ctx, msg) {
      const sender = parseBech32Address(msg.sender, ACCOUNT_PREFIX);
      const amount = parseCollateralAmount(msg.amount);
      if (!getSubaccountsParams(ctx.store).depositsEnabled) throw SubaccountsErrors.depositsDisabled.with();
      const [after] = keeper.applyUpdates(ctx, [{ id: { owner: sender, number: msg.subaccountNumber }, collateralDelta: amount, positionDeltas: [] }], {
        kind: "deposit",
        counterparty: sender,
      });
      ctx.events.push(events.deposit(msg.sender, msg.subaccountNumber, amount));
      return { typeUrl: MsgDepositResponse.typeUrl, value: MsgDepositResponse.encode({ quoteMicroUsdc: after!.quoteMicroUsdc.toString() }) };
    },
  };
}

export function msgWithdrawRoute(keeper: SubaccountsKeeper): MsgRoute<MsgWithdraw> {
  return {
    typeUrl: MsgWithdraw.typeUrl,
    decode: (bytes) => MsgWithdraw.decodeCanonical(bytes),
    signers: (msg) => [msg.sender],
    validateBasic(msg) {
      parseBech32Address(msg.sender, ACCOUNT_PREFIX);
      if (msg.recipient !== "") parseBech32Address(msg.recipient, ACCOUNT_PREFIX);
      checkSubaccountNumber(msg.subaccountNumber, "subaccount_number");
      parseCollateralAmount(msg.amount);
    },
    handle(ctx, msg) {
      const sender = parseBech32Address(msg.sender, ACCOUNT_PREFIX);
      const recipientText = msg.recipient === "" ? msg.sender : msg.recipient;
      const recipient = parseBech32Address(recipientText, ACCOUNT_PREFIX);
      const amount = parseCollateralAmount(msg.amount);
      if (!getSubaccountsParams(ctx.store).withdrawalsEnabled) throw SubaccountsErrors.withdrawalsDisabled.with();
      if (keeper.isBlockedRecipient(ctx.store, recipient)) throw SdkErrors.unauthorized.with(`${recipientText} is not allowed to receive funds`);
      const [after] = keeper.applyUpdates(ctx, [{ id: { owner: sender, number: msg.subaccountNumber }, collateralDelta: -amount, positionDeltas: [] }], {
        kind: "withdrawal",
        counterparty: recipient,
      });
      ctx.events.push(events.withdraw(msg.sender, msg.subaccountNumber, recipientText, amount));
      return { typeUrl: MsgWithdrawResponse.typeUrl, value: MsgWithdrawResponse.encode({ quoteMicroUsdc: after!.quoteMicroUsdc.toString() }) };
    },
  };
}

export function msgTransferRoute(keeper: SubaccountsKeeper): MsgRoute<MsgTransfer> {
  return {
    typeUrl: MsgTransfer.typeUrl,
    decode: (bytes) => MsgTransfer.decodeCanonical(bytes),
    signers: (msg) => [msg.sender],
    validateBasic(msg) {
      parseBech32Address(msg.sender, ACCOUNT_PREFIX);
      checkSubaccountNumber(msg.fromNumber, "from_number");
      checkSubaccountNumber(msg.toNumber, "to_number");
      if (msg.fromNumber === msg.toNumber) throw SubaccountsErrors.sameSubaccount.with(`subaccount ${msg.fromNumber}`);
      parseCollateralAmount(msg.amount);
    },
    handle(ctx, msg) {
      const owner = parseBech32Address(msg.sender, ACCOUNT_PREFIX);
      const amount = parseCollateralAmount(msg.amount);
      const [from, to] = keeper.applyUpdates(
        ctx,
        [
          { id: { owner, number: msg.fromNumber }, collateralDelta: -amount, positionDeltas: [] },
          { id: { owner, number: msg.toNumber }, collateralDelta: amount, positionDeltas: [] },
        ],
        { kind: "transfer" },
      );
      ctx.events.push(events.transfer(msg.sender, msg.fromNumber, msg.toNumber, amount));
      return {
        typeUrl: MsgTransferResponse.typeUrl,
        value: MsgTransferResponse.encode({ fromQuoteMicroUsdc: from!.quoteMicroUsdc.toString(), toQuoteMicroUsdc: to!.quoteMicroUsdc.toString() }),
      };
    },
  };
}
