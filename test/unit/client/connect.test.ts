/** connectVanna over HTTP to the real app (behind test/unit/client/appNode.ts): sign, broadcast, read back. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVannaApp } from "../../../modules/app.js";
import { buildAppState, devFunding } from "../../../node/config/appState.js";
import { connectVanna, decodeMsgResponses, msgs, orderEventsOf, SubaccountsCodec, usdc, type VannaConnection } from "../../../node/client/index.js";
import { devWallet, GENESIS_TIME_NS, runBlock, TEST_CHAIN_ID, testAppOptions } from "../../support/devChain.js";
import { AppNode } from "./appNode.js";

let node: AppNode;
let conn: VannaConnection;
let alice: string;
let bob: string;

beforeAll(async () => {
  const { wallet, addresses } = await devWallet();
  alice = addresses[0]!;
  bob = addresses[1]!;
  const app = createVannaApp(testAppOptions());
  app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState: buildAppState(devFunding(addresses)), validators: [] });
  app.commit();
  runBlock(app, []);
  node = new AppNode(app);
  await node.start();
  conn = await connectVanna(node.url, wallet);
});

afterAll(async () => {
  conn?.disconnect();
  await node?.stop();
});

describe("connectVanna", () => {
  it("signs Vanna messages with automatic fees at the default gas price and reads the result", async () => {
    const signing = conn.signing!;
    expect(await signing.getChainId()).toBe(TEST_CHAIN_ID);
    const res = await signing.signAndBroadcast(alice, [msgs.deposit({ sender: alice, subaccountNumber: 4, amount: usdc(3_000_000n) })], "auto");
    expect(res.code, res.rawLog).toBe(0);
    expect(decodeMsgResponses(res.msgResponses)).toEqual([{ typeUrl: SubaccountsCodec.MsgDepositResponse.typeUrl, value: { quoteMicroUsdc: "3000000" } }]);
    expect(orderEventsOf(res)).toEqual({ placed: [], filled: [], cancelled: [], amended: [], expired: [] });
    // "auto": simulated gas × 1.4 at 0.0025uvanna per gas unit, rounded up.
    const vannaBefore = BigInt((await conn.query.bank.balance(bob, "uvanna")).amount);
    const gasWanted = node.included[node.included.length - 1]!.result.gasWanted;
    expect(BigInt((await conn.query.bank.balance(alice, "uvanna")).amount)).toBe(vannaBefore - (gasWanted * 25n + 9_999n) / 10_000n);
    expect(await conn.query.subaccounts.subaccount(alice, 4)).toEqual({ id: { owner: alice, number: 4 }, quoteMicroUsdc: "3000000", positions: [] });
    // bob was funded like alice and did nothing
    const before = BigInt((await conn.query.bank.balance(bob, "uusdc")).amount);
    expect((await conn.query.bank.balance(alice, "uusdc")).amount).toBe(String(before - 3_000_000n));
  });

  it("without a signer gives queries only", async () => {
    const ro = await connectVanna(node.url);
    try {
      expect(ro.signing).toBeUndefined();
      expect((await ro.query.oracle.params())?.underlyings).toEqual(["BTC", "ETH"]);
    } finally {
      ro.disconnect();
    }
  });
});
