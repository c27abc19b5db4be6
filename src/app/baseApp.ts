/**
 * BaseApp: the Application the node drives. It owns the committed state (RootStore), a check-state branch
 * for the mempool's view, and the block branch being executed. Modules plug in through AppModule.
 */
import { ChainError, SdkErrors, toChainError } from "../errors.js";
import { RootStore, type BranchStore } from "../store/index.js";
import type { Header } from "../types/block.js";
import type { Event } from "../types/events.js";
import type { DecCoin } from "../math/decimal.js";
import { decodeTx, type DecodedTx, type TxDecodeLimits } from "../tx/decode.js";
import type {
  AppInfo,
  Application,
  CheckTxMode,
  CheckTxResult,
  CommitResult,
  ExtendVoteRequest,
  FinalizeBlockRequest,
  FinalizeBlockResult,
  InitChainRequest,
  InitChainResult,
  QueryRequest,
  QueryResult,
  TxResult,
} from "./application.js";
import type { Context, ExecMode } from "./context.js";
import { GasMeter, INFINITE_GAS } from "./gas.js";
import type { AppModule, MsgRoute, QueryContext, QueryRoute } from "./module.js";
import { errorResult, runTx, type AnteFn, type TxEnv } from "./txRunner.js";
import { handleStoreQuery, handleSimulate, SIMULATE_PATH, STORE_QUERY_PREFIX } from "./queries.js";
import { classifyMessages, fairnessViolation, orderForFairness, type ClassifiedTx, type TxClassifier } from "./txOrdering.js";

/** Produces and checks vote extensions (the oracle module's job); absent: empty extensions only. */
export interface VoteExtensionHandler {
  extend(req: ExtendVoteRequest): Uint8Array;
  verify(req: { height: bigint; validatorAddress: Uint8Array; extension: Uint8Array }): boolean;
}

export interface BaseAppOptions {
  chainId: string;
  modules: AppModule[];
  ante: AnteFn;
  limits: TxDecodeLimits;
  appVersion: bigint;
  version: string;
  /** Node-local, read by the ante chain in CheckTx through its own closure; kept here for `info`. */
  minGasPrices: readonly DecCoin[];
  voteExtensions?: VoteExtensionHandler;
  /** The trading module's classifier for the in-block fairness rule (txOrdering.ts); absent: any order is valid. */
  txClassifier?: TxClassifier;
  /** Told why a proposal was rejected (for the node's log). */
  onProposalRejected?: (reason: string) => void;
}

/** Extensions are bounded so a validator cannot bloat every block's last commit. */
export const MAX_VOTE_EXTENSION_BYTES = 64 * 1024;

export interface RestoredState {
  store: RootStore;
  lastBlockTimeNs: bigint;
}

interface PendingCommit {
  height: bigint;
  appHash: Uint8Array;
  changes: CommitResult["changes"];
}

export class BaseApp implements Application {
  private readonly store: RootStore;
  private readonly msgRoutes = new Map<string, MsgRoute<unknown>>();
  private readonly queryRoutes = new Map<string, QueryRoute>();
  private checkState: BranchStore;
  /**
   * Decoded txs by the identity of their bytes: the mempool re-checks and the proposer executes the very
   * arrays it received, so each is decoded (and hashed) once. Only a cache: results never depend on it.
   */
  private readonly decoded = new WeakMap<Uint8Array, DecodedTx>();
  private lastBlockTimeNs: bigint;
  private pending: PendingCommit | undefined;

  constructor(
    private readonly opts: BaseAppOptions,
    restored?: RestoredState,
  ) {
    this.store = restored?.store ?? new RootStore();
    this.lastBlockTimeNs = restored?.lastBlockTimeNs ?? 0n;
    const prefixes = new Set<number>();
    for (const m of opts.modules) {
      if (prefixes.has(m.storePrefix)) throw new Error(`duplicate store prefix ${m.storePrefix} (module ${m.name})`);
      prefixes.add(m.storePrefix);
      for (const r of m.msgRoutes) this.addUnique(this.msgRoutes, r.typeUrl, r);
      for (const q of m.queryRoutes) this.addUnique(this.queryRoutes, q.path, q);
    }
    this.checkState = this.store.branch();
  }

  get chainId(): string {
    return this.opts.chainId;
  }

  info(): AppInfo {
    return { lastBlockHeight: this.store.height, lastBlockAppHash: this.store.appHash(), appVersion: this.opts.appVersion, version: this.opts.version };
  }

