/** Bank message handlers: validate, check policy, call the keeper. */
import type { MsgRoute } from "../../src/app/module.js";
import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse } from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { addCoins, parseCoins, type Coin } from "../../src/math/coins.js";
import { SdkErrors } from "../../src/errors.js";
import { BankErrors } from "./errors.js";
import type { BankKeeper } from "./keeper.js";
import { getBankParams, isSendEnabled } from "./params.js";

type MsgSendT = ReturnType<typeof MsgSend.decode>;
type MsgMultiSendT = ReturnType<typeof MsgMultiSend.decode>;

export function msgSendRoute(bank: BankKeeper): MsgRoute<MsgSendT> {
  return {
    typeUrl: MsgSend.typeUrl,
    decode: (bytes) => MsgSend.decodeCanonical(bytes),
    signers: (msg) => [msg.fromAddress],
    validateBasic(msg) {
      parseBech32Address(msg.fromAddress, ACCOUNT_PREFIX);
      parseBech32Address(msg.toAddress, ACCOUNT_PREFIX);
      parseCoins(msg.amount);
    },
    handle(ctx, msg) {
      const from = parseBech32Address(msg.fromAddress, ACCOUNT_PREFIX);
      const to = parseBech32Address(msg.toAddress, ACCOUNT_PREFIX);
      const coins = parseCoins(msg.amount);
      assertSendEnabled(ctx.store, coins);
      if (bank.isBlockedRecipient(ctx.store, to)) {
        throw SdkErrors.unauthorized.with(`${msg.toAddress} is not allowed to receive funds`);
      }
      bank.send(ctx, from, to, coins);
      return { typeUrl: MsgSendResponse.typeUrl, value: MsgSendResponse.encode({}) };
    },
  };
}

/** One input, many outputs (the SDK 0.50 rule), with inputs equal to outputs denom by denom. */
export function msgMultiSendRoute(bank: BankKeeper): MsgRoute<MsgMultiSendT> {
  return {
    typeUrl: MsgMultiSend.typeUrl,
    decode: (bytes) => MsgMultiSend.decodeCanonical(bytes),
    signers: (msg) => msg.inputs.map((i) => i.address),
    validateBasic(msg) {
      if (msg.inputs.length === 0) throw BankErrors.noInputs.with();
      if (msg.inputs.length !== 1) throw BankErrors.multipleSenders.with();
      if (msg.outputs.length === 0) throw BankErrors.noOutputs.with();
      let totalIn: Coin[] = [];
      let totalOut: Coin[] = [];
      for (const input of msg.inputs) {
        parseBech32Address(input.address, ACCOUNT_PREFIX);
        totalIn = addCoins(totalIn, parseCoins(input.coins));
      }
      for (const output of msg.outputs) {
        parseBech32Address(output.address, ACCOUNT_PREFIX);
        totalOut = addCoins(totalOut, parseCoins(output.coins));
      }
      const same = totalIn.length === totalOut.length && totalIn.every((c, i) => c.denom === totalOut[i]!.denom && c.amount === totalOut[i]!.amount);
      if (!same) throw BankErrors.inputOutputMismatch.with();
    },
    handle(ctx, msg) {
      const input = msg.inputs[0]!;
      const from = parseBech32Address(input.address, ACCOUNT_PREFIX);
      for (const output of msg.outputs) {
        const to = parseBech32Address(output.address, ACCOUNT_PREFIX);
        const coins = parseCoins(output.coins);
        assertSendEnabled(ctx.store, coins);
        if (bank.isBlockedRecipient(ctx.store, to)) {
          throw SdkErrors.unauthorized.with(`${output.address} is not allowed to receive funds`);
        }
        bank.send(ctx, from, to, coins);
      }
      return { typeUrl: MsgMultiSendResponse.typeUrl, value: MsgMultiSendResponse.encode({}) };
    },
  };
}

function assertSendEnabled(store: Parameters<typeof getBankParams>[0], coins: readonly Coin[]): void {
  const params = getBankParams(store);
  for (const c of coins) {
    if (!isSendEnabled(params, c.denom)) throw BankErrors.sendDisabled.with(`${c.denom} transfers are currently disabled`);
  }
}
