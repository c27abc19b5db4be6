/**
 * The per-owner index (owner → OwnerOrders), built lazily. Plain orders need nothing per owner (self-trade
 * prevention compares the owner strings of maker and taker), and maintaining the index cost a string-keyed Map
 * lookup plus writes into the owner's other orders on every add and cancel — about a third of the engine's time
 * on a plain order stream. So the book builds it by a scan of its levels only when something needs it: a live
 * order with a client id or reduce-only flag (which keep per-owner state), or a per-owner query (cancelAll,
 * ordersOf, owners, enforceReduceOnly, FOK fillability). The book drops it again once nothing has needed it for
 * a while (see OrderBook), so the scans are paid for by the operations that ran without it.
 *
 * No output depends on the index's layout: per-owner lists are sorted by their callers.
 */
import { type BookSide, type OrderNode, OwnerOrders } from "./level.js";

/** Empty lists kept (so an owner going 0 → 1 → 0 orders does not churn the Map) until they dominate. */
const MAX_EMPTY_LISTS = 1024;

export class OwnerIndex {
  readonly lists = new Map<string, OwnerOrders>();
  /** Lists with no live orders, still in `lists`. */
  private empty = 0;

  /** The owner's list if it holds live orders. */
  get(owner: string): OwnerOrders | undefined {
    const list = this.lists.get(owner);
    return list === undefined || list.count === 0 ? undefined : list;
  }

  link(node: OrderNode): void {
    let list = this.lists.get(node.owner);
    if (list === undefined) {
      list = new OwnerOrders(node.owner);
      this.lists.set(node.owner, list);
    } else if (list.count === 0) this.empty--;
    list.link(node);
  }

  unlink(node: OrderNode): void {
    const list = node.ownerOrders!;
    list.unlink(node);
    if (list.count === 0 && ++this.empty > MAX_EMPTY_LISTS && this.empty * 2 > this.lists.size) this.sweep();
  }

  /** Owners with live orders, sorted (code-unit order, locale independent). */
  owners(): string[] {
    const out: string[] = [];
    for (const [owner, list] of this.lists) if (list.count > 0) out.push(owner);
    return out.sort();
  }

  /** Lists with live orders (for the invariant checker). */
  nonEmpty(): OwnerOrders[] {
    const out: OwnerOrders[] = [];
    for (const list of this.lists.values()) if (list.count > 0) out.push(list);
    return out;
  }

  private sweep(): void {
    for (const [owner, list] of this.lists) if (list.count === 0) this.lists.delete(owner);
    this.empty = 0;
  }

  /** Builds the index of every order resting on the two sides. */
  static build(bids: BookSide, asks: BookSide): OwnerIndex {
    const index = new OwnerIndex();
    for (const side of [bids, asks]) {
      for (const level of side.levels) for (let n = level.head; n !== null; n = n.next) index.link(n);
    }
    return index;
  }

  /** Clears the owner links of every resting order (the index is being dropped). */
  static clearLinks(bids: BookSide, asks: BookSide): void {
    for (const side of [bids, asks]) {
      for (const level of side.levels) {
        for (let n = level.head; n !== null; n = n.next) {
          n.owned = null;
        }
      }
    }
  }
}
