/**
 * The order book's internal structures under the conditions that exercise their less common paths: the lazily
 * built (and dropped) owner index, level arrays compacted after many holes, and the order-id hash table with
 * sparse, huge and colliding ids. Observable behaviour must be the same whatever state these are in.
 */
import { describe, expect, it } from "vitest";
import { assertBookInvariants, OrderBook } from "../../../modules/clob/orderbook/index.js";
import { accepted, buy, dump, sell } from "./helpers.js";

describe("owner index", () => {
  it("is not built for plain orders; per-owner queries build it from the levels", () => {
    const book = new OrderBook();
    for (let i = 1n; i <= 30n; i++) accepted(book.place(buy(i, `o${i % 3n}`, 1n + (i % 4n), 90n + (i % 5n))));
    expect(book.internals().byOwner).toBeNull();
    expect(book.getByClientId("o1", "x")).toBeUndefined();
    expect(book.cancelByClientId("o1", "x").ok).toBe(false);
    expect(book.internals().byOwner).toBeNull();
    expect(book.owners()).toEqual(["o0", "o1", "o2"]);
    expect(book.internals().byOwner).not.toBeNull();
    expect(book.ordersOf("o1").map((o) => o.orderId)).toEqual(book.l3("buy").filter((o) => o.owner === "o1").map((o) => o.orderId));
    assertBookInvariants(book);
  });

  it("is dropped after a long idle stretch and rebuilt on demand with the same answers", () => {
    const book = new OrderBook();
    let id = 0n;
    accepted(book.place(buy(++id, "alice", 2n, 100n, { clientId: "a1" })));
    accepted(book.place(sell(++id, "bob", 2n, 110n)));
    expect(book.internals().byOwner).not.toBeNull();
    // While a client-id order lives, the index stays.
    for (let i = 0; i < 1500; i++) {
      accepted(book.place(buy(++id, "carol", 1n, 90n)));
      accepted(book.cancel(id));
    }
    expect(book.internals().byOwner).not.toBeNull();
    accepted(book.cancelByClientId("alice", "a1"));
    for (let i = 0; i < 1500; i++) {
      accepted(book.place(buy(++id, `m${i % 7}`, 1n, 90n + BigInt(i % 3))));
      if (i % 2 === 0) accepted(book.cancel(id));
    }
    expect(book.internals().byOwner).toBeNull();
    assertBookInvariants(book);
    const owners = book.owners();
    expect(owners).toEqual(["bob", "m0", "m1", "m2", "m3", "m4", "m5", "m6"]);
    expect(book.ordersOf("m3").length).toBeGreaterThan(0);
    // A duplicate client id is still caught after a rebuild.
    accepted(book.place(buy(++id, "m3", 1n, 80n, { clientId: "c" })));
    expect(book.place(buy(++id, "m3", 1n, 80n, { clientId: "c" })).ok).toBe(false);
    expect(book.getByClientId("m3", "c")?.priceTicks).toBe(80n);
    assertBookInvariants(book);
  });

  it("a FOK order counts around its owner's own orders with or without the index", () => {
    const book = new OrderBook();
    accepted(book.place(sell(1n, "alice", 5n, 100n)));
    accepted(book.place(sell(2n, "bob", 3n, 100n)));
    expect(book.internals().byOwner).toBeNull();
    expect(book.place(buy(3n, "alice", 4n, 100n, { timeInForce: "FOK" })).ok).toBe(false);
    const r = accepted(book.place(buy(4n, "alice", 3n, 100n, { timeInForce: "FOK" })));
    expect(r.fills.map((f) => f.makerOrderId)).toEqual([2n]);
    expect(r.cancellations.map((c) => [c.orderId, c.reason])).toEqual([[1n, "self-trade"]]);
    assertBookInvariants(book);
  });
});

describe("level queues", () => {
  it("keep time priority through many holes, compactions and partial fills", () => {
    const book = new OrderBook();
    // Model: the queue as [id, open size] in time priority.
    let live: Array<[bigint, bigint]> = [];
    let id = 0n;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 60; i++) {
        accepted(book.place(sell(++id, `s${i % 5}`, 2n, 100n)));
        live.push([id, 2n]);
      }
      // Cancel two of every three (holes in the middle of the queue, compaction on the way).
      for (let k = live.length - 1; k >= 0; k--) {
        if (k % 3 !== 0) {
          accepted(book.cancel(live[k]![0]));
          live.splice(k, 1);
        }
      }
      assertBookInvariants(book);
      expect(book.l3("sell").map((o) => [o.orderId, o.sizeContracts])).toEqual(live);
      // Take 7 contracts from the front (partial fills carry over between rounds).
      const r = accepted(book.place(buy(++id, "taker", 7n, 100n, { timeInForce: "IOC" })));
      const expected: bigint[] = [];
      let want = 7n;
      while (want > 0n) {
        const head = live[0]!;
        expected.push(head[0]);
        const q = head[1] < want ? head[1] : want;
        want -= q;
        if (q === head[1]) live = live.slice(1);
        else live[0] = [head[0], head[1] - q];
      }
      expect(r.fills.map((f) => f.makerOrderId)).toEqual(expected);
      assertBookInvariants(book);
      expect(book.l3("sell").map((o) => [o.orderId, o.sizeContracts])).toEqual(live);
    }
    const open = live.reduce((a, [, size]) => a + size, 0n);
    expect(book.depth().asks).toEqual([{ priceTicks: 100n, sizeContracts: open, orderCount: live.length }]);
    const restored = OrderBook.restore(book.snapshot());
    expect(dump(restored.snapshot())).toBe(dump(book.snapshot()));
  });

  it("an amended order that loses priority at the same price moves to the back once", () => {
    const book = new OrderBook();
    for (let i = 1n; i <= 20n; i++) accepted(book.place(buy(i, "m", 1n, 50n)));
    accepted(book.amend(3n, 2n));
    accepted(book.amend(3n, 4n));
    const ids = book.l3("buy").map((o) => o.orderId);
    expect(ids.filter((x) => x === 3n)).toHaveLength(1);
    expect(ids[ids.length - 1]).toBe(3n);
    assertBookInvariants(book);
  });
});

describe("order-id index", () => {
  it("finds orders with sparse, huge and low-bit-colliding ids through growth, shrinking and removals", () => {
    const book = new OrderBook();
    const ids: bigint[] = [];
    let id = 1n;
    for (let i = 0; i < 400; i++) {
      // Multiples of 2^32, then ids above 2^53 and 2^64: the low 32 bits collide or the Number is inexact.
      id += i < 150 ? 4294967296n : i < 300 ? 9007199254740993n : 18446744073709551617n;
      ids.push(id);
      accepted(book.place(i % 2 === 0 ? buy(id, "a", 1n, 100n - BigInt(i % 10)) : sell(id, "b", 1n, 200n + BigInt(i % 10))));
    }
    for (const x of ids) expect(book.getOrder(x)?.orderId).toBe(x);
    expect(book.getOrder(ids[5]! + 1n)).toBeUndefined();
    for (let k = 0; k < ids.length; k += 1) if (k % 4 !== 1) accepted(book.cancel(ids[k]!));
    for (let k = 0; k < ids.length; k++) expect(book.getOrder(ids[k]!) !== undefined).toBe(k % 4 === 1);
    expect(book.orderCount).toBe(100);
    expect(book.cancel(ids[0]!).ok).toBe(false);
    expect(book.cancel("1" as unknown as bigint).ok).toBe(false);
    assertBookInvariants(book);
  });
});
