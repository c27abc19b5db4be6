/**
 * Per-block caps and the resume cursor: with max_liquidations_per_block (or max_liquidation_orders_per_block)
 * reached, the scan stops, the cursor names the next subaccount, and the next block starts there (key order,
 * wrapping around); a block that finishes its scan clears the cursor.
 */
import { describe, expect, it } from "vitest";
import { iterateRecords, type LiquidationRecord } from "../../../modules/liquidation/index.js";
import { bech, chain, sub, USD, type Chain } from "./fixture.js";

const MAKER = sub(2);
const LONG = sub(10);
const SHORTS = [3, 4, 5, 6, 7];
const CURSOR_KEY = new Uint8Array([0x08, 0x05]);

function underwaterShorts(params: Record<string, unknown>): { c: Chain; put: bigint } {
  const c = chain({ accounts: 10, liquidationParams: params });
  c.setSpot("BTC", 100_000n * USD);
  const put = c.list(70_000n, "put");
  c.deposit(MAKER, 900_000n * USD);
  c.deposit(LONG, 900_000n * USD);
  for (const n of SHORTS) {
    c.deposit(sub(n), 8_000n * USD);
    c.trade(LONG, sub(n), put, c.markTicks(put), 100n);
  }
  c.advance();
  c.setSpot("BTC", 70_000n * USD);
  c.order(MAKER, put, "sell", c.markTicks(put) + 10n, 5_000n);
  for (const n of SHORTS) expect(c.equity(sub(n))).toBeLessThan(c.mm(sub(n)));
  return { c, put };
}

/** Distinct subaccounts partially liquidated in records with id >= from, in record order. */
function liquidatedSince(c: Chain, from: bigint): string[] {
  const out: string[] = [];
  for (const r of iterateRecords(c.store, from) as Iterable<LiquidationRecord>) if (!out.includes(r.subaccount)) out.push(r.subaccount);
  return out;
}
const nextRecordId = (c: Chain) => BigInt([...iterateRecords(c.store)].length);
const name = (n: number) => `${bech(n)}/0`;

describe("per-block caps and the resume cursor", () => {
  it("max_liquidations_per_block = 2: two per block in key order, the cursor resumes, the last block clears it", () => {
    const { c, put } = underwaterShorts({ max_liquidations_per_block: 2 });
    const blocks: string[][] = [];
    const capped: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const from = nextRecordId(c);
      const { result } = c.liquidate();
      blocks.push(liquidatedSince(c, from));
      capped.push(result.capped);
      expect(c.invariants()).toEqual([]);
      c.advance();
      c.setSpot("BTC", 70_000n * USD);
    }
    expect(blocks).toEqual([[name(3), name(4)], [name(5), name(6)], [name(7)], []]);
    expect(capped).toEqual([true, true, false, false]);
    expect(c.store.get(CURSOR_KEY)).toBeUndefined();
    for (const n of SHORTS) {
      expect(c.size(sub(n), put)).toBeGreaterThan(-100n);
      expect(c.equity(sub(n))).toBeGreaterThanOrEqual(c.mm(sub(n)));
    }
  });

  it("max_liquidation_orders_per_block = 1: one order per block, the cursor points at the next underwater account", () => {
    const { c } = underwaterShorts({ max_liquidation_orders_per_block: 1 });
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const from = nextRecordId(c);
      const { result } = c.liquidate();
      expect(result.ordersPlaced).toBe(1);
      order.push(...liquidatedSince(c, from));
      expect(c.store.get(CURSOR_KEY)).toBeDefined();
      c.advance();
      c.setSpot("BTC", 70_000n * USD);
    }
    expect(order).toEqual(SHORTS.map(name));
    // Everyone is healthy now: the next block scans everything, places nothing and clears the cursor.
    const { result } = c.liquidate();
    expect([result.ordersPlaced, result.liquidated, result.capped]).toEqual([0, 0, false]);
    expect(c.store.get(CURSOR_KEY)).toBeUndefined();
    expect(c.invariants()).toEqual([]);
  });

  it("the cursor wraps around: a stored cursor past the last holder restarts from the first", () => {
    const { c } = underwaterShorts({ max_liquidations_per_block: 1 });
    // A cursor after every subaccount (owner 0xff…): the scan starts from the first one in key order.
    c.store.set(CURSOR_KEY, new Uint8Array([20, ...new Uint8Array(20).fill(0xff), 0, 0, 0, 0]));
    const from = nextRecordId(c);
    c.liquidate();
    expect(liquidatedSince(c, from)).toEqual([name(3)]);
  });
});
