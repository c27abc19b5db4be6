import { describe, expect, it } from "vitest";
import { ChainError } from "../../../src/errors.js";
import { SubaccountsKeys, u32be, u64be } from "../../../modules/subaccounts/keys.js";
import type { MarginChecker, SubaccountUpdate } from "../../../modules/subaccounts/index.js";
import { addr, fixture, snapshot } from "./fixture.js";

const alice = addr(1);
const bob = addr(2);
const carol = addr(3);
const id = (owner: Uint8Array, number: number) => ({ owner, number });
const credit = (owner: Uint8Array, number: number, amount: bigint): SubaccountUpdate => ({ id: id(owner, number), collateralDelta: amount, positionDeltas: [] });

function thrown(f: () => unknown): ChainError {
  try {
    f();
  } catch (err) {
    if (err instanceof ChainError) return err;
    throw err;
  }
  throw new Error("expected a ChainError");
}

/** Funds alice and bob, then deposits `a0` into alice/0 and `b0` into bob/0. */
function funded(a0 = 1_000n, b0 = 1_000n, margin?: MarginChecker) {
  const f = fixture({ funded: [[alice, 10_000n], [bob, 10_000n], [carol, 10_000n]], ...(margin ? { margin } : {}) });
  if (a0 > 0n) f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, a0)], { kind: "deposit", counterparty: alice });
  if (b0 > 0n) f.keeper.applyUpdates(f.ctx(), [credit(bob, 0, b0)], { kind: "deposit", counterparty: bob });
  return f;
}

describe("subaccount keys", () => {
  it("are length-prefixed owner, big-endian number and big-endian instrument, so key order is numeric order", () => {
    const k = SubaccountsKeys.position(id(alice, 258), 0x0102030405060708n);
    expect([...k]).toEqual([SubaccountsKeys.positionPrefix[0], 0x02, 20, ...alice, ...u32be(258), ...u64be(0x0102030405060708n)]);
    expect([...u32be(258)]).toEqual([0, 0, 1, 2]);
  });

  it("iterates subaccounts by owner then number, and positions by instrument id, in numeric order", () => {
    const f = fixture({ funded: [[alice, 10_000n], [bob, 10_000n]] });
    const numbers = [65_536, 256, 0, 1, 255, 127_999];
    for (const n of numbers) f.keeper.applyUpdates(f.ctx(), [credit(bob, n, 1n), credit(alice, n, 2n)], { kind: "deposit", counterparty: bob });
    const all = [...f.keeper.iterateSubaccounts(f.store)];
    const sorted = [...numbers].sort((x, y) => x - y);
    expect(all.map((s) => [s.id.owner[19], s.id.number])).toEqual([...sorted.map((n) => [1, n]), ...sorted.map((n) => [2, n])]);
    expect([...f.keeper.iterateSubaccounts(f.store, bob)].map((s) => s.id.number)).toEqual(sorted);

    const instruments = [1n << 40n, 2n, 256n, 1n, 255n];
    f.keeper.applyUpdates(
      f.ctx(),
      [
        { id: id(alice, 0), collateralDelta: 0n, positionDeltas: instruments.map((i) => ({ instrumentId: i, sizeDelta: 1n })) },
        { id: id(bob, 0), collateralDelta: 0n, positionDeltas: instruments.map((i) => ({ instrumentId: i, sizeDelta: -1n })) },
      ],
      { kind: "match" },
    );
    expect(f.keeper.positions(f.store, id(alice, 0)).map((p) => p.instrumentId)).toEqual([1n, 2n, 255n, 256n, 1n << 40n]);
    expect([...f.keeper.iteratePositions(f.store)].map((e) => [e.id.owner[19], e.position.instrumentId])).toEqual([
      ...[1n, 2n, 255n, 256n, 1n << 40n].map((i) => [1, i]),
      ...[1n, 2n, 255n, 256n, 1n << 40n].map((i) => [2, i]),
    ]);
    expect(f.invariants()).toEqual([]);
  });

  it("returns a zero subaccount for one that was never used, and deletes emptied ones", () => {
    const f = funded(100n, 0n);
    expect(f.keeper.get(f.store, id(bob, 7))).toEqual({ id: id(bob, 7), quoteMicroUsdc: 0n, positions: [] });
    expect(f.keeper.has(f.store, id(alice, 0))).toBe(true);
    f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, -100n)], { kind: "withdrawal", counterparty: alice });
    expect(f.keeper.has(f.store, id(alice, 0))).toBe(false);
    expect([...f.keeper.iterateSubaccounts(f.store)]).toEqual([]);
  });
});

