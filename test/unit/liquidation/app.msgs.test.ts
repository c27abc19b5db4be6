/**
 * x/liquidation through the real app: MsgDepositInsurance / MsgWithdrawInsurance signed by cosmjs and executed by
 * BaseApp (errors with the liquidation codespace and no state change), the four queries through the client's
 * QueryClient extension (InsuranceHistory paginated), and a genesis export → import → export round trip.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { msgs, usdc, type LiquidationCodec } from "../../../node/client/index.js";
import { createVannaApp } from "../../../modules/app.js";
import { GENESIS_TIME_NS, TEST_CHAIN_ID, testAppOptions } from "../../support/devChain.js";
import { expectTxError, responsesOf } from "../../support/marketChain.js";
import { LiqChain, USD } from "./appChain.js";

let L: LiqChain;
let funder: string;
let other: string;

beforeAll(async () => {
  L = await LiqChain.create({ max_liquidations_per_block: 7 });
  [, funder, other] = L.addrs as [string, string, string];
  L.c.block(); // cosmjs refuses query answers at height 0
});

describe("insurance fund msgs and queries through BaseApp", () => {
  it("params are queryable and come from genesis", async () => {
    const p = (await L.c.q.liquidation.params())!;
    expect(p.authority).toBe(L.authority);
    expect(p.maxLiquidationsPerBlock).toBe(7);
    expect(p.maxLiquidationOrdersPerBlock).toBe(100);
    const f = await L.c.q.liquidation.insuranceFund();
    expect(f).toMatchObject({ balanceMicroUsdc: "0", subaccountCollateralMicroUsdc: "0", subaccountPositions: 0, unpaidClaimsMicroUsdc: "0" });
  });

  it("anyone deposits; the response and the query report the balance; the bank moved exactly that", async () => {
    const before = L.c.bankBalance(funder, "uusdc");
    const r = await L.c.ok(funder, [msgs.depositInsurance({ sender: funder, amountMicroUsdc: 1_000n * USD }), msgs.depositInsurance({ sender: funder, amountMicroUsdc: 5n })]);
    const res = responsesOf(r) as LiquidationCodec.BalanceResponse[];
    expect(res.map((x) => x.balanceMicroUsdc)).toEqual([(1_000n * USD).toString(), (1_000n * USD + 5n).toString()]);
    expect(L.c.bankBalance(funder, "uusdc")).toBe(before - 1_000n * USD - 5n);
    expect(await L.fundBalance()).toBe(1_000n * USD + 5n);
    await L.c.ok(other, [msgs.depositInsurance({ sender: other, amountMicroUsdc: 3n })]);
  });

  it("bad deposits fail with a clear error and change nothing", async () => {
    const snap = L.c.snapshot(["liquidation"]);
    const wrongDenom = { ...msgs.depositInsurance({ sender: funder, amountMicroUsdc: 1n }) };
    wrongDenom.value = { ...wrongDenom.value, amount: { denom: "uvanna", amount: "1" } };
    expectTxError(await L.c.exec(funder, [wrongDenom]), "liquidation", 3, /only uusdc/);
    const zero = msgs.depositInsurance({ sender: funder, amountMicroUsdc: 0n });
    expect((await L.c.exec(funder, [zero])).code).not.toBe(0);
    const tooMuch = msgs.depositInsurance({ sender: funder, amountMicroUsdc: 10n ** 18n });
    expect((await L.c.exec(funder, [tooMuch])).code).not.toBe(0);
    expect(L.c.snapshot(["liquidation"])).toEqual(snap);
  });

  it("only the authority withdraws, never more than the balance", async () => {
    const snap = L.c.snapshot(["liquidation"]);
    expectTxError(await L.c.exec(funder, [msgs.withdrawInsurance({ authority: funder, recipient: funder, amountMicroUsdc: 1n })]), "liquidation", 2, /authority/);
    expectTxError(await L.c.exec(L.authority, [msgs.withdrawInsurance({ authority: L.authority, recipient: other, amountMicroUsdc: 2_000n * USD })]), "liquidation", 4, /balance too small/);
    expect(L.c.snapshot(["liquidation"])).toEqual(snap);
    const before = L.c.bankBalance(other, "uusdc");
    const r = await L.c.ok(L.authority, [msgs.withdrawInsurance({ authority: L.authority, recipient: other, amountMicroUsdc: 400n * USD })]);
    expect((responsesOf(r)[0] as LiquidationCodec.BalanceResponse).balanceMicroUsdc).toBe((600n * USD + 8n).toString());
    expect(L.c.bankBalance(other, "uusdc")).toBe(before + 400n * USD);
  });

  it("InsuranceHistory pages oldest first with next keys and a total; every entry is there once", async () => {
    const all: LiquidationCodec.InsuranceEntryProto[] = [];
    let key: Uint8Array = new Uint8Array();
    let pages = 0;
    for (;;) {
      const r = await L.c.q.liquidation.insuranceHistory({ key, offset: 0n, limit: 2n, countTotal: pages === 0, reverse: false });
      if (pages === 0) expect(r.pagination!.total).toBe(4n);
      all.push(...r.entries);
      pages++;
      if (r.pagination!.nextKey.length === 0) break;
      key = r.pagination!.nextKey;
    }
    expect(pages).toBe(2);
    expect(all.map((e) => [e.id, e.kind, e.amountMicroUsdc, e.balanceAfterMicroUsdc])).toEqual([
      [0n, "deposit", (1_000n * USD).toString(), (1_000n * USD).toString()],
      [1n, "deposit", "5", (1_000n * USD + 5n).toString()],
      [2n, "deposit", "3", (1_000n * USD + 8n).toString()],
      [3n, "withdrawal", (-400n * USD).toString(), (600n * USD + 8n).toString()],
    ]);
    expect(all.every((e) => e.height > 0n && e.timeNs > GENESIS_TIME_NS)).toBe(true);
    // Offset paging and reverse agree with the key paging.
    const off = await L.c.q.liquidation.insuranceHistory({ key: new Uint8Array(), offset: 3n, limit: 10n, countTotal: false, reverse: false });
    expect(off.entries.map((e) => e.id)).toEqual([3n]);
    const rev = await L.c.q.liquidation.insuranceHistory({ key: new Uint8Array(), offset: 0n, limit: 10n, countTotal: false, reverse: true });
    expect(rev.entries.map((e) => e.id)).toEqual([3n, 2n, 1n, 0n]);
    expect((await L.c.q.liquidation.liquidations()).liquidations).toEqual([]);
  });

  it("genesis export → import → export is the identity, and the imported app passes its invariants", () => {
    const exported = L.c.app.exportAppState();
    const liq = exported.liquidation as { insurance_history: unknown[] };
    expect(liq.insurance_history.length).toBe(4);
    const app2 = createVannaApp(testAppOptions());
    app2.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState: exported, validators: [] });
    app2.commit();
    expect(app2.checkInvariants()).toEqual([]);
    const again = app2.exportAppState();
    expect(again.liquidation).toEqual(exported.liquidation);
    expect(again.bank).toEqual(exported.bank);
  });
});
