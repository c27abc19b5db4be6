/** The trade fast path: one bank transfer per netted scope (message), and unchecked updates planned on the touched positions. */
import { describe, expect, it } from "vitest";
import { ChainError } from "../../../src/errors.js";
import { u64be } from "../../../modules/subaccounts/keys.js";
import { u64be as clobU64be } from "../../../modules/clob/keys.js";
import type { SubaccountUpdate } from "../../../modules/subaccounts/index.js";
import { addr, fixture } from "./fixture.js";

const alice = addr(1);
const bob = addr(2);
const pool = addr(9);
const id = (owner: Uint8Array, number = 0) => ({ owner, number });
/** alice buys `size` of instrument 1 from bob at `premium`; both pay `fee` to the pool. */
const trade = (size: bigint, premium: bigint, fee: bigint, instrumentId = 1n): SubaccountUpdate[] => [
  { id: id(alice), collateralDelta: -premium - fee, positionDeltas: [{ instrumentId, sizeDelta: size, costBasisDelta: premium }] },
  { id: id(bob), collateralDelta: premium - fee, positionDeltas: [{ instrumentId, sizeDelta: -size, costBasisDelta: -premium }] },
];

function funded() {
  const f = fixture({ funded: [[alice, 10_000n], [bob, 10_000n], [pool, 0n]] });
  f.keeper.applyUpdates(f.ctx(), [{ id: id(alice), collateralDelta: 1_000n, positionDeltas: [] }], { kind: "deposit", counterparty: alice });
  f.keeper.applyUpdates(f.ctx(), [{ id: id(bob), collateralDelta: 1_000n, positionDeltas: [] }], { kind: "deposit", counterparty: bob });
  return f;
}

describe("subaccounts: netted transfers", () => {
  it("moves the net of every trade once, at the end, with the same result as one transfer per trade", () => {
    const netted = funded();
    const plain = funded();
    const ctx = netted.ctx();
    netted.keeper.withNettedTransfers(ctx, pool, () => {
      for (let i = 0; i < 5; i++) {
        netted.keeper.applyUpdates(ctx, trade(1n, 100n, 3n), { kind: "trade", counterparty: pool });
        // Nothing moved yet: Σ collateral and the module balance differ by the pending fees.
        expect(netted.balance(pool)).toBe(0n);
      }
    });
    for (let i = 0; i < 5; i++) plain.keeper.applyUpdates(plain.ctx(), trade(1n, 100n, 3n), { kind: "trade", counterparty: pool });
    expect(netted.balance(pool)).toBe(30n);
    expect(netted.balance(netted.moduleAddress)).toBe(plain.balance(plain.moduleAddress));
    expect(netted.keeper.get(netted.store, id(alice))).toEqual(plain.keeper.get(plain.store, id(alice)));
    expect(netted.keeper.get(netted.store, id(bob))).toEqual(plain.keeper.get(plain.store, id(bob)));
    expect(ctx.events.filter((e) => e.type === "transfer")).toHaveLength(1);
    expect(netted.invariants()).toEqual([]);
  });

  it("checks each batch against the balances as if the pending net had moved", () => {
    const f = funded();
    const ctx = f.ctx();
    // The module account holds 2,000: fees of 1,500 then 600 cannot both be paid.
    const fees = (fee: bigint): SubaccountUpdate[] => [{ id: id(alice), collateralDelta: -fee, positionDeltas: [] }];
    const err = (() => {
      try {
        f.keeper.withNettedTransfers(ctx, pool, () => {
          f.keeper.applyUpdates(ctx, fees(1_500n), { kind: "trade", counterparty: pool });
          f.keeper.applyUpdates(ctx, fees(600n), { kind: "trade", counterparty: pool });
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).message).toMatch(/spendable balance 500uusdc is smaller than 600uusdc/);
    // The scope is closed after a throw: the next update moves its net at once.
    f.keeper.applyUpdates(f.ctx(), fees(10n), { kind: "trade", counterparty: pool });
    // The pending 1,500 was dropped with the throw (in a tx, its collateral writes are discarded with it).
    expect(f.balance(pool)).toBe(10n);
  });

  it("plans trades on the touched positions but keeps the record of a zero-collateral subaccount with other positions", () => {
    const f = funded();
    f.keeper.applyUpdates(f.ctx(), trade(2n, 0n, 0n, 1n), { kind: "trade" });
    f.keeper.applyUpdates(f.ctx(), trade(3n, 0n, 0n, 2n), { kind: "trade" });
    // alice's collateral goes to exactly zero while closing instrument 1: instrument 2 keeps the record alive.
    const [after] = f.keeper.applyUpdates(f.ctx(), [
      { id: id(alice), collateralDelta: -1_000n, positionDeltas: [{ instrumentId: 1n, sizeDelta: -2n }] },
      { id: id(bob), collateralDelta: 1_000n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 2n }] },
    ], { kind: "trade" });
    expect(f.keeper.has(f.store, id(alice))).toBe(true);
    expect(f.keeper.get(f.store, id(alice))).toMatchObject({ quoteMicroUsdc: 0n, positions: [{ instrumentId: 2n, sizeContracts: 3n }] });
    // The returned subaccount lists every position, not just the touched ones.
    expect(after!.positions.map((p) => p.instrumentId)).toEqual([2n]);
    expect(f.invariants()).toEqual([]);
  });
});

describe("u64be", () => {
  it("writes big-endian, wrapping modulo 2^64 as DataView does", () => {
    for (const enc of [u64be, clobU64be]) {
      for (const n of [0n, 1n, 0xffn, 0x100n, 0xffff_ffffn, 0x1_0000_0000n, 0x0102_0304_0506_0708n, (1n << 64n) - 1n, -1n]) {
        const ref = new Uint8Array(8);
        new DataView(ref.buffer).setBigUint64(0, BigInt.asUintN(64, n), false);
        expect([...enc(n)]).toEqual([...ref]);
      }
    }
  });
});
