/**
 * `vanna query options …` for market data: params, underlyings, series, series-list, expiries, mark(s),
 * price(s), smile(s), twap, settlement, shortfalls. Account and book queries are in optionsQueryAccount.ts.
 */
import { formatMicro, parseExpiry, type VannaQueryClient } from "../../client/index.js";
import { UsageError, type CommandSpec } from "../command.js";
import { formatFields, formatTable } from "../output.js";
import { markFields, marksTable, nameOf, seriesFields, seriesJson, seriesTable, usdcText, utcOfNs, utcOfSeconds, wireJson } from "./optionsFormat.js";
import { parseDuration, parseExpiryArg, parseSeriesRef, parseSymbol, resolveSeries, unlessNotFound, usage } from "./optionsInputs.js";
import { optionsQuery, type Output } from "./optionsQueryCommon.js";

const SERIES = { name: "SERIES", description: "series id or name (BTC-20260130-100000-C)" };
const UNDERLYING = { name: "UNDERLYING", description: "underlying symbol, e.g. BTC" };

const MODULES = ["options", "clob", "margin", "subaccounts", "oracle"] as const;

const params = optionsQuery({
  name: "params",
  summary: "show the parameters of the trading modules (options, clob, margin, subaccounts, oracle)",
  options: [{ name: "module", type: "string", valueName: "NAME", choices: ["all", ...MODULES], default: "all", description: "only this module" }],
  examples: ["vanna query options params", "vanna query options params --module clob -o json"],
  prepare(ctx) {
    const which = ctx.opts.string("module") ?? "all";
    const wanted = which === "all" ? MODULES : MODULES.filter((m) => m === which);
    return async (query): Promise<Output> => {
      const out: Record<string, unknown> = {};
      for (const m of wanted) out[m] = wireJson(await query[m].params());
      const text = Object.entries(out).map(([m, p]) => `${m}:\n${JSON.stringify(p, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2).replace(/^/gm, "  ")}\n`).join("");
      return { json: out, text };
    };
  },
});

const underlyings = optionsQuery({
  name: "underlyings",
  summary: "show the tradable underlyings: contract size, tick, lot, listing policy",
  examples: ["vanna query options underlyings"],
  prepare: () => async (query) => {
    const list = await query.options.underlyings();
    const text = formatTable(
      ["SYMBOL", "CONTRACT", "TICK USDC", "LOT", "MAX SIZE", "STRIKE STEP USD", "AUTO LIST"],
      list.map((u) => [u.symbol, `${formatMicro(u.contractSizePpm)} ${u.symbol}`, formatMicro(u.tickSizeMicroUsdc), String(u.minSizeContracts), String(u.maxOrderSizeContracts), formatMicro(u.strikeStepMicroUsd), String(u.autoList)]),
    );
    return { json: { underlyings: wireJson(list) }, text };
  },
});

const series = optionsQuery({
  name: "series",
  summary: "show one series",
  args: [SERIES],
  examples: ["vanna query options series 12", "vanna query options series BTC-20260130-100000-C -o json"],
  prepare(ctx) {
    const ref = parseSeriesRef(ctx.args.require("SERIES"));
    return async (query) => {
      const s = await resolveSeries(query, ref);
      return { json: seriesJson(s), text: formatFields(seriesFields(s)) };
    };
  },
});

const STATUSES = ["active", "close_only", "settled"] as const;

const seriesList = optionsQuery({
  name: "series-list",
  summary: "list series, optionally of one underlying, expiry or status",
  options: [
    { name: "underlying", type: "string", valueName: "SYMBOL", description: "only this underlying (then ordered by expiry, strike, kind)" },
    { name: "expiry", type: "string", valueName: "DATE", description: "only this expiry (YYYY-MM-DD or Unix seconds)" },
    { name: "status", type: "string", valueName: "STATUS", choices: [...STATUSES], description: "only this status" },
    { name: "limit", type: "int", valueName: "N", default: 200, min: 1, max: 1000, description: "at most this many" },
  ],
  examples: ["vanna query options series-list --underlying BTC --expiry 2026-01-30", "vanna query options series-list --status active -o json"],
  prepare(ctx) {
    const u = ctx.opts.string("underlying");
    const e = ctx.opts.string("expiry");
    const status = ctx.opts.string("status") as (typeof STATUSES)[number] | undefined;
    const filter = {
      ...(u === undefined ? {} : { underlying: parseSymbol(u) }),
      ...(e === undefined ? {} : { expiryUnixS: parseExpiryArg(e) }),
      ...(status === undefined ? {} : { status }),
      pagination: { key: new Uint8Array(), offset: 0n, limit: BigInt(ctx.opts.int("limit") ?? 200), countTotal: false, reverse: false },
    };
    return async (query) => {
      const res = await query.options.seriesList(filter);
      return { json: { series: res.series.map(seriesJson) }, text: seriesTable(res.series) };
    };
  },
});

