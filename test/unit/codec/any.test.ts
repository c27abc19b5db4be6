import { describe, expect, it } from "vitest";
import { SdkErrors } from "../../../src/errors.js";
import { anyOf, MsgSend, MsgSendResponse, TxMsgData, unpackAny } from "../../../src/codec/index.js";

const send = MsgSend.fromPartial({ fromAddress: "a", toAddress: "b", amount: [{ denom: "uvanna", amount: "1" }] });

describe("anyOf / unpackAny", () => {
  it("packs with the codec's type URL and unpacks the same message", () => {
    const any = anyOf(MsgSend, send);
    expect(any.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSend");
    expect(any.value).toEqual(MsgSend.encode(send));
    expect(unpackAny(any, MsgSend)).toStrictEqual(send);
  });

  it("rejects a different type URL with invalidType", () => {
    const any = anyOf(MsgSendResponse, {});
    expect(() => unpackAny(any, MsgSend)).toThrow(/expected \/cosmos\.bank\.v1beta1\.MsgSend/);
    try {
      unpackAny(any, MsgSend);
    } catch (err) {
      expect(SdkErrors.invalidType.is(err)).toBe(true);
    }
  });

  it("is canonical by default and lenient on request", () => {
    const any = { typeUrl: MsgSend.typeUrl, value: new Uint8Array([...MsgSend.encode(send), 0x20, 0x01]) };
    expect(() => unpackAny(any, MsgSend)).toThrow(/non-canonical/);
    expect(unpackAny(any, MsgSend, "lenient")).toStrictEqual(send);
  });

  it("builds the TxMsgData a tx result carries", () => {
    const data = TxMsgData.encode({ data: [], msgResponses: [anyOf(MsgSendResponse, {})] });
    // field 2, length 38, Any{ type_url = "/cosmos.bank.v1beta1.MsgSendResponse" }
    expect([...data.subarray(0, 4)]).toEqual([0x12, 0x26, 0x0a, 0x24]);
    expect(TxMsgData.decode(data).msgResponses[0]?.typeUrl).toBe("/cosmos.bank.v1beta1.MsgSendResponse");
  });
});
