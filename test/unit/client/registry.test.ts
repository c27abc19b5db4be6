import { describe, expect, it } from "vitest";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Codec } from "../../../src/codec/index.js";
import {
  ClobCodec,
  createVannaRegistry,
  decodeMsgResponses,
  LiquidationCodec,
  MarginCodec,
  msgs,
  OptionsCodec,
  SubaccountsCodec,
  usdc,
  vannaMsgCodecs,
  vannaRegistryTypes,
  type VannaEncodeObject,
} from "../../../node/client/index.js";
import { devWallet } from "../../support/devChain.js";

const OWNER = "vanna19rl4cm2hmr8afy4kldpxz3fka4jguq0aamlvd2";

const order = {
  seriesId: 42n,
  side: "sell" as const,
  priceTicks: 1234n,
  sizeContracts: 7n,
  orderType: "market" as const,
  timeInForce: "ioc" as const,
  goodTilBlock: 99n,
  goodTilTimeNs: 1_767_225_600_000_000_000n,
  postOnly: true,
  reduceOnly: true,
  clientId: (1n << 63n) + 5n,
};

/** One message of each type, every field away from its default so a dropped field would show. */
const samples: Array<[VannaEncodeObject<unknown>, Codec<unknown>]> = [
  [msgs.deposit({ sender: OWNER, subaccountNumber: 3, amount: usdc(1_500_000n) }), SubaccountsCodec.MsgDeposit],
  [msgs.withdraw({ sender: OWNER, subaccountNumber: 2, amount: usdc(10n), recipient: OWNER }), SubaccountsCodec.MsgWithdraw],
  [msgs.transfer({ sender: OWNER, fromNumber: 1, toNumber: 4, amount: usdc(77n) }), SubaccountsCodec.MsgTransfer],
  [msgs.listSeries({ authority: OWNER, underlying: "BTC", expiryUnixS: 1_769_760_000n, strikeMicroUsd: 100_000_000_000n, kind: "put" }), OptionsCodec.MsgListSeries],
  [msgs.delistSeries({ authority: OWNER, seriesId: 9n }), OptionsCodec.MsgDelistSeries],
  [msgs.placeOrder({ owner: OWNER, subaccountNumber: 1, order }), ClobCodec.MsgPlaceOrder],
  [msgs.cancelOrder({ owner: OWNER, subaccountNumber: 1, clientId: 12n }), ClobCodec.MsgCancelOrder],
  [msgs.cancelAll({ owner: OWNER, subaccountNumber: 5, underlying: "ETH", expiryUnixS: 1_769_760_000n, seriesId: 3n }), ClobCodec.MsgCancelAll],
  [msgs.amendOrder({ owner: OWNER, subaccountNumber: 1, orderId: 8n, newSizeContracts: 3n, newPriceTicks: 50n }), ClobCodec.MsgAmendOrder],
  [msgs.batch({ owner: OWNER, subaccountNumber: 1, cancels: [{ orderId: 1n }, { clientId: 2n }], places: [order, { ...order, side: "buy", clientId: 3n }] }), ClobCodec.MsgBatch],
  [
    msgs.setMmp({ owner: OWNER, subaccountNumber: 1, underlying: "BTC", windowNs: 5_000_000_000n, maxContracts: 100n, maxDeltaMicroUnits: 2n, maxVegaMicroUsdc: 3n, freezeNs: 4n }),
    ClobCodec.MsgSetMmp,
  ],
  [msgs.resetMmp({ owner: OWNER, subaccountNumber: 1, underlying: "BTC" }), ClobCodec.MsgResetMmp],
  [msgs.setMarginMode({ owner: OWNER, subaccountNumber: 2, mode: "portfolio" }), MarginCodec.MsgSetMarginMode],
  [msgs.depositInsurance({ sender: OWNER, amountMicroUsdc: 5_000_000n }), LiquidationCodec.MsgDepositInsurance],
  [msgs.withdrawInsurance({ authority: OWNER, recipient: OWNER, amountMicroUsdc: 1n }), LiquidationCodec.MsgWithdrawInsurance],
];