  initChain(req: InitChainRequest): InitChainResult {
    if (req.chainId !== this.opts.chainId) throw new Error(`genesis chain id ${req.chainId} does not match app chain id ${this.opts.chainId}`);
    if (this.store.height !== 0n || !this.store.reader().iterate().next().done) throw new Error("initChain on a non-empty state");
    const appState = (req.appState ?? {}) as Record<string, unknown>;
    const branch = this.store.branch();
    const ctx = this.context("genesis", branch, req.initialHeight - 1n, req.genesisTimeNs, undefined);
    for (const m of this.opts.modules) m.validateGenesis(appState[m.name] ?? m.defaultGenesis());
    for (const m of this.opts.modules) m.initGenesis(ctx, appState[m.name] ?? m.defaultGenesis());
    const height = req.initialHeight - 1n;
    const { appHash, changes } = this.store.commit(branch.changes(), height);
    this.pending = { height, appHash, changes };
    this.lastBlockTimeNs = req.genesisTimeNs;
    return { appHash, validators: req.validators };
  }

  checkTx(tx: Uint8Array, mode: CheckTxMode): CheckTxResult {
    let decoded: DecodedTx;
    try {
      decoded = this.decode(tx);
    } catch (err) {
      return { ...errorResult(toChainError(err), 0n, 0n), priority: 0n };
    }
    const branch = this.checkState.branch();
    const outcome = runTx(this.txEnv(mode === "new" ? "check" : "recheck", this.store.height + 1n, this.lastBlockTimeNs, undefined), this.opts.ante, decoded, branch);
    // Only a tx that would pass in a block updates the mempool's view (its fee and sequence).
    if (outcome.result.code === 0) branch.write();
    const signer = decoded.authInfo.signerInfos[0];
    const gasLimit = decoded.authInfo.fee?.gasLimit ?? 0n;
    const feeAmount = decoded.authInfo.fee?.amount.find((c) => c.denom !== "")?.amount ?? "0";
    return {
      ...outcome.result,
      sequence: signer?.sequence,
      sender: outcome.result.code === 0 ? senderOf(decoded) : undefined,
      priority: gasLimit > 0n && /^[0-9]{1,78}$/.test(feeAmount) ? (BigInt(feeAmount) * 1_000_000n) / gasLimit : 0n,
    };
  }

  prepareProposal(txs: readonly Uint8Array[]): Uint8Array[] {
    const classified: Array<ClassifiedTx & { bytes: Uint8Array }> = [];
    for (const bytes of txs) {
      let decoded: DecodedTx;
      try {
        decoded = this.decode(bytes);
      } catch {
        continue; // would make the proposal invalid
      }
      classified.push(this.classify(decoded));
    }
    return orderForFairness(classified).map((t) => t.bytes);
  }

  processProposal(req: FinalizeBlockRequest): boolean {
    const reject = (why: string) => {
      this.opts.onProposalRejected?.(why);
      return false;
    };
    if (req.header.height !== this.store.height + 1n) return reject(`height ${req.header.height}, expected ${this.store.height + 1n}`);
    const classified: ClassifiedTx[] = [];
    for (let i = 0; i < req.txs.length; i++) {
      try {
        classified.push(this.classify(this.decode(req.txs[i]!)));
      } catch (err) {
        return reject(`tx ${i} does not decode: ${(err as Error).message}`);
      }
    }
    const violation = fairnessViolation(classified);
    return violation === undefined ? true : reject(`fairness rule: ${violation}`);
  }

  private classify(decoded: DecodedTx): ClassifiedTx & { bytes: Uint8Array } {
    const classifier = this.opts.txClassifier;
    const tradingClass = classifier === undefined ? "neutral" : classifyMessages(classifier, decoded.msgs.map((m) => ({ typeUrl: m.typeUrl, value: m.msg })));
    return { bytes: decoded.bytes, signer: senderOf(decoded) ?? "", tradingClass };
  }

  extendVote(req: ExtendVoteRequest): Uint8Array {
    return this.opts.voteExtensions?.extend(req) ?? new Uint8Array();
  }

  verifyVoteExtension(req: { height: bigint; validatorAddress: Uint8Array; extension: Uint8Array }): boolean {
    if (req.extension.length > MAX_VOTE_EXTENSION_BYTES) return false;
    const handler = this.opts.voteExtensions;
    return handler === undefined ? req.extension.length === 0 : handler.verify(req);
  }

  finalizeBlock(req: FinalizeBlockRequest): FinalizeBlockResult {
    const height = req.header.height;
    if (height !== this.store.height + 1n) throw new Error(`finalizeBlock at height ${height}, expected ${this.store.height + 1n}`);
    if (this.pending !== undefined) throw new Error("finalizeBlock before the previous block was committed");
    const blockBranch = this.store.branch();
    const timeNs = req.header.timeNs;
    const blockEvents: Event[] = [];
    const beginCtx = { ...this.context("block", blockBranch, height, timeNs, req.header, blockEvents), lastCommitVotes: req.lastCommitVotes ?? [] };
    for (const m of this.opts.modules) m.beginBlock?.(beginCtx);
    const txResults: TxResult[] = req.txs.map((tx) => this.deliverTx(tx, blockBranch, req.header));
    for (const m of this.opts.modules) m.endBlock?.(this.context("block", blockBranch, height, timeNs, req.header, blockEvents));
    const { appHash, changes } = this.store.commit(blockBranch.changes(), height);
    this.pending = { height, appHash, changes };
    this.lastBlockTimeNs = timeNs;
    return { txResults, events: blockEvents, appHash, validatorUpdates: [] };
  }

