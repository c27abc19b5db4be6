/**
 * The order-id index: an open-addressing hash table (linear probing, backward-shift deletion) of resting nodes
 * keyed by their bigint order id. It replaces a Map<bigint, OrderNode>, whose BigInt hashing and hole-leaving
 * deletes cost a large share of a passive add or a cancel. The slot layout never shows in any result (nothing
 * iterates it except the invariant checker), so determinism does not depend on it.
 */
import type { OrderNode } from "./level.js";

const MIN_CAPACITY = 64;

/** 32-bit hash (signed) of an order id (any bigint: ids above 2^53 only hash less evenly, lookups stay exact). */
export function hashOrderId(orderId: bigint): number {
  // `>>> 0` keeps the low 32 bits of the integer; the high bits are folded in for (rare) ids >= 2^32.
  const n = Number(orderId);
  const lo = n >>> 0;
  // Number() preserves order, so n < 2^32 exactly when the id is.
  const hi = n < 4294967296 ? 0 : Number(BigInt.asUintN(32, orderId >> 32n)) >>> 0;
  // A signed 32-bit result stays a small integer (an unsigned one above 2^31 would be a boxed double field).
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
}

export class IdIndex {
  private slots: (OrderNode | null)[];
  /** The hash of each slot's node, so that probing compares numbers and never touches other orders' memory. */
  private hashes: Int32Array;
  private mask: number;
  /** log2(capacity): the slot of a hash is its top `bits` bits (Fibonacci hashing). */
  private shift: number;
  size = 0;

  constructor() {
    this.slots = new Array<OrderNode | null>(MIN_CAPACITY).fill(null);
    this.hashes = new Int32Array(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.shift = 32 - 6;
  }

  get(orderId: bigint): OrderNode | undefined {
    if (typeof orderId !== "bigint") return undefined;
    return this.find(orderId, hashOrderId(orderId));
  }

  /** Lookup with a precomputed hashOrderId(orderId). */
  find(orderId: bigint, hash: number): OrderNode | undefined {
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = this.mask;
    for (let i = hash >>> this.shift; ; i = (i + 1) & mask) {
      const node = slots[i]!;
      if (node === null) return undefined;
      if (hashes[i] === hash && node.orderId === orderId) return node;
    }
  }

  has(orderId: bigint): boolean {
    return this.get(orderId) !== undefined;
  }

  /** Inserts a node whose id is not in the index (node.idHash must be set). */
  add(node: OrderNode): void {
    if ((this.size + 1) * 10 > this.slots.length * 7) this.resize(this.slots.length * 2);
    this.place(node);
    this.size++;
  }

  /** Removes the node (which must be in the index). */
  remove(node: OrderNode): void {
    const slots = this.slots;
    const hashes = this.hashes;
    const mask = this.mask;
    const shift = this.shift;
    let i = node.idHash >>> shift;
    while (slots[i] !== node) i = (i + 1) & mask;
    // Backward-shift deletion: move later members of the probe run into the hole when their home allows it.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const other = slots[j]!;
      if (other === null) break;
      const home = hashes[j]! >>> shift;
      // `other` may fill hole i unless its home lies cyclically in (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!inRange) {
        slots[i] = other;
        hashes[i] = hashes[j]!;
        i = j;
      }
    }
    slots[i] = null;
    this.size--;
    if (this.size * 8 < slots.length && slots.length > MIN_CAPACITY) this.resize(slots.length >> 1);
  }

  values(): OrderNode[] {
    const out: OrderNode[] = [];
    for (const node of this.slots) if (node !== null) out.push(node);
    return out;
  }

  private place(node: OrderNode): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = node.idHash >>> this.shift;
    while (slots[i] !== null) i = (i + 1) & mask;
    slots[i] = node;
    this.hashes[i] = node.idHash;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Array<OrderNode | null>(capacity).fill(null);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.shift = Math.clz32(capacity) + 1;
    for (const node of old) if (node !== null) this.place(node);
  }
}
