/**
 * An in-process app behind a CometBFT 0.38-shaped JSON-RPC endpoint (status, abci_query, broadcast_tx_sync,
 * tx_search), so that unmodified cosmjs and the `vanna` CLI talk to the real application without consensus:
 * each accepted broadcast is executed at once in its own block.
 */
import { createServer, type Server } from "node:http";
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, fromHex, toBase64, toHex } from "@cosmjs/encoding";
import type { BaseApp } from "../../../src/app/baseApp.js";
import type { TxResult } from "../../../src/app/application.js";
import { runBlock, TEST_CHAIN_ID } from "../../support/devChain.js";

interface Included {
  hash: string;
  height: bigint;
  bytes: Uint8Array;
  result: TxResult;
}

export class AppNode {
  url = "";
  readonly included: Included[] = [];
  private server: Server | undefined;

  constructor(readonly app: BaseApp) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const request = JSON.parse(body) as { id: number; method: string; params: Record<string, unknown> };
        let reply: unknown;
        try {
          reply = { jsonrpc: "2.0", id: request.id, result: this.handle(request.method, request.params) };
        } catch (err) {
          reply = { jsonrpc: "2.0", id: request.id, error: { code: -32603, message: "Internal error", data: (err as Error).message } };
        }
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    this.url = `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private handle(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case "status":
        return this.status();
      case "abci_query": {
        const r = this.app.query({ path: String(params["path"]), data: fromHex(String(params["data"] ?? "")), height: BigInt(String(params["height"] ?? "0")), prove: false });
        return { response: { code: r.code, codespace: r.codespace, log: r.log, key: toBase64(r.key), value: toBase64(r.value), height: String(r.height), index: "0", info: "" } };
      }
      case "broadcast_tx_sync":
        return this.broadcast(fromBase64(String(params["tx"])));
      case "tx_search":
        return this.search(String(params["query"]));
      default:
        throw new Error(`method ${method} not supported by the app node`);
    }
  }

  private status(): unknown {
    const height = this.app.info().lastBlockHeight;
    return {
      node_info: {
        protocol_version: { p2p: "8", block: "11", app: "0" },
        id: "ab".repeat(20),
        listen_addr: "tcp://0.0.0.0:26656",
        network: TEST_CHAIN_ID,
        version: "0.38.17",
        channels: "",
        moniker: "app-node",
        other: { tx_index: "on", rpc_address: "tcp://0.0.0.0:26657" },
      },
      sync_info: { latest_block_hash: "AB".repeat(32), latest_app_hash: "CD".repeat(32), latest_block_height: String(height), latest_block_time: "2026-01-01T00:00:00Z", catching_up: false },
      validator_info: { address: "EF".repeat(20), pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(new Uint8Array(32).fill(1)) }, voting_power: "10" },
    };
  }

  private broadcast(bytes: Uint8Array): unknown {
    const hash = toHex(sha256(bytes)).toUpperCase();
    const check = this.app.checkTx(bytes, "new");
    if (check.code === 0) {
      const block = runBlock(this.app, [bytes]);
      this.included.push({ hash, height: this.app.info().lastBlockHeight, bytes, result: block.txResults[0]! });
    }
    return { code: check.code, data: "", log: check.log, codespace: check.codespace, hash };
  }

  private search(query: string): unknown {
    const m = /^tx\.hash='([0-9A-Fa-f]{64})'$/.exec(query);
    const found = m === null ? undefined : this.included.find((t) => t.hash === m[1]!.toUpperCase());
    if (found === undefined) return { txs: [], total_count: "0" };
    const r = found.result;
    const tx_result = {
      code: r.code,
      codespace: r.codespace,
      log: r.log,
      data: r.data.length === 0 ? null : toBase64(r.data),
      gas_wanted: r.gasWanted.toString(),
      gas_used: r.gasUsed.toString(),
      events: r.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })) })),
    };
    return { txs: [{ hash: found.hash, height: found.height.toString(), index: 0, tx_result, tx: toBase64(found.bytes) }], total_count: "1" };
  }
}
