/**
 * Scenario 6 through the real app: a second app fed the same blocks (txs and oracle votes) reaches the same
 * results and app hash at every height while makers quote, takers trade, orders are amended and cancelled;
 * a node restored from its persisted writes, and a new chain started from exported genesis, keep the books
 * (same orders, same price-time priority) and match the next taker exactly as the live chain does.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { msgs, orderEventsOf, usdc } from "../../node/client/index.js";
import { createVannaApp } from "../../modules/app.js";
import type { BaseApp } from "../../src/app/baseApp.js";
import { RootStore } from "../../src/store/index.js";
import { TEST_CHAIN_ID, testAppOptions } from "../support/devChain.js";
import { followerApp, hex, MarketChain } from "../support/marketChain.js";

const MONTHLY = 1_769_760_000n;

let c: MarketChain;
let makers: string[];
let taker: string;
let series: bigint[];

function bookOf(app: BaseApp, seriesId: bigint) {
  const res = app.query({ path: "/vanna.clob.v1.Query/BookL3", data: bookRequest(seriesId), height: 0n, prove: false });
  expect(res.code, res.log).toBe(0);
  return hex(res.value);
}

/** QueryBookL3Request { series_id = 1, limit = 2 }. */
function bookRequest(seriesId: bigint): Uint8Array {
  const out = [0x08];
  let v = seriesId;
  do {
    out.push(Number(v & 0x7fn) | (v > 0x7fn ? 0x80 : 0));
    v >>= 7n;
  } while (v > 0n);
  return new Uint8Array([...out, 0x10, 0xe8, 0x07]); // limit 1000
}

beforeAll(async () => {
  c = await MarketChain.create();
  c.followers.push(followerApp(c.addrs));
  const [, m1, t, m2] = c.addrs as [string, string, string, string];
  makers = [m1, m2];
  taker = t;
  c.block();
  c.block();
  c.block();
  series = (await c.q.options.seriesList({ underlying: "BTC", expiryUnixS: MONTHLY, status: "active" })).series.filter((s) => s.kind === 1).map((s) => s.id);
  const r = c.block(await Promise.all([...makers, taker].map((a) => c.sign(a, [msgs.deposit({ sender: a, amount: usdc(100_000_000_000n) })]))));
  expect(r.txResults.map((x) => x.code)).toEqual([0, 0, 0]);
});

