/** `vanna tx|query options` on the trading modules, end to end against the real app (see client/tradingChain.ts). */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppNode } from "../client/appNode.js";
import { ATM_CALL, tradingApp } from "../client/tradingChain.js";
import { ABANDON, vanna } from "./io.js";

const ALICE = "vanna19rl4cm2hmr8afy4kldpxz3fka4jguq0aamlvd2"; // abandon…about, index 0: the options authority
const BOB = "vanna1jrkmdcwgq94uaamx6zax2luewlhf7u4kar5qya"; // index 1

let node: AppNode;
let home: string;
let common: string[];

async function ok(argv: string[]): Promise<string> {
  const r = await vanna([...argv, ...common]);
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}
const json = async <T = Record<string, unknown>>(argv: string[]): Promise<T> => JSON.parse(await ok([...argv, "-o", "json"])) as T;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-cli-trading-"));
  node = new AppNode(tradingApp([ALICE, BOB]));
  await node.start();
  common = ["--home", home, "--node", node.url, "--keyring-backend", "test"];
  for (const [name, index] of [["alice", "0"], ["bob", "1"]] as const) {
    expect((await vanna(["keys", "add", name, "--mnemonic", ABANDON, "--index", index, "--home", home, "--keyring-backend", "test"])).code).toBe(0);
  }
  await ok(["tx", "options", "deposit", "alice", "10000usdc"]);
  await ok(["tx", "options", "deposit", "bob", "10000usdc"]);
});

afterAll(async () => {
  await node?.stop();
  await rm(home, { recursive: true, force: true });
});

describe("market data", () => {
  it("underlyings, series by name, series-list, mark and marks", async () => {
    expect(await ok(["query", "options", "underlyings"])).toMatch(/^BTC +0\.01 BTC +0\.01 +1 +100000 +1000 +true$/m);
    const series = await json<{ id: string; name: string; kind: string; status: string }>(["query", "options", "series", ATM_CALL]);
    expect(series).toMatchObject({ name: ATM_CALL, kind: "call", status: "active" });
    expect(await ok(["query", "options", "series", series.id])).toMatch(new RegExp(`^name: +${ATM_CALL}$`, "m"));
    const list = await ok(["query", "options", "series-list", "--underlying", "BTC", "--expiry", "2026-01-30"]);
    expect(list).toMatch(new RegExp(`^${series.id} +${ATM_CALL} +2026-01-30 08:00:00Z +100000 +call +active$`, "m"));
    expect(await ok(["query", "options", "mark", ATM_CALL])).toMatch(/^mark: +\d+(\.\d+)? USDC$/m);
    expect(await ok(["query", "options", "marks", "BTC", "--expiry", "2026-01-30"])).toContain(ATM_CALL);
    expect(await ok(["query", "options", "expiries", "BTC"])).toContain("2026-01-30 08:00:00Z  1769760000");
    const params = await json<Record<string, unknown>>(["query", "options", "params"]);
    expect(Object.keys(params)).toEqual(["options", "clob", "margin", "subaccounts", "oracle"]);
    expect(params["options"]).toMatchObject({ authority: ALICE });
  });

  it("the authority lists and delists a series by name", async () => {
    const listed = await json<{ code: number; msg_responses: Array<{ series_id: string }> }>(["tx", "options", "list-series", "alice", "BTC", "2026-01-30", "150000", "put"]);
    const id = listed.msg_responses[0]!.series_id;
    expect((await json<{ name: string }>(["query", "options", "series", id])).name).toBe("BTC-20260130-150000-P");
    await ok(["tx", "options", "delist-series", "alice", "BTC-20260130-150000-P"]);
    expect((await json<{ status: string }>(["query", "options", "series", id])).status).toBe("close_only");
    const notAuthority = await vanna(["tx", "options", "delist-series", "bob", ATM_CALL, ...common]);
    expect(notAuthority.code).toBe(1);
  });
});