  commit(): CommitResult {
    const pending = this.pending;
    if (pending === undefined) throw new Error("commit without a finalized block");
    this.pending = undefined;
    this.checkState = this.store.branch();
    return pending;
  }

  query(req: QueryRequest): QueryResult {
    const height = this.store.height;
    const empty = new Uint8Array();
    try {
      if (req.height !== 0n && req.height !== height) {
        throw SdkErrors.invalidHeight.with(`height ${req.height} is not available; this node serves the latest state (height ${height})`);
      }
      const ctx: QueryContext = { chainId: this.opts.chainId, height, blockTimeNs: this.lastBlockTimeNs, store: this.store.reader() };
      if (req.path === SIMULATE_PATH) {
        const value = handleSimulate(req.data, (bytes) => this.simulate(bytes));
        return { code: 0, codespace: "", log: "", key: empty, value, height, proofOps: undefined };
      }
      if (req.path.startsWith(STORE_QUERY_PREFIX)) return handleStoreQuery(this.store, this.opts.modules, req, height);
      const route = this.queryRoutes.get(req.path);
      if (route === undefined) throw new ChainError("sdk", 6, `unknown query path: ${req.path.slice(0, 120)}: unknown request`);
      if (req.prove) throw SdkErrors.invalidRequest.with("proofs are served for /store/<module>/key queries only");
      return { code: 0, codespace: "", log: "", key: empty, value: route.handle(ctx, req.data), height, proofOps: undefined };
    } catch (err) {
      const e = toChainError(err);
      return { code: e.code, codespace: e.codespace, log: e.message, key: empty, value: empty, height, proofOps: undefined };
    }
  }

  /** Checks every module's invariants against committed state; returns descriptions of broken ones. */
  checkInvariants(): string[] {
    const ctx: QueryContext = { chainId: this.opts.chainId, height: this.store.height, blockTimeNs: this.lastBlockTimeNs, store: this.store.reader() };
    return this.opts.modules.flatMap((m) => m.invariants?.(ctx) ?? []);
  }

  /** Exports every module's genesis section from committed state (`vanna export`). */
  exportAppState(): Record<string, unknown> {
    const branch = this.store.branch();
    const ctx = this.context("genesis", branch, this.store.height, this.lastBlockTimeNs, undefined);
    return Object.fromEntries(this.opts.modules.map((m) => [m.name, m.exportGenesis(ctx)]));
  }

  private simulate(txBytes: Uint8Array) {
    const decoded = decodeTx(txBytes, (url) => this.msgRoutes.get(url), this.opts.limits);
    const branch = this.store.branch();
    return runTx(this.txEnv("simulate", this.store.height + 1n, this.lastBlockTimeNs, undefined), this.opts.ante, decoded, branch);
  }

  private deliverTx(tx: Uint8Array, blockBranch: BranchStore, header: Header): TxResult {
    let decoded: DecodedTx;
    try {
      decoded = this.decode(tx);
    } catch (err) {
      return errorResult(toChainError(err), 0n, 0n);
    }
    return runTx(this.txEnv("deliver", header.height, header.timeNs, header), this.opts.ante, decoded, blockBranch).result;
  }

  private decode(tx: Uint8Array): DecodedTx {
    let decoded = this.decoded.get(tx);
    if (decoded === undefined) {
      decoded = decodeTx(tx, (url) => this.msgRoutes.get(url), this.opts.limits);
      this.decoded.set(tx, decoded);
    }
    return decoded;
  }

  private txEnv(mode: ExecMode, height: bigint, blockTimeNs: bigint, header: Header | undefined): TxEnv {
    return { mode, chainId: this.opts.chainId, height, blockTimeNs, header };
  }

  private context(mode: ExecMode, store: BranchStore, height: bigint, blockTimeNs: bigint, header: Header | undefined, events: Event[] = []): Context {
    return { mode, chainId: this.opts.chainId, height, blockTimeNs, header, store, gasMeter: new GasMeter(INFINITE_GAS), events };
  }

  private addUnique<T>(map: Map<string, T>, key: string, value: T): void {
    if (map.has(key)) throw new Error(`duplicate route ${key}`);
    map.set(key, value);
  }
}

function senderOf(tx: DecodedTx): string | undefined {
  const first = tx.msgs[0];
  return first === undefined ? undefined : first.route.signers(first.msg)[0];
}