const expiries = optionsQuery({
  name: "expiries",
  summary: "list the expiries of an underlying that still have unsettled series",
  args: [UNDERLYING],
  examples: ["vanna query options expiries BTC"],
  prepare(ctx) {
    const u = parseSymbol(ctx.args.require("UNDERLYING"));
    return async (query) => {
      const list = await query.options.liveExpiries(u);
      return { json: { underlying: u, expiries_unix_s: list.map(String) }, text: list.length === 0 ? "no live expiries\n" : list.map((x) => `${utcOfSeconds(x)}  ${x}\n`).join("") };
    };
  },
});

const mark = optionsQuery({
  name: "mark",
  summary: "show the mark (premium per contract) and greeks of a series",
  args: [SERIES],
  examples: ["vanna query options mark BTC-20260130-100000-C"],
  prepare(ctx) {
    const ref = parseSeriesRef(ctx.args.require("SERIES"));
    return async (query) => {
      const s = await resolveSeries(query, ref);
      const res = await query.options.mark(s.id);
      const text = res.mark === undefined ? `no mark for ${nameOf(s)} (the oracle has no price or smile for it yet)\n` : formatFields([["name", nameOf(s)], ...markFields(res.mark, res.stale)]);
      return { json: { name: nameOf(s), ...(wireJson(res) as object) }, text };
    };
  },
});

const marks = optionsQuery({
  name: "marks",
  summary: "show the marks of an underlying's live series (optionally one expiry)",
  args: [UNDERLYING],
  options: [{ name: "expiry", type: "string", valueName: "DATE", description: "only this expiry (YYYY-MM-DD or Unix seconds)" }],
  examples: ["vanna query options marks BTC", "vanna query options marks ETH --expiry 2026-01-30 -o json"],
  prepare(ctx) {
    const u = parseSymbol(ctx.args.require("UNDERLYING"));
    const e = ctx.opts.string("expiry");
    const expiryUnixS = e === undefined ? 0n : parseExpiryArg(e);
    return async (query) => {
      const res = await query.options.marks(u, expiryUnixS);
      const list = await query.options.seriesList({ underlying: u, ...(e === undefined ? {} : { expiryUnixS }), pagination: { key: new Uint8Array(), offset: 0n, limit: 1000n, countTotal: false, reverse: false } });
      const names = new Map(list.series.map((s) => [s.id, nameOf(s)]));
      return { json: wireJson(res), text: `${res.stale ? "oracle price is STALE\n" : ""}${marksTable(res.marks, names)}` };
    };
  },
});

function priceLine(p: { price?: { underlying: string; priceMicroUsd: bigint; updatedTimeNs: bigint; updatedHeight: bigint } | undefined; stale: boolean }): string[] {
  return p.price === undefined ? ["?", "", "", ""] : [p.price.underlying, formatMicro(p.price.priceMicroUsd), `${utcOfNs(p.price.updatedTimeNs)} (height ${p.price.updatedHeight})`, p.stale ? "STALE" : "fresh"];
}

const price = optionsQuery({
  name: "price",
  summary: "show the oracle price of an underlying",
  args: [UNDERLYING],
  examples: ["vanna query options price BTC"],
  prepare(ctx) {
    const u = parseSymbol(ctx.args.require("UNDERLYING"));
    return async (query) => {
      const res = await query.oracle.price(u);
      return { json: wireJson(res), text: formatTable(["UNDERLYING", "PRICE USD", "UPDATED (UTC)", "STATUS"], [priceLine(res)]) };
    };
  },
});

const prices = optionsQuery({
  name: "prices",
  summary: "show the oracle prices of every underlying",
  examples: ["vanna query options prices -o json"],
  prepare: () => async (query) => {
    const list = await query.oracle.prices();
    return { json: { prices: wireJson(list) }, text: list.length === 0 ? "no prices yet\n" : formatTable(["UNDERLYING", "PRICE USD", "UPDATED (UTC)", "STATUS"], list.map(priceLine)) };
  },
});

const smileRow = (s: { expiryUnixS: bigint; atmVolPpm: bigint; skewPpm: bigint; curvaturePpm: bigint; updatedTimeNs: bigint }) => [
  utcOfSeconds(s.expiryUnixS),
  formatMicro(s.atmVolPpm * 100n),
  formatMicro(s.skewPpm),
  formatMicro(s.curvaturePpm),
  utcOfNs(s.updatedTimeNs),
];
const SMILE_HEADER = ["EXPIRY (UTC)", "ATM VOL %", "SKEW", "CURVATURE", "UPDATED (UTC)"];

