/**
 * Fans node events out to WebSocket subscriptions and to broadcast_tx_commit waiters. Holds the CometBFT
 * limits (subscription clients, subscriptions per client, commit waiters). Delivery runs on its own macrotask so
 * a slow RPC client never stalls block commit, and no exception escapes into the node's emitter.
 */
import type { NodeEvent, RpcBackend, TxEvent } from "./backend.js";
import { publishedEvents } from "./events.js";
import { RpcCode, RpcError, type RpcId } from "./jsonrpc.js";
import { matchesQuery, parseQuery, queryToString, type Query } from "./query.js";

/** One WebSocket connection as seen by the hub. The sink itself drops clients that fall too far behind. */
export interface EventSink {
  send(text: string): void;
}

interface Subscription {
  query: Query;
  /** The query as the client wrote it, echoed in `result.query`. */
  queryText: string;
  idJson: string;
  /** Events that arrive between registering and the ack being sent are held back, so the ack comes first. */
  pending: string[] | undefined;
}

export interface EventHubOptions {
  maxSubscriptionClients: number;
  maxSubscriptionsPerClient: number;
  maxCommitWaiters: number;
  maxQueryLength: number;
  onError?: (err: unknown) => void;
}

/** Bound on events held for a subscription whose ack has not been written yet. */
const MAX_PENDING_EVENTS = 1000;

interface Waiter {
  resolve(ev: TxEvent): void;
  reject(err: Error): void;
}

export interface TxWaiter {
  promise: Promise<TxEvent>;
  cancel(): void;
}

export class EventHub {
  private readonly bySink = new Map<EventSink, Map<string, Subscription>>();
  private readonly txWaiters = new Map<string, Set<Waiter>>();
  private readonly waiters = new Set<Waiter>();
  private detach: (() => void) | undefined;
  private closed = false;

  constructor(private readonly opts: EventHubOptions) {}

  attach(backend: RpcBackend): void {
    this.detach = backend.subscribe((ev) => {
      if (!this.closed) setImmediate(() => this.deliver(ev));
    });
  }

  /** Registers a subscription; events are held until the returned `activate` runs (after the ack is written). */
  subscribe(sink: EventSink, queryText: string, id: RpcId): () => void {
    const query = parseQuery(queryText, this.opts.maxQueryLength);
    const key = queryToString(query);
    const subs = this.bySink.get(sink);
    if (subs?.has(key)) throw new RpcError(RpcCode.internalError, "already subscribed");
    if (subs && subs.size >= this.opts.maxSubscriptionsPerClient) {
      throw new RpcError(RpcCode.internalError, `max_subscriptions_per_client ${this.opts.maxSubscriptionsPerClient} reached`);
    }
    if (!subs && this.bySink.size >= this.opts.maxSubscriptionClients) {
      throw new RpcError(RpcCode.internalError, `max_subscription_clients ${this.opts.maxSubscriptionClients} reached`);
    }
    const sub: Subscription = { query, queryText, idJson: JSON.stringify(id), pending: [] };
    const map = subs ?? new Map<string, Subscription>();
    map.set(key, sub);
    this.bySink.set(sink, map);
    return () => {
      const held = sub.pending ?? [];
      sub.pending = undefined;
      if (map.get(key) === sub) for (const text of held) sink.send(text);
    };
  }

  unsubscribe(sink: EventSink, queryText: string): void {
    const key = queryToString(parseQuery(queryText, this.opts.maxQueryLength));
    const subs = this.bySink.get(sink);
    if (!subs?.delete(key)) throw new RpcError(RpcCode.internalError, "subscription not found");
    if (subs.size === 0) this.bySink.delete(sink);
  }

  unsubscribeAll(sink: EventSink): void {
    if (!this.bySink.delete(sink)) throw new RpcError(RpcCode.internalError, "subscription not found");
  }

  /** Drops everything of a closed connection. */
  removeSink(sink: EventSink): void {
    this.bySink.delete(sink);
  }

  subscriptionCount(sink: EventSink): number {
    return this.bySink.get(sink)?.size ?? 0;
  }

  /** Waits for the Tx event of a hash (uppercase hex). Register before CheckTx so that no inclusion is missed. */
  waitForTx(hashHex: string): TxWaiter {
    if (this.closed) throw new RpcError(RpcCode.internalError, "server is shutting down");
    if (this.waiters.size >= this.opts.maxCommitWaiters) {
      throw new RpcError(RpcCode.internalError, `too many broadcast_tx_commit calls waiting (max ${this.opts.maxCommitWaiters})`);
    }
    let resolve!: (ev: TxEvent) => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<TxEvent>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const set = this.txWaiters.get(hashHex) ?? new Set<Waiter>();
    this.txWaiters.set(hashHex, set);
    const remove = (): boolean => {
      if (!this.waiters.delete(waiter)) return false;
      set.delete(waiter);
      if (set.size === 0 && this.txWaiters.get(hashHex) === set) this.txWaiters.delete(hashHex);
      return true;
    };
    const waiter: Waiter = {
      resolve: (ev) => {
        if (remove()) resolve(ev);
      },
      reject: (err) => {
        if (remove()) reject(err);
      },
    };
    set.add(waiter);
    this.waiters.add(waiter);
    // A waiter that is cancelled (timeout, closed connection) must not leave an unhandled rejection behind.
    promise.catch(() => undefined);
    return { promise, cancel: () => waiter.reject(new RpcError(RpcCode.internalError, "cancelled")) };
  }

  close(): void {
    this.closed = true;
    this.detach?.();
    this.detach = undefined;
    this.bySink.clear();
    for (const w of [...this.waiters]) w.reject(new RpcError(RpcCode.internalError, "server is shutting down"));
  }

  private deliver(ev: NodeEvent): void {
    if (this.closed || (this.bySink.size === 0 && this.txWaiters.size === 0)) return;
    try {
      const items = publishedEvents(ev);
      if (ev.type === "Tx") {
        const hash = items[0]?.events.get("tx.hash")?.[0];
        const waiters = hash === undefined ? undefined : this.txWaiters.get(hash);
        if (waiters) for (const w of [...waiters]) w.resolve(ev);
      }
      for (const item of items) {
        let body: string | undefined; // `"data":…,"events":…`, serialized once per published event
        for (const [sink, subs] of this.bySink) {
          for (const sub of subs.values()) {
            if (!matchesQuery(sub.query, item.events)) continue;
            body ??= `"data":${JSON.stringify(item.data())},"events":${JSON.stringify(Object.fromEntries(item.events))}`;
            const text = `{"jsonrpc":"2.0","id":${sub.idJson},"result":{"query":${JSON.stringify(sub.queryText)},${body}}}`;
            if (sub.pending !== undefined) {
              if (sub.pending.length < MAX_PENDING_EVENTS) sub.pending.push(text);
              continue;
            }
            try {
              sink.send(text);
            } catch (err) {
              this.opts.onError?.(err); // one broken connection must not starve the others
            }
          }
        }
      }
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
