/** Fan-out of committed blocks and txs to RPC subscribers; a failing listener never affects the others. */
import type { NodeEvent, NodeEventListener } from "./rpc/backend.js";
import type { Logger } from "./logger.js";

export class NodeEventBus {
  private readonly listeners = new Set<NodeEventListener>();
  constructor(private readonly log: Logger) {}

  subscribe(listener: NodeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: NodeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.warn("event listener failed", { event: event.type, err: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
