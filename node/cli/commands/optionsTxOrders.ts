/**
 * `vanna tx options place-order | cancel-order | amend-order | batch`. Prices are given in USDC per contract
 * (--price 12.35, converted exactly to ticks with the series' tick size read from the chain; off-tick prices are
 * refused) or in raw ticks (--price-ticks); sizes in whole contracts, checked against the underlying's lot.
 */
import { readFile } from "node:fs/promises";
import { msgs, type OptionsCodec, type OrderInput, type OrderType, type Side, type TimeInForce, type VannaQueryClient } from "../../client/index.js";
import { CliError, UsageError, type CommandContext, type CommandSpec } from "../command.js";
import {
  checkLot,
  parsePositive,
  parseSeriesRef,
  parseTimeNs,
  priceOptions,
  readPriceInput,
  resolveSeries,
  subaccountOption,
  ticksOf,
  underlyingParams,
  type PriceInput,
  type SeriesRef,
} from "./optionsInputs.js";
import { optionsTx } from "./optionsTxCommon.js";

/** An order as typed, before the chain tells its series id and tick size. */
export interface OrderDraft {
  series: SeriesRef;
  price: PriceInput;
  order: Omit<OrderInput, "seriesId" | "priceTicks">;
}

export interface DraftFields {
  side: string;
  size: string;
  type?: string;
  tif?: string;
  goodTilBlock?: string;
  goodTilTime?: string;
  postOnly?: boolean;
  reduceOnly?: boolean;
  clientId?: string;
}

const TIFS = ["gtc", "ioc", "fok", "gtb", "gtt"];

/** Checks one order's fields for consistency; `where` prefixes messages (e.g. "places[2]: "). */
export function orderDraft(series: SeriesRef, price: PriceInput, f: DraftFields, where = ""): OrderDraft {
  const bad = (why: string) => new UsageError(`${where}${why}`);
  if (f.side !== "buy" && f.side !== "sell") throw bad(`invalid side "${f.side}": expected buy or sell`);
  const type = f.type ?? "limit";
  if (type !== "limit" && type !== "market") throw bad(`invalid order type "${type}": expected limit or market`);
  const tif = f.tif ?? (type === "market" ? "ioc" : "gtc");
  if (!TIFS.includes(tif)) throw bad(`invalid time in force "${tif}": expected one of ${TIFS.join(", ")}`);
  if (type === "market" && tif !== "ioc" && tif !== "fok") throw bad("a market order is ioc or fok");
  if (f.postOnly === true && (tif === "ioc" || tif === "fok")) throw bad(`post-only orders must rest: not with ${tif}`);
  if ((tif === "gtb") !== (f.goodTilBlock !== undefined)) throw bad("good-til-block goes with time in force gtb, and gtb needs it");
  if ((tif === "gtt") !== (f.goodTilTime !== undefined)) throw bad("good-til-time goes with time in force gtt, and gtt needs it");
  const order: OrderDraft["order"] = {
    side: f.side as Side,
    sizeContracts: parsePositive(f.size, `${where}size`),
    orderType: type as OrderType,
    timeInForce: tif as TimeInForce,
    postOnly: f.postOnly ?? false,
    reduceOnly: f.reduceOnly ?? false,
  };
  if (f.goodTilBlock !== undefined) order.goodTilBlock = parsePositive(f.goodTilBlock, `${where}good-til-block`);
  if (f.goodTilTime !== undefined) order.goodTilTimeNs = parseTimeNs(f.goodTilTime, `${where}good-til-time`);
  if (f.clientId !== undefined) order.clientId = parsePositive(f.clientId, `${where}client id`);
  return { series, price, order };
}

/** Chain lookups of one command, memoized (a batch of 500 quotes on a few series asks once per series). */
export class ChainLookups {
  private readonly series = new Map<string, Promise<OptionsCodec.SeriesProto>>();
  private readonly underlyings = new Map<string, Promise<OptionsCodec.UnderlyingParamsProto>>();
  constructor(readonly query: VannaQueryClient) {}
  seriesOf(ref: SeriesRef): Promise<OptionsCodec.SeriesProto> {
    const key = "id" in ref ? `#${ref.id}` : ref.name;
    let found = this.series.get(key);
    if (found === undefined) this.series.set(key, (found = resolveSeries(this.query, ref)));
    return found;
  }
  underlyingOf(symbol: string): Promise<OptionsCodec.UnderlyingParamsProto> {
    let found = this.underlyings.get(symbol);
    if (found === undefined) this.underlyings.set(symbol, (found = underlyingParams(this.query, symbol)));
    return found;
  }
}

