/** `vanna tx|query options …`: argument checks that happen before any prompt or network call. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ABANDON, vanna } from "./io.js";

let home: string;
let common: string[];
// Nothing listens there: a command that gets past its checks fails with "cannot reach node", exit 1.
const DEAD_NODE = "http://127.0.0.1:9";

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-cli-options-"));
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

describe("vanna tx options: collateral", () => {
  it("amounts are decimal USDC or integer uusdc, positive", async () => {
    await reachesNode(["tx", "options", "deposit", "alice", "12.5usdc"]);
    await reachesNode(["tx", "options", "deposit", "alice", "12500000uusdc", "--subaccount", "3"]);
    await usageError(["tx", "options", "deposit", "alice", "12.5"], 'invalid amount "12.5": expected e.g. 250usdc, 12.5usdc or 12500000uusdc');
    await usageError(["tx", "options", "deposit", "alice", "1.5uusdc"], /invalid amount "1.5uusdc"/);
    await usageError(["tx", "options", "deposit", "alice", "0usdc"], 'invalid amount "0usdc": must be positive');
    await usageError(["tx", "options", "deposit", "alice", "0.0000001usdc"], /at most 6 decimal places/);
    await usageError(["tx", "options", "deposit", "alice", "1usdc", "--subaccount", "128000"], "flag --subaccount must be at most 127999, got 128000");
  });

  it("withdraw checks the recipient, transfer needs two different subaccounts", async () => {
    await usageError(["tx", "options", "withdraw", "alice", "1usdc", "--recipient", "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"], /invalid recipient/);
    await usageError(["tx", "options", "transfer", "alice", "1usdc", "--from-subaccount", "1"], "missing required flag --to-subaccount");
    await usageError(["tx", "options", "transfer", "alice", "1usdc", "--from-subaccount", "1", "--to-subaccount", "1"], "--from-subaccount and --to-subaccount must differ");
    await reachesNode(["tx", "options", "transfer", "alice", "1usdc", "--from-subaccount", "0", "--to-subaccount", "1"]);
  });
});

describe("vanna tx options: listing", () => {
  it("list-series parses expiry, strike and kind", async () => {
    await reachesNode(["tx", "options", "list-series", "alice", "BTC", "2026-01-30", "100000", "call"]);
    await usageError(["tx", "options", "list-series", "alice", "btc", "2026-01-30", "100000", "call"], 'invalid underlying "btc"');
    await usageError(["tx", "options", "list-series", "alice", "BTC", "2026-02-30", "100000", "call"], /no such date/);
    await usageError(["tx", "options", "list-series", "alice", "BTC", "2026-01-30", "1e5", "call"], /invalid strike "1e5"/);
    await usageError(["tx", "options", "list-series", "alice", "BTC", "2026-01-30", "100000", "straddle"], 'invalid KIND "straddle": expected call or put');
  });

  it("delist-series takes an id or a name", async () => {
    await reachesNode(["tx", "options", "delist-series", "alice", "12"]);
    await reachesNode(["tx", "options", "delist-series", "alice", "BTC-20260130-100000-C"]);
    await usageError(["tx", "options", "delist-series", "alice", "0"], 'invalid series id "0": must be positive');
    await usageError(["tx", "options", "delist-series", "alice", "BTC-30JAN26-100000-C"], /invalid series "BTC-30JAN26-100000-C": expected an id/);
  });
});

describe("vanna tx options: orders", () => {
  const place = ["tx", "options", "place-order", "alice", "BTC-20260130-100000-C"];

  it("place-order: side, size, price and their combinations", async () => {
    await reachesNode([...place, "buy", "5", "--price", "12.35"]);
    await reachesNode([...place, "sell", "5", "--price-ticks", "247", "--post-only", "--client-id", "7"]);
    await reachesNode([...place, "buy", "1", "--type", "market", "--price", "1300"]);
    await reachesNode([...place, "buy", "1", "--price", "1", "--tif", "gtt", "--good-til-time", "2026-01-30T08:00:00Z"]);
    await usageError([...place, "long", "5", "--price", "1"], 'invalid side "long": expected buy or sell');
    await usageError([...place, "buy", "2.5", "--price", "1"], 'invalid size "2.5": expected a non-negative integer');
    await usageError([...place, "buy", "0", "--price", "1"], 'invalid size "0": must be positive');
    await usageError([...place, "buy", "5"], "give the price: --price USDC or --price-ticks N");
    await usageError([...place, "buy", "5", "--price", "1", "--price-ticks", "2"], "--price and --price-ticks are mutually exclusive");
    await usageError([...place, "buy", "5", "--price", "12,35"], /invalid price "12,35"/);
    await usageError([...place, "buy", "5", "--price", "1", "--type", "market", "--tif", "gtc"], "a market order is ioc or fok");
    await usageError([...place, "buy", "5", "--price", "1", "--post-only", "--tif", "ioc"], "post-only orders must rest: not with ioc");
    await usageError([...place, "buy", "5", "--price", "1", "--tif", "gtb"], "good-til-block goes with time in force gtb, and gtb needs it");
    await usageError([...place, "buy", "5", "--price", "1", "--good-til-block", "9"], /good-til-block goes with/);
    await usageError([...place, "buy", "5", "--price", "1", "--tif", "gtt", "--good-til-time", "tomorrow"], /invalid good-til-time "tomorrow"/);
    await usageError([...place, "buy", "5", "--price", "1", "--client-id", "-3"], /invalid client id "-3"/);
  });

  it("cancel-order and amend-order need exactly one of ORDER_ID and --client-id", async () => {
    await reachesNode(["tx", "options", "cancel-order", "alice", "12"]);
    await reachesNode(["tx", "options", "cancel-order", "alice", "--client-id", "7", "--subaccount", "1"]);
    await usageError(["tx", "options", "cancel-order", "alice"], "give the order: ORDER_ID or --client-id N (not both)");
    await usageError(["tx", "options", "cancel-order", "alice", "12", "--client-id", "7"], "give the order: ORDER_ID or --client-id N (not both)");
    await reachesNode(["tx", "options", "amend-order", "alice", "12", "--size", "3"]);
    await usageError(["tx", "options", "amend-order", "alice", "12"], "missing required flag --size");
    await usageError(["tx", "options", "amend-order", "alice", "12", "--size", "0"], 'invalid --size "0": must be positive');
  });

  it("cancel-all filters, set-mmp durations, reset-mmp", async () => {
    await reachesNode(["tx", "options", "cancel-all", "alice", "--underlying", "BTC", "--expiry", "2026-01-30"]);
    await usageError(["tx", "options", "cancel-all", "alice", "--expiry", "soon"], /invalid expiry "soon"/);
    await reachesNode(["tx", "options", "set-mmp", "alice", "BTC", "--window", "10s", "--max-contracts", "500", "--freeze", "30s"]);
    await usageError(["tx", "options", "set-mmp", "alice", "BTC", "--window", "10"], /invalid --window "10": expected a duration/);
    await usageError(["tx", "options", "set-mmp", "alice", "BTC", "--window", "0"], "--window must be positive");
    await usageError(["tx", "options", "set-mmp", "alice", "BTC", "--window", "1s", "--max-vega", "-1"], /invalid --max-vega "-1"/);
    await reachesNode(["tx", "options", "reset-mmp", "alice", "BTC", "--subaccount", "2"]);
  });

  it("batch reads and checks a JSON file before signing", async () => {
    const file = join(home, "batch.json");
    const write = (doc: unknown) => writeFile(file, typeof doc === "string" ? doc : JSON.stringify(doc));
    await write({ cancels: [{ order_id: 12 }, { client_id: "7" }], places: [{ series: "BTC-20260130-100000-C", side: "sell", size: 5, price: "1250.5", post_only: true, client_id: 8 }] });
    await reachesNode(["tx", "options", "batch", "alice", file]);
    await write("{not json");
    await usageError(["tx", "options", "batch", "alice", file], /batch file is not valid JSON/);
    await write({ places: [{ series: 12, side: "buy", size: 1, price: 12.35 }] });
    await usageError(["tx", "options", "batch", "alice", file], 'places[0]: price must be a string such as "12.35" (exact decimals)');
    await write({ places: [{ series: 12, side: "buy", size: 1, price: "1", price_ticks: 3 }] });
    await usageError(["tx", "options", "batch", "alice", file], "places[0]: give exactly one of price (USDC) and price_ticks");
    await write({ cancels: [{ order_id: 1, client_id: 2 }] });
    await usageError(["tx", "options", "batch", "alice", file], "cancels[0]: give exactly one of order_id and client_id");
    await write({ places: [{ series: 12, side: "buy", size: 1, price: "1", colour: "red" }] });
    await usageError(["tx", "options", "batch", "alice", file], "places[0]: unknown key colour");
    await write({ cancels: [], places: [] });
    await usageError(["tx", "options", "batch", "alice", file], "batch file has no cancels and no places");
    await usageError(["tx", "options", "batch", "alice", join(home, "missing.json")], /cannot read batch file .*missing\.json: ENOENT/);
  });
});

describe("vanna query options", () => {
  it("checks arguments before connecting", async () => {
    await reachesNode(["query", "options", "series", "12"]);
    await reachesNode(["query", "options", "book", "BTC-20260130-100000-C", "--levels", "5"]);
    await reachesNode(["query", "options", "orders", "alice/1"]);
    await reachesNode(["query", "options", "margin", "alice"]);
    await reachesNode(["query", "options", "fills", "--subaccount", "alice"]);
    await reachesNode(["query", "options", "twap", "BTC", "--window", "30m"]);
    await usageError(["query", "options", "series", "abc"], /invalid series "abc"/);
    await usageError(["query", "options", "orders", "alice/x"], 'invalid subaccount number "x": expected a non-negative integer');
    await usageError(["query", "options", "orders", "nobody"], /invalid subaccount owner "nobody": not a vanna1… address, nor a key/);
    await usageError(["query", "options", "fills"], "give SERIES or --subaccount SUBACCOUNT (not both)");
    await usageError(["query", "options", "order", "--client-id", "7"], "--client-id needs --owner SUBACCOUNT");
    await usageError(["query", "options", "smile", "BTC", "someday"], /invalid expiry "someday"/);
    await usageError(["query", "options", "twap", "BTC", "--window", "0"], "--window must be positive");
    await usageError(["query", "options", "series-list", "--status", "open"], /flag --status must be one of active, close_only, settled/);
    await usageError(["query", "options", "params", "--module", "bank"], /flag --module must be one of/);
  });
});