describe("orders", () => {
  it("quote, off-tick refusal, take, and what the queries show", async () => {
    const offTick = await vanna(["tx", "options", "place-order", "bob", ATM_CALL, "sell", "2", "--price", "70.005", ...common]);
    expect(offTick.code).toBe(2);
    expect(offTick.stderr).toMatch(/^error: price 70\.005 USDC is not on the tick of 0\.01 USDC \(nearest: 70 or 70\.01\)$/m);
    const lot = await vanna(["tx", "options", "place-order", "bob", ATM_CALL, "sell", "100001", "--price", "70", ...common]);
    expect(lot.stderr).toMatch(/^error: size 100001 is above the BTC maximum of 100000 contracts per order$/m);

    const quoted = await ok(["tx", "options", "place-order", "bob", ATM_CALL, "sell", "2", "--price", "70", "--post-only", "--client-id", "11"]);
    const orderId = /^order id: +(\d+)$/m.exec(quoted)?.[1];
    expect(orderId).toBeDefined();
    expect(quoted).toMatch(/^resting contracts: +2$/m);
    expect(quoted).toMatch(new RegExp(`^placed: +order ${orderId}: sell 2 @ 7000 ticks, filled 0, resting 2$`, "m"));

    expect(await ok(["query", "options", "book", ATM_CALL])).toBe(`${ATM_CALL}\nSIDE  PRICE USDC  TICKS  SIZE  ORDERS\nask   70          7000   2     1\n`);
    const taken = await ok(["tx", "options", "place-order", "alice", ATM_CALL, "buy", "1", "--type", "market", "--price", "75"]);
    expect(taken).toMatch(new RegExp(`^filled: +1 @ 7000 ticks \\(maker ${orderId}, taker \\d+\\), premium 70 USDC, taker fee [0-9.]+ USDC$`, "m"));

    expect(await ok(["query", "options", "orders", "bob"])).toMatch(new RegExp(`^${orderId} +\\d+ +${BOB}/0 +sell +70 \\(7000 ticks\\) +1 +1 +gtc +post-only +11$`, "m"));
    expect(await ok(["query", "options", "order", "--client-id", "11", "--owner", "bob"])).toMatch(/^remaining\/placed: +1\/2 contracts \(filled 1\)$/m);
    expect(await ok(["query", "options", "fills", ATM_CALL])).toMatch(/ buy +70 \(7000 ticks\) +1 +70 /);
    expect(await ok(["query", "options", "fills", "--subaccount", "alice"])).toMatch(/ buy +70 \(7000 ticks\) +1 +70 /);
    expect(await ok(["query", "options", "positions", "alice"])).toMatch(new RegExp(`^\\d+ +${ATM_CALL} +1 +`, "m"));
    expect(await ok(["query", "options", "subaccount", "bob"])).toMatch(/^positions: +1$/m);
    const margin = await json<{ equity_micro_usdc: string; initial_margin_micro_usdc: string; risk_model: string }>(["query", "options", "margin", "bob"]);
    expect(margin.risk_model).toBe("standard");
    expect(BigInt(margin.initial_margin_micro_usdc)).toBeGreaterThan(0n);
    expect(await ok(["query", "options", "l3", ATM_CALL])).toMatch(new RegExp(`^asks:\\n.*\\n${orderId} `, "m"));

    const amended = await ok(["tx", "options", "amend-order", "bob", "--client-id", "11", "--size", "1", "--price", "71.5"]);
    expect(amended).toMatch(/^lost priority: +true$/m);
    expect(await ok(["query", "options", "book", ATM_CALL, "-o", "json"])).toContain('"price_ticks": "7150"');
    await ok(["tx", "options", "cancel-order", "bob", orderId!]);
    expect(await ok(["query", "options", "orders", "bob"])).toBe("no open orders\n");
    const missing = await vanna(["query", "options", "order", orderId!, ...common]);
    expect(missing.stdout).toBe("order not found (filled, cancelled or never placed)\n");
  });

  it("batch from a file, cancel-all, and market maker protection", async () => {
    const file = join(home, "quotes.json");
    await writeFile(
      file,
      JSON.stringify({
        places: [
          { series: ATM_CALL, side: "sell", size: 1, price: "90", post_only: true, client_id: 21 },
          { series: ATM_CALL, side: "buy", size: 1, price: "10.5", post_only: true, client_id: 22 },
          { series: ATM_CALL, side: "buy", size: 1, price: "10.505" },
        ],
      }),
    );
    const offTick = await vanna(["tx", "options", "batch", "bob", file, ...common]);
    expect(offTick.stderr).toMatch(/^error: places\[2\]: price 10\.505 USDC is not on the tick/m);
    await writeFile(file, JSON.stringify({ places: [{ series: ATM_CALL, side: "sell", size: 1, price: "90", post_only: true, client_id: 21 }, { series: ATM_CALL, side: "buy", size: 1, price: "10.5", post_only: true, client_id: 22 }] }));
    const out = await ok(["tx", "options", "batch", "bob", file]);
    expect(out).toMatch(/^places #1: +ok, order \d+, filled 0, resting 1$/m);
    expect(out).toMatch(/^places #2: +ok, order \d+, filled 0, resting 1$/m);
    expect(await ok(["query", "options", "book", ATM_CALL])).toMatch(/^ask +90 +9000 +1 +1\n +spread 7950\nbid +10\.5 +1050 +1 +1\n$/m);
    expect(await ok(["tx", "options", "cancel-all", "bob", "--underlying", "BTC"])).toMatch(/^cancelled: +2$/m);

    await ok(["tx", "options", "set-mmp", "bob", "BTC", "--window", "10s", "--max-contracts", "50", "--freeze", "30s"]);
    const mmp = await ok(["query", "options", "mmp", "bob", "BTC"]);
    expect(mmp).toMatch(/^window: +10000 ms$/m);
    expect(mmp).toMatch(/^max contracts: +50$/m);
    expect(mmp).toMatch(/^frozen: +no$/m);
    await ok(["tx", "options", "reset-mmp", "bob", "BTC"]);
  });
});
