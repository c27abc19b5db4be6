/**
 * `vanna query options …` for the book and for accounts: book (L2), l3, order, orders, fills, subaccount,
 * positions, margin, mmp. SUBACCOUNT is an address or key name with an optional "/N" (default 0).
 */
import { formatMicro, sideName, type ClobCodec } from "../../client/index.js";
import { UsageError, type CommandSpec } from "../command.js";
import { formatFields, formatTable } from "../output.js";
import { bookText, fillsTable, nameOf, ordersTable, priceText, usdcText, utcOfNs, wireJson } from "./optionsFormat.js";
import { parsePositive, parseSeriesRef, parseSymbol, parseSubaccountArg, resolveSeries, unlessNotFound } from "./optionsInputs.js";
import { optionsQuery, tickOfSeries, tickSizes } from "./optionsQueryCommon.js";
import { optionsWhatIfQueryCommands } from "./optionsQueryWhatIf.js";

const SERIES = { name: "SERIES", description: "series id or name (BTC-20260130-100000-C)" };
const SUBACCOUNT = { name: "SUBACCOUNT", description: 'owner address or key name, optionally "/N" for subaccount N (default 0)' };

const book = optionsQuery({
  name: "book",
  summary: "show the aggregated order book (L2) of a series",
  args: [SERIES],
  options: [{ name: "levels", type: "int", valueName: "N", default: 20, min: 1, max: 1000, description: "price levels per side" }],
  examples: ["vanna query options book BTC-20260130-100000-C", "vanna query options book 12 --levels 5 -o json"],
  prepare(ctx) {
    const ref = parseSeriesRef(ctx.args.require("SERIES"));
    const levels = ctx.opts.int("levels") ?? 20;
    return async (query) => {
      const s = await resolveSeries(query, ref);
      const res = await query.clob.bookL2(s.id, levels);
      const tick = (await tickSizes(query)).get(s.underlying);
      return { json: { series_id: s.id.toString(), name: nameOf(s), tick_size_micro_usdc: tick?.toString(), ...(wireJson(res) as object) }, text: `${nameOf(s)}\n${bookText(res, tick)}` };
    };
  },
});

const l3 = optionsQuery({
  name: "l3",
  summary: "show every resting order of a series (L3), best first",
  args: [SERIES],
  options: [{ name: "limit", type: "int", valueName: "N", default: 100, min: 1, max: 1000, description: "orders per side" }],
  examples: ["vanna query options l3 12"],
  prepare(ctx) {
    const ref = parseSeriesRef(ctx.args.require("SERIES"));
    const limit = ctx.opts.int("limit") ?? 100;
    return async (query) => {
      const s = await resolveSeries(query, ref);
      const res = await query.clob.bookL3(s.id, limit);
      const tick = (await tickSizes(query)).get(s.underlying);
      const tickOf = () => tick;
      return { json: wireJson(res), text: `${nameOf(s)}\nasks:\n${ordersTable(res.asks, tickOf)}bids:\n${ordersTable(res.bids, tickOf)}` };
    };
  },
});

function orderFields(o: ClobCodec.OrderProto, tick: bigint | undefined) {
  return formatFields([
    ["order", o.orderId],
    ["series", o.seriesId],
    ["subaccount", `${o.owner}/${o.subaccountNumber}`],
    ["side", sideName(o.side) ?? String(o.side)],
    ["price", priceText(o.priceTicks, tick)],
    ["remaining/placed", `${o.remainingContracts}/${o.placedContracts} contracts (filled ${o.filledContracts})`],
    ["flags", [o.postOnly ? "post-only" : "", o.reduceOnly ? "reduce-only" : ""].filter((f) => f !== "").join(", ") || "-"],
    ["client id", o.clientId === 0n ? "-" : o.clientId],
    ["good til", o.goodTilBlock > 0n ? `block ${o.goodTilBlock}` : o.goodTilTimeNs > 0n ? utcOfNs(o.goodTilTimeNs) : "cancelled (gtc)"],
  ]);
}

const order = optionsQuery({
  name: "order",
  summary: "show one open order, by id or by --client-id of a subaccount",
  args: [{ name: "ORDER_ID", description: "order id (or use --client-id with --owner)", optional: true }],
  options: [
    { name: "client-id", type: "string", valueName: "N", description: "client id of the order (with --owner)" },
    { name: "owner", type: "string", valueName: "SUBACCOUNT", description: "the subaccount of --client-id (address or key name, /N)" },
  ],
  examples: ["vanna query options order 1234", "vanna query options order --client-id 7 --owner mm/1"],
  async prepare(ctx) {
    const idText = ctx.args.get("ORDER_ID");
    const clientText = ctx.opts.string("client-id");
    const ownerText = ctx.opts.string("owner");
    if ((idText === undefined) === (clientText === undefined)) throw new UsageError("give ORDER_ID or --client-id N --owner SUBACCOUNT");
    if (clientText !== undefined && ownerText === undefined) throw new UsageError("--client-id needs --owner SUBACCOUNT");
    if (idText !== undefined && ownerText !== undefined) throw new UsageError("--owner only goes with --client-id");
    const orderId = idText === undefined ? undefined : parsePositive(idText, "ORDER_ID");
    const clientId = clientText === undefined ? undefined : parsePositive(clientText, "--client-id");
    const sub = ownerText === undefined ? undefined : await parseSubaccountArg(ctx, ownerText);
    return async (query) => {
      const o = await unlessNotFound(orderId !== undefined ? query.clob.order(orderId) : query.clob.orderByClientId(sub!.owner, sub!.number, clientId!));
      if (o === undefined) return { json: { order: null }, text: "order not found (filled, cancelled or never placed)\n" };
      const tick = (await tickOfSeries(query, [o.seriesId]))(o.seriesId);
      return { json: { order: wireJson(o) }, text: orderFields(o, tick) };
    };
  },
});