describe("scenario 6: determinism and restart", () => {
  it("a second app fed the same blocks agrees on every app hash while the market trades", async () => {
    for (let round = 0; round < 4; round++) {
      const txs: Uint8Array[] = [];
      for (const [k, m] of makers.entries()) {
        txs.push(
          await c.sign(m, [
            msgs.batch({
              owner: m,
              places: series.slice(3, 8).flatMap((s, i) => [
                { seriesId: s, side: "sell" as const, priceTicks: 8_000n - BigInt(i) * 700n + BigInt(round * 10), sizeContracts: 2n + BigInt(k), postOnly: true },
                { seriesId: s, side: "buy" as const, priceTicks: 2_000n - BigInt(i) * 300n - BigInt(round), sizeContracts: 1n + BigInt(k), postOnly: true },
              ]),
            }),
          ]),
        );
      }
      txs.push(await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: series[5]!, side: "buy", priceTicks: 9_000n, sizeContracts: 3n, timeInForce: "ioc" } })]));
      txs.push(await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: series[4]!, side: "sell", priceTicks: 1n, sizeContracts: 2n, timeInForce: "ioc" } })]));
      const b = c.block(txs);
      expect(b.txResults.every((x) => x.code === 0)).toBe(true);
    }
    const open = (await c.q.clob.openOrders(makers[0]!)).orders;
    const amendAndCancel = c.block([
      await c.sign(makers[0]!, [msgs.amendOrder({ owner: makers[0]!, orderId: open[0]!.orderId, newSizeContracts: 1n })]),
      await c.sign(makers[0]!, [msgs.cancelOrder({ owner: makers[0]!, orderId: open[1]!.orderId })]),
      await c.sign(makers[1]!, [msgs.cancelAll({ owner: makers[1]!, seriesId: series[7]! })]),
    ]);
    expect(amendAndCancel.txResults.map((x) => x.code)).toEqual([0, 0, 0]);
    expect(c.app.checkInvariants()).toEqual([]);
    expect(c.followers[0]!.checkInvariants()).toEqual([]);
  });

  it("a node restored from its persisted writes keeps the books and matches the next taker identically", async () => {
    const restored = createVannaApp(testAppOptions(), { store: RootStore.restore(c.persistedEntries(), c.height), lastBlockTimeNs: c.timeNs });
    expect(hex(restored.info().lastBlockAppHash)).toBe(hex(c.app.info().lastBlockAppHash));
    for (const s of series) expect(bookOf(restored, s)).toBe(bookOf(c.app, s));
    expect(restored.checkInvariants()).toEqual([]);
    c.followers.push(restored);
    const sweep = c.block([await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: series[5]!, side: "buy", priceTicks: 9_000n, sizeContracts: 6n, timeInForce: "ioc" } })])]);
    // Price-time priority: the cheapest ask first; at one price, the older order first.
    const fills = orderEventsOf(sweep.txResults[0]!).filled;
    expect(fills.length).toBeGreaterThan(1);
    for (let i = 1; i < fills.length; i++) {
      const [a, b] = [fills[i - 1]!, fills[i]!];
      expect(a.priceTicks < b.priceTicks || (a.priceTicks === b.priceTicks && a.makerOrderId < b.makerOrderId)).toBe(true);
    }
    c.followers.pop();
  });

  it("a new chain from exported genesis has the same books and matches the next taker identically", async () => {
    const exported = JSON.parse(JSON.stringify(c.app.exportAppState())) as Record<string, unknown>;
    const importedStore = new RootStore();
    const imported = createVannaApp(testAppOptions(), { store: importedStore, lastBlockTimeNs: 0n });
    imported.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: c.timeNs, initialHeight: c.height + 1n, appState: exported, validators: [] });
    imported.commit();
    expect(imported.checkInvariants()).toEqual([]);
    for (const s of series) expect(bookOf(imported, s)).toBe(bookOf(c.app, s));
    expect(imported.exportAppState()).toEqual(c.app.exportAppState());
    // Everything is in genesis, fill history and book counters included: the new chain's state is the live one,
    // key for key, and so is its app hash.
    const dump = (st: RootStore) => new Map([...st.reader().iterate()].map(([k, v]) => [hex(k), hex(v)]));
    const [live, fresh] = [dump(c.store), dump(importedStore)];
    const differing = [...new Set([...live.keys(), ...fresh.keys()])].filter((k) => live.get(k) !== fresh.get(k));
    expect(differing).toEqual([]);
    expect([...live.keys()].some((k) => k.startsWith("0608")) && [...live.keys()].some((k) => k.startsWith("060a"))).toBe(true); // fills were kept
    expect(hex(imported.info().lastBlockAppHash)).toBe(hex(c.app.info().lastBlockAppHash));
    const fillsOf = async (app: BaseApp, s: bigint) => hex(app.query({ path: "/vanna.clob.v1.Query/Fills", data: new Uint8Array([0x08, Number(s), 0x20, 100]), height: 0n, prove: false }).value);
    for (const s of series) expect(await fillsOf(imported, s)).toBe(await fillsOf(c.app, s));
    // The next block on both: the same results, fills in the same priority, the same events.
    const tx = await c.sign(taker, [msgs.placeOrder({ owner: taker, order: { seriesId: series[6]!, side: "sell", priceTicks: 1n, sizeContracts: 4n, timeInForce: "ioc" } })]);
    const b = c.block([tx]);
    const again = imported.finalizeBlock(c.lastRequest!);
    imported.commit();
    const fills = orderEventsOf(b.txResults[0]!).filled;
    expect(fills.length).toBeGreaterThan(1);
    expect(orderEventsOf(again.txResults[0]!).filled).toEqual(fills);
    expect(again.txResults).toEqual(b.txResults); // gas too: the same state is read
    expect(hex(imported.info().lastBlockAppHash)).toBe(hex(c.app.info().lastBlockAppHash));
    expect(imported.checkInvariants()).toEqual([]);
    for (const s of series) expect(bookOf(imported, s)).toBe(bookOf(c.app, s));
  });
});