describe("applyUpdates: the choke point", () => {
  it("moves the net collateral change through the module account (I1 by construction)", () => {
    const f = funded(0n, 0n);
    f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, 300n), credit(alice, 1, 200n)], { kind: "deposit", counterparty: alice });
    expect(f.balance(alice)).toBe(9_500n);
    expect(f.balance(f.moduleAddress)).toBe(500n);
    f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, -50n)], { kind: "withdrawal", counterparty: carol });
    expect(f.balance(carol)).toBe(10_050n);
    expect(f.balance(f.moduleAddress)).toBe(450n);
    expect(f.keeper.collateral(f.store, id(alice, 0))).toBe(250n);
    expect(f.invariants()).toEqual([]);
  });

  it("is all-or-nothing: one failing update leaves every subaccount, balance and open interest untouched", () => {
    const f = funded();
    const before = snapshot(f.store);
    const batch: SubaccountUpdate[] = [
      { id: id(alice, 0), collateralDelta: -10n, positionDeltas: [{ instrumentId: 9n, sizeDelta: 5n }] },
      { id: id(bob, 0), collateralDelta: 10n, positionDeltas: [{ instrumentId: 9n, sizeDelta: -5n }] },
      credit(carol, 0, -1n), // carol/0 holds nothing: would go negative
    ];
    const dry = f.keeper.canApplyUpdates(f.store, batch, { kind: "match" });
    expect(dry.ok).toBe(false);
    expect(dry.results).toEqual(["success", "success", "negative_collateral"]);
    const err = thrown(() => f.keeper.applyUpdates(f.ctx(), batch, { kind: "match" }));
    expect([err.codespace, err.code]).toEqual(["subaccounts", 5]);
    expect(err.message).toMatch(/insufficient collateral/);
    expect(snapshot(f.store)).toEqual(before);
    // Without the bad update the same batch applies, positions net to zero and open interest follows.
    expect(f.keeper.canApplyUpdates(f.store, batch.slice(0, 2), { kind: "match" })).toEqual({ ok: true, results: ["success", "success"] });
    f.keeper.applyUpdates(f.ctx(), batch.slice(0, 2), { kind: "match" });
    expect(f.keeper.openInterest(f.store, 9n)).toEqual({ longContracts: 5n, shortContracts: 5n });
    expect(f.invariants()).toEqual([]);
  });

  it("writes nothing for an update that changes nothing", () => {
    const f = funded();
    const before = snapshot(f.store);
    const pending = f.store.pendingCount;
    f.keeper.applyUpdates(f.ctx(), [credit(carol, 4, 0n), { id: id(alice, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 0n, costBasisDelta: 5n }] }], { kind: "match" });
    expect(snapshot(f.store)).toEqual(before);
    expect(f.store.pendingCount).toBe(pending);
  });

  it("reports one result per update and refuses malformed batches", () => {
    const f = funded();
    const r = f.keeper.canApplyUpdates(
      f.store,
      [
        credit(alice, 0, 1n),
        credit(alice, 0, -1n), // duplicate id
        credit(alice, 128_000, 1n), // number out of range
        { id: { owner: new Uint8Array(32), number: 0 }, collateralDelta: 0n, positionDeltas: [] }, // owner not 20 bytes
        { id: id(bob, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 1n }, { instrumentId: 1n, sizeDelta: -1n }] },
        { id: id(bob, 1), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n << 64n, sizeDelta: 1n }] },
        credit(carol, 0, 1n << 256n), // overflow
      ],
      { kind: "deposit", counterparty: carol },
    );
    expect(r.results).toEqual(["success", "invalid_update", "invalid_update", "invalid_update", "invalid_update", "invalid_update", "overflow"]);
    expect([r.error?.codespace, r.error?.code]).toEqual(["subaccounts", 9]);
  });

  it("requires a counterparty for a net change, never the module account itself, with enough funds", () => {
    const f = funded();
    const noCp = thrown(() => f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, 5n)], { kind: "deposit" }));
    expect([noCp.codespace, noCp.code]).toEqual(["subaccounts", 13]);
    const self = thrown(() => f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, -5n)], { kind: "withdrawal", counterparty: f.moduleAddress }));
    expect([self.codespace, self.code]).toEqual(["subaccounts", 13]);
    const poor = thrown(() => f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, 10_001n)], { kind: "deposit", counterparty: alice }));
    expect([poor.codespace, poor.code]).toEqual(["sdk", 5]);
    // A transfer nets to zero and needs none.
    f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, -5n), credit(alice, 1, 5n)], { kind: "transfer" });
    expect(f.invariants()).toEqual([]);
  });

  it("refuses position deltas that do not net to zero per instrument unless allowed", () => {
    const f = funded();
    const lonely: SubaccountUpdate = { id: id(alice, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 4n, sizeDelta: 3n }] };
    const err = thrown(() => f.keeper.applyUpdates(f.ctx(), [lonely], { kind: "match" }));
    expect([err.codespace, err.code]).toEqual(["subaccounts", 12]);
    f.keeper.applyUpdates(f.ctx(), [lonely], { kind: "settlement", allowUnbalancedPositions: true });
    expect(f.invariants()).toEqual(["subaccounts: positions in instrument 4 net to 3, not zero"]);
  });

  it("removes a position (and its open interest) when its size returns to zero", () => {
    const f = funded();
    const open = (size: bigint, cost: bigint) =>
      f.keeper.applyUpdates(
        f.ctx(),
        [
          { id: id(alice, 0), collateralDelta: -cost, positionDeltas: [{ instrumentId: 1n, sizeDelta: size, costBasisDelta: cost }] },
          { id: id(bob, 0), collateralDelta: cost, positionDeltas: [{ instrumentId: 1n, sizeDelta: -size, costBasisDelta: -cost }] },
        ],
        { kind: "match" },
      );
    open(2n, 30n);
    expect(f.keeper.position(f.store, id(alice, 0), 1n)).toEqual({ instrumentId: 1n, sizeContracts: 2n, costBasisMicroUsdc: 30n });
    expect(f.keeper.position(f.store, id(bob, 0), 1n)).toEqual({ instrumentId: 1n, sizeContracts: -2n, costBasisMicroUsdc: -30n });
    open(-2n, -30n);
    expect(f.keeper.positions(f.store, id(alice, 0))).toEqual([]);
    expect([...f.keeper.iterateOpenInterest(f.store)]).toEqual([]);
    expect(f.keeper.collateral(f.store, id(alice, 0))).toBe(1_000n);
    expect(f.invariants()).toEqual([]);
  });

  it("lets only settlement and liquidation take collateral negative, and then only while positions remain", () => {
    const f = funded(100n, 100n);
    const moveLoss = (kind: "match" | "settlement") =>
      f.keeper.canApplyUpdates(
        f.store,
        [
          { id: id(alice, 0), collateralDelta: -150n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 1n }] },
          { id: id(bob, 0), collateralDelta: 150n, positionDeltas: [{ instrumentId: 1n, sizeDelta: -1n }] },
        ],
        { kind },
      );
    expect(moveLoss("match").results).toEqual(["negative_collateral", "success"]);
    expect(moveLoss("settlement").ok).toBe(true);
    f.keeper.applyUpdates(
      f.ctx(),
      [
        { id: id(alice, 0), collateralDelta: -150n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 1n }] },
        { id: id(bob, 0), collateralDelta: 150n, positionDeltas: [{ instrumentId: 1n, sizeDelta: -1n }] },
      ],
      { kind: "liquidation" },
    );
    expect(f.keeper.collateral(f.store, id(alice, 0))).toBe(-50n);
    expect(f.invariants()).toEqual([]); // negative, but positions remain
    // A deposit may cure a deficit even while the balance stays negative; a withdrawal may not deepen it.
    f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, 20n)], { kind: "deposit", counterparty: alice });
    expect(f.keeper.collateral(f.store, id(alice, 0))).toBe(-30n);
    expect(f.keeper.canApplyUpdates(f.store, [credit(alice, 0, -1n)], { kind: "withdrawal", counterparty: alice }).results).toEqual(["negative_collateral"]);
    // Closing the positions while the collateral is negative leaves a deficit: the invariant catches it.
    f.keeper.applyUpdates(
      f.ctx(),
      [
        { id: id(alice, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: -1n }] },
        { id: id(bob, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 1n }] },
      ],
      { kind: "settlement" },
    );
    expect(f.invariants()).toEqual([expect.stringMatching(/has negative collateral -30uusdc and no positions/)]);
  });
});

