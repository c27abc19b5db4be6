/**
 * Unit tests of the order book of one series: every order type and flag, self-trade prevention, reduce-only,
 * FOK edge cases, amend priority, expiry, queries, snapshot/restore. Each test also checks the book's
 * invariants afterwards (afterEach).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertBookInvariants, OrderBook, RejectCode, type PlaceContext } from "../../../modules/clob/orderbook/index.js";
import { accepted, buy, dump, expectRejected, makers, sell } from "./helpers.js";

let book: OrderBook;
beforeEach(() => {
  book = new OrderBook();
});
afterEach(() => {
  assertBookInvariants(book);
});

const positions = (p: Record<string, bigint>): PlaceContext => ({ positionOf: (owner) => p[owner] ?? 0n });

describe("resting and queries", () => {
  it("rests non-crossing limit orders and reports best bid/ask, L2 and L3 in price-then-time order", () => {
    accepted(book.place(buy(1n, "alice", 5n, 99n)));
    accepted(book.place(buy(2n, "bob", 3n, 100n)));
    accepted(book.place(buy(3n, "carol", 2n, 99n)));
    accepted(book.place(sell(4n, "dave", 7n, 102n)));
    accepted(book.place(sell(5n, "erin", 1n, 101n)));
    expect(book.bestBid()).toBe(100n);
    expect(book.bestAsk()).toBe(101n);
    expect(book.depth()).toEqual({
      bids: [
        { priceTicks: 100n, sizeContracts: 3n, orderCount: 1 },
        { priceTicks: 99n, sizeContracts: 7n, orderCount: 2 },
      ],
      asks: [
        { priceTicks: 101n, sizeContracts: 1n, orderCount: 1 },
        { priceTicks: 102n, sizeContracts: 7n, orderCount: 1 },
      ],
    });
    expect(book.depth(1).bids).toHaveLength(1);
    expect(book.l3("buy").map((o) => o.orderId)).toEqual([2n, 1n, 3n]);
    expect(book.l3("sell").map((o) => o.orderId)).toEqual([5n, 4n]);
    expect(book.l3("buy", 2).map((o) => o.orderId)).toEqual([2n, 1n]);
    expect(book.orderCount).toBe(5);
    expect(book.levelCount("buy")).toBe(2);
  });

  it("an empty book has no best prices and empty depth", () => {
    expect(book.bestBid()).toBeUndefined();
    expect(book.bestAsk()).toBeUndefined();
    expect(book.depth()).toEqual({ bids: [], asks: [] });
    expect(book.getOrder(1n)).toBeUndefined();
  });

  it("ordersOf lists an owner's orders bids first, best price first, then time; owners() is sorted", () => {
    accepted(book.place(sell(1n, "alice", 1n, 110n)));
    accepted(book.place(buy(2n, "alice", 1n, 90n)));
    accepted(book.place(sell(3n, "alice", 1n, 105n)));
    accepted(book.place(buy(4n, "alice", 1n, 95n)));
    accepted(book.place(buy(5n, "alice", 1n, 95n)));
    accepted(book.place(buy(6n, "zed", 1n, 95n)));
    accepted(book.place(buy(7n, "bob", 1n, 95n)));
    expect(book.ordersOf("alice").map((o) => o.orderId)).toEqual([4n, 5n, 2n, 3n, 1n]);
    expect(book.ordersOf("nobody")).toEqual([]);
    expect(book.owners()).toEqual(["alice", "bob", "zed"]);
  });

  it("returns a full view of a resting order", () => {
    const r = accepted(book.place(buy(7n, "alice", 4n, 50n, { timeInForce: "GTB", goodTilBlock: 20n, clientId: "c1", postOnly: true })));
    expect(r.restingContracts).toBe(4n);
    expect(book.getOrder(7n)).toEqual({
      orderId: 7n,
      owner: "alice",
      side: "buy",
      priceTicks: 50n,
      sizeContracts: 4n,
      placedContracts: 4n,
      filledContracts: 0n,
      timeInForce: "GTB",
      goodTilBlock: 20n,
      goodTilTimeNs: undefined,
      postOnly: true,
      reduceOnly: false,
      clientId: "c1",
      seq: 1,
    });
    expect(book.getByClientId("alice", "c1")).toEqual(book.getOrder(7n));
    expect(book.getByClientId("bob", "c1")).toBeUndefined();
  });
});

describe("matching", () => {
  it("fills at the maker's price in price-time priority, across levels, and rests the remainder", () => {
    accepted(book.place(sell(1n, "m1", 2n, 101n)));
    accepted(book.place(sell(2n, "m2", 3n, 100n)));
    accepted(book.place(sell(3n, "m3", 4n, 100n)));
    accepted(book.place(sell(4n, "m4", 5n, 103n)));
    const r = accepted(book.place(buy(5n, "taker", 12n, 102n)));
    expect(r.fills).toEqual([
      { makerOrderId: 2n, makerOwner: "m2", takerOrderId: 5n, takerOwner: "taker", takerSide: "buy", priceTicks: 100n, sizeContracts: 3n, makerRemainingContracts: 0n },
      { makerOrderId: 3n, makerOwner: "m3", takerOrderId: 5n, takerOwner: "taker", takerSide: "buy", priceTicks: 100n, sizeContracts: 4n, makerRemainingContracts: 0n },
      { makerOrderId: 1n, makerOwner: "m1", takerOrderId: 5n, takerOwner: "taker", takerSide: "buy", priceTicks: 101n, sizeContracts: 2n, makerRemainingContracts: 0n },
    ]);
    expect(r.filledContracts).toBe(9n);
    expect(r.restingContracts).toBe(3n);
    expect(book.getOrder(5n)?.priceTicks).toBe(102n);
    expect(r.cancellations).toEqual([]);
    expect(book.bestBid()).toBe(102n);
    expect(book.bestAsk()).toBe(103n);
  });

  it("partially fills a maker, which keeps its place at the head of the queue", () => {
    accepted(book.place(buy(1n, "m1", 10n, 100n)));
    accepted(book.place(buy(2n, "m2", 10n, 100n)));
    const r = accepted(book.place(sell(3n, "t", 4n, 100n)));
    expect(r.fills[0]!.makerRemainingContracts).toBe(6n);
    expect(r.restingContracts).toBe(0n);
    expect(book.getOrder(3n)).toBeUndefined();
    const r2 = accepted(book.place(sell(4n, "t", 8n, 99n)));
    expect(makers(r2)).toEqual([1n, 2n]);
    expect(r2.fills.map((f) => f.sizeContracts)).toEqual([6n, 2n]);
    expect(book.getOrder(1n)).toBeUndefined();
    expect(book.getOrder(2n)?.filledContracts).toBe(2n);
  });

  it("a sell taker walks bids from the highest price down and stops at its limit", () => {
    accepted(book.place(buy(1n, "a", 1n, 98n)));
    accepted(book.place(buy(2n, "b", 1n, 100n)));
    accepted(book.place(buy(3n, "c", 1n, 99n)));
    const r = accepted(book.place(sell(4n, "t", 5n, 99n)));
    expect(makers(r)).toEqual([2n, 3n]);
    expect(r.fills.map((f) => f.priceTicks)).toEqual([100n, 99n]);
    expect(r.restingContracts).toBe(3n);
    expect(book.bestBid()).toBe(98n);
    expect(book.bestAsk()).toBe(99n);
  });
});

describe("market and IOC orders", () => {
  it("a market order takes up to its worst price and cancels the rest (never rests)", () => {
    accepted(book.place(sell(1n, "m", 2n, 100n)));
    accepted(book.place(sell(2n, "m", 2n, 105n)));
    accepted(book.place(sell(3n, "m", 2n, 110n)));
    const r = accepted(book.place(buy(4n, "t", 10n, 105n, { type: "market" })));
    expect(makers(r)).toEqual([1n, 2n]);
    expect(r.restingContracts).toBe(0n);
    expect(r.cancellations).toEqual([{ orderId: 4n, owner: "t", side: "buy", priceTicks: 105n, sizeContracts: 6n, reason: "ioc-remainder", clientId: undefined, removed: true }]);
    expect(book.getOrder(4n)).toBeUndefined();
    expect(book.bestAsk()).toBe(110n);
  });

  it("a market order may be FOK but not GTC/GTB/GTT; a market order on an empty side cancels entirely", () => {
    expectRejected(book, () => book.place(buy(1n, "t", 1n, 100n, { type: "market", timeInForce: "GTC" })), "INVALID_TIME_IN_FORCE");
    expectRejected(book, () => book.place(buy(1n, "t", 1n, 100n, { type: "market", timeInForce: "GTB", goodTilBlock: 5n })), "INVALID_TIME_IN_FORCE");
    const r = accepted(book.place(buy(1n, "t", 3n, 100n, { type: "market" })));
    expect(r.fills).toEqual([]);
    expect(r.cancellations.map((c) => [c.reason, c.sizeContracts])).toEqual([["ioc-remainder", 3n]]);
    expectRejected(book, () => book.place(buy(2n, "t", 3n, 100n, { type: "market", timeInForce: "FOK" })), "FOK_NOT_FILLABLE");
  });

  it("an IOC limit order fills what crosses and never rests", () => {
    accepted(book.place(buy(1n, "m", 4n, 100n)));
    const r = accepted(book.place(sell(2n, "t", 6n, 100n, { timeInForce: "IOC" })));
    expect(r.filledContracts).toBe(4n);
    expect(r.cancellations.map((c) => [c.reason, c.sizeContracts])).toEqual([["ioc-remainder", 2n]]);
    expect(book.orderCount).toBe(0);
  });
});

describe("fill-or-kill", () => {
  beforeEach(() => {
    accepted(book.place(sell(1n, "m1", 3n, 100n)));
    accepted(book.place(sell(2n, "m2", 3n, 101n)));
    accepted(book.place(sell(3n, "m3", 3n, 102n)));
  });

  it("fills completely when exactly enough is available within the limit", () => {
    const r = accepted(book.place(buy(10n, "t", 6n, 101n, { timeInForce: "FOK" })));
    expect(r.filledContracts).toBe(6n);
    expect(r.cancellations).toEqual([]);
    expect(book.bestAsk()).toBe(102n);
  });

  it("is rejected, changing nothing, when one contract short within the limit (deeper liquidity does not count)", () => {
    expectRejected(book, () => book.place(buy(10n, "t", 7n, 101n, { timeInForce: "FOK" })), "FOK_NOT_FILLABLE");
  });

  it("does not count the owner's own resting orders; if fillable without them, they are cancelled by STP", () => {
    accepted(book.place(sell(4n, "t", 5n, 100n)));
    // 3 (m1) + 5 (own) + 3 (m2) at <= 101: only 6 fillable by others.
    expectRejected(book, () => book.place(buy(10n, "t", 7n, 101n, { timeInForce: "FOK" })), "FOK_NOT_FILLABLE");
    const r = accepted(book.place(buy(11n, "t", 6n, 101n, { timeInForce: "FOK" })));
    expect(makers(r)).toEqual([1n, 2n]);
    expect(r.cancellations.map((c) => [c.orderId, c.reason])).toEqual([[4n, "self-trade"]]);
  });

  it("counts a reduce-only maker only up to its owner's position", () => {
    const ctx = positions({ m9: 2n });
    accepted(book.place(sell(5n, "m9", 2n, 99n, { reduceOnly: true }), ctx));
    const shrunk = positions({ m9: 1n });
    // m9 can only sell 1 now: 1 + 3 + 3 = 7 within 101.
    expectRejected(book, () => book.place(buy(10n, "t", 8n, 101n, { timeInForce: "FOK" }), shrunk), "FOK_NOT_FILLABLE");
    const r = accepted(book.place(buy(11n, "t", 7n, 101n, { timeInForce: "FOK" }), shrunk));
    expect(r.filledContracts).toBe(7n);
    expect(r.fills[0]).toMatchObject({ makerOrderId: 5n, sizeContracts: 1n });
    expect(r.cancellations.map((c) => [c.orderId, c.reason, c.sizeContracts])).toEqual([[5n, "reduce-only", 1n]]);
  });

  it("a FOK order on an empty side is rejected; FOK cannot be post-only", () => {
    expectRejected(book, () => book.place(sell(10n, "t", 1n, 1n, { timeInForce: "FOK" })), "FOK_NOT_FILLABLE");
    expectRejected(book, () => book.place(buy(10n, "t", 1n, 100n, { timeInForce: "FOK", postOnly: true })), "INVALID_TIME_IN_FORCE");
  });
});

describe("post-only", () => {
  it("rests when it does not cross, is rejected when it would touch or cross the opposite best", () => {
    accepted(book.place(sell(1n, "m", 1n, 100n)));
    const r = accepted(book.place(buy(2n, "p", 1n, 99n, { postOnly: true })));
    expect(r.restingContracts).toBe(1n);
    expect(book.getOrder(2n)?.postOnly).toBe(true);
    expectRejected(book, () => book.place(buy(3n, "p", 1n, 100n, { postOnly: true })), "POST_ONLY_WOULD_CROSS");
    expectRejected(book, () => book.place(sell(3n, "p", 1n, 99n, { postOnly: true })), "POST_ONLY_WOULD_CROSS");
  });

  it("is rejected even when the only crossing order is the owner's own", () => {
    accepted(book.place(sell(1n, "p", 1n, 100n)));
    expectRejected(book, () => book.place(buy(2n, "p", 1n, 100n, { postOnly: true })), "POST_ONLY_WOULD_CROSS");
  });

  it("must be able to rest: IOC post-only is invalid", () => {
    expectRejected(book, () => book.place(buy(1n, "p", 1n, 100n, { postOnly: true, timeInForce: "IOC" })), "INVALID_TIME_IN_FORCE");
  });
});

describe("self-trade prevention", () => {
  it("cancels the resting order of the same owner and keeps matching behind it", () => {
    accepted(book.place(sell(1n, "alice", 2n, 100n, { clientId: "a1" })));
    accepted(book.place(sell(2n, "bob", 2n, 100n)));
    accepted(book.place(sell(3n, "alice", 2n, 101n)));
    accepted(book.place(sell(4n, "carol", 2n, 101n)));
    const r = accepted(book.place(buy(5n, "alice", 3n, 101n)));
    expect(makers(r)).toEqual([2n, 4n]);
    expect(r.fills.map((f) => f.sizeContracts)).toEqual([2n, 1n]);
    expect(r.cancellations).toEqual([
      { orderId: 1n, owner: "alice", side: "sell", priceTicks: 100n, sizeContracts: 2n, reason: "self-trade", clientId: "a1", removed: true },
      { orderId: 3n, owner: "alice", side: "sell", priceTicks: 101n, sizeContracts: 2n, reason: "self-trade", clientId: undefined, removed: true },
    ]);
    expect(book.getByClientId("alice", "a1")).toBeUndefined();
    expect(book.ordersOf("alice")).toEqual([]);
    expect(book.bestAsk()).toBe(101n);
  });

  it("only cancels own orders that would actually be reached", () => {
    accepted(book.place(sell(1n, "bob", 5n, 100n)));
    accepted(book.place(sell(2n, "alice", 5n, 100n)));
    const r = accepted(book.place(buy(3n, "alice", 5n, 100n)));
    expect(makers(r)).toEqual([1n]);
    expect(r.cancellations).toEqual([]);
    expect(book.getOrder(2n)?.sizeContracts).toBe(5n);
  });

  it("a book holding only the owner's orders: all crossing ones go, the order rests", () => {
    accepted(book.place(sell(1n, "alice", 5n, 100n)));
    accepted(book.place(sell(2n, "alice", 5n, 102n)));
    const r = accepted(book.place(buy(3n, "alice", 5n, 101n)));
    expect(r.fills).toEqual([]);
    expect(r.cancellations.map((c) => c.orderId)).toEqual([1n]);
    expect(r.restingContracts).toBe(5n);
    expect(book.bestAsk()).toBe(102n);
  });
});

describe("reduce-only", () => {
  it("is rejected without a position, or on the side that would increase it", () => {
    expectRejected(book, () => book.place(sell(1n, "alice", 1n, 100n, { reduceOnly: true })), "REDUCE_ONLY_WOULD_INCREASE");
    expectRejected(book, () => book.place(sell(1n, "alice", 1n, 100n, { reduceOnly: true }), positions({ alice: -3n })), "REDUCE_ONLY_WOULD_INCREASE");
    expectRejected(book, () => book.place(buy(1n, "alice", 1n, 100n, { reduceOnly: true }), positions({ alice: 3n })), "REDUCE_ONLY_WOULD_INCREASE");
  });

  it("is capped at the position; the excess is reported as a reduce-only cancellation", () => {
    const r = accepted(book.place(sell(1n, "alice", 8n, 100n, { reduceOnly: true }), positions({ alice: 5n })));
    expect(r.cancellations).toEqual([{ orderId: 1n, owner: "alice", side: "sell", priceTicks: 100n, sizeContracts: 3n, reason: "reduce-only", clientId: undefined, removed: false }]);
    expect(r.restingContracts).toBe(5n);
    expect(book.getOrder(1n)?.placedContracts).toBe(8n);
    const r2 = accepted(book.place(buy(2n, "bob", 4n, 100n, { reduceOnly: true }), positions({ alice: 5n, bob: -10n })));
    expect(r2.filledContracts).toBe(4n);
    expect(book.getOrder(1n)?.sizeContracts).toBe(1n);
  });

  it("counts the owner's resting reduce-only orders on the same side against the position", () => {
    const ctx = positions({ alice: 5n });
    accepted(book.place(sell(1n, "alice", 3n, 110n, { reduceOnly: true }), ctx));
    const r = accepted(book.place(sell(2n, "alice", 3n, 111n, { reduceOnly: true }), ctx));
    expect(r.restingContracts).toBe(2n);
    expectRejected(book, () => book.place(sell(3n, "alice", 1n, 112n, { reduceOnly: true }), ctx), "REDUCE_ONLY_WOULD_INCREASE");
    // A non-reduce-only order is not limited.
    accepted(book.place(sell(3n, "alice", 50n, 112n), ctx));
  });

  it("a resting reduce-only maker is re-capped at fill time by its owner's current position", () => {
    accepted(book.place(sell(1n, "alice", 5n, 100n, { reduceOnly: true }), positions({ alice: 5n })));
    accepted(book.place(sell(2n, "bob", 5n, 100n)));
    // Alice's position dropped to 2 elsewhere: her order fills 2, the other 3 are cancelled, bob fills the rest.
    const r = accepted(book.place(buy(3n, "carol", 6n, 100n), positions({ alice: 2n })));
    expect(r.fills.map((f) => [f.makerOrderId, f.sizeContracts, f.makerRemainingContracts])).toEqual([
      [1n, 2n, 0n],
      [2n, 4n, 1n],
    ]);
    expect(r.cancellations.map((c) => [c.orderId, c.reason, c.sizeContracts, c.removed])).toEqual([[1n, "reduce-only", 3n, false]]);
    expect(book.getOrder(1n)).toBeUndefined();
  });

  it("a reduce-only maker whose owner is flat is cancelled outright; fills earlier in the op count", () => {
    accepted(book.place(sell(1n, "alice", 2n, 100n), positions({})));
    accepted(book.place(sell(2n, "alice", 3n, 101n, { reduceOnly: true }), positions({ alice: 3n })));
    accepted(book.place(sell(3n, "bob", 3n, 101n)));
    // alice: position 3; her plain sell 1 fills 2 first (→ 1), so her reduce-only sell fills only 1.
    const r = accepted(book.place(buy(4n, "carol", 6n, 101n), positions({ alice: 3n })));
    expect(r.fills.map((f) => [f.makerOrderId, f.sizeContracts])).toEqual([
      [1n, 2n],
      [2n, 1n],
      [3n, 3n],
    ]);
    expect(r.cancellations.map((c) => [c.orderId, c.reason, c.sizeContracts])).toEqual([[2n, "reduce-only", 2n]]);
    accepted(book.place(sell(5n, "dave", 1n, 102n, { reduceOnly: true }), positions({ dave: 1n })));
    const r2 = accepted(book.place(buy(6n, "carol", 1n, 102n, { timeInForce: "IOC" }), positions({ dave: 0n })));
    expect(r2.fills).toEqual([]);
    expect(r2.cancellations.map((c) => [c.orderId, c.reason, c.removed])).toEqual([
      [5n, "reduce-only", true],
      [6n, "ioc-remainder", true],
    ]);
  });

  it("enforceReduceOnly cancels wrong-side orders and cuts the newest on the closing side", () => {
    const ctx = positions({ alice: 10n });
    accepted(book.place(sell(1n, "alice", 4n, 110n, { reduceOnly: true }), ctx));
    accepted(book.place(sell(2n, "alice", 4n, 111n, { reduceOnly: true }), ctx));
    accepted(book.place(sell(3n, "alice", 2n, 112n, { reduceOnly: true }), ctx));
    accepted(book.place(sell(4n, "alice", 9n, 113n), ctx));
    const out = book.enforceReduceOnly("alice", 5n);
    expect(out.map((c) => [c.orderId, c.sizeContracts, c.removed])).toEqual([
      [2n, 3n, false],
      [3n, 2n, true],
    ]);
    expect(book.getOrder(1n)?.sizeContracts).toBe(4n);
    expect(book.getOrder(2n)?.sizeContracts).toBe(1n);
    expect(book.getOrder(4n)?.sizeContracts).toBe(9n);
    const flipped = book.enforceReduceOnly("alice", -1n);
    expect(flipped.map((c) => c.orderId)).toEqual([1n, 2n]);
    expect(book.enforceReduceOnly("nobody", 0n)).toEqual([]);
  });
});

describe("client order ids", () => {
  it("rejects a duplicate live client id per owner; other owners and finished orders do not conflict", () => {
    accepted(book.place(buy(1n, "alice", 1n, 90n, { clientId: "x" })));
    accepted(book.place(buy(2n, "bob", 1n, 90n, { clientId: "x" })));
    expectRejected(book, () => book.place(buy(3n, "alice", 1n, 91n, { clientId: "x" })), "DUPLICATE_CLIENT_ID");
    expectRejected(book, () => book.place(buy(3n, "alice", 1n, 91n, { clientId: "" })), "INVALID_CLIENT_ID");
    accepted(book.place(sell(3n, "carol", 1n, 90n)));
    accepted(book.place(buy(4n, "alice", 1n, 91n, { clientId: "x" })));
  });

  it("cancelByClientId cancels the owner's order with that client id only", () => {
    accepted(book.place(buy(1n, "alice", 1n, 90n, { clientId: "x" })));
    accepted(book.place(buy(2n, "bob", 1n, 90n, { clientId: "x" })));
    const r = accepted(book.cancelByClientId("alice", "x"));
    expect(r.cancellation).toMatchObject({ orderId: 1n, reason: "user", removed: true, clientId: "x" });
    expect(book.getOrder(2n)).toBeDefined();
    expectRejected(book, () => book.cancelByClientId("alice", "x"), "CLIENT_ID_NOT_FOUND");
  });
});

describe("cancel", () => {
  it("removes the order and its level when it empties; unknown ids are rejected", () => {
    accepted(book.place(buy(1n, "a", 2n, 100n)));
    accepted(book.place(buy(2n, "a", 3n, 99n)));
    const r = accepted(book.cancel(1n));
    expect(r.cancellation).toEqual({ orderId: 1n, owner: "a", side: "buy", priceTicks: 100n, sizeContracts: 2n, reason: "user", clientId: undefined, removed: true });
    expect(book.bestBid()).toBe(99n);
    expectRejected(book, () => book.cancel(1n), "ORDER_NOT_FOUND");
    expectRejected(book, () => book.cancel(42n), "ORDER_NOT_FOUND");
  });

  it("cancels from the middle of a queue without disturbing the others' order", () => {
    for (let i = 1n; i <= 4n; i++) accepted(book.place(sell(i, `m${i}`, 1n, 100n)));
    accepted(book.cancel(2n));
    expect(book.l3("sell").map((o) => o.orderId)).toEqual([1n, 3n, 4n]);
    expect(makers(accepted(book.place(buy(5n, "t", 3n, 100n))))).toEqual([1n, 3n, 4n]);
  });

  it("cancelAll cancels an owner's orders (optionally filtered) in order-id order", () => {
    accepted(book.place(sell(3n, "a", 1n, 105n)));
    accepted(book.place(buy(5n, "a", 1n, 95n)));
    accepted(book.place(buy(6n, "b", 1n, 95n)));
    accepted(book.place(buy(8n, "a", 1n, 96n)));
    accepted(book.place(sell(9n, "a", 1n, 104n)));
    expect(book.cancelAll("a", (o) => o.side === "buy").map((c) => c.orderId)).toEqual([5n, 8n]);
    expect(book.cancelAll("a").map((c) => c.orderId)).toEqual([3n, 9n]);
    expect(book.cancelAll("a")).toEqual([]);
    expect(book.orderCount).toBe(1);
  });
});

describe("amend", () => {
  beforeEach(() => {
    accepted(book.place(buy(1n, "a", 5n, 100n, { clientId: "ca" })));
    accepted(book.place(buy(2n, "b", 5n, 100n)));
    accepted(book.place(buy(3n, "c", 5n, 99n)));
  });

  it("size down at the same price keeps queue priority", () => {
    const r = accepted(book.amend(1n, 2n));
    expect(r.lostPriority).toBe(false);
    expect(r.cancellations).toEqual([{ orderId: 1n, owner: "a", side: "buy", priceTicks: 100n, sizeContracts: 3n, reason: "amend", clientId: "ca", removed: false }]);
    expect(r.restingContracts).toBe(2n);
    expect(book.getOrder(1n)?.seq).toBe(1);
    expect(makers(accepted(book.place(sell(4n, "t", 3n, 100n))))).toEqual([1n, 2n]);
    expect(book.depth().bids[0]).toEqual({ priceTicks: 100n, sizeContracts: 4n, orderCount: 1 });
  });

  it("size up loses priority (same id, back of the queue)", () => {
    const r = accepted(book.amend(1n, 6n));
    expect(r.lostPriority).toBe(true);
    expect(r.addedContracts).toBe(1n);
    expect(r.restingContracts).toBe(6n);
    expect(book.getOrder(1n)).toMatchObject({ orderId: 1n, sizeContracts: 6n, placedContracts: 6n, seq: 4 });
    expect(book.l3("buy").map((o) => o.orderId)).toEqual([2n, 1n, 3n]);
    expect(book.getByClientId("a", "ca")?.orderId).toBe(1n);
  });

  it("a price change moves the order to the back of the new level", () => {
    accepted(book.amend(2n, 5n, 99n));
    expect(book.l3("buy").map((o) => o.orderId)).toEqual([1n, 3n, 2n]);
    expect(book.depth().bids.map((l) => [l.priceTicks, l.sizeContracts])).toEqual([
      [100n, 5n],
      [99n, 10n],
    ]);
  });

  it("a price change that crosses matches like a new order, then rests the remainder", () => {
    accepted(book.place(sell(4n, "s", 3n, 101n)));
    const r = accepted(book.amend(3n, 4n, 101n));
    expect(makers(r)).toEqual([4n]);
    expect(r.filledContracts).toBe(3n);
    expect(r.cancellations.map((c) => [c.reason, c.sizeContracts])).toEqual([["amend", 1n]]);
    expect(r.restingContracts).toBe(1n);
    expect(book.getOrder(3n)).toMatchObject({ orderId: 3n, priceTicks: 101n, sizeContracts: 1n, filledContracts: 3n, placedContracts: 5n });
    expect(book.bestBid()).toBe(101n);
  });

  it("a crossing amend of a post-only order is rejected; a reduce-only order is capped by the position on re-entry", () => {
    accepted(book.place(sell(4n, "s", 3n, 101n)));
    accepted(book.place(buy(5n, "p", 3n, 98n, { postOnly: true })));
    expectRejected(book, () => book.amend(5n, 3n, 101n), "POST_ONLY_WOULD_CROSS");
    accepted(book.amend(5n, 3n, 100n));
    const ctx = positions({ r: -4n });
    accepted(book.place(buy(6n, "r", 2n, 97n, { reduceOnly: true }), ctx));
    const grown = accepted(book.amend(6n, 5n, undefined, ctx));
    expect(grown.addedContracts).toBe(3n);
    expect(grown.cancellations.map((c) => [c.reason, c.sizeContracts])).toEqual([["reduce-only", 1n]]);
    expect(grown.restingContracts).toBe(4n);
    expectRejected(book, () => book.amend(6n, 4n, 96n, positions({ r: 0n })), "REDUCE_ONLY_WOULD_INCREASE");
    // Size down in place needs no position check.
    accepted(book.amend(6n, 3n, undefined, positions({ r: 0n })));
  });

  it("no-op, invalid size and unknown order", () => {
    const r = accepted(book.amend(1n, 5n, 100n));
    expect(r.cancellations).toEqual([]);
    expect(r.lostPriority).toBe(false);
    expectRejected(book, () => book.amend(1n, 0n), "INVALID_SIZE");
    expectRejected(book, () => book.amend(1n, 1n, 0n), "INVALID_PRICE");
    expectRejected(book, () => book.amend(99n, 1n), "ORDER_NOT_FOUND");
  });
});

describe("expiry", () => {
  it("good-til-block rests through its block and expires after; good-til-time likewise by block time", () => {
    accepted(book.place(buy(1n, "a", 1n, 100n, { timeInForce: "GTB", goodTilBlock: 10n })));
    accepted(book.place(buy(2n, "a", 1n, 99n, { timeInForce: "GTB", goodTilBlock: 12n })));
    accepted(book.place(sell(3n, "b", 1n, 110n, { timeInForce: "GTT", goodTilTimeNs: 5_000n })));
    accepted(book.place(sell(4n, "b", 1n, 111n)));
    expect(book.expire(10n, 5_000n)).toEqual([]);
    const out = book.expire(11n, 5_001n);
    expect(out.map((c) => [c.orderId, c.reason, c.removed])).toEqual([
      [1n, "expired", true],
      [3n, "expired", true],
    ]);
    expect(book.expire(13n, 6_000n).map((c) => c.orderId)).toEqual([2n]);
    expect(book.l3("sell").map((o) => o.orderId)).toEqual([4n]);
  });

  it("returns expired orders by (deadline, order id) and skips ones already cancelled, filled or amended", () => {
    accepted(book.place(buy(1n, "a", 1n, 90n, { timeInForce: "GTB", goodTilBlock: 7n })));
    accepted(book.place(buy(2n, "a", 1n, 91n, { timeInForce: "GTB", goodTilBlock: 5n })));
    accepted(book.place(buy(3n, "a", 1n, 92n, { timeInForce: "GTB", goodTilBlock: 5n })));
    accepted(book.place(buy(4n, "a", 1n, 93n, { timeInForce: "GTB", goodTilBlock: 5n })));
    accepted(book.place(buy(5n, "a", 1n, 94n, { timeInForce: "GTB", goodTilBlock: 6n })));
    accepted(book.cancel(3n));
    accepted(book.place(sell(6n, "b", 1n, 94n)));
    accepted(book.amend(4n, 2n, 80n));
    expect(book.expire(100n, 0n).map((c) => [c.orderId, c.sizeContracts])).toEqual([
      [2n, 1n],
      [4n, 2n],
      [1n, 1n],
    ]);
    expect(book.orderCount).toBe(0);
  });

  it("rejects an order already past its deadline when the block is known; GTB/GTT need their field", () => {
    const ctx = { height: 10n, timeNs: 1_000n };
    expectRejected(book, () => book.place(buy(1n, "a", 1n, 100n, { timeInForce: "GTB", goodTilBlock: 9n }), ctx), "ALREADY_EXPIRED");
    expectRejected(book, () => book.place(buy(1n, "a", 1n, 100n, { timeInForce: "GTT", goodTilTimeNs: 999n }), ctx), "ALREADY_EXPIRED");
    accepted(book.place(buy(1n, "a", 1n, 100n, { timeInForce: "GTB", goodTilBlock: 10n }), ctx));
    expectRejected(book, () => book.place(buy(2n, "a", 1n, 100n, { timeInForce: "GTB" })), "INVALID_TIME_IN_FORCE");
    expectRejected(book, () => book.place(buy(2n, "a", 1n, 100n, { timeInForce: "GTT" })), "INVALID_TIME_IN_FORCE");
    expectRejected(book, () => book.place(buy(2n, "a", 1n, 100n, { goodTilBlock: 5n })), "INVALID_TIME_IN_FORCE");
    expectRejected(book, () => book.place(buy(2n, "a", 1n, 100n, { timeInForce: "GTB", goodTilBlock: 5n, goodTilTimeNs: 5n })), "INVALID_TIME_IN_FORCE");
  });

  it("many cancelled good-til orders do not accumulate in the expiry index", () => {
    for (let i = 1n; i <= 2000n; i++) {
      accepted(book.place(buy(i, "a", 1n, 100n, { timeInForce: "GTB", goodTilBlock: 1_000_000n })));
      accepted(book.cancel(i));
    }
    expect(book.internals().gtb.size).toBeLessThan(200);
  });
});

describe("validation", () => {
  it("rejects malformed orders with stable codes, changing nothing", () => {
    accepted(book.place(buy(10n, "a", 1n, 100n)));
    const cases: Array<[Parameters<OrderBook["place"]>[0], keyof typeof RejectCode]> = [
      [buy(-1n, "a", 1n, 100n), "INVALID_ORDER_ID"],
      [buy(10n, "a", 1n, 100n), "ORDER_ID_NOT_INCREASING"],
      [buy(9n, "a", 1n, 100n), "ORDER_ID_NOT_INCREASING"],
      [buy(11n, "", 1n, 100n), "INVALID_OWNER"],
      [{ ...buy(11n, "a", 1n, 100n), side: "long" as never }, "INVALID_SIDE"],
      [buy(11n, "a", 1n, 100n, { type: "stop" as never }), "INVALID_TYPE"],
      [buy(11n, "a", 1n, 0n), "INVALID_PRICE"],
      [buy(11n, "a", 1n, -5n), "INVALID_PRICE"],
      [{ ...buy(11n, "a", 1n, 100n), priceTicks: 100 as never }, "INVALID_PRICE"],
      [buy(11n, "a", 0n, 100n), "INVALID_SIZE"],
      [buy(11n, "a", -1n, 100n), "INVALID_SIZE"],
      [buy(11n, "a", 1n, 100n, { timeInForce: "GTD" as never }), "INVALID_TIME_IN_FORCE"],
    ];
    for (const [order, name] of cases) expectRejected(book, () => book.place(order), name);
    expect(RejectCode.POST_ONLY_WOULD_CROSS).toBe(12);
    accepted(book.place(buy(11n, "a", 1n, 100n)));
  });

  it("a rejected order does not consume its id", () => {
    expectRejected(book, () => book.place(buy(5n, "a", 0n, 100n)), "INVALID_SIZE");
    accepted(book.place(buy(5n, "a", 1n, 100n)));
  });
});

describe("snapshot and determinism", () => {
  function scenario(b: OrderBook): string[] {
    const out: string[] = [];
    const ctx = positions({ a: 6n, b: -6n });
    let id = 1n;
    for (let i = 0; i < 300; i++) {
      const owner = ["a", "b", "c", "d"][i % 4]!;
      const price = 100n + BigInt((i * 7) % 11) - 5n;
      const size = BigInt(1 + ((i * 13) % 9));
      const side = (i * 5) % 3 === 0 ? "buy" : "sell";
      const tif = (["GTC", "IOC", "GTB", "GTC", "FOK"] as const)[i % 5]!;
      out.push(dump(b.place({ orderId: id++, owner, side, priceTicks: price, sizeContracts: size, timeInForce: tif, ...(tif === "GTB" ? { goodTilBlock: BigInt(i >> 4) } : {}), reduceOnly: i % 17 === 0 }, ctx)));
      if (i % 6 === 0) out.push(dump(b.cancel(BigInt(i >> 1))));
      if (i % 9 === 0) out.push(dump(b.amend(BigInt(i - 3), BigInt(1 + (i % 4)), price - 1n, ctx)));
      if (i % 16 === 0) out.push(dump(b.expire(BigInt(i >> 4), 0n)));
    }
    return out;
  }

  it("identical operation sequences give identical results", () => {
    expect(scenario(new OrderBook())).toEqual(scenario(book));
  });

  it("a restored snapshot is the same book: same snapshot, same future results", () => {
    scenario(book);
    const snap = book.snapshot();
    const restored = OrderBook.restore(snap);
    assertBookInvariants(restored);
    expect(dump(restored.snapshot())).toBe(dump(snap));
    const next = (b: OrderBook) => [dump(b.place(buy(100_000n, "z", 50n, 104n))), dump(b.place(sell(100_001n, "z", 50n, 96n))), dump(b.expire(1_000n, 0n))];
    expect(next(restored)).toEqual(next(book));
  });

  it("restore refuses an inconsistent snapshot", () => {
    accepted(book.place(buy(1n, "a", 1n, 100n)));
    accepted(book.place(buy(2n, "a", 1n, 100n)));
    const snap = book.snapshot();
    expect(() => OrderBook.restore({ ...snap, orders: [...snap.orders].reverse() })).toThrow(/priority/);
    expect(() => OrderBook.restore({ ...snap, lastOrderId: 1n })).toThrow(/order id/);
    expect(() => OrderBook.restore({ ...snap, orders: [snap.orders[0]!, { ...snap.orders[1]!, side: "sell", priceTicks: 99n }] })).toThrow(/crossed/);
  });
});
