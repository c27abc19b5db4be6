/** What `vanna tx|query options` print: JSON views, tables, tx reports (pure functions, no network). */
import { describe, expect, it } from "vitest";
import { ClobCodec, type OptionsCodec } from "../../../node/client/index.js";
import { bookText, fillsTable, markFields, ordersTable, seriesFields, seriesJson, seriesTable, wireJson } from "../../../node/cli/commands/optionsFormat.js";
import { vannaTxReport } from "../../../node/cli/commands/optionsTxCommon.js";
import { parseBatchFile } from "../../../node/cli/commands/optionsTxOrders.js";
import { formatFields } from "../../../node/cli/output.js";
import { orderFilled, orderPlaced } from "../../../modules/clob/events.js";

const EXPIRY = 1_769_760_000n;
const series: OptionsCodec.SeriesProto = { id: 3n, underlying: "BTC", expiryUnixS: EXPIRY, strikeMicroUsd: 100_000_000_000n, kind: 1, status: 1, listedHeight: 4n, settlementPriceMicroUsd: 0n, settledHeight: 0n };
const order: ClobCodec.OrderProto = {
  orderId: 8n, seriesId: 3n, owner: "vanna1abc", subaccountNumber: 1, side: 2, priceTicks: 247n, remainingContracts: 2n, placedContracts: 3n, filledContracts: 1n,
  timeInForce: 0, goodTilBlock: 0n, goodTilTimeNs: 0n, postOnly: true, reduceOnly: false, clientId: 5n, seq: 9n,
};

describe("JSON views", () => {
  it("snake_case keys, enums as words, bigints kept for the printer", () => {
    expect(seriesJson(series)).toEqual({
      name: "BTC-20260130-100000-C", id: 3n, underlying: "BTC", expiry_unix_s: EXPIRY, strike_micro_usd: 100_000_000_000n, kind: "call", status: "active",
      listed_height: 4n, settlement_price_micro_usd: 0n, settled_height: 0n,
    });
    expect(wireJson({ orders: [order] })).toMatchObject({ orders: [{ order_id: 8n, side: "sell", time_in_force: "gtc", post_only: true, client_id: 5n }] });
    expect(wireJson({ takerSide: 1, orderType: 1, kind: 9 })).toEqual({ taker_side: "buy", order_type: "market", kind: 9 });
  });
});

describe("text views", () => {
  it("series fields and table", () => {
    expect(formatFields(seriesFields(series))).toBe(
      [
        "id:               3",
        "name:             BTC-20260130-100000-C",
        "underlying:       BTC",
        "kind:             call",
        "strike:           100000 USD",
        "expiry:           2026-01-30 08:00:00Z (1769760000)",
        "status:           active",
        "listed at height: 4",
        "",
      ].join("\n"),
    );
    expect(seriesTable([series])).toBe("ID  NAME                   EXPIRY (UTC)          STRIKE USD  KIND  STATUS\n3   BTC-20260130-100000-C  2026-01-30 08:00:00Z  100000      call  active\n");
    expect(seriesTable([])).toBe("no series\n");
  });

  it("the L2 book: asks high to low, the spread, bids high to low, prices in USDC and ticks", () => {
    const book: ClobCodec.QueryBookL2Response = {
      bids: [{ priceTicks: 245n, sizeContracts: 10n, orderCount: 2 }, { priceTicks: 240n, sizeContracts: 1n, orderCount: 1 }],
      asks: [{ priceTicks: 247n, sizeContracts: 3n, orderCount: 1 }, { priceTicks: 250n, sizeContracts: 7n, orderCount: 3 }],
    };
    expect(bookText(book, 50_000n)).toBe(
      [
        "SIDE  PRICE USDC  TICKS     SIZE  ORDERS",
        "ask   12.5        250       7     3",
        "ask   12.35       247       3     1",
        "                  spread 2",
        "bid   12.25       245       10    2",
        "bid   12          240       1     1",
        "",
      ].join("\n"),
    );
    expect(bookText({ bids: [], asks: [] }, 50_000n)).toBe("empty book\n");
  });

  it("orders and fills tables", () => {
    expect(ordersTable([order], () => 50_000n)).toBe(
      "ORDER  SERIES  SUBACCOUNT   SIDE  PRICE              REMAINING  FILLED  TIF  FLAGS      CLIENT ID\n" +
        "8      3       vanna1abc/1  sell  12.35 (247 ticks)  2          1       gtc  post-only  5\n",
    );
    expect(ordersTable([order], () => undefined)).toContain("247 ticks ");
    const fill: ClobCodec.FillProto = {
      sequence: 1n, seriesId: 3n, makerOrderId: 8n, takerOrderId: 9n, maker: "vanna1m", makerNumber: 0, taker: "vanna1t", takerNumber: 2, takerSide: 1,
      priceTicks: 247n, sizeContracts: 2n, premiumMicroUsdc: "24700000", makerFeeMicroUsdc: "0", takerFeeMicroUsdc: "7410", height: 12n, timeNs: 0n,
    };
    expect(fillsTable([fill], () => 50_000n)).toMatch(/^1 +12 +3 +buy +12\.35 \(247 ticks\) +2 +24\.7 +vanna1m\/0 +vanna1t\/2 +0\/0\.00741$/m);
    expect(fillsTable([], () => undefined)).toBe("no fills\n");
  });

  it("mark fields in USDC, percent and plain numbers", () => {
    const text = formatFields(
      markFields({ seriesId: 3n, spotMicroUsd: 100_000_000_000n, volPpm: 612_345n, markMicroUsdcPerContract: "52103456", deltaPpm: -412_000n, gammaPpb: 23_000n, vegaMicroUsdcPerVolPoint: "1200000", thetaMicroUsdcPerDay: "-350000", timeNs: 0n }, true),
    );
    expect(text).toMatch(/^mark: +52\.103456 USDC$/m);
    expect(text).toMatch(/^spot: +100000 USD \(STALE\)$/m);
    expect(text).toMatch(/^vol: +61\.2345 %$/m);
    expect(text).toMatch(/^delta: +-0\.412$/m);
    expect(text).toMatch(/^gamma \(per USD\): +0\.000023$/m);
    expect(text).toMatch(/^theta \(per day\): +-0\.35 USDC$/m);
  });
});