const orders = optionsQuery({
  name: "orders",
  summary: "list the open orders of a subaccount",
  args: [SUBACCOUNT],
  options: [
    { name: "series", type: "string", valueName: "SERIES", description: "only this series (id or name)" },
    { name: "limit", type: "int", valueName: "N", default: 500, min: 1, max: 10000, description: "at most this many" },
  ],
  examples: ["vanna query options orders alice", "vanna query options orders mm/1 --series 12 -o json"],
  async prepare(ctx) {
    const sub = await parseSubaccountArg(ctx, ctx.args.require("SUBACCOUNT"));
    const seriesText = ctx.opts.string("series");
    const ref = seriesText === undefined ? undefined : parseSeriesRef(seriesText);
    const limit = BigInt(ctx.opts.int("limit") ?? 500);
    return async (query) => {
      const seriesId = ref === undefined ? 0n : (await resolveSeries(query, ref)).id;
      const res = await query.clob.openOrders(sub.owner, sub.number, seriesId, { key: new Uint8Array(), offset: 0n, limit, countTotal: false, reverse: false });
      const tickOf = await tickOfSeries(query, res.orders.map((o) => o.seriesId));
      return { json: { orders: wireJson(res.orders) }, text: ordersTable(res.orders, tickOf) };
    };
  },
});

const fills = optionsQuery({
  name: "fills",
  summary: "list recent fills of a series (SERIES) or of a subaccount (--subaccount), newest first",
  args: [{ name: "SERIES", description: "series id or name (or use --subaccount)", optional: true }],
  options: [
    { name: "subaccount", type: "string", valueName: "SUBACCOUNT", description: "fills of this subaccount instead (address or key name, /N)" },
    { name: "limit", type: "int", valueName: "N", default: 50, min: 1, max: 1000, description: "at most this many" },
  ],
  examples: ["vanna query options fills BTC-20260130-100000-C", "vanna query options fills --subaccount alice/0 --limit 10"],
  async prepare(ctx) {
    const seriesText = ctx.args.get("SERIES");
    const subText = ctx.opts.string("subaccount");
    if ((seriesText === undefined) === (subText === undefined)) throw new UsageError("give SERIES or --subaccount SUBACCOUNT (not both)");
    const ref = seriesText === undefined ? undefined : parseSeriesRef(seriesText);
    const sub = subText === undefined ? undefined : await parseSubaccountArg(ctx, subText);
    const limit = ctx.opts.int("limit") ?? 50;
    return async (query) => {
      const list = ref !== undefined ? await query.clob.fills({ seriesId: (await resolveSeries(query, ref)).id, limit }) : await query.clob.fills({ owner: sub!.owner, number: sub!.number, limit });
      const tickOf = await tickOfSeries(query, list.map((f) => f.seriesId));
      return { json: { fills: wireJson(list) }, text: fillsTable(list, tickOf) };
    };
  },
});

const subaccount = optionsQuery({
  name: "subaccount",
  summary: "show a subaccount: collateral and positions",
  args: [SUBACCOUNT],
  examples: ["vanna query options subaccount alice", "vanna query options subaccount vanna1.../2 -o json"],
  async prepare(ctx) {
    const sub = await parseSubaccountArg(ctx, ctx.args.require("SUBACCOUNT"));
    return async (query) => {
      const s = await query.subaccounts.subaccount(sub.owner, sub.number);
      const positions = s?.positions ?? [];
      const text =
        formatFields([["subaccount", `${sub.owner}/${sub.number}`], ["collateral", usdcText(s?.quoteMicroUsdc ?? "0")], ["positions", positions.length]]) +
        (positions.length === 0 ? "" : formatTable(["SERIES", "SIZE", "COST BASIS USDC"], positions.map((p) => [String(p.instrumentId), p.sizeContracts, formatMicro(BigInt(p.costBasisMicroUsdc || "0"))])));
      return { json: { subaccount: wireJson(s) }, text };
    };
  },
});

