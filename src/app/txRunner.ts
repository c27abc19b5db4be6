/**
 * Runs one tx: stateless checks, the ante chain on its own branch (kept even if a message fails: fee and
 * sequence), then the messages on a second branch written only if all succeed. Any error becomes a result
 * with a stable code; nothing a user sends can throw out of here.
 */
import { ChainError, toChainError } from "../errors.js";
import { TxMsgData } from "../codec/index.js";
import type { BranchStore } from "../store/index.js";
import type { Event } from "../types/events.js";
import type { DecodedTx } from "../tx/decode.js";
import type { TxResult } from "./application.js";
import type { Context, ExecMode } from "./context.js";
import { GasKVStore, GasMeter, INFINITE_GAS } from "./gas.js";
import type { MsgResponse } from "./module.js";

export type AnteFn = (ctx: Context, tx: DecodedTx) => void;

export interface TxEnv {
  mode: ExecMode;
  chainId: string;
  height: bigint;
  blockTimeNs: bigint;
  header: Context["header"];
}

export interface TxRunOutcome {
  result: TxResult;
  msgResponses: MsgResponse[];
  /** True when the ante chain passed (fee and sequence were charged). */
  anteOk: boolean;
}

export function errorResult(err: ChainError, gasWanted: bigint, gasUsed: bigint, events: Event[] = []): TxResult {
  return { code: err.code, codespace: err.codespace, log: err.message, data: new Uint8Array(), gasWanted, gasUsed, events };
}

export function runTx(env: TxEnv, ante: AnteFn, tx: DecodedTx, store: BranchStore): TxRunOutcome {
  const simulate = env.mode === "simulate";
  const gasWanted = tx.authInfo.fee?.gasLimit ?? 0n;
  const meter = new GasMeter(simulate ? INFINITE_GAS : gasWanted);
  const ctxBase = { mode: env.mode, chainId: env.chainId, height: env.height, blockTimeNs: env.blockTimeNs, header: env.header, gasMeter: meter };

  try {
    for (const m of tx.msgs) m.route.validateBasic(m.msg);
  } catch (err) {
    return { result: errorResult(toChainError(err), gasWanted, 0n), msgResponses: [], anteOk: false };
  }

  const anteBranch = store.branch();
  const anteEvents: Event[] = [];
  try {
    ante({ ...ctxBase, store: new GasKVStore(anteBranch, meter), events: anteEvents }, tx);
  } catch (err) {
    return { result: errorResult(toChainError(err), gasWanted, meter.consumed), msgResponses: [], anteOk: false };
  }
  anteBranch.write();
  // As in the Cosmos SDK, CheckTx validates only what the ante chain checks (signature, sequence, fee);
  // messages run in blocks and simulations. A message that would fail still pays its fee in the block.
  if (env.mode === "check" || env.mode === "recheck") {
    return { result: { code: 0, codespace: "", log: "", data: new Uint8Array(), gasWanted, gasUsed: meter.consumed, events: anteEvents }, msgResponses: [], anteOk: true };
  }

  const msgBranch = store.branch();
  const msgEvents: Event[] = [];
  const responses: MsgResponse[] = [];
  try {
    tx.msgs.forEach((m, index) => {
      const events: Event[] = [];
      const response = m.route.handle({ ...ctxBase, store: new GasKVStore(msgBranch, meter), events }, m.msg);
      responses.push(response);
      const msgIndex = { key: "msg_index", value: String(index), index: true };
      const module = m.typeUrl.split(".")[1] ?? "";
      msgEvents.push({
        type: "message",
        attributes: [
          { key: "action", value: m.typeUrl, index: true },
          { key: "sender", value: m.route.signers(m.msg)[0] ?? "", index: true },
          { key: "module", value: module, index: true },
          msgIndex,
        ],
      });
      for (const e of events) msgEvents.push({ type: e.type, attributes: [...e.attributes, msgIndex] });
    });
  } catch (err) {
    const chainErr = toChainError(err);
    const failed = chainErr.code === 11 && chainErr.codespace === "sdk" ? chainErr : chainErr.wrap(`failed to execute message; message index: ${responses.length}`);
    return { result: errorResult(failed, gasWanted, meter.consumed, anteEvents), msgResponses: [], anteOk: true };
  }
  msgBranch.write();
  const data = TxMsgData.encode({ data: [], msgResponses: responses.map((r) => ({ typeUrl: r.typeUrl, value: r.value })) });
  return {
    result: { code: 0, codespace: "", log: "", data, gasWanted, gasUsed: meter.consumed, events: [...anteEvents, ...msgEvents] },
    msgResponses: responses,
    anteOk: true,
  };
}
