/**
 * The mempool: txs that passed CheckTx, in arrival order. It rejects what will not fit (too large, full,
 * duplicate) before running CheckTx, and after every commit re-checks what is left against the new state,
 * dropping txs that became invalid (spent funds, used sequences).
 */
import type { Application, TxResult } from "../../src/app/application.js";
import { sha256 } from "../../src/crypto/hash.js";

export interface MempoolLimits {
  maxTxs: number;
  maxTxsBytes: number;
  maxTxBytes: number;
  /** How many recently seen tx hashes are remembered to reject duplicates. */
  cacheSize: number;
}

export interface MempoolTx {
  tx: Uint8Array;
  hash: Uint8Array;
  gasWanted: bigint;
  sender: string | undefined;
}

export type TxSource = "rpc" | "peer";

export type MempoolRejection = "txTooLarge" | "mempoolFull" | "txInCache";

export class MempoolError extends Error {
  override readonly name = "MempoolError";
  constructor(
    readonly kind: MempoolRejection,
    message: string,
  ) {
    super(message);
  }
}

export class Mempool {
  private readonly txs = new Map<string, MempoolTx>();
  private readonly seen = new Map<string, true>();
  private totalBytes = 0;
  private readonly listeners = new Set<(tx: MempoolTx, source: TxSource) => void>();

  constructor(
    private readonly app: Application,
    private readonly limits: MempoolLimits,
  ) {}

  get size(): number {
    return this.txs.size;
  }

  get sizeBytes(): number {
    return this.totalBytes;
  }

  /**
   * Runs CheckTx; on success the tx joins the pool. Throws MempoolError for rejections before CheckTx. The
   * source tells listeners whether to gossip it (txs from peers are forwarded by gossipsub itself).
   */
  add(tx: Uint8Array, source: TxSource = "rpc"): { hash: Uint8Array; result: TxResult } {
    if (tx.length > this.limits.maxTxBytes) {
      throw new MempoolError("txTooLarge", `tx too large: ${tx.length} bytes, max ${this.limits.maxTxBytes}`);
    }
    const hash = sha256(tx);
    const key = keyOf(hash);
    if (this.seen.has(key)) throw new MempoolError("txInCache", "tx already exists in cache");
    if (this.txs.size >= this.limits.maxTxs || this.totalBytes + tx.length > this.limits.maxTxsBytes) {
      throw new MempoolError("mempoolFull", `mempool is full: number of txs ${this.txs.size} (max: ${this.limits.maxTxs}), total txs bytes ${this.totalBytes} (max: ${this.limits.maxTxsBytes})`);
    }
    const result = this.app.checkTx(tx, "new");
    if (result.code !== 0) return { hash, result };
    this.remember(key);
    const entry: MempoolTx = { tx, hash, gasWanted: result.gasWanted, sender: "sender" in result ? (result.sender as string | undefined) : undefined };
    this.txs.set(key, entry);
    this.totalBytes += tx.length;
    for (const listener of this.listeners) listener(entry, source);
    return { hash, result };
  }

  /** Txs for the next block, in arrival order, within the byte and gas budgets (-1 gas = unlimited). */
  reap(maxBytes: number, maxGas: bigint): Uint8Array[] {
    const out: Uint8Array[] = [];
    let bytes = 0;
    let gas = 0n;
    for (const entry of this.txs.values()) {
      if (bytes + entry.tx.length > maxBytes) break;
      if (maxGas >= 0n && gas + entry.gasWanted > maxGas) break;
      out.push(entry.tx);
      bytes += entry.tx.length;
      gas += entry.gasWanted;
    }
    return out;
  }

  /**
   * After a commit: removes the block's txs, then re-checks the rest in arrival order against the fresh
   * check state (the app resets it on commit), dropping those that no longer pass.
   */
  update(committed: readonly Uint8Array[]): { removed: number; evicted: number } {
    let removed = 0;
    for (const tx of committed) {
      const key = keyOf(sha256(tx));
      this.remember(key);
      if (this.drop(key)) removed++;
    }
    let evicted = 0;
    for (const [key, entry] of [...this.txs]) {
      if (this.app.checkTx(entry.tx, "recheck").code !== 0) {
        this.drop(key);
        // Forget it so that a corrected resubmission of the same bytes (e.g. after a refill) is possible.
        this.seen.delete(key);
        evicted++;
      }
    }
    return { removed, evicted };
  }

  has(hash: Uint8Array): boolean {
    return this.txs.has(keyOf(hash));
  }

  list(limit: number): Uint8Array[] {
    return [...this.txs.values()].slice(0, limit).map((e) => e.tx);
  }

  onAdd(listener: (tx: MempoolTx, source: TxSource) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private drop(key: string): boolean {
    const entry = this.txs.get(key);
    if (entry === undefined) return false;
    this.txs.delete(key);
    this.totalBytes -= entry.tx.length;
    return true;
  }

  private remember(key: string): void {
    if (this.seen.size >= this.limits.cacheSize) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    this.seen.set(key, true);
  }
}

function keyOf(hash: Uint8Array): string {
  return Buffer.from(hash).toString("latin1");
}
