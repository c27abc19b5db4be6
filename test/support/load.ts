/**
 * Load and observation helpers for e2e tests against a real `vanna` process:
 *
 * - `LoadGenerator`: several dev accounts each send a stream of MsgSends, signed offline by the real cosmjs
 *   signer with explicit sequences and broadcast with `broadcast_tx_sync`, keeping a ledger of every tx (its
 *   bytes, hash, amounts, fee and what CheckTx said, or that no answer came back).
 * - `ChainObserver`: follows the chain over RPC, recording every block's id and header app hash, every committed
 *   tx (via `tx_search` per height) and the balances the node reports (with the height it reports them at).
 * - `expectedBalances`: what the balances must be, given the genesis balances and a set of committed txs.
 * - `runVanna`: the binary as a one-shot command (CLI tests), with a timeout.
 *
 * Every network call has a timeout and every loop a bound, so a dead node ends the loops instead of hanging them.
 */
import { spawn } from "node:child_process";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, sha256, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { toBech32, toHex } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { DEV_MNEMONIC, DEV_USDC_MICRO, DEV_VANNA_MICRO } from "../../node/config/devAccounts.js";
import { VANNA_BIN } from "./nodeProcess.js";

export const DEV_CHAIN_ID = "vanna-dev-1";
/** Genesis funding of every dev account (node/config/devAccounts.ts). */
export const DEV_INITIAL: Readonly<Record<string, bigint>> = { uusdc: DEV_USDC_MICRO, uvanna: DEV_VANNA_MICRO };
/** The fee collector module account (sha256("fee_collector")[:20]), where every fee goes. */
export const FEE_COLLECTOR = toBech32("vanna", sha256(new TextEncoder().encode("fee_collector")).slice(0, 20));

export interface Coin {
  denom: string;
  amount: string;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON-RPC with a timeout

export class RpcCallError extends Error {
  override readonly name = "RpcCallError";
}

/** One JSON-RPC call; network failures and timeouts throw (a TypeError / TimeoutError), RPC errors RpcCallError. */
export async function rpcCall<T>(url: string, method: string, params: Record<string, unknown> = {}, timeoutMs = 5_000): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined) throw new RpcCallError(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

export interface StatusView {
  height: number;
  blockHash: string;
  appHash: string;
}

export async function status(url: string): Promise<StatusView> {
  const s = await rpcCall<{ sync_info: { latest_block_height: string; latest_block_hash: string; latest_app_hash: string } }>(url, "status");
  return { height: Number(s.sync_info.latest_block_height), blockHash: s.sync_info.latest_block_hash, appHash: s.sync_info.latest_app_hash };
}

interface AbciQueryResult {
  response: { code?: number; log?: string; value?: string | null; height: string };
}

async function abciQuery(url: string, path: string, data: Uint8Array): Promise<{ value: Uint8Array; height: number }> {
  const r = await rpcCall<AbciQueryResult>(url, "abci_query", { path, data: toHex(data) });
  if ((r.response.code ?? 0) !== 0) throw new RpcCallError(`abci_query ${path}: code ${r.response.code}: ${r.response.log ?? ""}`);
  return { value: Buffer.from(r.response.value ?? "", "base64"), height: Number(r.response.height) };
}

/** All balances of an account, with the height the node says they are at. */
export async function allBalances(url: string, address: string): Promise<{ height: number; coins: Map<string, bigint> }> {
  const { value, height } = await abciQuery(url, "/cosmos.bank.v1beta1.Query/AllBalances", QueryAllBalancesRequest.encode({ address, resolveDenom: false }).finish());
  const coins = new Map<string, bigint>();
  for (const c of QueryAllBalancesResponse.decode(value).balances) coins.set(c.denom, BigInt(c.amount));
  return { height, coins };
}

export async function totalSupply(url: string): Promise<Map<string, bigint>> {
  const { value } = await abciQuery(url, "/cosmos.bank.v1beta1.Query/TotalSupply", QueryTotalSupplyRequest.encode({}).finish());
  const decoded = QueryTotalSupplyResponse.decode(value);
  if (decoded.pagination?.nextKey !== undefined && decoded.pagination.nextKey.length > 0) throw new Error("total supply is paginated");
  return new Map(decoded.supply.map((c) => [c.denom, BigInt(c.amount)]));
}

export async function accountInfo(url: string, address: string): Promise<{ accountNumber: bigint; sequence: bigint }> {
  const { value } = await abciQuery(url, "/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address }).finish());
  const any = QueryAccountResponse.decode(value).account;
  if (any === undefined || any.typeUrl !== "/cosmos.auth.v1beta1.BaseAccount") throw new Error(`unexpected account type for ${address}`);
  const base = BaseAccount.decode(any.value);
  return { accountNumber: base.accountNumber, sequence: base.sequence };
}

export interface TxLookup {
  height: number;
  index: number;
  code: number;
}

/** The committed result of a tx by hash (hex), or undefined when the node does not know it. */
export async function lookupTx(url: string, hashHex: string): Promise<TxLookup | undefined> {
  try {
    const t = await rpcCall<{ height: string; index: number; tx_result: { code: number } }>(url, "tx", { hash: Buffer.from(hashHex, "hex").toString("base64") });
    return { height: Number(t.height), index: t.index, code: t.tx_result.code };
  } catch (err) {
    if (err instanceof RpcCallError && /not found/.test(err.message)) return undefined;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Signing

export interface DevKeys {
  addresses: string[];
  /** The HD wallet of all accounts (for SigningStargateClient.connectWithSigner). */
  wallet: DirectSecp256k1HdWallet;
  /** Per address, an offline SigningStargateClient over a single-key wallet: no HD derivation per signature. */
  signers: Map<string, SigningStargateClient>;
}

/** The first `count` dev accounts (m/44'/118'/0'/0/i of the dev mnemonic) and offline cosmjs signers. */
export async function devKeys(count: number): Promise<DevKeys> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, { prefix: "vanna", hdPaths: Array.from({ length: count }, (_, i) => makeCosmoshubPath(i)) });
  const signers = new Map<string, SigningStargateClient>();
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(DEV_MNEMONIC));
  for (let i = 0; i < count; i++) {
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(i));
    const single = await DirectSecp256k1Wallet.fromKey(privkey, "vanna");
    const [account] = await single.getAccounts();
    signers.set(account!.address, await SigningStargateClient.offline(single));
  }
  const addresses = (await wallet.getAccounts()).map((a) => a.address);
  if (addresses.some((a) => !signers.has(a))) throw new Error("single-key wallets disagree with the HD wallet");
  return { addresses, wallet, signers };
}

