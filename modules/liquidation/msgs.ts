/** MsgDepositInsurance (anyone) and MsgWithdrawInsurance (the params authority only). */
import type { MsgRoute } from "../../src/app/module.js";
import type { Coin } from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { SdkErrors } from "../../src/errors.js";
import { parseAmount } from "../../src/math/coins.js";
import { COLLATERAL_DENOM } from "../subaccounts/index.js";
import { MsgDepositInsurance, MsgDepositInsuranceResponse, MsgWithdrawInsurance, MsgWithdrawInsuranceResponse } from "./codec.js";
import { LiquidationErrors } from "./errors.js";
import type { LiquidationKeeper } from "./keeper.js";

function usdcAmount(coin: Coin | undefined): bigint {
  if (coin === undefined) throw SdkErrors.invalidCoins.with("amount is required");
  if (coin.denom !== COLLATERAL_DENOM) throw LiquidationErrors.invalidDenom.with(`got "${coin.denom.slice(0, 80)}"`);
  const amount = parseAmount(coin.amount);
  if (amount === 0n) throw SdkErrors.invalidCoins.with(`zero amount of ${COLLATERAL_DENOM}`);
  return amount;
}

export function msgDepositInsuranceRoute(keeper: LiquidationKeeper): MsgRoute<MsgDepositInsurance> {
  return {
    typeUrl: MsgDepositInsurance.typeUrl,
    decode: (bytes) => MsgDepositInsurance.decodeCanonical(bytes),
    signers: (msg) => [msg.sender],
    validateBasic(msg) {
      parseBech32Address(msg.sender, ACCOUNT_PREFIX);
      usdcAmount(msg.amount);
    },
    handle(ctx, msg) {
      const balance = keeper.deposit(ctx, parseBech32Address(msg.sender, ACCOUNT_PREFIX), usdcAmount(msg.amount));
      return { typeUrl: MsgDepositInsuranceResponse.typeUrl, value: MsgDepositInsuranceResponse.encode({ balanceMicroUsdc: balance.toString() }) };
    },
  };
}

export function msgWithdrawInsuranceRoute(keeper: LiquidationKeeper): MsgRoute<MsgWithdrawInsurance> {
  return {
    typeUrl: MsgWithdrawInsurance.typeUrl,
    decode: (bytes) => MsgWithdrawInsurance.decodeCanonical(bytes),
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      parseBech32Address(msg.authority, ACCOUNT_PREFIX);
      parseBech32Address(msg.recipient, ACCOUNT_PREFIX);
      usdcAmount(msg.amount);
    },
    handle(ctx, msg) {
      const balance = keeper.withdraw(ctx, msg.authority, msg.recipient, usdcAmount(msg.amount));
      return { typeUrl: MsgWithdrawInsuranceResponse.typeUrl, value: MsgWithdrawInsuranceResponse.encode({ balanceMicroUsdc: balance.toString() }) };
    },
  };
}
