/** The shape shared by every `vanna tx options …` command: local checks, unlock, build with chain reads, sign, report. */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { decodeMsgResponses, orderEventsOf, vannaQueryClient, type TxEvent, type VannaQueryClient } from "../../client/index.js";
import type { ArgSpec, CommandContext, CommandSpec, OptionSpec } from "../command.js";
import type { Field } from "../output.js";
import { orderEventFields, wireJson } from "./optionsFormat.js";
import { plainQueryError } from "./optionsInputs.js";
import { readTxFlags, signAndBroadcast, txOptions, unlockKey, type TxReport } from "./tx.js";

/** What a command prepared from its arguments before any prompt or network call. */
export interface Prepared {
  /** Builds the messages, signed by `address`, possibly after reading chain state. */
  build(address: string, query: VannaQueryClient): Promise<EncodeObject[]>;
}

export interface OptionsTxSpec {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  /** FROM is added first. */
  readonly args?: readonly ArgSpec[];
  readonly options?: readonly OptionSpec[];
  readonly examples: readonly string[];
  prepare(ctx: CommandContext): Prepared | Promise<Prepared>;
}

const FROM: ArgSpec = { name: "FROM", description: "signing key: name or address in the keyring (the subaccount owner)" };

export function optionsTx(spec: OptionsTxSpec): CommandSpec {
  return {
    path: ["tx", "options", spec.name],
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    args: [FROM, ...(spec.args ?? [])],
    options: [...(spec.options ?? []), ...txOptions],
    examples: spec.examples,
    async run(ctx) {
      // Arguments first, then the flags, then the passphrase, then the network.
      const prepared = await spec.prepare(ctx);
      const flags = readTxFlags(ctx);
      const from = await unlockKey(ctx, ctx.args.require("FROM"));
      return signAndBroadcast(ctx, {
        flags,
        from,
        build: (comet) => prepared.build(from.address, vannaQueryClient(comet)),
        report: vannaTxReport,
      }).catch((err: unknown) => {
        throw plainQueryError(err);
      });
    },
  };
}

/** The Msg responses (order ids, fills, batch item results) and order events of an included tx. */
export function vannaTxReport(tx: { readonly msgResponses: ReadonlyArray<{ readonly typeUrl: string; readonly value: Uint8Array }>; readonly events: readonly TxEvent[] }): TxReport {
  const responses = decodeMsgResponses(tx.msgResponses);
  const events = orderEventsOf(tx);
  const fields: Field[] = [];
  for (const r of responses) {
    const type = r.typeUrl.slice(r.typeUrl.lastIndexOf(".") + 1);
    fields.push(...responseFields(type, r.value));
  }
  fields.push(...orderEventFields(events));
  return {
    fields,
    json: {
      msg_responses: responses.map((r) => ({ "@type": r.typeUrl, ...(wireJson(r.value instanceof Uint8Array ? { value: r.value } : r.value) as object) })),
      order_events: wireJson(events),
    },
  };
}

interface ItemResultLike {
  ok: boolean;
  orderId: bigint;
  filledContracts: bigint;
  restingContracts: bigint;
  codespace: string;
  code: number;
  log: string;
}

function itemText(i: ItemResultLike): string {
  return i.ok ? `ok, order ${i.orderId}${i.filledContracts > 0n || i.restingContracts > 0n ? `, filled ${i.filledContracts}, resting ${i.restingContracts}` : ""}` : `FAILED (${i.codespace} ${i.code}): ${i.log}`;
}

/** One line per scalar field ("order id: 12"), one line per batch item. */
export function responseFields(type: string, value: unknown): Field[] {
  if (value instanceof Uint8Array || value === null || typeof value !== "object") return [[type, "(undecoded)"]];
  const fields: Field[] = [];
  for (const [k, v] of Object.entries(value)) {
    const label = k.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
    if (Array.isArray(v)) v.forEach((item, i) => fields.push([`${label} #${i + 1}`, itemText(item as ItemResultLike)]));
    else if (typeof v !== "object") fields.push([label, v as string | number | bigint | boolean]);
  }
  return fields;
}
