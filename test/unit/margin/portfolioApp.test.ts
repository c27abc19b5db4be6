/** Portfolio margin end to end: the real app (genesis oracle price and smile), the client's MsgSetMarginMode and Query/WhatIf. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectVanna, msgs, optionKindName, priceToTicks, seriesName, usdc, type VannaConnection } from "../../../node/client/index.js";
import { devWallet } from "../../support/devChain.js";
import { AppNode } from "../client/appNode.js";
import { ATM_CALL, EXPIRY_UNIX_S, tradingApp } from "../client/tradingChain.js";

let node: AppNode;
let conn: VannaConnection;
let alice: string;
let bob: string;

beforeAll(async () => {
  const { wallet, addresses } = await devWallet();
  [alice, bob] = [addresses[0]!, addresses[1]!];
  node = new AppNode(tradingApp(addresses));
  await node.start();
  conn = await connectVanna(node.url, wallet);
});

afterAll(async () => {
  conn?.disconnect();
  await node?.stop();
});

describe("portfolio margin through the app", () => {
  it("what-if answers both modes for any book; set-margin-mode switches when equity covers the new IM and is refused otherwise", async () => {
    const q = conn.query;
    const signing = conn.signing!;
    const list = await q.options.seriesList({ underlying: "BTC", expiryUnixS: EXPIRY_UNIX_S });
    const atm = list.series.find((s) => seriesName({ ...s, kind: optionKindName(s.kind)! }) === ATM_CALL)!;
    const btc = (await q.options.underlyings()).find((u) => u.symbol === "BTC")!;
    const ask = priceToTicks("70", btc.tickSizeMicroUsdc);

    // A naked short call resting as an order: its worst case under each mode.
    const order = { seriesId: atm.id, side: "sell" as const, priceTicks: ask, sizeContracts: 1n };
    const std = await q.margin.whatIf({ mode: "standard", orders: [order] });
    const pm = await q.margin.whatIf({ mode: "portfolio", orders: [order] });
    expect(std.riskModel).toBe("standard");
    expect(pm.riskModel).toBe("portfolio");
    expect(pm.portfolio?.[0]?.underlying).toBe("BTC");
    expect(pm.portfolio![0]!.scenarios).toHaveLength(39);
    const stdIm = BigInt(std.initialMarginMicroUsdc), pmIm = BigInt(pm.initialMarginMicroUsdc);
    expect(pmIm).toBeGreaterThan(stdIm); // naked: portfolio asks more
    // Positions: a spread is cheaper under portfolio than under standard.
    const higher = list.series.find((s) => s.kind === atm.kind && s.strikeMicroUsd > atm.strikeMicroUsd)!;
    const spread = [{ seriesId: atm.id, sizeContracts: 1n }, { seriesId: higher.id, sizeContracts: -1n }];
    const spreadStd = await q.margin.whatIf({ mode: "standard", positions: spread, collateralMicroUsdc: 1_000n * 1_000_000n });
    const spreadPm = await q.margin.whatIf({ mode: "portfolio", positions: spread, collateralMicroUsdc: 1_000n * 1_000_000n });
    expect(BigInt(spreadPm.initialMarginMicroUsdc)).toBeLessThan(BigInt(spreadStd.initialMarginMicroUsdc));
    expect(spreadPm.equityMicroUsdc).toBe(spreadStd.equityMicroUsdc);
    await expect(q.margin.whatIf({ mode: "cross" as never })).rejects.toThrow(/expected "standard" or "portfolio"/);

    // Bob: enough for standard, not for portfolio → refused, nothing changes.
    const deposit = (stdIm + pmIm) / 2n;
    expect((await signing.signAndBroadcast(bob, [msgs.deposit({ sender: bob, amount: usdc(deposit) })], "auto")).code).toBe(0);
    const placed = await signing.signAndBroadcast(bob, [msgs.placeOrder({ owner: bob, order: { ...order, postOnly: true } })], "auto");
    expect(placed.code, placed.rawLog).toBe(0);
    const asIs = await q.margin.subaccountMargin(bob);
    const mine = await q.margin.whatIf({ mode: "standard", collateralMicroUsdc: deposit, orders: [order] });
    expect(asIs.initialMarginMicroUsdc).toBe(mine.initialMarginMicroUsdc);
    // Refused already when the wallet simulates the tx (the message fails, so nothing is sent).
    await expect(signing.signAndBroadcast(bob, [msgs.setMarginMode({ owner: bob, mode: "portfolio" })], "auto")).rejects.toThrow(
      /equity \d+uusdc is below the portfolio initial margin of \d+uusdc .*margin mode change refused/,
    );
    expect((await q.margin.subaccountMargin(bob)).riskModel).toBe("standard");

    // Alice: plenty of collateral → portfolio, and back.
    expect((await signing.signAndBroadcast(alice, [msgs.deposit({ sender: alice, amount: usdc(100_000n * 1_000_000n) })], "auto")).code).toBe(0);
    const ok = await signing.signAndBroadcast(alice, [msgs.setMarginMode({ owner: alice, mode: "portfolio" })], "auto");
    expect(ok.code, ok.rawLog).toBe(0);
    expect((await q.margin.subaccountMargin(alice)).riskModel).toBe("portfolio");
    const back = await signing.signAndBroadcast(alice, [msgs.setMarginMode({ owner: alice, mode: "standard" })], "auto");
    expect(back.code, back.rawLog).toBe(0);
    expect((await q.margin.subaccountMargin(alice)).riskModel).toBe("standard");
  });
});
