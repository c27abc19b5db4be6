/**
 * Multi-process testnet harness for the consensus e2e tests: a testnet laid out by testnet/layout.ts, every node
 * a real `vanna start` child process (dist/node/cli/main.js) that a test can SIGKILL and restart on the same home,
 * plus the checkers of the reliability matrix that run over RPC and on disk:
 *
 * - C1 (same chain): every node's block hash, app hash, results hash and data hash at every height;
 * - C5 (no double sign): every precommit in every node's commits and blocks' last commits, and every vote and
 *   proposal in every validator's consensus WAL, grouped by (validator, height, round, type); signatures of
 *   commits are verified against the genesis keys; no evidence committed against anyone.
 *
 * Every spawned process is tracked and SIGKILLed when the test process exits, whatever happens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { createTestnet, type TestnetLayout, type TestnetNode } from "../../testnet/layout.js";
import { devAccounts } from "../../node/config/devAccounts.js";
import { devFunding } from "../../node/config/appState.js";
import { loadGenesis, type GenesisDoc } from "../../node/config/genesis.js";
import type { NodeConfig } from "../../node/config/nodeConfig.js";
import { homePaths } from "../../node/home.js";
import { loadValidatorKey, type ValidatorKey } from "../../node/privval/validatorKey.js";
import { readAllWalRecords } from "../../node/consensus/wal.js";
import { parseRfc3339Ns } from "../../node/util/time.js";
import { SignedMsgType, voteSignBytes } from "../../src/chain/signBytes.js";
import { ValidatorSet } from "../../src/chain/validatorSet.js";
import { verifyEd25519 } from "../../src/crypto/ed25519.js";
import type { BlockId, Validator } from "../../src/types/block.js";

/** The built binary; this file also runs compiled from dist/test/support (scripts, benchmarks). */
export const VANNA_MAIN = resolve(import.meta.dirname, import.meta.dirname.includes(`${sep}dist${sep}`) ? "../../.." : "../..", "dist/node/cli/main.js");

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();

// ---------------------------------------------------------------------------------------------------------------
// Ports

function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once("error", () => res(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => res(true)));
  });
}

/** A base port such that base + 10·i and base + 10·i + 1 are free for i < count (the layout's port plan). */
export async function freeBasePort(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 30_000 + 10 * Math.floor(Math.random() * 2_500);
    let ok = true;
    for (let i = 0; i < count && ok; i++) ok = (await portFree(base + 10 * i)) && (await portFree(base + 10 * i + 1));
    if (ok) return base;
  }
  throw new Error("no free port range found");
}

// ---------------------------------------------------------------------------------------------------------------
// JSON-RPC

export class RpcError extends Error {
  override readonly name = "RpcError";
}

