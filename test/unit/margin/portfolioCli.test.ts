/** `vanna tx options set-margin-mode` and `vanna query options what-if`: argument checks before any network call. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWhatIfFile } from "../../../node/cli/commands/optionsQueryWhatIf.js";
import { ABANDON, vanna } from "../cli/io.js";

let home: string;
let common: string[];
const DEAD_NODE = "http://127.0.0.1:9";

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-cli-margin-"));
  common = ["--home", home, "--keyring-backend", "test", "--node", DEAD_NODE];
  expect((await vanna(["keys", "add", "alice", "--mnemonic", ABANDON, "--home", home, "--keyring-backend", "test"])).code).toBe(0);
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function usageError(argv: string[], message: RegExp): Promise<void> {
  const r = await vanna([...argv, ...common]);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
}

async function reachesNode(argv: string[]): Promise<void> {
  const r = await vanna([...argv, ...common]);
  expect(r.stderr).toMatch(/^error: cannot reach node at http:\/\/127\.0\.0\.1:9/);
  expect(r.code).toBe(1);
}

describe("vanna tx options set-margin-mode", () => {
  it("takes standard or portfolio and an optional subaccount", async () => {
    await reachesNode(["tx", "options", "set-margin-mode", "alice", "portfolio"]);
    await reachesNode(["tx", "options", "set-margin-mode", "alice", "Standard", "--subaccount", "2"]);
    await usageError(["tx", "options", "set-margin-mode", "alice", "cross"], /^error: invalid MODE "cross": expected standard or portfolio/);
    await usageError(["tx", "options", "set-margin-mode", "alice"], /MODE/);
    await usageError(["tx", "options", "set-margin-mode", "alice", "portfolio", "--subaccount", "-1"], /subaccount/);
  });
});

describe("vanna query options what-if", () => {
  it("needs a mode and exactly one of SUBACCOUNT and --file; the file is checked before any call", async () => {
    const good = join(home, "book.json");
    await writeFile(good, JSON.stringify({ collateral: "5000usdc", positions: [{ series: "BTC-20260130-100000-C", size: -2 }], orders: [{ series: 12, side: "sell", size: 1, price_ticks: 1200 }] }));
    await reachesNode(["query", "options", "what-if", "portfolio", "alice/1"]);
    await reachesNode(["query", "options", "what-if", "standard", "--file", good]);
    await usageError(["query", "options", "what-if", "cross", "alice"], /^error: invalid MODE "cross"/);
    await usageError(["query", "options", "what-if", "portfolio"], /^error: give exactly one of SUBACCOUNT and --file/);
    await usageError(["query", "options", "what-if", "portfolio", "alice", "--file", good], /^error: give exactly one of SUBACCOUNT and --file/);
    await usageError(["query", "options", "what-if", "portfolio", "--file", join(home, "missing.json")], /^error: cannot read what-if file .*ENOENT/);
    const bad = join(home, "bad.json");
    await writeFile(bad, JSON.stringify({ orders: [{ series: 1, side: "hold", size: 1, price_ticks: 1 }] }));
    await usageError(["query", "options", "what-if", "portfolio", "--file", bad], /^error: orders\[0\]\.side: expected "buy" or "sell"/);
  });

  it("parses what-if files exactly and names the place of each error", () => {
    expect(parseWhatIfFile('{"collateral": "12.5usdc", "positions": [{"series": 3, "size": "-4"}], "orders": [{"series": "BTC-20260130-100000-P", "side": "buy", "size": 2, "price_ticks": 10, "reduce_only": true}]}')).toEqual({
      collateralMicroUsdc: 12_500_000n,
      positions: [{ series: "3", sizeContracts: -4n }],
      orders: [{ series: "BTC-20260130-100000-P", side: "buy", priceTicks: 10n, sizeContracts: 2n, reduceOnly: true }],
    });
    expect(parseWhatIfFile('{"collateral": "250"}').collateralMicroUsdc).toBe(250_000_000n);
    expect(() => parseWhatIfFile("[1]")).toThrow(/expected an object/);
    expect(() => parseWhatIfFile("{")).toThrow(/not JSON/);
    expect(() => parseWhatIfFile('{"position": []}')).toThrow(/unknown key "position"/);
    expect(() => parseWhatIfFile('{"positions": [{"series": 1, "size": 0}]}')).toThrow(/positions\[0\]\.size must not be 0/);
    expect(() => parseWhatIfFile('{"positions": [{"series": 1, "size": 1.5}]}')).toThrow(/positions\[0\]\.size: expected a signed integer/);
    expect(() => parseWhatIfFile('{"orders": [{"series": 1, "side": "sell", "size": -1, "price_ticks": 1}]}')).toThrow(/orders\[0\]\.size: expected a non-negative integer/);
    expect(() => parseWhatIfFile('{"orders": [{"series": 1, "side": "sell", "size": 1, "price_ticks": 1, "reduce_only": "yes"}]}')).toThrow(/reduce_only/);
    expect(() => parseWhatIfFile('{"orders": [{"side": "sell", "size": 1, "price_ticks": 1}]}')).toThrow(/orders\[0\]\.series/);
  });
});