describe("tx reports", () => {
  it("decodes the Msg responses and order events of an included tx", () => {
    const report = vannaTxReport({
      msgResponses: [
        { typeUrl: ClobCodec.MsgPlaceOrderResponse.typeUrl, value: ClobCodec.MsgPlaceOrderResponse.encode({ orderId: 9n, filledContracts: 2n, restingContracts: 3n }) },
        {
          typeUrl: ClobCodec.MsgBatchResponse.typeUrl,
          value: ClobCodec.MsgBatchResponse.encode({
            cancels: [{ ok: false, orderId: 0n, filledContracts: 0n, restingContracts: 0n, codespace: "clob", code: 5, log: "order 4 not found" }],
            places: [{ ok: true, orderId: 10n, filledContracts: 0n, restingContracts: 5n, codespace: "", code: 0, log: "" }],
          }),
        },
      ],
      events: [
        orderPlaced({ orderId: 9n, seriesId: 3n, subaccount: "a/0", side: "buy", priceTicks: 247n, sizeContracts: 5n, timeInForce: "gtc", clientId: 0n, filledContracts: 2n, restingContracts: 3n }),
        orderFilled({ seriesId: 3n, makerOrderId: 4n, takerOrderId: 9n, maker: "m/0", taker: "a/0", takerSide: "buy", priceTicks: 247n, sizeContracts: 2n, premiumMicroUsdc: 24_700_000n, makerFeeMicroUsdc: 0n, takerFeeMicroUsdc: 7_410n }),
      ],
    });
    expect(formatFields(report.fields)).toBe(
      [
        "order id:          9",
        "filled contracts:  2",
        "resting contracts: 3",
        "cancels #1:        FAILED (clob 5): order 4 not found",
        "places #1:         ok, order 10, filled 0, resting 5",
        "placed:            order 9: buy 5 @ 247 ticks, filled 2, resting 3",
        "filled:            2 @ 247 ticks (maker 4, taker 9), premium 24.7 USDC, taker fee 0.00741 USDC",
        "",
      ].join("\n"),
    );
    expect(report.json["msg_responses"]).toEqual([
      { "@type": "/vanna.clob.v1.MsgPlaceOrderResponse", order_id: 9n, filled_contracts: 2n, resting_contracts: 3n },
      expect.objectContaining({ "@type": "/vanna.clob.v1.MsgBatchResponse" }),
    ]);
    expect(report.json["order_events"]).toMatchObject({ placed: [{ order_id: 9n }], filled: [{ premium_micro_usdc: 24_700_000n }], cancelled: [] });
  });
});

describe("batch file", () => {
  it("parses cancels and places with defaults and series references", () => {
    const parsed = parseBatchFile(
      JSON.stringify({
        cancels: [{ order_id: 12 }, { client_id: "7" }],
        places: [
          { series: "BTC-20260130-100000-C", side: "sell", size: 5, price: "1250.5", post_only: true, client_id: 8 },
          { series: 3, side: "buy", size: "2", price_ticks: 40, tif: "gtb", good_til_block: 100 },
        ],
      }),
    );
    expect(parsed.cancels).toEqual([{ orderId: 12n }, { clientId: 7n }]);
    expect(parsed.places[0]).toEqual({
      series: { name: "BTC-20260130-100000-C", parts: { underlying: "BTC", date: "20260130", strikeMicroUsd: 100_000_000_000n, kind: "call" } },
      price: { usdc: "1250.5" },
      order: { side: "sell", sizeContracts: 5n, orderType: "limit", timeInForce: "gtc", postOnly: true, reduceOnly: false, clientId: 8n },
    });
    expect(parsed.places[1]).toEqual({
      series: { id: 3n },
      price: { ticks: 40n },
      order: { side: "buy", sizeContracts: 2n, orderType: "limit", timeInForce: "gtb", postOnly: false, reduceOnly: false, goodTilBlock: 100n },
    });
    expect(() => parseBatchFile(JSON.stringify({ places: [{ series: 3, side: "buy", size: 1.5, price: "1" }] }))).toThrow("places[0]: size must be a non-negative integer (as a number or a string)");
    expect(() => parseBatchFile(JSON.stringify({ places: [], extra: 1 }))).toThrow("batch file: unknown key extra (expected cancels, places)");
    expect(() => parseBatchFile("[]")).toThrow(/must be an object/);
  });
});
