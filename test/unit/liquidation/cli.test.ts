/**
 * `vanna tx options insurance-deposit|insurance-withdraw` and `vanna query options insurance|insurance-history|
 * liquidations`: argument checks before any prompt or network call, and the queries against a real app served
 * over JSON-RPC (text and JSON output).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { msgs } from "../../../node/client/index.js";
import { ABANDON, vanna } from "../cli/io.js";
import { AppNode } from "../client/appNode.js";
import { LiqChain, USD } from "./appChain.js";

let home: string;
let common: string[];
const DEAD_NODE = "http://127.0.0.1:9";

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-cli-insurance-"));
  common = ["--home", home, "--keyring-backend", "test", "--node", DEAD_NODE];
  expect((await vanna(["keys", "add", "alice", "--mnemonic", ABANDON, "--home", home, "--keyring-backend", "test"])).code).toBe(0);
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function usageError(argv: string[], message: string | RegExp): Promise<void> {
  const r = await vanna([...argv, ...common]);
  expect(r.stderr).toMatch(typeof message === "string" ? new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) : message);
  expect(r.code).toBe(2);
}

async function reachesNode(argv: string[]): Promise<void> {
  const r = await vanna([...argv, ...common]);
  expect(r.stderr).toMatch(/^error: cannot reach node at http:\/\/127\.0\.0\.1:9/);
  expect(r.code).toBe(1);
}

describe("vanna tx options insurance-*: argument checks", () => {
  it("insurance-deposit takes a positive USDC amount", async () => {
    await reachesNode(["tx", "options", "insurance-deposit", "alice", "12.5usdc"]);
    await reachesNode(["tx", "options", "insurance-deposit", "alice", "7uusdc"]);
    await usageError(["tx", "options", "insurance-deposit", "alice", "12.5"], 'invalid amount "12.5": expected e.g. 250usdc, 12.5usdc or 12500000uusdc');
    await usageError(["tx", "options", "insurance-deposit", "alice", "0usdc"], 'invalid amount "0usdc": must be positive');
    await usageError(["tx", "options", "insurance-deposit", "alice"], /missing argument AMOUNT|missing required argument/);
  });

  it("insurance-withdraw checks the amount and the recipient", async () => {
    await reachesNode(["tx", "options", "insurance-withdraw", "alice", "1usdc"]);
    await reachesNode(["tx", "options", "insurance-withdraw", "alice", "1usdc", "--recipient", "alice"]);
    await usageError(["tx", "options", "insurance-withdraw", "alice", "1usdc", "--recipient", "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"], /invalid recipient/);
    await usageError(["tx", "options", "insurance-withdraw", "alice", "-1usdc"], /invalid amount "-1usdc"/);
  });
});

describe("vanna query options insurance|insurance-history|liquidations", () => {
  it("check their flags before connecting", async () => {
    await reachesNode(["query", "options", "insurance"]);
    await reachesNode(["query", "options", "insurance-history", "--limit", "5", "--offset", "2", "--reverse"]);
    await reachesNode(["query", "options", "liquidations", "--limit", "1000"]);
    await usageError(["query", "options", "insurance-history", "--limit", "0"], /--limit must be at least 1/);
    await usageError(["query", "options", "liquidations", "--limit", "1001"], /--limit must be at most 1000/);
    await usageError(["query", "options", "liquidations", "--offset", "-1"], /--offset/);
    await usageError(["query", "options", "insurance", "extra"], /unexpected argument|too many arguments/);
  });

  it("print the fund, its history and the liquidations of a real app", async () => {
    const L = await LiqChain.create();
    await L.c.ok(L.addrs[1]!, [msgs.depositInsurance({ sender: L.addrs[1]!, amountMicroUsdc: 1_234n * USD + 5n })]);
    await L.c.ok(L.authority, [msgs.withdrawInsurance({ authority: L.authority, recipient: L.addrs[2]!, amountMicroUsdc: 34n * USD })]);
    const node = new AppNode(L.c.app);
    await node.start();
    try {
      const q = (argv: string[]) => vanna([...argv, "--home", home, "--keyring-backend", "test", "--node", node.url]);
      const fund = await q(["query", "options", "insurance"]);
      expect([fund.code, fund.stderr]).toEqual([0, ""]);
      expect(fund.stdout).toMatch(/balance:\s+1200\.000005 USDC/);
      expect(fund.stdout).toMatch(/unpaid claims:\s+0 USDC/);
      const hist = await q(["query", "options", "insurance-history", "--output", "json"]);
      expect(hist.code).toBe(0);
      const json = JSON.parse(hist.stdout) as { entries: Array<{ kind: string; amount_micro_usdc: string }>; total: string };
      expect(json.entries.map((e) => [e.kind, e.amount_micro_usdc])).toEqual([
        ["deposit", "1234000005"],
        ["withdrawal", "-34000000"],
      ]);
      expect(json.total).toBe("2");
      const rev = await q(["query", "options", "insurance-history", "--reverse", "--limit", "1"]);
      expect(rev.stdout).toMatch(/withdrawal/);
      expect(rev.stdout).not.toMatch(/deposit/);
      const liq = await q(["query", "options", "liquidations"]);
      expect(liq.stdout).toBe("no liquidations\n");
    } finally {
      await node.stop();
    }
  });
});
