/**
 * broadcast_tx_sync / _async / _commit (contract §4.4–4.6). The tx hash is SHA-256 of the exact tx bytes.
 */
import type { Bytes } from "../../src/store/types.js";
import type { RpcBackend } from "./backend.js";
import { txHash } from "./events.js";
import { base64OrNull, decString } from "./encoding.js";
import { hashHex, txResultJson, type JsonObject } from "./json.js";
import { RpcCode, RpcError } from "./jsonrpc.js";
import type { EventHub } from "./subscriptions.js";

export async function broadcastTxSync(backend: RpcBackend, tx: Bytes): Promise<JsonObject> {
  const hash = hashHex(txHash(tx));
  const r = await backend.checkTx(tx);
  return { code: r.code, data: base64OrNull(r.data), log: r.log, codespace: r.codespace, hash };
}

/** CometBFT reports only pre-CheckTx rejections (cache, size) here; the CheckTx code itself is not awaited by clients. */
export async function broadcastTxAsync(backend: RpcBackend, tx: Bytes): Promise<JsonObject> {
  const hash = hashHex(txHash(tx));
  await backend.checkTx(tx);
  return { code: 0, data: null, log: "", codespace: "", hash };
}

/** Runs CheckTx, then waits for the tx's Tx event; on CheckTx failure returns at once with height "0". */
export async function broadcastTxCommit(
  backend: RpcBackend,
  hub: EventHub,
  tx: Bytes,
  timeoutMs: number,
): Promise<JsonObject> {
  const hash = hashHex(txHash(tx));
  const waiter = hub.waitForTx(hash); // before CheckTx: the block may commit before CheckTx returns
  let timer: NodeJS.Timeout | undefined;
  try {
    const check = await backend.checkTx(tx);
    if (check.code !== 0) return { check_tx: txResultJson(check), hash, height: "0" };
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RpcError(RpcCode.internalError, "timed out waiting for tx to be included in a block")),
        timeoutMs,
      );
    });
    const ev = await Promise.race([waiter.promise, timeout]);
    return { check_tx: txResultJson(check), tx_result: txResultJson(ev.result), hash, height: decString(ev.height) };
  } finally {
    clearTimeout(timer);
    waiter.cancel();
  }
}
