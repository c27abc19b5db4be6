/**
 * A minimal CometBFT 0.38 JSON-RPC node for the client commands: status, block, abci_query (account, balances,
 * simulate), broadcast_tx_sync (which really verifies the SIGN_MODE_DIRECT signature and the fee) and tx_search.
 * Shapes follow /work/shared/docs/cosmjs-rpc-contract.md; unmodified cosmjs talks to it.
 */
import { createServer, type Server } from "node:http";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromHex, toBase64, toHex, fromBase64 } from "@cosmjs/encoding";
import { makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

export interface FakeAccount {
  accountNumber: bigint;
  sequence: bigint;
  balances: Array<{ denom: string; amount: string }>;
}

interface StoredTx {
  hash: string;
  height: number;
  bytes: Uint8Array;
  code: number;
  log: string;
  pollsUntilVisible: number;
}

const HASH = "AB".repeat(32);
const TIME = "2025-06-01T12:00:00.123456789Z";

export class FakeNode {
  readonly chainId = "vanna-test-1";
  readonly accounts = new Map<string, FakeAccount>();
  readonly txs: StoredTx[] = [];
  readonly methods: string[] = [];
  readonly sent: MsgSend[] = [];
  height = 7;
  simulatedGas = 73_480;
  /** code of the next delivered tx (0 = success) */
  deliverCode = 0;
  /** tx_search misses before a broadcast tx shows up */
  inclusionPolls = 1;
  url = "";
  private server: Server | undefined;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const request = JSON.parse(body) as { id: number; method: string; params: Record<string, unknown> };
        this.methods.push(request.method);
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
      case "block":
        return this.block(params["height"] === undefined ? this.height : Number(params["height"]));
      case "abci_query":
        return { response: this.query(String(params["path"]), fromHex(String(params["data"] ?? ""))) };
      case "broadcast_tx_sync":
        return this.broadcast(fromBase64(String(params["tx"])));
      case "tx_search":
        return this.search(String(params["query"]));
      default:
        throw new Error(`method ${method} not supported by the fake node`);
    }
  }

  private status(): unknown {
    return {
      node_info: {
        protocol_version: { p2p: "8", block: "11", app: "0" },
        id: "ab".repeat(20),
        listen_addr: "tcp://0.0.0.0:26656",
        network: this.chainId,
        version: "0.38.17",
        channels: "",
        moniker: "fake-node",
        other: { tx_index: "on", rpc_address: "tcp://0.0.0.0:26657" },
      },
      sync_info: {
        latest_block_hash: HASH,
        latest_app_hash: "CD".repeat(32),
        latest_block_height: String(this.height),
        latest_block_time: TIME,
        catching_up: false,
      },
      validator_info: {
        address: "EF".repeat(20),
        pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(new Uint8Array(32).fill(1)) },
        voting_power: "10",
      },
    };
  }

  private block(height: number): unknown {
    if (height > this.height) throw new Error(`height ${height} must be less than or equal to the current blockchain height ${this.height}`);
    const txs = this.txs.filter((t) => t.height === height).map((t) => toBase64(t.bytes));
    const blockId = { hash: HASH, parts: { total: 1, hash: HASH } };
    return {
      block_id: blockId,
      block: {
        header: {
          version: { block: "11", app: "0" },
          chain_id: this.chainId,
          height: String(height),
          time: TIME,
          last_block_id: blockId,
          last_commit_hash: "",
          data_hash: "",
          validators_hash: HASH,
          next_validators_hash: HASH,
          consensus_hash: HASH,
          app_hash: "CD".repeat(32),
          last_results_hash: "",
          evidence_hash: "",
          proposer_address: "EF".repeat(20),
        },
        data: { txs },
        evidence: { evidence: [] },
        last_commit: { height: String(height - 1), round: 0, block_id: blockId, signatures: [] },
      },
    };
  }

  private query(path: string, data: Uint8Array): Record<string, unknown> {
    const ok = (value: Uint8Array): Record<string, unknown> => ({ code: 0, log: "", value: toBase64(value), height: String(this.height) });
    switch (path) {
      case "/cosmos.auth.v1beta1.Query/Account": {
        const { address } = QueryAccountRequest.decode(data);
        const account = this.accounts.get(address);
        if (account === undefined) return { code: 22, log: `rpc error: code = NotFound desc = account ${address} not found`, height: String(this.height) };
        const base = BaseAccount.fromPartial({ address, accountNumber: account.accountNumber, sequence: account.sequence });
        const any = { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: BaseAccount.encode(base).finish() };
        return ok(QueryAccountResponse.encode({ account: any }).finish());
      }
      case "/cosmos.bank.v1beta1.Query/AllBalances": {
        const { address } = QueryAllBalancesRequest.decode(data);
        const balances = this.accounts.get(address)?.balances ?? [];
        return ok(QueryAllBalancesResponse.encode(QueryAllBalancesResponse.fromPartial({ balances })).finish());
      }
      case "/cosmos.bank.v1beta1.Query/Balance": {
        const { address, denom } = QueryBalanceRequest.decode(data);
        const amount = this.accounts.get(address)?.balances.find((b) => b.denom === denom)?.amount ?? "0";
        return ok(QueryBalanceResponse.encode({ balance: { denom, amount } }).finish());
      }
      case "/cosmos.tx.v1beta1.Service/Simulate":
        return ok(SimulateResponse.encode(SimulateResponse.fromPartial({ gasInfo: { gasUsed: BigInt(this.simulatedGas), gasWanted: 0n } })).finish());
      default:
        return { code: 6, log: `unknown query path ${path}`, height: String(this.height) };
    }
  }

  /** CheckTx: one MsgSend signer, sequence, SIGN_MODE_DIRECT signature over this chain id, min gas price 0.0025uvanna. */
  private broadcast(bytes: Uint8Array): Record<string, unknown> {
    const hash = toHex(sha256(bytes)).toUpperCase();
    const raw = TxRaw.decode(bytes);
    const body = TxBody.decode(raw.bodyBytes);
    const authInfo = AuthInfo.decode(raw.authInfoBytes);
    const msg = MsgSend.decode(body.messages[0]!.value);
    const account = this.accounts.get(msg.fromAddress);
    const signer = authInfo.signerInfos[0]!;
    const reject = (code: number, log: string): Record<string, unknown> => ({ code, log, codespace: "sdk", hash });
    if (account === undefined) return reject(9, `account ${msg.fromAddress} not found: unknown address`);
    if (signer.sequence !== account.sequence) return reject(32, `account sequence mismatch, expected ${account.sequence}, got ${signer.sequence}: incorrect account sequence`);
    const pubkey = PubKey.decode(signer.publicKey!.value).key;
    const doc = makeSignDoc(raw.bodyBytes, raw.authInfoBytes, this.chainId, Number(account.accountNumber));
    const signature = Secp256k1Signature.fromFixedLength(raw.signatures[0]!);
    if (!Secp256k1.verifySignature(signature, sha256(makeSignBytes(doc)), pubkey)) return reject(4, "signature verification failed: unauthorized");
    const gasLimit = authInfo.fee!.gasLimit;
    const paid = BigInt(authInfo.fee!.amount.find((c) => c.denom === "uvanna")?.amount ?? "0");
    if (paid * 10_000n < gasLimit * 25n) return reject(13, `insufficient fee; got ${paid}uvanna: insufficient fee`);
    account.sequence += 1n;
    this.sent.push(msg);
    this.txs.push({ hash, height: this.height + 1, bytes, code: this.deliverCode, log: this.deliverCode === 0 ? "" : "failed to execute message: insufficient funds", pollsUntilVisible: this.inclusionPolls });
    return { code: 0, data: "", log: "", codespace: "", hash };
  }

  private search(query: string): Record<string, unknown> {
    const m = /^tx\.hash='([0-9A-Fa-f]{64})'$/.exec(query);
    const stored = m === null ? undefined : [...this.txs].reverse().find((t) => t.hash === m[1]!.toUpperCase());
    if (stored === undefined) return { txs: [], total_count: "0" };
    if (stored.pollsUntilVisible > 0) {
      stored.pollsUntilVisible--;
      return { txs: [], total_count: "0" };
    }
    this.height = Math.max(this.height, stored.height);
    const result = {
      code: stored.code,
      codespace: stored.code === 0 ? "" : "sdk",
      log: stored.log,
      data: null,
      gas_wanted: "102872",
      gas_used: "74330",
      events: [{ type: "message", attributes: [{ key: "action", value: "/cosmos.bank.v1beta1.MsgSend", index: true }] }],
    };
    return { txs: [{ hash: stored.hash, height: String(stored.height), index: 0, tx_result: result, tx: toBase64(stored.bytes) }], total_count: "1" };
  }
}