export interface SendSpec {
  from: string;
  to: string;
  amount: Coin[];
  fee: StdFee;
  memo: string;
  sequence: number;
  accountNumber: bigint;
  chainId: string;
}

/** A MsgSend signed (SIGN_MODE_DIRECT) by the cosmjs signer; the hash is upper-case hex SHA-256 of the bytes. */
export async function signSend(keys: DevKeys, s: SendSpec): Promise<{ bytes: Uint8Array; hash: string }> {
  const signer = keys.signers.get(s.from);
  if (signer === undefined) throw new Error(`no signer for ${s.from}`);
  const raw = await signer.sign(
    s.from,
    [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: s.from, toAddress: s.to, amount: s.amount } }],
    s.fee,
    s.memo,
    { accountNumber: s.accountNumber, sequence: s.sequence, chainId: s.chainId },
  );
  const bytes = TxRaw.encode(raw).finish();
  return { bytes, hash: toHex(sha256(bytes)).toUpperCase() };
}

export interface CheckTxAnswer {
  code: number;
  log: string;
  hash: string;
}

export async function broadcastSync(url: string, bytes: Uint8Array, timeoutMs = 5_000): Promise<CheckTxAnswer> {
  return rpcCall<CheckTxAnswer>(url, "broadcast_tx_sync", { tx: Buffer.from(bytes).toString("base64") }, timeoutMs);
}

// ---------------------------------------------------------------------------------------------------------------
// Load

/** One tx the load generated. `status`: what broadcast_tx_sync said ("unknown" = no answer: the node died). */
export interface LedgerTx {
  hash: string;
  from: string;
  to: string;
  amount: Coin[];
  fee: Coin[];
  sequence: number;
  memo: string;
  status: "unknown" | "accepted" | "rejected";
  checkCode?: number;
  checkLog?: string;
}

export interface LoadSender {
  address: string;
  accountNumber: bigint;
  /** Sequence of the sender's next tx (its on-chain sequence when the load starts). */
  nextSequence: number;
}

export interface LoadOptions {
  url: string;
  keys: DevKeys;
  chainId: string;
  senders: LoadSender[];
  recipients: string[];
  /** Makes memos, and so tx bytes and hashes, unique across load runs (a lost tx re-signed later differs). */
  tag: string;
  /** Pause between two txs of one sender. */
  pauseMs: number;
  /** Bound on txs per sender per run. */
  maxTxsPerSender: number;
  /**
   * After a CheckTx "account sequence mismatch, expected N", continue at N (the node's view) instead of retrying
   * the same sequence. Keeps a load flowing when the node loses track of accepted txs; what was lost stays in
   * the ledger for the test to judge.
   */
  resyncOnMismatch?: boolean;
}

export const LOAD_GAS = "200000";