const smile = optionsQuery({
  name: "smile",
  summary: "show the oracle volatility smile of an underlying at one expiry",
  args: [UNDERLYING, { name: "EXPIRY", description: "expiry date (YYYY-MM-DD) or Unix seconds" }],
  examples: ["vanna query options smile BTC 2026-01-30"],
  prepare(ctx) {
    const u = parseSymbol(ctx.args.require("UNDERLYING"));
    const expiry = usage(() => parseExpiry(ctx.args.require("EXPIRY")));
    return async (query) => {
      const res = await query.oracle.smile(u, expiry);
      return { json: wireJson(res), text: res.smile === undefined ? "no smile\n" : `${formatTable(SMILE_HEADER, [smileRow(res.smile)])}${res.stale ? "STALE\n" : ""}` };
    };
  },
});

const smiles = optionsQuery({
  name: "smiles",
  summary: "show the oracle volatility smiles of an underlying",
  args: [UNDERLYING],
  examples: ["vanna query options smiles ETH"],
  prepare(ctx) {
    const u = parseSymbol(ctx.args.require("UNDERLYING"));
    return async (query) => {
      const list = await query.oracle.smiles(u);
      return { json: { smiles: wireJson(list) }, text: list.length === 0 ? "no smiles\n" : formatTable(SMILE_HEADER, list.map(smileRow)) };
    };
  },
});

const twap = optionsQuery({
  name: "twap",
  summary: "show the oracle's time-weighted average price over a window ending now",
  args: [UNDERLYING],
  options: [{ name: "window", type: "string", valueName: "DURATION", default: "30m", description: "averaging window, e.g. 5m, 30m, 1h" }],
  examples: ["vanna query options twap BTC --window 30m"],
  prepare(ctx) {
    const u = parseSymbol(ctx.args.require("UNDERLYING"));
    const windowNs = parseDuration(ctx.opts.requireString("window"), "--window");
    if (windowNs === 0n) throw new UsageError("--window must be positive");
    return async (query) => {
      const res = await query.oracle.twap(u, windowNs);
      return {
        json: wireJson(res),
        text: formatFields([["twap", `${formatMicro(res.twapMicroUsd)} USD`], ["from", utcOfNs(res.startTimeNs)], ["to", utcOfNs(res.endTimeNs)], ["samples", res.samples]]),
      };
    };
  },
});

const settlement = optionsQuery({
  name: "settlement",
  summary: "show how a series settled: price, TWAP window, payout per contract, shortfall",
  args: [SERIES],
  examples: ["vanna query options settlement 12"],
  prepare(ctx) {
    const ref = parseSeriesRef(ctx.args.require("SERIES"));
    return async (query: VannaQueryClient) => {
      const s = await resolveSeries(query, ref);
      const r = await unlessNotFound(query.options.settlement(s.id));
      if (r === undefined) return { json: { name: nameOf(s), settlement: null }, text: `${nameOf(s)} is not settled\n` };
      return {
        json: { name: nameOf(s), settlement: wireJson(r) },
        text: formatFields([
          ["series", `${s.id} ${nameOf(s)}`],
          ["settlement price", `${formatMicro(r.settlementPriceMicroUsd)} USD`],
          ["twap window", `${utcOfNs(r.twapStartNs)} .. ${utcOfNs(r.twapEndNs)} (${r.twapSamples} samples)`],
          ["payout per contract", usdcText(r.payoutPerContractMicroUsdc)],
          ["open interest", `${r.openInterestContracts} contracts`],
          ["total shortfall", usdcText(r.totalShortfallMicroUsdc)],
          ["height", r.height],
        ]),
      };
    };
  },
});

const shortfalls = optionsQuery({
  name: "shortfalls",
  summary: "list unpaid settlement claims of longs (left for the insurance fund)",
  options: [{ name: "limit", type: "int", valueName: "N", default: 100, min: 1, max: 1000, description: "at most this many" }],
  examples: ["vanna query options shortfalls"],
  prepare(ctx) {
    const limit = BigInt(ctx.opts.int("limit") ?? 100);
    return async (query) => {
      const res = await query.options.shortfallClaims({ key: new Uint8Array(), offset: 0n, limit, countTotal: false, reverse: false });
      const text = res.claims.length === 0 ? "no shortfall claims\n" : formatTable(["SUBACCOUNT", "SERIES", "UNPAID USDC"], res.claims.map((c) => [`${c.owner}/${c.subaccountNumber}`, String(c.seriesId), formatMicro(BigInt(c.amountMicroUsdc || "0"))]));
      return { json: { claims: wireJson(res.claims) }, text };
    };
  },
});

export const optionsMarketQueryCommands: CommandSpec[] = [params, underlyings, series, seriesList, expiries, mark, marks, price, prices, smile, smiles, twap, settlement, shortfalls];
