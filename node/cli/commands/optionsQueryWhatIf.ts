/**
 * `vanna query options what-if MODE SUBACCOUNT|--file FILE`: the margin a set of positions and orders would need
 * under a mode (standard or portfolio), without sending anything. From a subaccount: its collateral, positions
 * and open orders as they are now; from a file: {"collateral": "5000usdc", "positions": [{"series": …, "size": -2}],
 * "orders": [{"series": …, "side": "sell", "size": 1, "price_ticks": 120, "reduce_only": false}]}.
 */
import { readFile } from "node:fs/promises";
import { parseUsd, sideName, type VannaQueryClient } from "../../client/index.js";
import { UsageError, type CommandSpec } from "../command.js";
import { formatFields, formatTable } from "../output.js";
import { usdcText, wireJson } from "./optionsFormat.js";
import { parseSeriesRef, parseSubaccountArg, parseUsdcAmount, resolveSeries, usage, type SubaccountRef } from "./optionsInputs.js";
import { optionsQuery } from "./optionsQueryCommon.js";

type Mode = "standard" | "portfolio";
interface Draft {
  collateralMicroUsdc: bigint;
  positions: Array<{ series: string; sizeContracts: bigint }>;
  orders: Array<{ series: string; side: "buy" | "sell"; priceTicks: bigint; sizeContracts: bigint; reduceOnly: boolean }>;
}

const MAX_LINES = 1_000;

function int(v: unknown, what: string, signed: boolean): bigint {
  const text = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : typeof v === "string" ? v : undefined;
  if (text === undefined || !(signed ? /^-?[0-9]{1,30}$/ : /^[0-9]{1,20}$/).test(text)) throw new UsageError(`${what}: expected ${signed ? "a signed" : "a non-negative"} integer`);
  return BigInt(text);
}

const seriesText = (v: unknown, what: string): string => {
  if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return String(v);
  if (typeof v === "string" && v.length > 0 && v.length <= 64) return v;
  throw new UsageError(`${what}: expected a series id or name`);
};