export class LoadGenerator {
  readonly txs: LedgerTx[] = [];
  /** Why each sender's loop ended, once it has. */
  readonly endings: string[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly o: LoadOptions) {}

  start(): void {
    this.loops = this.o.senders.map((s, i) => this.run(s, i));
  }

  /** Waits for every loop to end by itself (maxTxsPerSender, or the node going away). */
  async finished(): Promise<void> {
    await Promise.all(this.loops);
  }

  /** Asks every loop to end and waits for them (each is at most one request timeout away). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  accepted(): LedgerTx[] {
    return this.txs.filter((t) => t.status === "accepted");
  }

  rejected(): LedgerTx[] {
    return this.txs.filter((t) => t.status === "rejected");
  }

  private async run(sender: LoadSender, senderIndex: number): Promise<void> {
    const { keys, chainId, recipients, tag } = this.o;
    for (let n = 0; n < this.o.maxTxsPerSender; n++) {
      if (this.stopped) return void this.endings.push("stopped");
      const k = this.txs.length;
      const to = recipients[(senderIndex + n) % recipients.length]!;
      const amount: Coin[] = [{ denom: "uusdc", amount: String(1_000 + ((n * 7919 + senderIndex * 104_729) % 100_000)) }];
      if (n % 4 === 0) amount.push({ denom: "uvanna", amount: String(1 + (n % 13)) });
      const fee: StdFee = { amount: [{ denom: "uvanna", amount: String(500 + (n % 3)) }], gas: LOAD_GAS };
      const memo = `${tag}/s${senderIndex}/n${n}/k${k}`;
      const { bytes, hash } = await signSend(keys, { from: sender.address, to, amount, fee, memo, sequence: sender.nextSequence, accountNumber: sender.accountNumber, chainId });
      const entry: LedgerTx = { hash, from: sender.address, to, amount, fee: [...fee.amount], sequence: sender.nextSequence, memo, status: "unknown" };
      this.txs.push(entry);
      let answer: CheckTxAnswer;
      try {
        answer = await broadcastSync(this.o.url, bytes);
      } catch (err) {
        // The node is gone (or wedged): the tx may or may not have reached the mempool; it stays "unknown".
        return void this.endings.push(`network: ${(err as Error).message}`);
      }
      if (answer.hash.toUpperCase() !== hash) throw new Error(`node reported hash ${answer.hash} for tx ${hash}`);
      entry.checkCode = answer.code;
      entry.checkLog = answer.log;
      if (answer.code === 0) {
        entry.status = "accepted";
        sender.nextSequence++;
        if (this.o.pauseMs > 0) await sleep(this.o.pauseMs);
      } else {
        // Recorded (the test decides whether that is acceptable); the next tx reuses the sequence.
        entry.status = "rejected";
        const expected = /account sequence mismatch, expected (\d+)/.exec(answer.log);
        if (this.o.resyncOnMismatch === true && expected !== null) sender.nextSequence = Number(expected[1]);
        await sleep(Math.max(this.o.pauseMs, 10));
      }
    }
    this.endings.push("max txs");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Observation

export interface BlockRecord {
  height: number;
  blockHash: string;
  /** The header's app hash: the state after height - 1. */
  headerAppHash: string;
  txHashes: string[];
  /** From `commit`: the block id the commit signs, and the validator's signature. */
  commitBlockHash: string;
  commitSignature: string;
}

export interface CommittedTx {
  hash: string;
  height: number;
  index: number;
  code: number;
}

export interface BalanceRead {
  address: string;
  height: number;
  coins: Map<string, bigint>;
}

interface BlockJson {
  block_id: { hash: string };
  block: { header: { height: string; app_hash: string }; data: { txs: string[] | null } };
}

interface TxSearchJson {
  txs: Array<{ hash: string; height: string; index: number; tx_result: { code: number } }>;
  total_count: string;
}

interface CommitJson {
  signed_header: { header: { height: string }; commit: { block_id: { hash: string }; signatures: Array<{ signature: string | null }> } };
}

export async function fetchBlock(url: string, height: number): Promise<BlockRecord> {
  const b = await rpcCall<BlockJson>(url, "block", { height: String(height) });
  const c = await rpcCall<CommitJson>(url, "commit", { height: String(height) });
  if (Number(c.signed_header.header.height) !== height) throw new Error(`commit for height ${height} has height ${c.signed_header.header.height}`);
  return {
    height: Number(b.block.header.height),
    blockHash: b.block_id.hash,
    headerAppHash: b.block.header.app_hash,
    txHashes: (b.block.data.txs ?? []).map((t) => toHex(sha256(Buffer.from(t, "base64"))).toUpperCase()),
    commitBlockHash: c.signed_header.commit.block_id.hash,
    commitSignature: c.signed_header.commit.signatures.map((sig) => sig.signature ?? "").join(","),
  };
}

