/** Fills of one message settle in one applyUpdates call: the state must equal settling each fill on its own. */
import { describe, expect, it } from "vitest";
import { ModulePrefix } from "../../../modules/prefixes.js";
import { addr, bech, clobFixture } from "./fixture.js";

const BUY = 1;
const SELL = 2;
const IOC = 1;

type Fixture = ReturnType<typeof clobFixture>;

/** Makers 2 and 3 rest asks and bids on series 1 and 2. */
function withBooks(): Fixture {
  const f = clobFixture();
  for (const [n, p] of [[2, 100n], [3, 101n]] as const) {
    f.placeOk(n, { side: SELL, priceTicks: p, sizeContracts: 5n });
    f.placeOk(n, { side: BUY, priceTicks: p - 20n, sizeContracts: 5n });
    f.placeOk(n, { seriesId: 2n, side: SELL, priceTicks: p + 50n, sizeContracts: 5n });
    f.placeOk(n, { seriesId: 2n, side: BUY, priceTicks: p + 10n, sizeContracts: 5n });
  }
  return f;
}

/** The taker's orders: a position opened, closed through zero (its cost basis dropped), reopened; a reduce-only cap. */
const TAKER_ORDERS = [
  { side: BUY, priceTicks: 100n, sizeContracts: 2n, timeInForce: IOC },
  { side: SELL, priceTicks: 80n, sizeContracts: 2n, timeInForce: IOC }, // back to zero: cost basis gone
  { side: SELL, priceTicks: 80n, sizeContracts: 1n, timeInForce: IOC }, // short 1
  { side: BUY, priceTicks: 101n, sizeContracts: 3n, timeInForce: IOC }, // long 2 across both makers
  { seriesId: 2n, side: BUY, priceTicks: 150n, sizeContracts: 4n, timeInForce: IOC },
  { seriesId: 2n, side: SELL, priceTicks: 100n, sizeContracts: 6n, timeInForce: IOC, reduceOnly: true }, // capped at the long 4
];

function subaccountsState(f: Fixture): string[] {
  const p = new Uint8Array([ModulePrefix.subaccounts]);
  const end = new Uint8Array([ModulePrefix.subaccounts + 1]);
  return [...f.store.iterate(p, end)].map(([k, v]) => `${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`);
}

describe("clob: fills settled per message", () => {
  it("one batch leaves the same positions, cost bases, open interest and balances as one message per order", () => {
    const batched = withBooks();
    const r = batched.exec(batched.C.MsgBatch.typeUrl, { owner: bech(1), subaccountNumber: 0, cancels: [], places: TAKER_ORDERS.map((o) => batched.spec(o)) });
    if (!r.ok) throw r.error;
    const res = batched.C.MsgBatchResponse.decode(r.value.value);
    expect(res.places.every((p) => p.ok)).toBe(true);

    const single = withBooks();
    for (const o of TAKER_ORDERS) single.placeOk(1, o);

    expect(batched.position(1)).toBe(2n);
    expect(batched.position(1, 2n)).toBe(0n); // the reduce-only sell saw the long 4 bought earlier in the batch
    expect(subaccountsState(batched)).toEqual(subaccountsState(single));
    for (const n of [1, 2, 3]) expect(batched.collateral(n)).toBe(single.collateral(n));
    expect(batched.feePool()).toBe(single.feePool());
    expect(batched.subaccounts.keeper.position(batched.store, { owner: addr(2), number: 0 }, 1n)).toEqual(
      single.subaccounts.keeper.position(single.store, { owner: addr(2), number: 0 }, 1n),
    );
    expect(batched.invariants()).toEqual([]);
    expect(single.invariants()).toEqual([]);
  });
});