/** Resolves a draft against the chain: series id, tick size, lot. */
export async function resolveDraft(chain: ChainLookups, d: OrderDraft, where = ""): Promise<OrderInput> {
  const series = await chain.seriesOf(d.series);
  const u = await chain.underlyingOf(series.underlying);
  try {
    checkLot(d.order.sizeContracts, u);
    return { ...d.order, seriesId: series.id, priceTicks: ticksOf(d.price, u.tickSizeMicroUsdc) };
  } catch (err) {
    if (err instanceof UsageError && where !== "") throw new UsageError(`${where}${err.message}`);
    throw err;
  }
}

const placeOrder = optionsTx({
  name: "place-order",
  summary: "place an order on a series",
  description:
    "SERIES is an id or a name (BTC-20260130-100000-C). The price is the premium per contract: --price in\n" +
    "USDC on the series' tick, or --price-ticks. Market orders are ioc (default) or fok and the price is the\n" +
    "worst accepted. The result shows the order id and any fills.",
  args: [
    { name: "SERIES", description: "series id or name" },
    { name: "SIDE", description: "buy or sell" },
    { name: "SIZE", description: "contracts (a multiple of the underlying's lot)" },
  ],
  options: [
    ...priceOptions,
    { name: "type", type: "string", valueName: "TYPE", default: "limit", choices: ["limit", "market"], description: "order type" },
    { name: "tif", type: "string", valueName: "TIF", choices: TIFS, description: "time in force (default gtc; ioc for market orders)" },
    { name: "good-til-block", type: "string", valueName: "HEIGHT", description: "last block the order rests in (with --tif gtb)" },
    { name: "good-til-time", type: "string", valueName: "TIME", description: "RFC 3339 time or Unix ns until which it rests (with --tif gtt)" },
    { name: "post-only", type: "bool", description: "rest only: rejected instead of taking liquidity" },
    { name: "reduce-only", type: "bool", description: "may only reduce the position" },
    { name: "client-id", type: "string", valueName: "N", description: "your id for the order (unique among live orders)" },
    subaccountOption,
  ],
  examples: [
    "vanna tx options place-order alice BTC-20260130-100000-C buy 5 --price 1250.5",
    "vanna tx options place-order mm 12 sell 10 --price-ticks 2470 --post-only --client-id 7 --subaccount 1",
    "vanna tx options place-order alice 12 buy 1 --type market --price 1300",
  ],
  prepare(ctx) {
    const draft = orderDraft(parseSeriesRef(ctx.args.require("SERIES")), readPriceInput(ctx, true)!, {
      side: ctx.args.require("SIDE"),
      size: ctx.args.require("SIZE"),
      type: ctx.opts.string("type"),
      tif: ctx.opts.string("tif"),
      goodTilBlock: ctx.opts.string("good-til-block"),
      goodTilTime: ctx.opts.string("good-til-time"),
      postOnly: ctx.opts.bool("post-only"),
      reduceOnly: ctx.opts.bool("reduce-only"),
      clientId: ctx.opts.string("client-id"),
    });
    const subaccountNumber = ctx.opts.int("subaccount") ?? 0;
    return { build: async (owner, query) => [msgs.placeOrder({ owner, subaccountNumber, order: await resolveDraft(new ChainLookups(query), draft) })] };
  },
});

/** ORDER_ID argument or --client-id, exactly one. */
function orderRef(ctx: CommandContext): { orderId?: bigint; clientId?: bigint } {
  const idText = ctx.args.get("ORDER_ID");
  const clientText = ctx.opts.string("client-id");
  if ((idText === undefined) === (clientText === undefined)) throw new UsageError("give the order: ORDER_ID or --client-id N (not both)");
  return idText !== undefined ? { orderId: parsePositive(idText, "ORDER_ID") } : { clientId: parsePositive(clientText ?? "", "--client-id") };
}

