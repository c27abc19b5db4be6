/** Order events index what txs are searched by (ids, series, subaccounts), not sizes, prices or fees. */
import { describe, expect, it } from "vitest";
import * as events from "../../../modules/clob/events.js";

const indexed = (e: { attributes: Array<{ key: string; index: boolean }> }) => e.attributes.filter((a) => a.index).map((a) => a.key);

describe("clob events", () => {
  it("index identifying attributes only, in the documented attribute order", () => {
    const placed = events.orderPlaced({ orderId: 1n, seriesId: 2n, subaccount: "v/0", side: "buy", priceTicks: 3n, sizeContracts: 4n, timeInForce: "GTC", clientId: 5n, filledContracts: 0n, restingContracts: 4n });
    expect(placed.attributes.map((a) => a.key)).toEqual(["order_id", "series_id", "subaccount", "side", "price_ticks", "size_contracts", "time_in_force", "client_id", "filled_contracts", "resting_contracts"]);
    expect(indexed(placed)).toEqual(["order_id", "series_id", "subaccount", "client_id"]);
    const filled = events.orderFilled({ seriesId: 2n, makerOrderId: 1n, takerOrderId: 6n, maker: "m/0", taker: "t/0", takerSide: "sell", priceTicks: 3n, sizeContracts: 1n, premiumMicroUsdc: 30n, makerFeeMicroUsdc: 1n, takerFeeMicroUsdc: 2n });
    expect(indexed(filled)).toEqual(["series_id", "maker_order_id", "taker_order_id", "maker", "taker"]);
    expect(indexed(events.orderCancelled(1n, 2n, "v/0", 4n, "user", true))).toEqual(["order_id", "series_id", "subaccount", "reason"]);
    expect(indexed(events.mmpReset("v/0", "BTC", "reset"))).toEqual(["subaccount", "underlying", "cause"]);
  });
});
