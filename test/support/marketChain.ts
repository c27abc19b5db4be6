/**
 * An in-process Vanna chain with the options markets, driven through the real application path: the BaseApp of
 * modules/app.ts, genesis from node/config/appState.ts, txs signed by cosmjs (SIGN_MODE_DIRECT) with the client
 * registry, blocks with advancing header time, oracle prices and smiles fed as vote extensions produced by the
 * app's own handler (one validator with all the power), and ABCI queries through the client's QueryClient
 * extension. After every block it checks every module's invariants plus the economic ones: the uusdc supply is
 * unchanged and equals the sum of all balances, subaccount collateral equals the subaccounts module account,
 * positions net to zero per series, and the fee pool holds exactly the fees of every fill seen.
 */
import { expect } from "vitest";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { createVannaApp } from "../../modules/app.js";
import type { BaseApp } from "../../src/app/baseApp.js";
import type { CommitVote, FinalizeBlockRequest, TxResult } from "../../src/app/application.js";
import { RootStore } from "../../src/store/index.js";
import { TxMsgData } from "../../src/codec/index.js";
import type { Event } from "../../src/types/events.js";
import { ACCOUNT_PREFIX, moduleAddress, toBech32Address } from "../../src/crypto/address.js";
import { ModulePrefix } from "../../modules/prefixes.js";
import { DEFAULT_OPTIONS_PARAMS, optionsParamsToJson } from "../../modules/options/index.js";
import type { Observation, ObservationSource } from "../../modules/oracle/index.js";
import { buildAppState, devFunding } from "../../node/config/appState.js";
import { createVannaRegistry, decodeMsgResponses, fillsOf, SubaccountsCodec, vannaQueryClient, type VannaQueryClient } from "../../node/client/index.js";
import { devWallet, header, TEST_CHAIN_ID, testAppOptions, GENESIS_TIME_NS } from "./devChain.js";
import { accountOf, balanceOf } from "./queries.js";

export const SEC = 1_000_000_000n;
export const BTC_100K = 100_000_000_000n;
export const ETH_3K = 3_000_000_000n;
export const SUBACCOUNTS_MODULE = toBech32Address(ACCOUNT_PREFIX, moduleAddress("subaccounts"));
export const FEE_POOL = toBech32Address(ACCOUNT_PREFIX, moduleAddress("clob_fee_pool"));
/** Enough gas for a 500-order batch; the fee is gas × the test's minimum gas price (0.0025uvanna). */
export const BIG_FEE: StdFee = { amount: [{ denom: "uvanna", amount: "50000" }], gas: "20000000" };
export const VALIDATOR = new Uint8Array(20).fill(7);

export interface SmileFeed {
  atmVolPpm: bigint;
  skewPpm: bigint;
  curvaturePpm: bigint;
}

/** What the validator's feeder reports in the next block's vote extension. */
export interface Feed {
  on: boolean;
  spots: Record<string, bigint>;
  smile: SmileFeed;
}

export interface BlockOutcome {
  height: bigint;
  timeNs: bigint;
  txResults: TxResult[];
  events: Event[];
  appHash: Uint8Array;
}

export interface ChainOptions {
  /** Extra or replaced genesis sections (after buildAppState). */
  appState?: (state: Record<string, unknown>, addrs: string[]) => Record<string, unknown>;
  /** Seconds between blocks unless a block says otherwise (default 2). */
  blockSeconds?: bigint;
  /** Check invariants after every block (default true). */
  checkEveryBlock?: boolean;
}

/**
 * Listing policy used by the tests: BTC as in the defaults but with one expiry of each kind (fewer series, so
 * the per-block checks stay fast), and a small ETH market with a lot of 10 contracts (to exercise lot sizes).
 */
export function testOptionsParams(authority: string) {
  const [btc, eth] = DEFAULT_OPTIONS_PARAMS.underlyings;
  return optionsParamsToJson({
    ...DEFAULT_OPTIONS_PARAMS,
    authority,
    underlyings: [
      { ...btc!, strikesEachSide: 5, dailyExpiries: 1, weeklyExpiries: 1, monthlyExpiries: 1 },
      { ...eth!, minSizeContracts: 10n, maxOrderSizeContracts: 10_000n, strikesEachSide: 1, dailyExpiries: 1, weeklyExpiries: 0, monthlyExpiries: 0 },
    ],
  });
}

export function genesisState(addrs: string[], opts: ChainOptions = {}): Record<string, unknown> {
  const state = { ...buildAppState(devFunding(addrs)), options: { params: testOptionsParams(addrs[0]!) } };
  return opts.appState === undefined ? state : opts.appState(state, addrs);
}

