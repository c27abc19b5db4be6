/**
 * The cosmjs Registry of every Vanna message: cosmjs's default types (bank, authz...) plus our modules' Msgs,
 * adapted from our codecs (src/codec codecFor) to the ts-proto shape cosmjs expects, so a wallet signs them with
 * exactly the bytes the chain re-encodes (our codecs are canonical and identical to ts-proto output).
 */
import { Registry, type GeneratedType } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import type { Codec } from "../../src/codec/index.js";
import { ClobCodec, LiquidationCodec, MarginCodec, OptionsCodec, SubaccountsCodec } from "./wire.js";

/** A cosmjs GeneratedType over one of our codecs (ts-proto shape: encode(...).finish(), decode, fromPartial). */
export function generatedType<T>(codec: Codec<T>): GeneratedType {
  return {
    encode: (message: T) => ({ finish: () => codec.encode(message) }),
    decode: (input: Uint8Array) => codec.decode(input),
    fromPartial: (object: unknown) => codec.fromPartial(object as never),
  } as unknown as GeneratedType;
}

/** Every Vanna Msg codec, by module. */
export const vannaMsgCodecs = {
  subaccounts: [SubaccountsCodec.MsgDeposit, SubaccountsCodec.MsgWithdraw, SubaccountsCodec.MsgTransfer],
  options: [OptionsCodec.MsgListSeries, OptionsCodec.MsgDelistSeries],
  clob: [
    ClobCodec.MsgPlaceOrder,
    ClobCodec.MsgCancelOrder,
    ClobCodec.MsgCancelAll,
    ClobCodec.MsgAmendOrder,
    ClobCodec.MsgBatch,
    ClobCodec.MsgSetMmp,
    ClobCodec.MsgResetMmp,
  ],
  margin: [MarginCodec.MsgSetMarginMode],
  liquidation: [LiquidationCodec.MsgDepositInsurance, LiquidationCodec.MsgWithdrawInsurance],
} as const satisfies Record<string, ReadonlyArray<{ readonly typeUrl: string }>>;

/** The Msg response codecs by the response's type URL (for DeliverTxResponse.msgResponses). */
export const vannaMsgResponseCodecs: ReadonlyMap<string, Codec<unknown>> = new Map(
  [
    SubaccountsCodec.MsgDepositResponse,
    SubaccountsCodec.MsgWithdrawResponse,
    SubaccountsCodec.MsgTransferResponse,
    OptionsCodec.MsgListSeriesResponse,
    OptionsCodec.MsgDelistSeriesResponse,
    ClobCodec.MsgPlaceOrderResponse,
    ClobCodec.MsgCancelOrderResponse,
    ClobCodec.MsgCancelAllResponse,
    ClobCodec.MsgAmendOrderResponse,
    ClobCodec.MsgBatchResponse,
    ClobCodec.MsgSetMmpResponse,
    ClobCodec.MsgResetMmpResponse,
    MarginCodec.MsgSetMarginModeResponse,
    LiquidationCodec.MsgDepositInsuranceResponse,
    LiquidationCodec.MsgWithdrawInsuranceResponse,
  ].map((c) => [c.typeUrl, c as Codec<unknown>] as const),
);

/** [typeUrl, GeneratedType] pairs of our Msgs only. */
export const vannaMsgTypes: ReadonlyArray<[string, GeneratedType]> = Object.values(vannaMsgCodecs)
  .flat()
  .map((c) => [c.typeUrl, generatedType(c as Codec<unknown>)]);

/** cosmjs's default types plus every Vanna Msg: pass to `new Registry(...)` or use createVannaRegistry(). */
export const vannaRegistryTypes: ReadonlyArray<[string, GeneratedType]> = [...defaultRegistryTypes, ...vannaMsgTypes];

export function createVannaRegistry(): Registry {
  return new Registry(vannaRegistryTypes);
}

/** Decodes the Msg responses of a tx result (e.g. the order id of a MsgPlaceOrder); unknown types stay raw. */
export function decodeMsgResponses(
  responses: ReadonlyArray<{ readonly typeUrl: string; readonly value: Uint8Array }>,
): Array<{ typeUrl: string; value: unknown }> {
  return responses.map((r) => {
    const codec = vannaMsgResponseCodecs.get(r.typeUrl);
    return { typeUrl: r.typeUrl, value: codec === undefined ? r.value : codec.decode(r.value) };
  });
}
