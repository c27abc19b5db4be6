/** Hostile and malformed input: every case is a proper JSON-RPC error and the server keeps serving. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { connect } from "node:net";
import { toHex } from "@cosmjs/encoding";
import WebSocket from "ws";
import { sha256 } from "./fakeBackend.js";
import { postJson, rawHttp, RawWs, sleep, startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxConnections: 50 });
});
afterAll(async () => {
  await h.server.close();
  expect(h.errors).toEqual([]);
});

interface ErrorBody {
  jsonrpc: string;
  id: unknown;
  error: { code: number; message: string; data?: string };
}

async function expectAlive(): Promise<void> {
  const r = await postJson(h.httpUrl, { jsonrpc: "2.0", id: 1, method: "health", params: {} });
  expect(r).toEqual({ status: 200, json: { jsonrpc: "2.0", id: 1, result: {} } });
}

async function errorOf(body: unknown): Promise<ErrorBody> {
  const r = await postJson(h.httpUrl, body);
  expect(r.status).toBe(200);
  return r.json as ErrorBody;
}

describe("JSON-RPC envelope", () => {
  it("answers garbage JSON with -32700 and id null", async () => {
    const e = await errorOf("{not json");
    expect(e).toMatchObject({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
    await expectAlive();
  });

  it.each([["42"], ['"str"'], ["null"], ["true"]])("answers the non-object request %s with -32600", async (body) => {
    expect((await errorOf(body)).error.code).toBe(-32600);
  });

  it("rejects ids that cannot round-trip, and echoes valid ones exactly", async () => {
    for (const id of [1.5, 2 ** 60, -(2 ** 60), true, { a: 1 }, [1]]) {
      const e = await errorOf({ jsonrpc: "2.0", id, method: "health", params: {} });
      expect(e).toMatchObject({ id: null, error: { code: -32600 } });
    }
    const big = await errorOf('{"jsonrpc":"2.0","id":1e400,"method":"health"}');
    expect(big.error.code).toBe(-32600);
    for (const id of [0, -5, 123456789012, "abc", ""]) {
      const r = await postJson(h.httpUrl, { jsonrpc: "2.0", id, method: "health", params: {} });
      expect(r.json).toEqual({ jsonrpc: "2.0", id, result: {} });
    }
  });

  it("requires jsonrpc 2.0 and a string method", async () => {
    expect(await errorOf({ jsonrpc: "1.0", id: 3, method: "health" })).toMatchObject({ id: 3, error: { code: -32600 } });
    expect(await errorOf({ jsonrpc: "2.0", id: 4, method: 7 })).toMatchObject({ id: 4, error: { code: -32600 } });
  });

  it("answers unknown methods with -32601 and the id", async () => {
    const e = await errorOf({ jsonrpc: "2.0", id: 9, method: "no_such_method", params: {} });
    expect(e).toMatchObject({ id: 9, error: { code: -32601, message: "Method not found" } });
    expect((await errorOf({ jsonrpc: "2.0", id: 10, method: "__proto__" })).error.code).toBe(-32601);
    expect((await errorOf({ jsonrpc: "2.0", id: 11, method: "toString" })).error.code).toBe(-32601);
  });

  it("rejects non-object params with -32602, accepts missing params and positional arrays", async () => {
    for (const params of ["height=1", 5, true]) {
      expect((await errorOf({ jsonrpc: "2.0", id: 1, method: "block", params })).error).toMatchObject({ code: -32602 });
    }
    const none = await postJson(h.httpUrl, { jsonrpc: "2.0", id: 2, method: "status" });
    expect((none.json as { result: { node_info: { version: string } } }).result.node_info.version).toBe("0.38.17");
    const positional = await postJson(h.httpUrl, { jsonrpc: "2.0", id: 3, method: "block", params: ["2"] });
    expect((positional.json as { result: { block: { header: { height: string } } } }).result.block.header.height).toBe("2");
  });

  it.each([["1e3"], ["-1"], ["0x10"], [""], [" 2"], [1.5], [-1], ["abc"], [{}], [true], ["99999999999999999999"]])(
    "rejects height %j with -32602",
    async (height) => {
      const e = await errorOf({ jsonrpc: "2.0", id: 5, method: "block", params: { height } });
      expect(e).toMatchObject({ id: 5, error: { code: -32602, message: "Invalid params" } });
      expect(e.error.data).toMatch(/height/);
    },
  );

  it("rejects bad bytes, order_by and page params", async () => {
    const bad = async (method: string, params: unknown): Promise<number> => (await errorOf({ jsonrpc: "2.0", id: 1, method, params })).error.code;
    expect(await bad("broadcast_tx_sync", { tx: "%%%" })).toBe(-32602);
    expect(await bad("broadcast_tx_sync", {})).toBe(-32602);
    expect(await bad("tx", { hash: "zz" })).toBe(-32602);
    expect(await bad("abci_query", { path: "/echo", data: "xyz" })).toBe(-32602);
    expect(await bad("tx_search", { query: "tx.height=1", order_by: "sideways" })).toBe(-32602);
    expect(await bad("tx_search", { query: "tx.height=1", page: "0" })).toBe(-32602);
    expect(await bad("tx_search", { query: `a.b='${"x".repeat(600)}'` })).toBe(-32602);
    expect(await bad("validators", { page: "1e2" })).toBe(-32602);
    await expectAlive();
  });
});

describe("block_by_hash", () => {
  it("returns the block for a known base64 hash and CometBFT's empty shape otherwise", async () => {
    const hash = Buffer.from(h.backend.blocks[2]!.stored.blockId.hash).toString("base64");
    const found = await postJson(h.httpUrl, { jsonrpc: "2.0", id: 1, method: "block_by_hash", params: { hash } });
    expect((found.json as { result: { block: { header: { height: string } } } }).result.block.header.height).toBe("3");
    const missing = await postJson(h.httpUrl, { jsonrpc: "2.0", id: 2, method: "block_by_hash", params: { hash: Buffer.alloc(32).toString("base64") } });
    expect((missing.json as { result: unknown }).result).toEqual({ block_id: { hash: "", parts: { total: 0, hash: "" } }, block: null });
  });
});

describe("batches", () => {
  it("answers a batch as an array matched by id, skipping notifications", async () => {
    const r = await postJson(h.httpUrl, [
      { jsonrpc: "2.0", id: 1, method: "health", params: {} },
      { jsonrpc: "2.0", method: "health", params: {} },
      { jsonrpc: "2.0", id: "two", method: "nope", params: {} },
    ]);
    expect(r.json).toEqual([
      { jsonrpc: "2.0", id: 1, result: {} },
      { jsonrpc: "2.0", id: "two", error: { code: -32601, message: "Method not found", data: 'unknown method "nope"' } },
    ]);
  });

  it("rejects empty and oversized batches", async () => {
    expect((await errorOf([])).error.code).toBe(-32600);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "health", params: {} }));
    expect(await errorOf(eleven)).toMatchObject({ id: null, error: { code: -32600, data: "batch of 11 exceeds the limit of 10" } });
  });

  it("answers a lone notification with an empty 200", async () => {
    const r = await rawHttp(h.httpUrl, "POST", JSON.stringify({ jsonrpc: "2.0", method: "health" }));
    expect(r).toMatchObject({ status: 200, body: "" });
  });
});

describe("body and connection limits", () => {
  it("answers a body over 1 MB with 413 and a JSON-RPC error, then keeps serving", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "broadcast_tx_sync", params: { tx: "A".repeat(1_100_000) } });
    const r = await rawHttp(h.httpUrl, "POST", body);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: -32600 } });
    await expectAlive();
  });

  it("cuts off a huge body without buffering it", async () => {
    const r = await rawHttp(h.httpUrl, "POST", Buffer.alloc(9_000_000, 0x20)).catch((e: Error) => e);
    if (!(r instanceof Error)) expect(r.status).toBe(413);
    await expectAlive();
  });

  it("refuses connections over the cap and recovers when they close", async () => {
    const hh = await startHarness({ maxConnections: 2 });
    try {
      const a = await RawWs.open(`${hh.wsUrl}/websocket`);
      const b = await RawWs.open(`${hh.wsUrl}/websocket`);
      const third = await RawWs.open(`${hh.wsUrl}/websocket`).then(
        (ws) => ws,
        (e: Error) => e,
      );
      expect(third).toBeInstanceOf(Error);
      a.close();
      await sleep(100);
      const c = await RawWs.open(`${hh.wsUrl}/websocket`);
      expect((await c.call(1, "health")).result).toEqual({});
      b.close();
      c.close();
    } finally {
      await hh.server.close();
    }
  });

  it("survives a half-open socket sending junk", async () => {
    const sock = connect(h.server.port, "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    sock.write("GARBAGE / HTTP/9.9\r\n\r\n\x00\x01\x02");
    await sleep(50);
    sock.destroy();
    await expectAlive();
  });
});

describe("GET URI calls, CORS and HTTP methods", () => {
  const get = async (path: string): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await rawHttp(`${h.httpUrl}${path}`, "GET");
    return { status: r.status, json: JSON.parse(r.body) as Record<string, unknown> };
  };

  it("serves /status, /block?height=, /tx?hash=0x, /abci_query with quoted strings", async () => {
    const s = await get("/status");
    expect(s.status).toBe(200);
    expect(s.json.id).toBe(-1);
    expect((s.json.result as { node_info: { network: string } }).node_info.network).toBe("vanna-test-1");
    const b = await get("/block?height=2");
    expect((b.json.result as { block: { header: { height: string } } }).block.header.height).toBe("2");
    const bq = await get('/block?height="3"');
    expect((bq.json.result as { block: { header: { height: string } } }).block.header.height).toBe("3");
    const hash = toHex(sha256(new TextEncoder().encode("tx-3-1-from-bob")));
    const t = await get(`/tx?hash=0x${hash}`);
    expect((t.json.result as { hash: string }).hash).toBe(hash.toUpperCase());
    const q = await get('/abci_query?path="/echo"&data=0x0102');
    expect((q.json.result as { response: { value: string } }).response.value).toBe(Buffer.from([2, 1]).toString("base64"));
    const list = await get("/");
    expect((list.json.result as { methods: string[] }).methods).toContain("tx_search");
  });

  it("answers bad GET params and unknown paths with JSON-RPC errors", async () => {
    expect((await get("/block?height=abc")).json.error).toMatchObject({ code: -32602 });
    expect((await get("/block?height=-1")).json.error).toMatchObject({ code: -32602 });
    expect((await get("/tx?hash=0xzz")).json.error).toMatchObject({ code: -32602 });
    expect((await get("/abci_query?path=/echo")).json.error).toMatchObject({ code: -32602 });
    expect((await get("/nope")).json.error).toMatchObject({ code: -32601 });
    expect((await get("/subscribe?query=%22tm.event='Tx'%22")).json.error).toMatchObject({ code: -32601 });
    expect((await get("/%E0%A4%A")).status).toBe(200);
    await expectAlive();
  });

  it("sends CORS headers, answers OPTIONS with 204 and other methods with 405", async () => {
    const pre = await rawHttp(h.httpUrl, "OPTIONS");
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("*");
    expect(pre.headers["access-control-allow-methods"]).toContain("POST");
    expect(pre.headers["access-control-allow-headers"]).toContain("Content-Type");
    const post = await rawHttp(h.httpUrl, "POST", JSON.stringify({ jsonrpc: "2.0", id: 1, method: "health" }));
    expect(post.headers["access-control-allow-origin"]).toBe("*");
    const put = await rawHttp(h.httpUrl, "PUT", "{}");
    expect(put.status).toBe(405);
    expect(JSON.parse(put.body)).toMatchObject({ error: { code: -32600 } });
  });
});

describe("WebSocket bad input", () => {
  it("answers garbage frames with errors and keeps the socket usable", async () => {
    const ws = await RawWs.open(`${h.wsUrl}/websocket`);
    ws.send("{nope");
    ws.ws.send(Buffer.from([0xff, 0xfe, 0x00]));
    ws.send({ jsonrpc: "2.0", id: 1.5, method: "health" });
    await ws.until((m) => m.length >= 3);
    expect(ws.messages.map((m) => (m.error as { code: number }).code)).toEqual([-32700, -32700, -32600]);
    expect((await ws.call(2, "block", { height: "0x10" })).error).toMatchObject({ code: -32602 });
    expect((await ws.call(3, "status")).result).toBeDefined();
    ws.close();
  });

  it("closes a socket that sends an oversized frame; the server keeps serving", async () => {
    const ws = await RawWs.open(`${h.wsUrl}/websocket`);
    const closed = new Promise<number>((r) => ws.ws.once("close", (code) => r(code)));
    ws.send("x".repeat(1_100_000));
    expect(await closed).toBe(1009);
    await expectAlive();
  });

  it("refuses upgrades on other paths", async () => {
    const ws = new WebSocket(`${h.wsUrl}/other`);
    const err = await new Promise<unknown>((resolve) => {
      ws.once("error", resolve);
      ws.once("open", () => resolve(undefined));
    });
    expect(err).toBeInstanceOf(Error);
    await expectAlive();
  });
});

describe("broadcast_tx_commit timeout", () => {
  it("fails with a JSON-RPC error when the tx is not included in time", async () => {
    const hh = await startHarness({ broadcastTxCommitTimeoutMs: 150 });
    try {
      const tx = Buffer.from("never-included-alice").toString("base64");
      const r = await postJson(hh.httpUrl, { jsonrpc: "2.0", id: 1, method: "broadcast_tx_commit", params: { tx } });
      expect(r.json).toMatchObject({ error: { code: -32603, data: "timed out waiting for tx to be included in a block" } });
    } finally {
      await hh.server.close();
    }
  });
});

describe("fuzz", () => {
  it("answers any JSON value or string with a JSON-RPC envelope", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json().map((j) => j),
          fc.record({ jsonrpc: fc.constant("2.0"), id: fc.integer(), method: fc.constantFrom("block", "tx_search", "validators", "abci_query", "tx", "blockchain"), params: fc.anything() }).map((o) => JSON.stringify(o)),
        ),
        async (body) => {
          const r = await rawHttp(h.httpUrl, "POST", body);
          expect(r.status).toBe(200);
          if (r.body === "") return; // only notifications
          const parsed = JSON.parse(r.body) as unknown;
          const items = Array.isArray(parsed) ? parsed : [parsed];
          for (const item of items as Record<string, unknown>[]) {
            expect(item.jsonrpc).toBe("2.0");
            expect("result" in item || "error" in item).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
    await expectAlive();
  });
});
