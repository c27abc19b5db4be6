/**
 * `vanna tx|query options` end to end against the real application behind an in-process JSON-RPC endpoint
 * (test/unit/client/appNode.ts): the CLI signs with its keyring, the app checks and executes, the CLI prints.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVannaApp } from "../../../modules/app.js";
import { buildAppState, devFunding } from "../../../node/config/appState.js";
import { GENESIS_TIME_NS, runBlock, TEST_CHAIN_ID, testAppOptions } from "../../support/devChain.js";
import { AppNode } from "../client/appNode.js";
import { ABANDON, vanna } from "./io.js";

const ALICE = "vanna19rl4cm2hmr8afy4kldpxz3fka4jguq0aamlvd2"; // abandon…about, index 0
const EXPIRY = 1_769_760_000n; // 2026-01-30T08:00:00Z

let node: AppNode;
let home: string;
let common: string[];

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-cli-options-node-"));
  const app = createVannaApp(testAppOptions());
  const oracle = {
    prices: [{ underlying: "BTC", price_micro_usd: "100000000000", updated_height: "0", updated_time_ns: GENESIS_TIME_NS.toString(), reporting_power_ppm: 1_000_000 }],
    smiles: [{ underlying: "BTC", expiry_unix_s: EXPIRY.toString(), atm_vol_ppm: "600000", skew_ppm: "0", curvature_ppm: "0", updated_time_ns: GENESIS_TIME_NS.toString(), reporting_power_ppm: 1_000_000 }],
    history: [],
  };
  app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState: { ...buildAppState(devFunding([ALICE])), oracle }, validators: [] });
  app.commit();
  runBlock(app, []); // cosmjs refuses query answers at height 0
  node = new AppNode(app);
  await node.start();
  common = ["--home", home, "--node", node.url, "--keyring-backend", "test"];
  expect((await vanna(["keys", "add", "alice", "--mnemonic", ABANDON, "--home", home, "--keyring-backend", "test"])).code).toBe(0);
});

afterAll(async () => {
  await node?.stop();
  await rm(home, { recursive: true, force: true });
});

describe("collateral through the CLI", () => {
  it("deposit, transfer, withdraw, and the subaccounts they leave", async () => {
    const dep = await vanna(["tx", "options", "deposit", "alice", "250usdc", "--subaccount", "1", ...common]);
    expect(dep.stderr).toMatch(/^fee \d+uvanna \(0\.0025uvanna per gas\), gas limit \d+\n$/);
    expect(dep.code).toBe(0);
    expect(dep.stdout).toMatch(/^code: +0 \(success\)$/m);
    expect(dep.stdout).toMatch(/^quote micro usdc: +250000000$/m);

    const tr = await vanna(["tx", "options", "transfer", "alice", "50.5usdc", "--from-subaccount", "1", "--to-subaccount", "2", "-o", "json", ...common]);
    expect(tr.code).toBe(0);
    const json = JSON.parse(tr.stdout) as { code: number; msg_responses: unknown[] };
    expect(json.code).toBe(0);
    expect(json.msg_responses).toEqual([{ "@type": "/vanna.subaccounts.v1.MsgTransferResponse", from_quote_micro_usdc: "199500000", to_quote_micro_usdc: "50500000" }]);

    const wd = await vanna(["tx", "options", "withdraw", "alice", "500000uusdc", "--subaccount", "2", ...common]);
    expect(wd.code).toBe(0);

    const sub = await vanna(["query", "options", "subaccount", "alice/2", ...common]);
    expect(sub.stdout).toBe(`subaccount: ${ALICE}/2\ncollateral: 50 USDC\npositions:  0\n`);
    const subJson = JSON.parse((await vanna(["query", "options", "subaccount", `${ALICE}/1`, "-o", "json", ...common])).stdout);
    expect(subJson).toEqual({ subaccount: { id: { owner: ALICE, number: 1 }, quote_micro_usdc: "199500000", positions: [] } });
  });

  it("a tx the chain rejects is reported with its code", async () => {
    const r = await vanna(["tx", "options", "withdraw", "alice", "1000000usdc", "--subaccount", "1", "--gas", "300000", ...common]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^code: +5 \(failed\)$/m);
    expect(r.stderr).toMatch(/^error: tx [0-9A-F]{64} failed in block \d+ with code 5: .*has 199500000uusdc collateral, needs 1000000000000uusdc: insufficient collateral$/m);
    // Without --gas the simulation fails first, before anything is signed.
    const simulated = await vanna(["tx", "options", "withdraw", "alice", "1000000usdc", "--subaccount", "1", ...common]);
    expect(simulated.code).toBe(1);
    expect(simulated.stderr).toMatch(/insufficient collateral/);
  });
});

describe("oracle queries through the CLI", () => {
  it("price, prices, smiles", async () => {
    const price = await vanna(["query", "options", "price", "BTC", ...common]);
    expect(price.code).toBe(0);
    expect(price.stdout).toMatch(/^BTC +100000 +2026-01-01 00:00:00\.000Z \(height 0\) +(fresh|STALE)$/m);
    const prices = JSON.parse((await vanna(["query", "options", "prices", "-o", "json", ...common])).stdout) as { prices: Array<{ price: { underlying: string; price_micro_usd: string } }> };
    expect(prices.prices.map((p) => [p.price.underlying, p.price.price_micro_usd])).toEqual([["BTC", "100000000000"]]);
    const smiles = await vanna(["query", "options", "smiles", "BTC", ...common]);
    expect(smiles.stdout).toMatch(/^2026-01-30 08:00:00Z +60 +0 +0 /m);
    const missing = await vanna(["query", "options", "price", "ETH", ...common]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: price of ETH not found\n");
  });
});