describe("bad debt", () => {
  it("only the subaccount allowed to carry debt may keep negative collateral without positions", () => {
    const run = (mayCarryDebt?: (id: { owner: Uint8Array; number: number }) => boolean) => {
      const f = fixture({ funded: [[alice, 10_000n], [bob, 10_000n]], ...(mayCarryDebt ? { mayCarryDebt } : {}) });
      f.keeper.applyUpdates(f.ctx(), [credit(bob, 0, 100n)], { kind: "deposit", counterparty: bob });
      const move = (size: bigint, cash: bigint) =>
        f.keeper.applyUpdates(
          f.ctx(),
          [
            { id: id(alice, 0), collateralDelta: -cash, positionDeltas: [{ instrumentId: 1n, sizeDelta: size }] },
            { id: id(bob, 0), collateralDelta: cash, positionDeltas: [{ instrumentId: 1n, sizeDelta: -size }] },
          ],
          { kind: "liquidation" },
        );
      move(1n, 30n);
      move(-1n, 0n);
      return f.invariants();
    };
    expect(run()).toEqual([expect.stringMatching(/has negative collateral -30uusdc and no positions/)]);
    expect(run((x) => Buffer.from(x.owner).equals(Buffer.from(alice)) && x.number === 0)).toEqual([]);
  });
});