const positions = optionsQuery({
  name: "positions",
  summary: "list the positions of a subaccount, with series names",
  args: [SUBACCOUNT],
  examples: ["vanna query options positions alice/1"],
  async prepare(ctx) {
    const sub = await parseSubaccountArg(ctx, ctx.args.require("SUBACCOUNT"));
    return async (query) => {
      const res = await query.subaccounts.positions(sub.owner, sub.number, { key: new Uint8Array(), offset: 0n, limit: 1000n, countTotal: false, reverse: false });
      const names = new Map<bigint, string>();
      for (const p of res.positions) {
        const s = await query.options.series(p.instrumentId).catch(() => undefined);
        if (s !== undefined) names.set(p.instrumentId, nameOf(s));
      }
      const text = res.positions.length === 0 ? "no positions\n" : formatTable(["SERIES", "NAME", "SIZE", "COST BASIS USDC"], res.positions.map((p) => [String(p.instrumentId), names.get(p.instrumentId) ?? "", p.sizeContracts, formatMicro(BigInt(p.costBasisMicroUsdc || "0"))]));
      return { json: { positions: res.positions.map((p) => ({ name: names.get(p.instrumentId) ?? null, ...(wireJson(p) as object) })) }, text };
    };
  },
});

const margin = optionsQuery({
  name: "margin",
  summary: "show a subaccount's equity, initial and maintenance margin and free collateral",
  args: [SUBACCOUNT],
  examples: ["vanna query options margin alice", "vanna query options margin mm/1 -o json"],
  async prepare(ctx) {
    const sub = await parseSubaccountArg(ctx, ctx.args.require("SUBACCOUNT"));
    return async (query) => {
      const m = await query.margin.subaccountMargin(sub.owner, sub.number);
      let text = formatFields([
        ["subaccount", `${sub.owner}/${sub.number}`],
        ["equity", usdcText(m.equityMicroUsdc)],
        ["initial margin", usdcText(m.initialMarginMicroUsdc)],
        ["maintenance margin", usdcText(m.maintenanceMarginMicroUsdc)],
        ["free collateral", usdcText(m.freeCollateralMicroUsdc)],
        ["risk model", `${m.riskModel} (params v${m.paramsVersion})`],
      ]);
      if (m.positions.length > 0) {
        text += formatTable(["SERIES", "SIZE", "MARK USDC", "VALUE USDC", "IM USDC", "MM USDC"], m.positions.map((p) => [String(p.seriesId), p.sizeContracts, ...[p.markMicroUsdc, p.valueMicroUsdc, p.imMicroUsdc, p.mmMicroUsdc].map((v) => formatMicro(BigInt(v || "0")))]));
      }
      if (m.orders.length > 0) {
        text += formatTable(["ORDERS ON", "BUY", "SELL", "IM USDC"], m.orders.map((o) => [String(o.seriesId), o.buyContracts, o.sellContracts, formatMicro(BigInt(o.imMicroUsdc || "0"))]));
      }
      if (m.unpricedSeriesIds.length > 0) text += `unpriced series (no new risk accepted): ${m.unpricedSeriesIds.join(", ")}\n`;
      return { json: wireJson(m), text };
    };
  },
});

const mmp = optionsQuery({
  name: "mmp",
  summary: "show the market maker protection config and state of a subaccount on an underlying",
  args: [SUBACCOUNT, { name: "UNDERLYING", description: "underlying symbol, e.g. BTC" }],
  examples: ["vanna query options mmp mm/1 BTC"],
  async prepare(ctx) {
    const sub = await parseSubaccountArg(ctx, ctx.args.require("SUBACCOUNT"));
    const u = parseSymbol(ctx.args.require("UNDERLYING"));
    return async (query) => {
      const res = await query.clob.mmp(sub.owner, sub.number, u);
      const c = res.config;
      const s = res.state;
      const text =
        c === undefined
          ? "no market maker protection configured\n"
          : formatFields([
              ["window", `${c.windowNs / 1_000_000n} ms`],
              ["max contracts", c.maxContracts === 0n ? "off" : c.maxContracts],
              ["max |delta|", c.maxDeltaMicroUnits === 0n ? "off" : `${formatMicro(c.maxDeltaMicroUnits)} ${u}`],
              ["max |vega|", c.maxVegaMicroUsdc === 0n ? "off" : usdcText(c.maxVegaMicroUsdc)],
              ["freeze", c.freezeNs === 0n ? "until reset" : `${c.freezeNs / 1_000_000n} ms`],
              ["frozen", s?.frozen === true ? (s.frozenUntilNs === 0n ? "yes, until reset" : `until ${utcOfNs(s.frozenUntilNs)}`) : "no"],
              ["in window", s === undefined ? "-" : `${s.contracts} contracts, delta ${formatMicro(BigInt(s.deltaMicroUnits || "0"))}, vega ${usdcText(s.vegaMicroUsdc || "0")}`],
            ]);
      return { json: wireJson(res), text };
    };
  },
});

export const optionsAccountQueryCommands: CommandSpec[] = [book, l3, order, orders, fills, subaccount, positions, margin, mmp, ...optionsWhatIfQueryCommands];