/** A second node's app at genesis (no feeder of its own: it executes the blocks it is given). */
export function followerApp(addrs: string[], opts: ChainOptions = {}): BaseApp {
  const app = createVannaApp(testAppOptions());
  app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState: genesisState(addrs, opts), validators: [] });
  app.commit();
  return app;
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export class MarketChain {
  readonly feed: Feed = { on: true, spots: { BTC: BTC_100K, ETH: ETH_3K }, smile: { atmVolPpm: 600_000n, skewPpm: 0n, curvaturePpm: 0n } };
  timeNs = GENESIS_TIME_NS;
  /** Σ maker + taker fees of every order_filled event seen: what the fee pool must hold. */
  feesSeen = 0n;
  readonly uusdcSupply: bigint;
  private readonly pendingSeq = new Map<string, number>();
  private readonly signer: SigningStargateClient;
  readonly q: VannaQueryClient;
  readonly blockSeconds: bigint;
  checkEveryBlock: boolean;
  /** The last block's FinalizeBlock request (to replay it on another app). */
  lastRequest: FinalizeBlockRequest | undefined;
  /** Apps that execute every block too (same request) and must agree on every app hash. */
  readonly followers: BaseApp[] = [];
  /** Every block's writes, as a node persists them (for restore tests). */
  readonly persisted = new Map<string, Uint8Array>();

  private constructor(
    readonly app: BaseApp,
    readonly store: RootStore,
    readonly addrs: string[],
    signer: SigningStargateClient,
    opts: ChainOptions,
  ) {
    this.signer = signer;
    this.q = vannaQueryClient(inProcessComet(app));
    this.blockSeconds = opts.blockSeconds ?? 2n;
    this.checkEveryBlock = opts.checkEveryBlock ?? true;
    this.uusdcSupply = this.supplyOf("uusdc");
  }

  static async create(opts: ChainOptions = {}): Promise<MarketChain> {
    const dev = await devWallet();
    const addrs = dev.addresses;
    const signer = await SigningStargateClient.offline(dev.wallet, { registry: createVannaRegistry() });
    const store = new RootStore();
    const feedRef: { chain?: MarketChain } = {};
    const source: ObservationSource = { name: "test-feed", observe: (req) => feedRef.chain?.observe(req.expiries) };
    const app = createVannaApp({ ...testAppOptions(), oracleSource: source }, { store, lastBlockTimeNs: 0n });
    const appState = genesisState(addrs, opts);
    app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState, validators: [] });
    const chain = new MarketChain(app, store, addrs, signer, opts);
    chain.persist(app.commit().changes);
    feedRef.chain = chain;
    chain.check();
    return chain;
  }

  // ---- oracle feed -----------------------------------------------------------------------------------

  private observe(expiries: ReadonlyMap<string, readonly bigint[]> | undefined): Observation | undefined {
    if (!this.feed.on) return undefined;
    const symbols = Object.keys(this.feed.spots).sort();
    return {
      spots: symbols.map((u) => ({ underlying: u, priceMicroUsd: this.feed.spots[u]! })),
      smiles: symbols.flatMap((u) => (expiries?.get(u) ?? []).map((expiryUnixS) => ({ underlying: u, expiryUnixS, ...this.feed.smile }))),
    };
  }

  /** The last commit's votes: this validator's extension made now by the app's own handler from the feed. */
  private votes(height: bigint): CommitVote[] {
    if (height === 1n) return [];
    const extension = this.app.extendVote({ height: height - 1n, round: 0, blockHash: new Uint8Array(32) });
    if (extension.length > 0) expect(this.app.verifyVoteExtension({ height: height - 1n, validatorAddress: VALIDATOR, extension })).toBe(true);
    return [{ validatorAddress: VALIDATOR, votingPower: 10n, signed: true, extension }];
  }

  // ---- txs and blocks --------------------------------------------------------------------------------

  async sign(from: string, msgs: EncodeObject[], fee: StdFee = BIG_FEE, memo = ""): Promise<Uint8Array> {
    const account = accountOf(this.app, from)!;
    const pending = this.pendingSeq.get(from) ?? 0;
    this.pendingSeq.set(from, pending + 1);
    const raw = await this.signer.sign(from, msgs, fee, memo, { accountNumber: account.accountNumber, sequence: Number(account.sequence) + pending, chainId: TEST_CHAIN_ID });
    return TxRaw.encode(raw).finish();
  }

  /** Signed txs that will never be sent: the next ones reuse their sequences. */
  forgetUnsent(): void {
    this.pendingSeq.clear();
  }

  get height(): bigint {
    return this.app.info().lastBlockHeight;
  }

  /** Executes and commits one block `seconds` (default blockSeconds) after the last, then checks everything. */
  block(txs: Uint8Array[] = [], seconds: bigint = this.blockSeconds): BlockOutcome {
    const height = this.height + 1n;
    const timeNs = this.timeNs + seconds * SEC;
    const req = { header: header(height, timeNs), txs, lastCommitVotes: this.votes(height) };
    this.lastRequest = req;
    const res = this.app.finalizeBlock(req);
    this.persist(this.app.commit().changes);
    // Other nodes fed the same block must reach the same results and app hash.
    for (const f of this.followers) {
      const fr = f.finalizeBlock(req);
      f.commit();
      expect(hex(fr.appHash), `follower app hash at height ${height}`).toBe(hex(res.appHash));
      expect(fr.txResults.map((r) => [r.code, r.log, r.gasUsed])).toEqual(res.txResults.map((r) => [r.code, r.log, r.gasUsed]));
      expect(fr.events).toEqual(res.events);
    }
    this.timeNs = timeNs;
    this.pendingSeq.clear();
    for (const r of res.txResults) for (const f of fillsOf(r)) this.feesSeen += f.makerFeeMicroUsdc + f.takerFeeMicroUsdc;
    for (const f of fillsOf({ events: res.events })) this.feesSeen += f.makerFeeMicroUsdc + f.takerFeeMicroUsdc;
    if (this.checkEveryBlock) this.check();
    return { height, timeNs, txResults: res.txResults, events: res.events, appHash: res.appHash };
  }

  /** Runs blocks until the block time reaches `untilNs` (the last block lands exactly on it). */
  advanceTo(untilNs: bigint, stepSeconds: bigint = this.blockSeconds, each?: (b: BlockOutcome) => void): void {
    while (this.timeNs < untilNs) {
      const left = (untilNs - this.timeNs) / SEC;
      const b = this.block([], left < stepSeconds ? left : stepSeconds);
      each?.(b);
    }
  }

  /** Signs one tx, runs it alone in a block, returns its result. */
  async exec(from: string, msgs: EncodeObject[], fee: StdFee = BIG_FEE): Promise<TxResult> {
    const b = this.block([await this.sign(from, msgs, fee)]);
    return b.txResults[0]!;
  }

  /** Like exec, but the tx must succeed. */
  async ok(from: string, msgs: EncodeObject[]): Promise<TxResult> {
    const r = await this.exec(from, msgs);
    expect([r.code, r.codespace, r.log]).toEqual([0, "", expect.anything()]);
    return r;
  }

  private persist(changes: ReadonlyArray<{ key: Uint8Array; value?: Uint8Array | undefined }>): void {
    for (const c of changes) {
      const k = Buffer.from(c.key).toString("latin1");
      if (c.value === undefined) this.persisted.delete(k);
      else this.persisted.set(k, c.value);
    }
  }

  persistedEntries(): Array<[Uint8Array, Uint8Array]> {
    return [...this.persisted].map(([k, v]) => [new Uint8Array(Buffer.from(k, "latin1")), v]);
  }

  // ---- state reads -----------------------------------------------------------------------------------

  private iterate(prefix: number[]): IterableIterator<[Uint8Array, Uint8Array]> {
    const start = new Uint8Array(prefix);
    const end = new Uint8Array(prefix);
    end[end.length - 1]! += 1;
    return this.store.reader().iterate(start, end);
  }

  supplyOf(denom: string): bigint {
    const raw = this.store.reader().get(new Uint8Array([ModulePrefix.bank, 0x01, ...new TextEncoder().encode(denom)]));
    return raw === undefined ? 0n : BigInt(new TextDecoder().decode(raw));
  }

  /** Σ of every account's balance of `denom`, straight from the bank's store. */
  totalBalances(denom: string): bigint {
    const suffix = new TextEncoder().encode(denom);
    let total = 0n;
    for (const [key, value] of this.iterate([ModulePrefix.bank, 0x02])) {
      const len = key[2]!;
      const d = key.subarray(3 + len);
      if (d.length === suffix.length && d.every((b, i) => b === suffix[i])) total += BigInt(new TextDecoder().decode(value));
    }
    return total;
  }

  /** Every key/value of the given modules' state (hex), to compare before and after a block. */
  snapshot(modules: Array<keyof typeof ModulePrefix>): Map<string, string> {
    const out = new Map<string, string>();
    for (const m of modules) for (const [k, v] of this.iterate([ModulePrefix[m]])) out.set(hex(k), hex(v));
    return out;
  }

  /** uusdc balances of the dev accounts and module accounts. */
  async usdcBalances(): Promise<bigint[]> {
    return Promise.all([...this.addrs, SUBACCOUNTS_MODULE, FEE_POOL].map(async (a) => BigInt((await this.q.bank.balance(a, "uusdc")).amount)));
  }

  async collateral(owner: string, number = 0): Promise<bigint> {
    const s = await this.q.subaccounts.subaccount(owner, number).catch(() => undefined);
    return s === undefined ? 0n : BigInt(s.quoteMicroUsdc);
  }

  async position(owner: string, seriesId: bigint, number = 0): Promise<bigint> {
    const s = await this.q.subaccounts.subaccount(owner, number).catch(() => undefined);
    const p = s?.positions.find((x) => x.instrumentId === seriesId);
    return p === undefined ? 0n : BigInt(p.sizeContracts);
  }

  // ---- the checks after every block ------------------------------------------------------------------

  check(): void {
    expect(this.app.checkInvariants(), `invariants at height ${this.height}`).toEqual([]);
    // Total uusdc conserved: supply never changes and every micro-USDC sits in some balance.
    expect(this.supplyOf("uusdc"), "uusdc supply").toBe(this.uusdcSupply);
    expect(this.totalBalances("uusdc"), "Σ uusdc balances").toBe(this.uusdcSupply);
    const subaccounts = this.allSubaccounts();
    const collateral = subaccounts.reduce((a, s) => a + s.collateral, 0n);
    expect(collateral, "Σ subaccount collateral = subaccounts module account").toBe(this.bankBalance(SUBACCOUNTS_MODULE, "uusdc"));
    const net = new Map<bigint, bigint>();
    for (const s of subaccounts) for (const [id, size] of s.positions) net.set(id, (net.get(id) ?? 0n) + size);
    for (const [id, size] of net) expect(size, `positions of series ${id} net to zero`).toBe(0n);
    expect(this.bankBalance(FEE_POOL, "uusdc"), "fee pool = Σ fees of fills").toBe(this.feesSeen);
  }

  bankBalance(address: string, denom: string): bigint {
    return balanceOf(this.app, address, denom);
  }

  /** Every subaccount in the subaccounts store (all owners): collateral and positions by series. */
  allSubaccounts(): Array<{ key: string; collateral: bigint; positions: Map<bigint, bigint> }> {
    const rows = new Map<string, { key: string; collateral: bigint; positions: Map<bigint, bigint> }>();
    const row = (key: string) => {
      let r = rows.get(key);
      if (r === undefined) rows.set(key, (r = { key, collateral: 0n, positions: new Map() }));
      return r;
    };
    for (const [key, value] of this.iterate([ModulePrefix.subaccounts, 0x01])) row(hex(key.subarray(2))).collateral = BigInt(new TextDecoder().decode(value));
    for (const [key, value] of this.iterate([ModulePrefix.subaccounts, 0x02])) {
      const idEnd = 3 + key[2]! + 4;
      const seriesId = Buffer.from(key.subarray(idEnd)).readBigUInt64BE(0);
      row(hex(key.subarray(2, idEnd))).positions.set(seriesId, BigInt(SubaccountsCodec.PositionStateProto.decode(value).sizeContracts));
    }
    return [...rows.values()];
  }
}

