import { describe, expect, it } from "vitest";
import { GenesisError } from "../../../src/app/genesisJson.js";
import { ACCOUNT_PREFIX, toBech32Address } from "../../../src/crypto/address.js";
import { addr, fixture, snapshot } from "./fixture.js";

const alice = addr(1);
const bob = addr(2);
const bech = (a: Uint8Array) => toBech32Address(ACCOUNT_PREFIX, a);

describe("subaccounts genesis", () => {
  it("round-trips through export and import, open interest derived", () => {
    const f = fixture({ funded: [[alice, 10_000n], [bob, 10_000n]] });
    f.keeper.applyUpdates(f.ctx(), [{ id: { owner: alice, number: 3 }, collateralDelta: 700n, positionDeltas: [] }], { kind: "deposit", counterparty: alice });
    f.keeper.applyUpdates(f.ctx(), [{ id: { owner: bob, number: 0 }, collateralDelta: 300n, positionDeltas: [] }], { kind: "deposit", counterparty: bob });
    f.keeper.applyUpdates(
      f.ctx(),
      [
        { id: { owner: alice, number: 3 }, collateralDelta: -40n, positionDeltas: [{ instrumentId: 12n, sizeDelta: 2n, costBasisDelta: 40n }] },
        { id: { owner: bob, number: 0 }, collateralDelta: 40n, positionDeltas: [{ instrumentId: 12n, sizeDelta: -2n, costBasisDelta: -40n }] },
      ],
      { kind: "match" },
    );
    const exported = f.module.exportGenesis(f.ctx());
    expect(exported).toEqual({
      params: { deposits_enabled: true, withdrawals_enabled: true },
      subaccounts: [
        { id: { owner: bech(alice), number: 3 }, quote_micro_usdc: "660", positions: [{ instrument_id: "12", size_contracts: "2", cost_basis_micro_usdc: "40" }] },
        { id: { owner: bech(bob), number: 0 }, quote_micro_usdc: "340", positions: [{ instrument_id: "12", size_contracts: "-2", cost_basis_micro_usdc: "-40" }] },
      ],
    });
    // Import into a fresh chain slice whose bank holds the module account's 1000uusdc.
    const g = fixture({ funded: [[f.moduleAddress, 1_000n]], genesis: JSON.parse(JSON.stringify(exported)) });
    const own = (entries: string[]) => entries.filter((e) => e.startsWith("05"));
    expect(own(snapshot(g.store))).toEqual(own(snapshot(f.store)));
    expect(own(snapshot(g.store)).length).toBe(1 + 2 + 2 + 1 + 2); // params, 2 subaccounts, 2 positions, 1 open interest + 2 holder entries
    expect(g.invariants()).toEqual([]);
  });

  it("refuses a genesis whose collateral the module account does not hold", () => {
    const g = { subaccounts: [{ id: { owner: bech(alice), number: 0 }, quote_micro_usdc: "5" }] };
    expect(() => fixture().module.validateGenesis(g)).not.toThrow();
    expect(() => fixture({ genesis: g })).toThrow(/collateral sums to 5uusdc but the subaccounts module account holds 0uusdc/);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ["duplicate ids", { subaccounts: [{ id: { owner: bech(alice), number: 1 }, quote_micro_usdc: "1" }, { id: { owner: bech(alice), number: "1" }, quote_micro_usdc: "1" }] }, /duplicate subaccount/],
    ["number out of range", { subaccounts: [{ id: { owner: bech(alice), number: 128_000 }, quote_micro_usdc: "1" }] }, /above 127999/],
    ["bad owner", { subaccounts: [{ id: { owner: "vanna1nope", number: 0 }, quote_micro_usdc: "1" }] }, /invalid address/],
    ["non-integer collateral", { subaccounts: [{ id: { owner: bech(alice), number: 0 }, quote_micro_usdc: "1.5" }] }, /signed integer string/],
    ["empty subaccount", { subaccounts: [{ id: { owner: bech(alice), number: 0 }, quote_micro_usdc: "0" }] }, /empty subaccount/],
    ["negative collateral without positions", { subaccounts: [{ id: { owner: bech(alice), number: 0 }, quote_micro_usdc: "-1" }] }, /negative collateral without positions/],
    [
      "positions not netting to zero",
      { subaccounts: [{ id: { owner: bech(alice), number: 0 }, quote_micro_usdc: "1", positions: [{ instrument_id: "1", size_contracts: "2" }] }] },
      /instrument 1 sum to 2/,
    ],
    [
      "zero-size position",
      { subaccounts: [{ id: { owner: bech(alice), number: 0 }, quote_micro_usdc: "1", positions: [{ instrument_id: "1", size_contracts: "0" }] }] },
      /never zero/,
    ],
    ["params of the wrong type", { params: { deposits_enabled: "yes" } }, /deposits_enabled: expected true or false/],
  ];
  it.each(bad)("refuses %s", (_name, genesis, message) => {
    const f = fixture();
    expect(() => f.module.validateGenesis(genesis)).toThrow(message);
    try {
      f.module.validateGenesis(genesis);
    } catch (err) {
      expect(err instanceof GenesisError || (err as Error).name === "ChainError").toBe(true);
    }
  });
});
