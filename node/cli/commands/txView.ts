/** How an included transaction is shown: decoded messages, fee, memo, result code, gas and events. */
import { Registry, decodeTxRaw } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, type IndexedTx } from "@cosmjs/stargate";
import type { TextSink } from "../command.js";
import { formatCoinList, formatFields, printFields } from "../output.js";

const registry = new Registry(defaultRegistryTypes);

export interface TxView {
  readonly hash: string;
  readonly height: string;
  readonly index: number;
  readonly code: number;
  readonly gas_used: string;
  readonly gas_wanted: string;
  readonly raw_log: string;
  readonly memo: string;
  readonly fee: { amount: Array<{ denom: string; amount: string }>; gas_limit: string };
  readonly messages: Array<Record<string, unknown>>;
  readonly events: Array<{ type: string; attributes: Array<{ key: string; value: string }> }>;
}

export function describeTx(tx: IndexedTx): TxView {
  let memo = "";
  let fee: TxView["fee"] = { amount: [], gas_limit: "0" };
  let messages: TxView["messages"] = [];
  try {
    const decoded = decodeTxRaw(tx.tx);
    memo = decoded.body.memo;
    fee = {
      amount: (decoded.authInfo.fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: c.amount })),
      gas_limit: (decoded.authInfo.fee?.gasLimit ?? 0n).toString(),
    };
    messages = decoded.body.messages.map((any) => ({ "@type": any.typeUrl, ...decodeMessage(any.typeUrl, any.value) }));
  } catch {
    // The node indexed it, so it decoded there; if it does not decode here, show the result anyway.
    messages = [{ "@type": "(undecodable tx)" }];
  }
  return {
    hash: tx.hash.toUpperCase(),
    height: String(tx.height),
    index: tx.txIndex,
    code: tx.code,
    gas_used: tx.gasUsed.toString(),
    gas_wanted: tx.gasWanted.toString(),
    raw_log: tx.rawLog,
    memo,
    fee,
    messages,
    events: tx.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
  };
}

function decodeMessage(typeUrl: string, value: Uint8Array): Record<string, unknown> {
  if (registry.lookupType(typeUrl) === undefined) return { value_base64: Buffer.from(value).toString("base64") };
  const decoded: unknown = registry.decode({ typeUrl, value });
  return typeof decoded === "object" && decoded !== null ? { ...(decoded as Record<string, unknown>) } : {};
}

export function printTx(out: TextSink, view: TxView): void {
  printFields(out, [
    ["hash", view.hash],
    ["height", view.height],
    ["code", view.code === 0 ? "0 (success)" : `${view.code} (failed)`],
    ["gas used/wanted", `${view.gas_used}/${view.gas_wanted}`],
    ["fee", `${formatCoinList(view.fee.amount)} (gas limit ${view.fee.gas_limit})`],
    ["memo", view.memo === "" ? "(none)" : JSON.stringify(view.memo)],
  ]);
  if (view.raw_log !== "") out.write(`log: ${view.raw_log}\n`);
  out.write("messages:\n");
  for (const m of view.messages) {
    out.write(`  - ${String(m["@type"])}\n`);
    const fields = Object.entries(m)
      .filter(([k]) => k !== "@type")
      .map(([k, v]) => [k, showValue(v)] as const);
    out.write(formatFields(fields, "      "));
  }
  if (view.events.length > 0) {
    out.write("events:\n");
    for (const e of view.events) out.write(`  ${e.type}: ${e.attributes.map((a) => `${a.key}=${a.value}`).join(" ")}\n`);
  }
}

function showValue(v: unknown): string {
  if (Array.isArray(v) && v.every((c) => typeof c === "object" && c !== null && "denom" in c && "amount" in c)) {
    return formatCoinList(v as Array<{ denom: string; amount: string }>);
  }
  if (typeof v === "string") return v;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
}