describe("holders and trade fills", () => {
  const fill = (size: bigint, premium: bigint) => [
    { id: id(alice, 0), collateralDelta: -premium, positionDeltas: [{ instrumentId: 7n, sizeDelta: size, costBasisDelta: premium }] },
    { id: id(bob, 1), collateralDelta: premium, positionDeltas: [{ instrumentId: 7n, sizeDelta: -size, costBasisDelta: -premium }] },
  ];

  it("indexes who holds an instrument as positions open and close, in key order", () => {
    const f = funded(1_000n, 1_000n);
    expect([...f.keeper.holders(f.store, 7n)]).toEqual([]);
    f.keeper.applyUpdates(f.ctx(), fill(3n, 30n), { kind: "trade" });
    expect([...f.keeper.holders(f.store, 7n)]).toEqual([id(alice, 0), id(bob, 1)]);
    expect([...f.keeper.holders(f.store, 8n)]).toEqual([]);
    expect(f.invariants()).toEqual([]);
    f.keeper.applyUpdates(f.ctx(), fill(-3n, -30n), { kind: "trade" });
    expect([...f.keeper.holders(f.store, 7n)]).toEqual([]);
    expect(f.invariants()).toEqual([]);
  });

  it("does not margin-check or floor collateral on a trade fill (margin is enforced at order entry)", () => {
    const never: MarginChecker = { equityOf: () => 0n, initialMarginOf: () => 1n };
    const f = funded(10n, 10n);
    const g = funded(10n, 10n, never);
    expect(f.keeper.canApplyUpdates(f.store, fill(1n, 50n), { kind: "match" }).results).toEqual(["negative_collateral", "success"]);
    expect(f.keeper.canApplyUpdates(f.store, fill(1n, 50n), { kind: "trade" }).ok).toBe(true);
    expect(g.keeper.canApplyUpdates(g.store, fill(1n, 5n), { kind: "trade" }).ok).toBe(true);
    f.keeper.applyUpdates(f.ctx(), fill(1n, 50n), { kind: "trade" });
    expect(f.keeper.collateral(f.store, id(alice, 0))).toBe(-40n);
  });

  it("invariants catch a holder entry without a position", () => {
    const f = funded();
    f.store.set(SubaccountsKeys.holder(9n, id(carol, 0)), new Uint8Array());
    expect(f.invariants().join("\n")).toMatch(/holder index lists .* for instrument 9 without a position/);
  });
});

