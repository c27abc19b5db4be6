/**
 * Expiry index: a binary min-heap of (deadline, orderId) with lazy deletion. An entry is valid while its node
 * is live and still points at it; cancelled orders leave stale entries, which are skipped when popped and
 * purged by a rebuild once they outnumber the valid ones. The order of (deadline, orderId) is total, so pops are
 * deterministic regardless of how the heap is laid out.
 */
import type { OrderNode } from "./level.js";

export class ExpiryEntry {
  constructor(
    readonly deadline: bigint,
    readonly node: OrderNode,
  ) {}
}

function before(a: ExpiryEntry, b: ExpiryEntry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.node.orderId < b.node.orderId);
}

export class ExpiryHeap {
  private heap: ExpiryEntry[] = [];
  /** Entries whose node has left the book (or moved to another entry). */
  private stale = 0;

  /** `isValid(entry)` tells whether the entry still stands for a live order. */
  constructor(private readonly isValid: (entry: ExpiryEntry) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  push(entry: ExpiryEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      const t = heap[i]!;
      heap[i] = heap[parent]!;
      heap[parent] = t;
      i = parent;
    }
  }

  /** Notes that one entry became stale; rebuilds when stale entries dominate. */
  markStale(): void {
    this.stale++;
    if (this.stale > 64 && this.stale * 2 > this.heap.length) this.rebuild();
  }

  /** Pops every valid entry with deadline < bound, in (deadline, orderId) order. */
  popBefore(bound: bigint): ExpiryEntry[] {
    const out: ExpiryEntry[] = [];
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.deadline < bound) {
      const top = this.popTop();
      if (this.isValid(top)) out.push(top);
      else this.stale--;
    }
    return out;
  }

  /** All valid entries (for invariant checks). */
  validEntries(): ExpiryEntry[] {
    return this.heap.filter(this.isValid);
  }

  private popTop(): ExpiryEntry {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[c]!, heap[i]!)) return;
      const t = heap[i]!;
      heap[i] = heap[c]!;
      heap[c] = t;
      i = c;
    }
  }

  private rebuild(): void {
    this.heap = this.heap.filter(this.isValid);
    this.stale = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }
}
