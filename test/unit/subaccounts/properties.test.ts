/** Random batches through the choke point: every batch applies fully or not at all, and the invariants hold. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ChainError } from "../../../src/errors.js";
import type { ApplyOptions, SubaccountUpdate, UpdateKind } from "../../../modules/subaccounts/index.js";
import { addr, fixture, snapshot } from "./fixture.js";

const owners = [addr(1), addr(2), addr(3)];
const amount = fc.oneof(fc.bigInt({ min: -1_000n, max: 1_000n }), fc.bigInt({ min: -3_000n, max: 3_000n }), fc.constant(0n));

const update = fc.record({
  owner: fc.integer({ min: 0, max: 2 }),
  number: fc.constantFrom(0, 1, 127_999),
  collateralDelta: amount,
  positions: fc.array(fc.record({ instrumentId: fc.bigInt({ min: 1n, max: 3n }), sizeDelta: fc.bigInt({ min: -5n, max: 5n }) }), { maxLength: 2 }),
});

const batch = fc.record({
  kind: fc.constantFrom<UpdateKind>("deposit", "withdrawal", "transfer", "match", "settlement", "liquidation"),
  counterparty: fc.integer({ min: 0, max: 2 }),
  updates: fc.array(update, { minLength: 1, maxLength: 4 }),
  /** Add a mirror update that nets positions to zero (so many batches pass the balance check). */
  mirror: fc.constantFrom(true, true, true, false),
});

describe("subaccounts keeper properties", () => {
  it("applies a batch entirely or not at all, and keeps Σ collateral == module balance and positions netting to zero", () => {
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 25 }), (batches) => {
        const f = fixture({ funded: owners.map((o) => [o, 10_000n] as [Uint8Array, bigint]) });
        const total = () => owners.reduce((s, o) => s + f.balance(o), 0n) + f.balance(f.moduleAddress);
        const supply = total();
        let privileged = false;
        for (const o of owners) {
          f.keeper.applyUpdates(f.ctx(), [0, 1].map((number) => ({ id: { owner: o, number }, collateralDelta: 2_000n, positionDeltas: [] })), { kind: "deposit", counterparty: o });
        }
        for (const b of batches) {
          const updates: SubaccountUpdate[] = b.updates.map((u) => ({
            id: { owner: owners[u.owner]!, number: u.number },
            collateralDelta: u.collateralDelta,
            positionDeltas: u.positions.map((p) => ({ instrumentId: p.instrumentId, sizeDelta: p.sizeDelta })),
          }));
          if (b.mirror) {
            const sums = new Map<bigint, bigint>();
            for (const u of updates) for (const p of u.positionDeltas) sums.set(p.instrumentId, (sums.get(p.instrumentId) ?? 0n) + p.sizeDelta);
            updates.push({ id: { owner: owners[2]!, number: 5 }, collateralDelta: 0n, positionDeltas: [...sums].map(([instrumentId, s]) => ({ instrumentId, sizeDelta: -s })) });
          }
          const opts: ApplyOptions = { kind: b.kind, counterparty: owners[b.counterparty]! };
          const before = snapshot(f.store);
          const dry = f.keeper.canApplyUpdates(f.store, updates, opts);
          let applied = true;
          try {
            f.keeper.applyUpdates(f.ctx(), updates, opts);
          } catch (err) {
            if (!(err instanceof ChainError)) throw err;
            applied = false;
            expect(err.code).toBe(dry.error?.code);
            expect(snapshot(f.store)).toEqual(before);
          }
          expect(applied).toBe(dry.ok);
          expect(dry.results.length).toBe(updates.length);
          if (applied && (b.kind === "settlement" || b.kind === "liquidation")) privileged = true;
          // Only settlement and liquidation can leave a negative balance behind (a deficit the invariant reports).
          const broken = f.invariants();
          expect(broken.filter((m) => !/negative collateral/.test(m))).toEqual([]);
          if (!privileged) expect(broken).toEqual([]);
          expect(total()).toBe(supply);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("never lets deposit, withdrawal, transfer or match debit a subaccount below zero", () => {
    fc.assert(
      fc.property(fc.array(batch.filter((b) => b.kind !== "settlement" && b.kind !== "liquidation"), { minLength: 1, maxLength: 25 }), (batches) => {
        const f = fixture({ funded: owners.map((o) => [o, 10_000n] as [Uint8Array, bigint]) });
        for (const b of batches) {
          const updates = b.updates.map((u) => ({ id: { owner: owners[u.owner]!, number: u.number }, collateralDelta: u.collateralDelta, positionDeltas: [] }));
          try {
            f.keeper.applyUpdates(f.ctx(), updates, { kind: b.kind, counterparty: owners[b.counterparty]! });
          } catch (err) {
            if (!(err instanceof ChainError)) throw err;
          }
          for (const s of f.keeper.iterateSubaccounts(f.store)) expect(s.quoteMicroUsdc).toBeGreaterThanOrEqual(0n);
          expect(f.invariants()).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});