/** The subset of CometClient that QueryClient uses (abciQuery), answered by the app in-process. */
function inProcessComet(app: BaseApp): CometClient {
  const comet = {
    abciQuery: async (params: { path: string; data: Uint8Array; height?: number; prove?: boolean }) => {
      const r = app.query({ path: params.path, data: params.data, height: BigInt(params.height ?? 0), prove: params.prove ?? false });
      return { code: r.code, codespace: r.codespace, log: r.log, key: r.key, value: r.value, height: Number(r.height), index: 0, info: "", proof: undefined };
    },
    disconnect: () => undefined,
  };
  return comet as unknown as CometClient;
}

/** A failed tx: its codespace, code and log (the user-facing error). */
export function expectTxError(r: TxResult, codespace: string, code: number, log: RegExp): void {
  expect({ codespace: r.codespace, code: r.code }, r.log).toEqual({ codespace, code });
  expect(r.log, r.log).toMatch(log);
}

/** ceil(a / b) for a >= 0. */
export const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** The decoded Msg responses of a successful tx (MsgPlaceOrderResponse, MsgBatchResponse...). */
export function responsesOf(r: TxResult): unknown[] {
  const any = TxMsgData.decode(r.data).msgResponses;
  return decodeMsgResponses(any.map((a) => ({ typeUrl: a.typeUrl, value: a.value }))).map((x) => x.value);
}