describe("margin checks through the injected MarginChecker", () => {
  // Initial margin 100 per contract held; equity = collateral.
  const margin: MarginChecker = {
    initialMarginOf: (_s, sub) => sub.positions.reduce((m, p) => m + 100n * (p.sizeContracts < 0n ? -p.sizeContracts : p.sizeContracts), 0n),
    equityOf: (_s, sub) => sub.quoteMicroUsdc,
  };

  it("with the default checker a withdrawal up to the whole collateral works", () => {
    const f = funded(500n, 0n);
    f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, -500n)], { kind: "withdrawal", counterparty: alice });
    expect(f.balance(alice)).toBe(10_000n);
  });

  it("refuses a withdrawal or transfer that leaves equity below initial margin, with a stable code", () => {
    const f = funded(500n, 500n, margin);
    f.keeper.applyUpdates(
      f.ctx(),
      [
        { id: id(alice, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 3n }] },
        { id: id(bob, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: -3n }] },
      ],
      { kind: "match" },
    );
    // alice needs 300: 200 is free.
    expect(f.keeper.canApplyUpdates(f.store, [credit(alice, 0, -200n)], { kind: "withdrawal", counterparty: alice }).ok).toBe(true);
    const r = f.keeper.canApplyUpdates(f.store, [credit(alice, 0, -201n)], { kind: "withdrawal", counterparty: alice });
    expect(r.results).toEqual(["newly_undercollateralized"]);
    expect([r.error?.codespace, r.error?.code]).toEqual(["subaccounts", 4]);
    expect(r.error?.message).toMatch(/withdrawal would leave equity below initial margin/);
    const t = f.keeper.canApplyUpdates(f.store, [credit(alice, 0, -201n), credit(alice, 1, 201n)], { kind: "transfer" });
    expect(t.results).toEqual(["newly_undercollateralized", "success"]);
    // A trade that would breach it fails with the update code instead.
    const m = f.keeper.canApplyUpdates(
      f.store,
      [
        { id: id(alice, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 3n }] },
        { id: id(bob, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: -3n }] },
      ],
      { kind: "match" },
    );
    expect(m.results).toEqual(["newly_undercollateralized", "newly_undercollateralized"]);
    expect(m.error?.code).toBe(11);
  });

  it("reports still_undercollateralized, and never margin-checks a pure credit", () => {
    const f = funded(500n, 500n, margin);
    f.keeper.applyUpdates(
      f.ctx(),
      [
        { id: id(alice, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: 3n }] },
        { id: id(bob, 0), collateralDelta: 0n, positionDeltas: [{ instrumentId: 1n, sizeDelta: -3n }] },
      ],
      { kind: "match" },
    );
    // A loss settles alice below her requirement.
    f.keeper.applyUpdates(f.ctx(), [credit(alice, 0, -400n), credit(bob, 0, 400n)], { kind: "settlement" });
    expect(f.keeper.canApplyUpdates(f.store, [credit(alice, 0, -1n)], { kind: "withdrawal", counterparty: alice }).results).toEqual(["still_undercollateralized"]);
    expect(f.keeper.canApplyUpdates(f.store, [credit(alice, 0, 1n)], { kind: "deposit", counterparty: alice }).results).toEqual(["success"]);
  });
});

describe("invariants", () => {
  it("detect collateral that the module account does not hold", () => {
    const f = funded();
    expect(f.invariants()).toEqual([]);
    f.bank.setBalance(f.store, f.moduleAddress, "uusdc", 1_999n);
    f.bank.setSupply(f.store, "uusdc", 30_000n - 1n);
    expect(f.invariants()).toEqual(["subaccounts: collateral sums to 2000uusdc but the module account holds 1999uusdc"]);
  });

  it("detect corrupted open interest and orphaned positions", () => {
    const f = funded();
    f.keeper.setOpenInterest(f.store, 3n, { longContracts: 1n, shortContracts: 1n });
    f.store.set(SubaccountsKeys.position(id(carol, 0), 5n), new Uint8Array([0x0a, 0x01, 0x31]));
    expect(f.invariants()).toEqual([
      expect.stringMatching(/^subaccounts: positions of vanna1\w+\/0 have no subaccount record$/),
      "subaccounts: holder index has 0 entries for 1 positions",
      "subaccounts: positions in instrument 5 net to 1, not zero",
      "subaccounts: open interest of instrument 5 is stored as 0/0 but positions give 1/0",
      "subaccounts: open interest of instrument 3 is stored as 1/1 but positions give 0/0",
    ]);
  });
});
