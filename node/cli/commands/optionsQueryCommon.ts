/** The shape shared by every `vanna query options …` command: connect, query with the Vanna extension, print. */
import { vannaQueryClient, type VannaQueryClient } from "../../client/index.js";
import { homeOption, keyringBackendOption, nodeOption, outputFormat, outputOption, type ArgSpec, type CommandContext, type CommandSpec, type OptionSpec } from "../command.js";
import { printJson } from "../output.js";
import { plainQueryError } from "./optionsInputs.js";
import { nodeUrl, withNode } from "../rpc.js";

/** Queries may name accounts by key name, so they also take the keyring location. */
export const queryOptions: readonly OptionSpec[] = [nodeOption, outputOption, homeOption, keyringBackendOption];

export interface OptionsQuerySpec {
  readonly name: string;
  readonly summary: string;
  readonly description?: string;
  readonly args?: readonly ArgSpec[];
  readonly options?: readonly OptionSpec[];
  readonly examples: readonly string[];
  /** Parses the arguments (before connecting) and returns what to run once connected. */
  prepare(ctx: CommandContext): Promise<(query: VannaQueryClient) => Promise<Output>> | ((query: VannaQueryClient) => Promise<Output>);
}

/** What a query prints: `json` for --output json, `text` otherwise. */
export interface Output {
  json: unknown;
  text: string;
}

export function optionsQuery(spec: OptionsQuerySpec): CommandSpec {
  return {
    path: ["query", "options", spec.name],
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.args === undefined ? {} : { args: spec.args }),
    options: [...(spec.options ?? []), ...queryOptions],
    examples: spec.examples,
    async run(ctx) {
      const run = await spec.prepare(ctx);
      const out = await withNode(nodeUrl(ctx), (comet) => run(vannaQueryClient(comet))).catch((err: unknown) => {
        throw plainQueryError(err);
      });
      if (outputFormat(ctx) === "json") printJson(ctx.io.stdout, out.json);
      else ctx.io.stdout.write(out.text);
    },
  };
}

/** Tick sizes by underlying, fetched once per command (for showing prices in USDC). */
export async function tickSizes(query: VannaQueryClient): Promise<Map<string, bigint>> {
  return new Map((await query.options.underlyings()).map((u) => [u.symbol, u.tickSizeMicroUsdc]));
}

/** seriesId -> tick size, for the series in `ids` (unknown series map to undefined). */
export async function tickOfSeries(query: VannaQueryClient, ids: Iterable<bigint>): Promise<(seriesId: bigint) => bigint | undefined> {
  const ticks = await tickSizes(query);
  const bySeries = new Map<bigint, bigint | undefined>();
  for (const id of new Set(ids)) {
    const s = await query.options.series(id).catch(() => undefined);
    bySeries.set(id, s === undefined ? undefined : ticks.get(s.underlying));
  }
  return (id) => bySeries.get(id);
}
