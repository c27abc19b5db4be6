/**
 * Remembers which txs already passed signature verification in CheckTx, so block execution does not verify
 * the same signature twice (verification is the throughput ceiling). Keyed by tx hash (the hash covers body,
 * auth info and signature) plus the signer's account number (the only other input to the sign bytes, with
 * the chain id, which is fixed). Bounded: the oldest entries are dropped first.
 */
export class SignatureCache {
  private readonly entries = new Map<string, bigint>();
  constructor(private readonly capacity = 50_000) {}

  has(txHashKey: string, accountNumber: bigint): boolean {
    return this.entries.get(txHashKey) === accountNumber;
  }

  add(txHashKey: string, accountNumber: bigint): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(txHashKey, accountNumber);
  }

  delete(txHashKey: string): void {
    this.entries.delete(txHashKey);
  }

  get size(): number {
    return this.entries.size;
  }
}