/** Every tx committed at `height`, through tx_search (paged). */
export async function txsAtHeight(url: string, height: number): Promise<CommittedTx[]> {
  const out: CommittedTx[] = [];
  for (let page = 1; page <= 100; page++) {
    const r = await rpcCall<TxSearchJson>(url, "tx_search", { query: `tx.height=${height}`, page: String(page), per_page: "100", order_by: "asc" });
    for (const t of r.txs) out.push({ hash: t.hash.toUpperCase(), height: Number(t.height), index: t.index, code: t.tx_result.code });
    if (out.length >= Number(r.total_count) || r.txs.length === 0) return out;
  }
  throw new Error(`tx_search at height ${height}: too many pages`);
}

/**
 * Follows the chain: every height from 1 (or `fromHeight`) up, with its block and committed txs, plus the status
 * (height, app hash after that height) and the balances of `watch` as the node reports them.
 */
export class ChainObserver {
  readonly blocks = new Map<number, BlockRecord>();
  readonly committed = new Map<string, CommittedTx>();
  /** App hash after each height, from `status` (the state the next header will carry). */
  readonly statusAppHash = new Map<number, string>();
  readonly reads: BalanceRead[] = [];
  last: StatusView | undefined;
  ending = "";
  private stopped = false;
  private loop: Promise<void> | undefined;
  private nextHeight: number;

  constructor(
    private readonly url: string,
    private readonly watch: string[],
    private readonly pollMs = 50,
    fromHeight = 1,
  ) {
    this.nextHeight = fromHeight;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (!this.stopped && Date.now() < deadline) {
      try {
        await this.pollOnce();
      } catch (err) {
        this.ending = `${(err as Error).name}: ${(err as Error).message}`;
        return;
      }
      await sleep(this.pollMs);
    }
    this.ending = this.stopped ? "stopped" : "deadline";
  }

  async pollOnce(): Promise<void> {
    const s = await status(this.url);
    for (; this.nextHeight <= s.height; this.nextHeight++) {
      const b = await fetchBlock(this.url, this.nextHeight);
      const txs = b.txHashes.length === 0 ? [] : await txsAtHeight(this.url, this.nextHeight);
      if (txs.length !== b.txHashes.length) throw new Error(`height ${this.nextHeight}: block has ${b.txHashes.length} txs, tx_search found ${txs.length}`);
      for (const t of txs) this.committed.set(t.hash, t);
      this.blocks.set(b.height, b);
    }
    this.statusAppHash.set(s.height, s.appHash);
    this.last = s;
    for (const address of this.watch) {
      const r = await allBalances(this.url, address);
      this.reads.push({ address, height: r.height, coins: r.coins });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Accounting

export interface Movement {
  from: string;
  to: string;
  amount: Coin[];
  fee: Coin[];
}

export type Balances = Map<string, Map<string, bigint>>;

/**
 * Balances of `initial`'s accounts after the given committed, successful txs: amounts move from sender to
 * recipient, fees from sender to the fee collector.
 */
export function expectedBalances(initial: Balances, txs: Iterable<Movement>): Balances {
  const out: Balances = new Map([...initial].map(([a, coins]) => [a, new Map(coins)]));
  const add = (address: string, coins: Coin[], sign: 1n | -1n): void => {
    const account = out.get(address);
    if (account === undefined) return;
    for (const c of coins) account.set(c.denom, (account.get(c.denom) ?? 0n) + sign * BigInt(c.amount));
  };
  for (const t of txs) {
    add(t.from, t.amount, -1n);
    add(t.from, t.fee, -1n);
    add(t.to, t.amount, 1n);
    add(FEE_COLLECTOR, t.fee, 1n);
  }
  return out;
}

export function coinsObject(coins: Map<string, bigint>): Record<string, string> {
  return Object.fromEntries([...coins].filter(([, v]) => v !== 0n).sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, v]) => [d, v.toString()]));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------------------------------------------------------
// The binary as a command

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the command did not exit within the timeout and was killed. */
  timedOut: boolean;
}

/**
 * Runs `node dist/node/cli/main.js ARGS` to completion (SIGKILL after `timeoutMs`), with stdin from `input` (or
 * closed), and an environment without the caller's VANNA_* variables unless given in `env`.
 */
export function runVanna(args: string[], o: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VANNA_")));
  const proc = spawn(process.execPath, [VANNA_BIN, ...args], { stdio: ["pipe", "pipe", "pipe"], env: { ...base, ...o.env } });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  proc.stdin.on("error", () => undefined);
  proc.stdin.end(o.input ?? "");
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, o.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    proc.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    proc.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** Polls `cond` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