/** Parses the what-if file (see the module comment); every error names its place. */
export function parseWhatIfFile(text: string): Draft {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`what-if file is not JSON: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new UsageError("what-if file: expected an object with positions and orders");
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!["collateral", "positions", "orders"].includes(k)) throw new UsageError(`what-if file: unknown key "${k.slice(0, 40)}"`);
  const list = (v: unknown, what: string): Array<Record<string, unknown>> => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== "object" || Array.isArray(x))) throw new UsageError(`${what}: expected a list of objects`);
    return v as Array<Record<string, unknown>>;
  };
  const positions = list(o.positions, "positions").map((p, i) => {
    const size = int(p.size, `positions[${i}].size`, true);
    if (size === 0n) throw new UsageError(`positions[${i}].size must not be 0`);
    return { series: seriesText(p.series, `positions[${i}].series`), sizeContracts: size };
  });
  const orders = list(o.orders, "orders").map((d, i) => {
    const side = d.side;
    if (side !== "buy" && side !== "sell") throw new UsageError(`orders[${i}].side: expected "buy" or "sell"`);
    const size = int(d.size, `orders[${i}].size`, false);
    if (size === 0n) throw new UsageError(`orders[${i}].size must be positive`);
    if (d.reduce_only !== undefined && typeof d.reduce_only !== "boolean") throw new UsageError(`orders[${i}].reduce_only: expected true or false`);
    return { series: seriesText(d.series, `orders[${i}].series`), side: side as "buy" | "sell", priceTicks: int(d.price_ticks, `orders[${i}].price_ticks`, false), sizeContracts: size, reduceOnly: d.reduce_only === true };
  });
  if (positions.length + orders.length > MAX_LINES) throw new UsageError(`what-if file: at most ${MAX_LINES} positions and orders`);
  const c = o.collateral;
  const collateralMicroUsdc = c === undefined ? 0n : typeof c === "string" && /usdc$/.test(c) ? BigInt(parseUsdcAmount(c).amount) : usage(() => parseUsd(String(c), "collateral"));
  return { collateralMicroUsdc, positions, orders };
}

async function seriesIdOf(query: VannaQueryClient, text: string): Promise<bigint> {
  const ref = usage(() => parseSeriesRef(text));
  return "id" in ref ? ref.id : (await resolveSeries(query, ref)).id;
}

const whatIf = optionsQuery({
  name: "what-if",
  summary: "show the margin of a subaccount, or of positions and orders from a JSON file, under a margin mode",
  description:
    'FILE ("-" is not accepted) holds {"collateral": "5000usdc", "positions": [{"series": "BTC-20260130-100000-C",\n' +
    '"size": -2}], "orders": [{"series": 12, "side": "sell", "size": 1, "price_ticks": 1200}]}. Give exactly one of\n' +
    "SUBACCOUNT and --file. Portfolio mode also shows the worst scenario and the charges per underlying.",
  args: [{ name: "MODE", description: "standard or portfolio" }, { name: "SUBACCOUNT", description: 'owner address or key name, optionally "/N"', optional: true }],
  options: [{ name: "file", type: "string", valueName: "FILE", description: "JSON file of collateral, positions and orders (instead of SUBACCOUNT)" }],
  examples: ["vanna query options what-if portfolio alice", "vanna query options what-if portfolio --file book.json -o json"],
  async prepare(ctx) {
    const mode = ctx.args.require("MODE").toLowerCase();
    if (mode !== "standard" && mode !== "portfolio") throw new UsageError(`invalid MODE "${mode.slice(0, 40)}": expected standard or portfolio`);
    const subText = ctx.args.get("SUBACCOUNT");
    const file = ctx.opts.string("file");
    if ((subText === undefined) === (file === undefined)) throw new UsageError("give exactly one of SUBACCOUNT and --file");
    let draft: Draft | undefined;
    let sub: SubaccountRef | undefined;
    if (file !== undefined) {
      const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot read what-if file ${file}: ${err.code ?? err.message}`);
      });
      draft = parseWhatIfFile(text);
    } else sub = await parseSubaccountArg(ctx, subText!);
    return async (query) => {
      const req = sub !== undefined ? await fromSubaccount(query, sub, mode) : await fromDraft(query, draft!, mode);
      const m = await query.margin.whatIf(req);
      let text = formatFields([
        ["mode", m.riskModel],
        ["equity", usdcText(m.equityMicroUsdc)],
        ["initial margin", usdcText(m.initialMarginMicroUsdc)],
        ["maintenance margin", usdcText(m.maintenanceMarginMicroUsdc)],
        ["free collateral", usdcText(m.freeCollateralMicroUsdc)],
        ...(m.worstScenario === "" ? [] : [["worst scenario", m.worstScenario] as [string, string]]),
      ]);
      if (m.portfolio !== undefined && m.portfolio.length > 0) {
        text += formatTable(
          ["UNDERLYING", "SCENARIO LOSS", "NAKED", "ORACLE", "CAP", "MM", "IM"],
          m.portfolio.map((u) => [u.underlying, usdcText(u.scenarioLossMicroUsdc), usdcText(u.nakedChargeMicroUsdc), usdcText(u.oracleChargeMicroUsdc), u.capMicroUsdc === "" ? "none" : usdcText(u.capMicroUsdc), usdcText(u.maintenanceMarginMicroUsdc), usdcText(u.initialMarginMicroUsdc)]),
        );
      }
      if (m.unpricedSeriesIds.length > 0) text += `unpriced series: ${m.unpricedSeriesIds.join(", ")}\n`;
      return { json: wireJson(m), text };
    };
  },
});

async function fromSubaccount(query: VannaQueryClient, sub: SubaccountRef, mode: Mode) {
  const [acct, positions, orders] = await Promise.all([query.subaccounts.subaccount(sub.owner, sub.number), query.subaccounts.positions(sub.owner, sub.number), query.clob.openOrders(sub.owner, sub.number)]);
  return {
    mode,
    collateralMicroUsdc: BigInt(acct?.quoteMicroUsdc || "0"),
    positions: positions.positions.map((p) => ({ seriesId: p.instrumentId, sizeContracts: BigInt(p.sizeContracts) })),
    orders: orders.orders.map((o) => ({ seriesId: o.seriesId, side: sideName(o.side) as "buy" | "sell", priceTicks: o.priceTicks, sizeContracts: o.remainingContracts, reduceOnly: o.reduceOnly })),
  };
}

async function fromDraft(query: VannaQueryClient, d: Draft, mode: Mode) {
  const positions = [];
  for (const p of d.positions) positions.push({ seriesId: await seriesIdOf(query, p.series), sizeContracts: p.sizeContracts });
  const orders = [];
  for (const o of d.orders) orders.push({ seriesId: await seriesIdOf(query, o.series), side: o.side, priceTicks: o.priceTicks, sizeContracts: o.sizeContracts, reduceOnly: o.reduceOnly });
  return { mode, collateralMicroUsdc: d.collateralMicroUsdc, positions, orders };
}

export const optionsWhatIfQueryCommands: CommandSpec[] = [whatIf];