describe("vanna registry", () => {
  const registry = createVannaRegistry();

  it("covers every Vanna Msg codec exactly once", () => {
    const urls = samples.map(([m]) => m.typeUrl).sort();
    const registered = Object.values(vannaMsgCodecs)
      .flat()
      .map((c) => c.typeUrl)
      .sort();
    expect(registered).toEqual(urls);
    for (const url of urls) expect(registry.lookupType(url)).toBeDefined();
    // cosmjs's own types stay available
    expect(registry.lookupType("/cosmos.bank.v1beta1.MsgSend")).toBeDefined();
    expect(vannaRegistryTypes.length).toBeGreaterThan(urls.length);
  });

  it.each(samples.map(([m, c]) => [m.typeUrl, m, c] as const))("%s: cosmjs encoding is byte-identical to ours and decodes back", (_url, msg, codec) => {
    expect(msg.typeUrl).toBe(codec.typeUrl);
    const bytes = registry.encode(msg);
    expect(bytes).toEqual(codec.encode(msg.value));
    // The chain decodes canonically: what cosmjs signs must pass.
    expect(codec.decodeCanonical(bytes)).toEqual(msg.value);
    expect(registry.decode({ typeUrl: msg.typeUrl, value: bytes })).toEqual(msg.value);
  });

  it("builders fill proto defaults and turn words into wire enums", () => {
    const placed = msgs.placeOrder({ owner: OWNER, order: { seriesId: 1n, side: "buy", priceTicks: 5n, sizeContracts: 1n } }).value;
    expect(placed).toEqual({
      owner: OWNER,
      subaccountNumber: 0,
      order: { seriesId: 1n, side: 1, orderType: 0, priceTicks: 5n, sizeContracts: 1n, timeInForce: 0, goodTilBlock: 0n, goodTilTimeNs: 0n, postOnly: false, reduceOnly: false, clientId: 0n },
    });
    expect(msgs.listSeries({ authority: OWNER, underlying: "BTC", expiryUnixS: 1n, strikeMicroUsd: 1n, kind: "call" }).value.kind).toBe(1);
    expect(() => msgs.cancelOrder({ owner: OWNER })).toThrow(/exactly one of orderId and clientId/);
    expect(() => msgs.amendOrder({ owner: OWNER, orderId: 1n, clientId: 2n, newSizeContracts: 1n })).toThrow(/exactly one/);
  });

  it("a cosmjs wallet signs a tx body of Vanna messages that decodes with our codecs", async () => {
    const { wallet, addresses } = await devWallet();
    const client = await SigningStargateClient.offline(wallet, { registry });
    const from = addresses[0]!;
    const place = msgs.placeOrder({ owner: from, subaccountNumber: 1, order });
    const raw = await client.sign(from, [place], { amount: [{ denom: "uvanna", amount: "500" }], gas: "200000" }, "", {
      accountNumber: 0n,
      sequence: 0,
      chainId: "vanna-test-1",
    });
    const body = TxBody.decode(raw.bodyBytes);
    expect(body.messages[0]?.typeUrl).toBe(ClobCodec.MsgPlaceOrder.typeUrl);
    expect(ClobCodec.MsgPlaceOrder.decodeCanonical(body.messages[0]!.value)).toEqual(place.value);
  });

  it("decodes Msg responses by type URL and leaves unknown ones raw", () => {
    const value = ClobCodec.MsgPlaceOrderResponse.encode({ orderId: 7n, filledContracts: 2n, restingContracts: 3n });
    const unknown = new Uint8Array([1, 2]);
    expect(
      decodeMsgResponses([
        { typeUrl: ClobCodec.MsgPlaceOrderResponse.typeUrl, value },
        { typeUrl: "/x.y.Z", value: unknown },
      ]),
    ).toEqual([
      { typeUrl: ClobCodec.MsgPlaceOrderResponse.typeUrl, value: { orderId: 7n, filledContracts: 2n, restingContracts: 3n } },
      { typeUrl: "/x.y.Z", value: unknown },
    ]);
  });
});