const ORDER_ID = { name: "ORDER_ID", description: "order id (or use --client-id)", optional: true };
const clientIdOption = { name: "client-id", type: "string" as const, valueName: "N", description: "the order's client id (instead of ORDER_ID)" };

const cancelOrder = optionsTx({
  name: "cancel-order",
  summary: "cancel one open order, by id or client id",
  args: [ORDER_ID],
  options: [clientIdOption, subaccountOption],
  examples: ["vanna tx options cancel-order alice 1234", "vanna tx options cancel-order mm --client-id 7 --subaccount 1"],
  prepare(ctx) {
    const ref = orderRef(ctx);
    const subaccountNumber = ctx.opts.int("subaccount") ?? 0;
    return { build: async (owner) => [msgs.cancelOrder({ owner, subaccountNumber, ...ref })] };
  },
});

const amendOrder = optionsTx({
  name: "amend-order",
  summary: "change an open order's size and/or price",
  description: "Without a new price the size may only go down and the order keeps its queue priority.",
  args: [ORDER_ID],
  options: [clientIdOption, { name: "size", type: "string", valueName: "N", required: true, description: "new total open size in contracts" }, ...priceOptions, subaccountOption],
  examples: ["vanna tx options amend-order alice 1234 --size 3", "vanna tx options amend-order mm --client-id 7 --size 10 --price 1260"],
  prepare(ctx) {
    const ref = orderRef(ctx);
    const newSizeContracts = parsePositive(ctx.opts.requireString("size"), "--size");
    const price = readPriceInput(ctx, false);
    const subaccountNumber = ctx.opts.int("subaccount") ?? 0;
    return {
      build: async (owner, query) => {
        let newPriceTicks = 0n;
        if (price !== undefined) {
          const order = ref.orderId !== undefined ? await query.clob.order(ref.orderId) : await query.clob.orderByClientId(owner, subaccountNumber, ref.clientId ?? 0n);
          if (order === undefined) throw new CliError("order not found");
          const series = await resolveSeries(query, { id: order.seriesId });
          const u = await underlyingParams(query, series.underlying);
          checkLot(newSizeContracts, u);
          newPriceTicks = ticksOf(price, u.tickSizeMicroUsdc);
        }
        return [msgs.amendOrder({ owner, subaccountNumber, ...ref, newSizeContracts, newPriceTicks })];
      },
    };
  },
});

// ---- batch ----

type Json = Record<string, unknown>;

function intField(o: Json, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === "string") return v;
  throw new UsageError(`${where}${key} must be a non-negative integer (as a number or a string)`);
}

function strField(o: Json, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" && key === "price") throw new UsageError(`${where}price must be a string such as "12.35" (exact decimals)`);
  throw new UsageError(`${where}${key} must be a string`);
}

function boolField(o: Json, key: string, where: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null || typeof v === "boolean") return v ?? undefined;
  throw new UsageError(`${where}${key} must be true or false`);
}

const PLACE_KEYS = new Set(["series", "side", "size", "price", "price_ticks", "type", "tif", "good_til_block", "good_til_time", "post_only", "reduce_only", "client_id"]);

