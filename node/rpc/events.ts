/**
 * Turns node events into what CometBFT 0.38's event bus publishes: per event a composite-key map (for query
 * matching, sent as `result.events`) and the `result.data` {type, value} object, built lazily and once.
 */
import { createHash } from "node:crypto";
import type { Bytes } from "../../src/store/types.js";
import type { TxResult } from "../../src/app/application.js";
import type { NodeEvent } from "./backend.js";
import { decString, toBase64 } from "./encoding.js";
import { blockIdJson, blockJson, eventJson, finalizeBlockResultJson, hashHex, headerJson, txResultJson, type JsonObject } from "./json.js";
import { addValue, compositeEvents } from "./query.js";

export type PublishedType = "NewBlock" | "NewBlockHeader" | "NewBlockEvents" | "Tx";

export interface PublishedEvent {
  type: PublishedType;
  /** Composite key → values, including tm.event. */
  events: Map<string, string[]>;
  /** `result.data` of the WS message; computed on first use and cached. */
  data(): JsonObject;
}

/** SHA-256 of the tx bytes: the tx hash CometBFT and cosmjs use. */
export function txHash(tx: Bytes): Bytes {
  return new Uint8Array(createHash("sha256").update(tx).digest());
}

/**
 * The events map of a Tx event: all result event attributes (pubsub ignores the index flag), plus tm.event,
 * tx.hash (uppercase hex) and tx.height. The indexer can reuse it with `indexedOnly` = true.
 */
export function txEventMap(hash: Bytes, height: bigint, result: TxResult, indexedOnly = false): Map<string, string[]> {
  const map = compositeEvents(result.events, indexedOnly);
  addValue(map, "tm.event", "Tx");
  addValue(map, "tx.hash", hashHex(hash));
  addValue(map, "tx.height", decString(height));
  return map;
}

function lazy(build: () => JsonObject): () => JsonObject {
  let cached: JsonObject | undefined;
  return () => (cached ??= build());
}

/** The events published for one node event, in CometBFT's order (NewBlock, NewBlockHeader, NewBlockEvents). */
export function publishedEvents(ev: NodeEvent): PublishedEvent[] {
  if (ev.type === "Tx") {
    const hash = txHash(ev.tx);
    return [
      {
        type: "Tx",
        events: txEventMap(hash, ev.height, ev.result),
        data: lazy(() => ({
          type: "tendermint/event/Tx",
          value: {
            TxResult: { height: decString(ev.height), index: ev.index, tx: toBase64(ev.tx), result: txResultJson(ev.result) },
          },
        })),
      },
    ];
  }
  const height = decString(ev.block.header.height);
  const newBlock = compositeEvents(ev.result.events);
  addValue(newBlock, "tm.event", "NewBlock");
  const newBlockEvents = compositeEvents(ev.result.events);
  addValue(newBlockEvents, "tm.event", "NewBlockEvents");
  addValue(newBlockEvents, "block.height", height);
  return [
    {
      type: "NewBlock",
      events: newBlock,
      data: lazy(() => ({
        type: "tendermint/event/NewBlock",
        value: {
          block: blockJson(ev.block),
          block_id: blockIdJson(ev.blockId),
          result_finalize_block: finalizeBlockResultJson(ev.result),
        },
      })),
    },
    {
      type: "NewBlockHeader",
      events: new Map([["tm.event", ["NewBlockHeader"]]]),
      data: lazy(() => ({ type: "tendermint/event/NewBlockHeader", value: { header: headerJson(ev.block.header) } })),
    },
    {
      type: "NewBlockEvents",
      events: newBlockEvents,
      data: lazy(() => ({
        type: "tendermint/event/NewBlockEvents",
        value: { height, events: ev.result.events.map(eventJson), num_txs: decString(ev.block.txs.length) },
      })),
    },
  ];
}