/** One JSON-RPC call over HTTP POST with a timeout; RPC errors throw RpcError, network errors TypeError/TimeoutError. */
export async function rpc<T = unknown>(url: string, method: string, params: Record<string, unknown> = {}, timeoutMs = 5_000): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined) throw new RpcError(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

export interface StatusJson {
  node_info: { id: string; moniker: string; network: string };
  sync_info: { latest_block_height: string; latest_block_hash: string; latest_app_hash: string; catching_up: boolean };
  validator_info: { address: string };
}

export async function height(url: string): Promise<number> {
  return Number((await rpc<StatusJson>(url, "status")).sync_info.latest_block_height);
}

/** The height, or undefined when the node does not answer (down, starting, isolated RPC is still up). */
export async function tryHeight(url: string): Promise<number | undefined> {
  try {
    return await height(url);
  } catch {
    return undefined;
  }
}

/** Polls `cond` until it is true; throws with `what` (and the last `detail()`) after `timeoutMs`. */
export async function waitUntil(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 200, detail?: () => string | Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ok = false;
    try {
      ok = await cond();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `: ${await detail()}` : ""}`);
    await sleep(everyMs);
  }
}

export async function waitForHeight(url: string, target: number, timeoutMs = 30_000): Promise<number> {
  let last: number | undefined;
  await waitUntil(`height ${target} at ${url}`, async () => ((last = await tryHeight(url)) ?? -1) >= target, timeoutMs, 100, () => `at ${last}`);
  return last!;
}

// ---------------------------------------------------------------------------------------------------------------
// Nodes and testnets

export class TestNode {
  proc: ChildProcess | undefined;
  private exitedP: Promise<void> = Promise.resolve();
  /** Every exit of this node's processes that the test did not cause (code or signal). */
  readonly unexpectedExits: string[] = [];
  private expectingExit = false;
  readonly key: ValidatorKey;

  constructor(
    readonly index: number,
    readonly info: TestnetNode,
    private readonly env: Record<string, string>,
  ) {
    this.key = loadValidatorKey(homePaths(info.home).validatorKey);
  }

  get moniker(): string {
    return this.info.moniker;
  }
  get home(): string {
    return this.info.home;
  }
  get rpcUrl(): string {
    return this.info.rpcUrl;
  }
  get peerId(): string {
    return this.info.peerId;
  }
  get p2pAddress(): string {
    return this.info.p2pAddress;
  }
  get validator(): boolean {
    return this.info.validator;
  }
  /** Uppercase hex, as RPC prints validator addresses. */
  get address(): string {
    return hex(this.key.address);
  }
  get logFile(): string {
    return join(this.home, "node.log");
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Spawns `vanna start --home <home>` (appending to node.log); `env` adds to the testnet's environment. */
  start(extraArgs: string[] = [], env: Record<string, string> = {}): void {
    if (this.running) throw new Error(`${this.moniker} is already running`);
    const fd = openSync(this.logFile, "a");
    const proc = spawn(process.execPath, [VANNA_MAIN, "start", "--home", this.home, ...extraArgs], {
      stdio: ["ignore", fd, fd],
      env: { ...process.env, ...this.env, ...env },
    });
    closeSync(fd);
    live.add(proc);
    this.proc = proc;
    this.expectingExit = false;
    this.exitedP = new Promise<void>((res) =>
      proc.once("exit", (code, signal) => {
        live.delete(proc);
        if (!this.expectingExit) this.unexpectedExits.push(`${this.moniker} pid ${proc.pid} exited (code ${code}, signal ${signal})`);
        res();
      }),
    );
  }

  /** SIGKILL: the crash case, no cleanup in the node. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.expectingExit = true;
    this.proc!.kill("SIGKILL");
    await this.exitedP;
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.expectingExit = true;
    this.proc!.kill("SIGTERM");
    const timer = setTimeout(() => this.proc?.kill("SIGKILL"), timeoutMs);
    await this.exitedP;
    clearTimeout(timer);
  }

  log(): string {
    try {
      return readFileSync(this.logFile, "utf8");
    } catch {
      return "";
    }
  }

  /** Log lines at ERROR level (or fatal/unhandled), for "nothing crashed" checks. */
  errorLines(): string[] {
    return this.log()
      .split("\n")
      .filter((l) => /^\S+ (ERROR|FATAL)\b/.test(l) || /fatal error|Unhandled|uncaughtException/.test(l));
  }

  height(): Promise<number> {
    return height(this.rpcUrl);
  }
}

export interface TestnetOptions {
  validators: number;
  fullNodes?: number;
  chainId?: string;
  /** Empty-block interval, e.g. 1000. */
  blockTimeMs?: number;
  unsafeRpc?: boolean;
  /** Environment of the node processes (e.g. VANNA_LOG_LEVEL). */
  env?: Record<string, string>;
  configure?: (config: NodeConfig, node: { index: number; validator: boolean }) => void;
}

export class Testnet {
  private constructor(
    readonly dir: string,
    readonly layout: TestnetLayout,
    readonly nodes: TestNode[],
    readonly genesis: GenesisDoc,
  ) {}

  static async create(opts: TestnetOptions): Promise<Testnet> {
    const dir = mkdtempSync(join(tmpdir(), "vanna-testnet-e2e-"));
    const total = opts.validators + (opts.fullNodes ?? 0);
    const accounts = await devAccounts();
    const layout = createTestnet({
      dir,
      chainId: opts.chainId ?? "vanna-e2e-1",
      validators: opts.validators,
      fullNodes: opts.fullNodes ?? 0,
      basePort: await freeBasePort(total),
      accounts: devFunding(accounts.map((a) => a.address)),
      configure: (config, node) => {
        if (opts.blockTimeMs !== undefined) config.consensus.blockTimeMs = opts.blockTimeMs;
        if (opts.unsafeRpc) config.rpc.unsafe = true;
        opts.configure?.(config, node);
      },
    });
    const env = { VANNA_LOG_LEVEL: "info", ...opts.env };
    const nodes = layout.nodes.map((n, i) => new TestNode(i, n, env));
    return new Testnet(dir, layout, nodes, loadGenesis(homePaths(nodes[0]!.home).genesis));
  }

  get chainId(): string {
    return this.layout.chainId;
  }

  get validators(): TestNode[] {
    return this.nodes.filter((n) => n.validator);
  }

  get fullNodes(): TestNode[] {
    return this.nodes.filter((n) => !n.validator);
  }

  /** The genesis validator set (power order, as consensus indexes it). */
  validatorSet(): ValidatorSet {
    const vals: Validator[] = this.genesis.validators.map((v) => ({ address: v.address, pubKeyEd25519: v.pubKeyEd25519, votingPower: v.power, proposerPriority: 0n, name: v.name }));
    return new ValidatorSet(vals);
  }

  /** Proposer of (height, round), computed exactly as consensus does. */
  proposerOf(h: bigint, round: number): Validator {
    return this.validatorSet()
      .advanced(Number(h - this.genesis.initialHeight + 1n))
      .proposer(round);
  }

  nodeByAddress(address: string): TestNode | undefined {
    return this.validators.find((n) => n.address === address);
  }

  start(nodes: readonly TestNode[] = this.nodes, extraArgs: string[] = []): void {
    for (const n of nodes) n.start(extraArgs);
  }

  /** Waits until every given node serves RPC at height >= minHeight; fails at once if one exits. */
  async waitReady(nodes: readonly TestNode[] = this.nodes, minHeight = 1, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const n of nodes) {
      for (;;) {
        if (!n.running) throw new Error(`${n.moniker} is not running\n--- ${n.logFile} (tail) ---\n${n.log().slice(-3000)}`);
        if (((await tryHeight(n.rpcUrl)) ?? -1) >= minHeight) break;
        if (Date.now() > deadline) throw new Error(`${n.moniker} not at height ${minHeight} after ${timeoutMs} ms\n--- ${n.logFile} (tail) ---\n${n.log().slice(-3000)}`);
        await sleep(100);
      }
    }
  }

  async heights(nodes: readonly TestNode[] = this.nodes): Promise<Array<number | undefined>> {
    return Promise.all(nodes.map((n) => tryHeight(n.rpcUrl)));
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }

  /** Stops everything; removes the directory unless VANNA_KEEP_TESTNET is set (or `keep`). */
  async destroy(keep = false): Promise<void> {
    await this.stopAll();
    if (keep || process.env["VANNA_KEEP_TESTNET"]) {
      console.log(`testnet kept in ${this.dir}`);
      return;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Chain collection over RPC

export interface BlockIdJson {
  hash: string;
  parts: { total: number; hash: string };
}

export interface CommitSigJson {
  block_id_flag: number;
  validator_address: string;
  timestamp: string;
  signature: string | null;
}

export interface CommitJson {
  height: string;
  round: number;
  block_id: BlockIdJson;
  signatures: CommitSigJson[];
}

export interface HeaderJson {
  chain_id: string;
  height: string;
  time: string;
  last_block_id: BlockIdJson;
  last_commit_hash: string;
  data_hash: string;
  validators_hash: string;
  app_hash: string;
  last_results_hash: string;
  evidence_hash: string;
  proposer_address: string;
}

export interface BlockResponseJson {
  block_id: BlockIdJson;
  block: { header: HeaderJson; data: { txs: string[] | null }; evidence: { evidence: unknown[] }; last_commit: CommitJson };
}

export interface CommitResponseJson {
  signed_header: { header: HeaderJson; commit: CommitJson };
  canonical: boolean;
}

export interface HeightRecord {
  height: number;
  blockId: BlockIdJson;
  header: HeaderJson;
  txs: string[];
  evidence: unknown[];
  lastCommit: CommitJson;
  /** The commit this node stored for the block. */
  commit: CommitJson;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/** `block` and `commit` of every height in [from, to] from one node. */
export async function collectChain(url: string, from: number, to: number, concurrency = 4): Promise<HeightRecord[]> {
  const heightsList = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  return mapLimit(heightsList, concurrency, async (h) => {
    const [b, c] = await Promise.all([
      rpc<BlockResponseJson>(url, "block", { height: String(h) }, 15_000),
      rpc<CommitResponseJson>(url, "commit", { height: String(h) }, 15_000),
    ]);
    return {
      height: h,
      blockId: b.block_id,
      header: b.block.header,
      txs: b.block.data.txs ?? [],
      evidence: b.block.evidence.evidence ?? [],
      lastCommit: b.block.last_commit,
      commit: c.signed_header.commit,
    };
  });
}

/**
 * C1: the same block hash, app hash, last results hash and data hash (and commit block id) at every height on
 * every node. Returns one line per mismatch (empty: consistent).
 */
export function compareChains(chains: ReadonlyArray<{ name: string; records: readonly HeightRecord[] }>): string[] {
  const problems: string[] = [];
  const [ref, ...others] = chains;
  if (ref === undefined) return problems;
  const byHeight = (rs: readonly HeightRecord[]) => new Map(rs.map((r) => [r.height, r]));
  const refMap = byHeight(ref.records);
  for (const r of ref.records) {
    if (r.commit.block_id.hash !== r.blockId.hash) problems.push(`${ref.name} h${r.height}: commit signs ${r.commit.block_id.hash}, block is ${r.blockId.hash}`);
  }
  for (const o of others) {
    const m = byHeight(o.records);
    for (const [h, a] of refMap) {
      const b = m.get(h);
      if (b === undefined) {
        problems.push(`${o.name} has no height ${h}`);
        continue;
      }
      for (const [field, x, y] of [
        ["block hash", a.blockId.hash, b.blockId.hash],
        ["parts hash", a.blockId.parts.hash, b.blockId.parts.hash],
        ["app_hash", a.header.app_hash, b.header.app_hash],
        ["last_results_hash", a.header.last_results_hash, b.header.last_results_hash],
        ["data_hash", a.header.data_hash, b.header.data_hash],
        ["commit block id", a.commit.block_id.hash, b.commit.block_id.hash],
      ] as const) {
        if (x !== y) problems.push(`h${h} ${field}: ${ref.name} ${x} != ${o.name} ${y}`);
      }
    }
  }
  return problems;
}

/** Collects [1, upTo] from every node and runs C1; returns the records by node name for further checks. */
export async function checkSameChain(nodes: readonly TestNode[], upTo: number): Promise<{ records: Map<string, HeightRecord[]>; problems: string[] }> {
  const records = new Map<string, HeightRecord[]>();
  for (const n of nodes) records.set(n.moniker, await collectChain(n.rpcUrl, 1, upTo));
  const problems = compareChains([...records].map(([name, rs]) => ({ name, records: rs })));
  return { records, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// C5: double signs

/** One signed consensus message as observed somewhere (a commit, a last commit, a WAL). */
export interface SignedRecord {
  /** "prevote" | "precommit" | "proposal". */
  type: string;
  /** Validator address (uppercase hex); for proposals the proposer of (height, round). */
  signer: string;
  height: bigint;
  round: number;
  /** Block hash signed, "" for nil; proposals also carry the POL round. */
  target: string;
  signature: string;
  source: string;
}

function blockIdFromJson(b: BlockIdJson): BlockId {
  return { hash: Buffer.from(b.hash, "hex"), partSetHeader: { total: b.parts.total, hash: Buffer.from(b.parts.hash, "hex") } };
}

/**
 * Every non-absent precommit of a commit as a SignedRecord; with `verify`, each signature is checked against the
 * genesis key of its validator (an invalid one is reported in `bad`).
 */
export function commitRecords(chainId: string, commit: CommitJson, source: string, keys: Map<string, Uint8Array>, bad: string[]): SignedRecord[] {
  const out: SignedRecord[] = [];
  if (commit.height === "0") return out;
  for (const sig of commit.signatures) {
    if (sig.block_id_flag !== 2 && sig.block_id_flag !== 3) continue;
    const forBlock = sig.block_id_flag === 2;
    const rec: SignedRecord = {
      type: "precommit",
      signer: sig.validator_address,
      height: BigInt(commit.height),
      round: commit.round,
      target: forBlock ? commit.block_id.hash : "",
      signature: sig.signature ?? "",
      source,
    };
    const pub = keys.get(sig.validator_address);
    if (pub === undefined) {
      bad.push(`${source}: signature from unknown validator ${sig.validator_address}`);
    } else {
      const signBytes = voteSignBytes({
        type: SignedMsgType.Precommit,
        height: rec.height,
        round: rec.round,
        blockId: forBlock ? blockIdFromJson(commit.block_id) : undefined,
        timestampNs: parseRfc3339Ns(sig.timestamp),
        chainId,
      });
      if (!verifyEd25519(pub, signBytes, Buffer.from(rec.signature, "base64"))) bad.push(`${source}: invalid precommit signature of ${rec.signer} at ${rec.height}/${rec.round}`);
    }
    out.push(rec);
  }
  return out;
}

/** Votes and proposals in a validator's consensus WAL (its own and the verified ones it received). */
export async function walRecords(testnet: Testnet, node: TestNode): Promise<SignedRecord[]> {
  const out: SignedRecord[] = [];
  const records = await readAllWalRecords(homePaths(node.home).wal);
  const idOf = (b: BlockId | undefined) => (b === undefined ? "" : hex(b.hash));
  for (const r of records) {
    if (r.kind !== "message") continue;
    const m = r.message;
    if (m.kind === "vote") {
      const v = m.vote;
      out.push({
        type: v.type === 1 ? "prevote" : "precommit",
        signer: hex(v.validatorAddress),
        height: v.height,
        round: v.round,
        target: idOf(v.blockId),
        signature: Buffer.from(v.signature).toString("base64"),
        source: `${node.moniker} WAL`,
      });
    } else if (m.kind === "proposal") {
      const p = m.proposal;
      out.push({
        type: "proposal",
        signer: hex(testnet.proposerOf(p.height, p.round).address),
        height: p.height,
        round: p.round,
        target: `${idOf(p.blockId)}/pol${p.polRound}`,
        signature: Buffer.from(p.signature).toString("base64"),
        source: `${node.moniker} WAL`,
      });
    }
  }
  return out;
}

/**
 * Groups by (signer, height, round, type): an honest validator signs exactly one message there (a re-release after
 * a restart carries the same signature). Returns one line per equivocation.
 */
export function findEquivocations(records: readonly SignedRecord[]): string[] {
  const groups = new Map<string, Map<string, string[]>>();
  for (const r of records) {
    const key = `${r.signer} ${r.height}/${r.round}/${r.type}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = new Map()));
    const variant = `${r.target}|${r.signature}`;
    const sources = g.get(variant) ?? [];
    sources.push(r.source);
    g.set(variant, sources);
  }
  const out: string[] = [];
  for (const [key, variants] of groups) {
    if (variants.size > 1) out.push(`${key}: ${[...variants].map(([v, s]) => `${v} (seen in ${[...new Set(s)].join(", ")})`).join(" VS ")}`);
  }
  return out;
}

