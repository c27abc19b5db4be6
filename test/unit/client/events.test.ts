import { describe, expect, it } from "vitest";
import { fillsOf, orderEventsOf } from "../../../node/client/index.js";
import { orderCancelled, orderFilled, orderPlaced, orderAmended } from "../../../modules/clob/events.js";
import { event } from "../../../src/types/events.js";

const SUB = "vanna19rl4cm2hmr8afy4kldpxz3fka4jguq0aamlvd2/1";
const withIndex = (e: ReturnType<typeof event>, i: number) => ({ ...e, attributes: [...e.attributes, { key: "msg_index", value: String(i), index: true }] });

describe("order events of a tx result", () => {
  it("reads the events the clob module emits", () => {
    const events = [
      event("message", { action: "/vanna.clob.v1.MsgPlaceOrder" }),
      withIndex(
        orderPlaced({ orderId: 9n, seriesId: 3n, subaccount: SUB, side: "buy", priceTicks: 247n, sizeContracts: 5n, timeInForce: "gtc", clientId: 0n, filledContracts: 2n, restingContracts: 3n }),
        0,
      ),
      withIndex(
        orderFilled({ seriesId: 3n, makerOrderId: 4n, takerOrderId: 9n, maker: "m/0", taker: SUB, takerSide: "buy", priceTicks: 240n, sizeContracts: 2n, premiumMicroUsdc: 24_000_000n, makerFeeMicroUsdc: 0n, takerFeeMicroUsdc: 7_200n }),
        0,
      ),
      orderCancelled(4n, 3n, "m/0", 1n, "self_trade", false),
      orderAmended(9n, 3n, SUB, 250n, 3n, true),
    ];
    const out = orderEventsOf({ events });
    expect(out.placed).toEqual([
      { msgIndex: 0, orderId: 9n, seriesId: 3n, subaccount: SUB, side: "buy", priceTicks: 247n, sizeContracts: 5n, timeInForce: "gtc", clientId: 0n, filledContracts: 2n, restingContracts: 3n },
    ]);
    expect(out.filled).toEqual([
      { msgIndex: 0, seriesId: 3n, makerOrderId: 4n, takerOrderId: 9n, maker: "m/0", taker: SUB, takerSide: "buy", priceTicks: 240n, sizeContracts: 2n, premiumMicroUsdc: 24_000_000n, makerFeeMicroUsdc: 0n, takerFeeMicroUsdc: 7_200n },
    ]);
    expect(out.cancelled).toEqual([{ orderId: 4n, seriesId: 3n, subaccount: "m/0", cancelledContracts: 1n, reason: "self_trade", removed: false }]);
    expect(out.amended).toEqual([{ orderId: 9n, seriesId: 3n, subaccount: SUB, priceTicks: 250n, restingContracts: 3n, lostPriority: true }]);
    expect(fillsOf({ events })).toEqual(out.filled);
  });

  it("says which attribute of which event is malformed", () => {
    expect(() => orderEventsOf({ events: [event("order_cancelled", { order_id: "1" })] })).toThrow("order_cancelled event without attribute series_id");
    expect(() => orderEventsOf({ events: [event("order_expired", { order_id: "x", series_id: "1", subaccount: SUB, cancelled_contracts: "1" })] })).toThrow(/order_id "x" is not an integer/);
  });
});