/** The batch file: {"cancels": [{"order_id": 12} | {"client_id": 7}], "places": [{"series": "12", "side": "buy", ...}]}. */
export function parseBatchFile(text: string): { cancels: Array<{ orderId?: bigint; clientId?: bigint }>; places: OrderDraft[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`batch file is not valid JSON: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new UsageError('batch file must be an object {"cancels": [...], "places": [...]}');
  const { cancels = [], places = [], ...rest } = doc as Json;
  if (Object.keys(rest).length > 0) throw new UsageError(`batch file: unknown key ${Object.keys(rest)[0]} (expected cancels, places)`);
  if (!Array.isArray(cancels) || !Array.isArray(places)) throw new UsageError("batch file: cancels and places must be arrays");
  if (cancels.length + places.length === 0) throw new UsageError("batch file has no cancels and no places");
  const asObject = (v: unknown, where: string): Json => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new UsageError(`${where}expected an object`);
    return v as Json;
  };
  return {
    cancels: cancels.map((c, i) => {
      const where = `cancels[${i}]: `;
      const o = asObject(c, where);
      const orderId = intField(o, "order_id", where);
      const clientId = intField(o, "client_id", where);
      if ((orderId === undefined) === (clientId === undefined)) throw new UsageError(`${where}give exactly one of order_id and client_id`);
      return orderId !== undefined ? { orderId: parsePositive(orderId, `${where}order_id`) } : { clientId: parsePositive(clientId ?? "", `${where}client_id`) };
    }),
    places: places.map((p, i) => {
      const where = `places[${i}]: `;
      const o = asObject(p, where);
      const unknown = Object.keys(o).find((k) => !PLACE_KEYS.has(k));
      if (unknown !== undefined) throw new UsageError(`${where}unknown key ${unknown}`);
      const series = typeof o["series"] === "number" ? intField(o, "series", where) : strField(o, "series", where);
      if (series === undefined) throw new UsageError(`${where}series is required`);
      const usdc = strField(o, "price", where);
      const ticks = intField(o, "price_ticks", where);
      if ((usdc === undefined) === (ticks === undefined)) throw new UsageError(`${where}give exactly one of price (USDC) and price_ticks`);
      const price: PriceInput = usdc !== undefined ? { usdc } : { ticks: parsePositive(ticks ?? "", `${where}price_ticks`) };
      const side = strField(o, "side", where);
      const size = intField(o, "size", where);
      if (side === undefined || size === undefined) throw new UsageError(`${where}side and size are required`);
      return orderDraft(parseSeriesRef(series), price, {
        side,
        size,
        type: strField(o, "type", where),
        tif: strField(o, "tif", where),
        goodTilBlock: intField(o, "good_til_block", where),
        goodTilTime: typeof o["good_til_time"] === "number" ? intField(o, "good_til_time", where) : strField(o, "good_til_time", where),
        postOnly: boolField(o, "post_only", where),
        reduceOnly: boolField(o, "reduce_only", where),
        clientId: intField(o, "client_id", where),
      }, where);
    }),
  };
}

const batch = optionsTx({
  name: "batch",
  summary: "cancel and place many orders of one subaccount in one message (read from a JSON file)",
  description:
    'FILE ("-" for stdin) holds {"cancels": [{"order_id": 12}, {"client_id": 7}], "places": [{"series":\n' +
    '"BTC-20260130-100000-C", "side": "sell", "size": 5, "price": "1250.5", "post_only": true, "client_id": 8}]}.\n' +
    "Place keys: series, side, size, price (USDC string) or price_ticks, type, tif, good_til_block,\n" +
    "good_til_time, post_only, reduce_only, client_id. Cancels run first; each item succeeds or fails alone.",
  args: [{ name: "FILE", description: 'JSON file of cancels and places, or "-" for stdin' }],
  options: [subaccountOption],
  examples: ["vanna tx options batch mm quotes.json --subaccount 1", "cat quotes.json | vanna tx options batch mm -"],
  async prepare(ctx) {
    const file = ctx.args.require("FILE");
    const text = file === "-" ? await readStdin(ctx) : await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read batch file ${file}: ${err.code ?? err.message}`);
    });
    const parsed = parseBatchFile(text);
    const subaccountNumber = ctx.opts.int("subaccount") ?? 0;
    return {
      build: async (owner, query) => {
        const chain = new ChainLookups(query);
        const places: OrderInput[] = [];
        for (const [i, d] of parsed.places.entries()) places.push(await resolveDraft(chain, d, `places[${i}]: `));
        return [msgs.batch({ owner, subaccountNumber, cancels: parsed.cancels, places })];
      },
    };
  },
});

async function readStdin(ctx: CommandContext): Promise<string> {
  const stdin = ctx.io.stdin;
  if (stdin === undefined) throw new UsageError("no stdin to read the batch from");
  let text = "";
  for await (const chunk of stdin) text += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
  return text;
}

export const optionsOrderTxCommands: CommandSpec[] = [placeOrder, cancelOrder, amendOrder, batch];