export function validatorPubKeys(testnet: Testnet): Map<string, Uint8Array> {
  return new Map(testnet.genesis.validators.map((v) => [hex(v.address), v.pubKeyEd25519]));
}

/** Precommits of every node's commits and blocks' last commits. */
export function signedRecordsFromChains(testnet: Testnet, chains: Map<string, HeightRecord[]>, bad: string[]): SignedRecord[] {
  const keys = validatorPubKeys(testnet);
  const out: SignedRecord[] = [];
  for (const [name, records] of chains) {
    for (const r of records) {
      out.push(...commitRecords(testnet.chainId, r.commit, `${name} commit@${r.height}`, keys, bad));
      out.push(...commitRecords(testnet.chainId, r.lastCommit, `${name} block@${r.height}.last_commit`, keys, bad));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// C1 from headers only (`blockchain`, 20 heights per call): cheap enough for long chains and many nodes

interface BlockchainJson {
  last_height: string;
  block_metas: Array<{ block_id: BlockIdJson; header: HeaderJson; num_txs: string }>;
}

export interface HeaderRecord {
  height: number;
  blockHash: string;
  appHash: string;
  lastResultsHash: string;
  dataHash: string;
  numTxs: number;
}

export async function collectHeaders(url: string, from: number, to: number): Promise<HeaderRecord[]> {
  const out: HeaderRecord[] = [];
  for (let lo = from; lo <= to; lo += 20) {
    const hi = Math.min(to, lo + 19);
    const r = await rpc<BlockchainJson>(url, "blockchain", { minHeight: String(lo), maxHeight: String(hi) }, 15_000);
    for (const m of r.block_metas) {
      out.push({
        height: Number(m.header.height),
        blockHash: m.block_id.hash,
        appHash: m.header.app_hash,
        lastResultsHash: m.header.last_results_hash,
        dataHash: m.header.data_hash,
        numTxs: Number(m.num_txs),
      });
    }
  }
  return out.sort((a, b) => a.height - b.height);
}

/** C1 over [1, upTo] from block headers; returns one line per difference or missing height. */
export async function checkSameHeaders(nodes: readonly TestNode[], upTo: number): Promise<string[]> {
  const problems: string[] = [];
  const all = await Promise.all(nodes.map(async (n) => ({ name: n.moniker, headers: new Map((await collectHeaders(n.rpcUrl, 1, upTo)).map((h) => [h.height, h])) })));
  const ref = all[0]!;
  for (let h = 1; h <= upTo; h++) {
    const a = ref.headers.get(h);
    if (a === undefined) {
      problems.push(`${ref.name} has no height ${h}`);
      continue;
    }
    for (const o of all.slice(1)) {
      const b = o.headers.get(h);
      if (b === undefined) problems.push(`${o.name} has no height ${h}`);
      else if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`h${h}: ${ref.name} ${JSON.stringify(a)} != ${o.name} ${JSON.stringify(b)}`);
    }
  }
  return problems;
}

/** (height, time in ms) of every "committed block" line of a node log, in order. */
export function commitTimesFromLog(log: string): Array<{ height: number; ms: number }> {
  const out: Array<{ height: number; ms: number }> = [];
  for (const line of log.split("\n")) {
    const m = /^(\S+) INFO\s+\[chain\] committed block height=(\d+)/.exec(line);
    if (m) out.push({ height: Number(m[2]), ms: Date.parse(m[1]!) });
  }
  return out;
}
