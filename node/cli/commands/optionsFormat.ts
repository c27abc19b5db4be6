/**
 * How `vanna query|tx options` print chain data. JSON: the decoded messages with snake_case keys, enums as words
 * ("buy", "call", "active"), 64-bit integers as strings. Text: aligned fields and tables, with prices shown both
 * in ticks and in USDC, amounts in USDC, times in UTC.
 */
import { formatMicro, optionKindName, seriesName, seriesStatusName, sideName, ticksToUsdc, type ClobCodec, type OptionsCodec, type OrderEvents } from "../../client/index.js";
import { formatFields, formatTable, type Field } from "../output.js";

const TIF_NAMES = ["gtc", "ioc", "fok", "gtb", "gtt"];
const ENUM_WORDS: Record<string, (n: number) => string | undefined> = {
  kind: optionKindName,
  status: seriesStatusName,
  side: sideName,
  takerSide: sideName,
  timeInForce: (n) => TIF_NAMES[n],
  orderType: (n) => (n === 0 ? "limit" : n === 1 ? "market" : undefined),
};

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A decoded message as JSON-ready data: snake_case keys, known enums as words (unknown numbers kept). */
export function wireJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireJson);
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const word = typeof v === "number" ? ENUM_WORDS[k]?.(v) : undefined;
    out[snake(k)] = word ?? wireJson(v);
  }
  return out;
}

/** "12.34 USDC" of a uusdc amount (bigint or decimal string). */
export function usdcText(micro: bigint | string): string {
  return `${formatMicro(BigInt(micro === "" ? "0" : micro))} USDC`;
}

/** "2026-01-30 08:00:00Z" of Unix seconds / nanoseconds. */
export function utcOfSeconds(unixS: bigint): string {
  return new Date(Number(unixS) * 1000).toISOString().replace("T", " ").replace(".000Z", "Z");
}
export const utcOfNs = (ns: bigint): string => (ns === 0n ? "-" : new Date(Number(ns / 1_000_000n)).toISOString().replace("T", " "));

/** "12.35 (247 ticks)", or the bare ticks when the tick size is unknown. */
export function priceText(ticks: bigint, tickSizeMicroUsdc: bigint | undefined): string {
  return tickSizeMicroUsdc === undefined ? `${ticks} ticks` : `${ticksToUsdc(ticks, tickSizeMicroUsdc)} (${ticks} ticks)`;
}

export function nameOf(s: OptionsCodec.SeriesProto): string {
  const kind = optionKindName(s.kind);
  return kind === undefined ? `series ${s.id}` : seriesName({ underlying: s.underlying, expiryUnixS: s.expiryUnixS, strikeMicroUsd: s.strikeMicroUsd, kind });
}

/** JSON of a series, with its name. */
export const seriesJson = (s: OptionsCodec.SeriesProto): unknown => ({ name: nameOf(s), ...(wireJson(s) as object) });

export function seriesFields(s: OptionsCodec.SeriesProto): Field[] {
  const fields: Field[] = [
    ["id", s.id],
    ["name", nameOf(s)],
    ["underlying", s.underlying],
    ["kind", optionKindName(s.kind) ?? String(s.kind)],
    ["strike", `${formatMicro(s.strikeMicroUsd)} USD`],
    ["expiry", `${utcOfSeconds(s.expiryUnixS)} (${s.expiryUnixS})`],
    ["status", seriesStatusName(s.status) ?? String(s.status)],
    ["listed at height", s.listedHeight],
  ];
  if (seriesStatusName(s.status) === "settled") {
    fields.push(["settlement price", `${formatMicro(s.settlementPriceMicroUsd)} USD`], ["settled at height", s.settledHeight]);
  }
  return fields;
}

export function seriesTable(list: readonly OptionsCodec.SeriesProto[]): string {
  if (list.length === 0) return "no series\n";
  return formatTable(
    ["ID", "NAME", "EXPIRY (UTC)", "STRIKE USD", "KIND", "STATUS"],
    list.map((s) => [String(s.id), nameOf(s), utcOfSeconds(s.expiryUnixS), formatMicro(s.strikeMicroUsd), optionKindName(s.kind) ?? "?", seriesStatusName(s.status) ?? "?"]),
  );
}

export function markFields(m: OptionsCodec.SeriesMarkProto, stale: boolean): Field[] {
  return [
    ["series", m.seriesId],
    ["mark", usdcText(m.markMicroUsdcPerContract)],
    ["spot", `${formatMicro(m.spotMicroUsd)} USD${stale ? " (STALE)" : ""}`],
    ["vol", `${formatMicro(m.volPpm * 100n)} %`],
    ["delta", formatMicro(m.deltaPpm)],
    ["gamma (per USD)", formatMicro(m.gammaPpb, 9)],
    ["vega (per vol point)", usdcText(m.vegaMicroUsdcPerVolPoint)],
    ["theta (per day)", usdcText(m.thetaMicroUsdcPerDay)],
    ["time", utcOfNs(m.timeNs)],
  ];
}

export function marksTable(marks: readonly OptionsCodec.SeriesMarkProto[], names: ReadonlyMap<bigint, string>): string {
  if (marks.length === 0) return "no marks (no oracle price or smile yet)\n";
  return formatTable(
    ["SERIES", "NAME", "MARK USDC", "VOL %", "DELTA", "VEGA USDC"],
    marks.map((m) => [String(m.seriesId), names.get(m.seriesId) ?? "", formatMicro(BigInt(m.markMicroUsdcPerContract)), formatMicro(m.volPpm * 100n), formatMicro(m.deltaPpm), formatMicro(BigInt(m.vegaMicroUsdcPerVolPoint))]),
  );
}

/** An L2 book: asks from the highest down to the best, a spread line, then bids from the best down. */
export function bookText(book: ClobCodec.QueryBookL2Response, tickSizeMicroUsdc: bigint | undefined): string {
  const row = (side: string, l: ClobCodec.LevelProto) => [side, tickSizeMicroUsdc === undefined ? "" : ticksToUsdc(l.priceTicks, tickSizeMicroUsdc), String(l.priceTicks), String(l.sizeContracts), String(l.orderCount)];
  const asks = [...book.asks].reverse().map((l) => row("ask", l));
  const bids = book.bids.map((l) => row("bid", l));
  const bestBid = book.bids[0];
  const bestAsk = book.asks[0];
  const spread = bestBid !== undefined && bestAsk !== undefined ? [["", "", `spread ${bestAsk.priceTicks - bestBid.priceTicks}`, "", ""]] : [];
  if (asks.length === 0 && bids.length === 0) return "empty book\n";
  return formatTable(["SIDE", "PRICE USDC", "TICKS", "SIZE", "ORDERS"], [...asks, ...spread, ...bids]);
}

export function ordersTable(orders: readonly ClobCodec.OrderProto[], tickOf: (seriesId: bigint) => bigint | undefined): string {
  if (orders.length === 0) return "no open orders\n";
  return formatTable(
    ["ORDER", "SERIES", "SUBACCOUNT", "SIDE", "PRICE", "REMAINING", "FILLED", "TIF", "FLAGS", "CLIENT ID"],
    orders.map((o) => [
      String(o.orderId),
      String(o.seriesId),
      `${o.owner}/${o.subaccountNumber}`,
      sideName(o.side) ?? "?",
      priceText(o.priceTicks, tickOf(o.seriesId)),
      String(o.remainingContracts),
      String(o.filledContracts),
      TIF_NAMES[o.timeInForce] ?? "?",
      [o.postOnly ? "post-only" : "", o.reduceOnly ? "reduce-only" : ""].filter((f) => f !== "").join(",") || "-",
      o.clientId === 0n ? "-" : String(o.clientId),
    ]),
  );
}

export function fillsTable(fills: readonly ClobCodec.FillProto[], tickOf: (seriesId: bigint) => bigint | undefined): string {
  if (fills.length === 0) return "no fills\n";
  return formatTable(
    ["SEQ", "HEIGHT", "SERIES", "TAKER SIDE", "PRICE", "SIZE", "PREMIUM USDC", "MAKER", "TAKER", "FEES M/T USDC"],
    fills.map((f) => [
      String(f.sequence),
      String(f.height),
      String(f.seriesId),
      sideName(f.takerSide) ?? "?",
      priceText(f.priceTicks, tickOf(f.seriesId)),
      String(f.sizeContracts),
      formatMicro(BigInt(f.premiumMicroUsdc || "0")),
      `${f.maker}/${f.makerNumber}`,
      `${f.taker}/${f.takerNumber}`,
      `${formatMicro(BigInt(f.makerFeeMicroUsdc || "0"))}/${formatMicro(BigInt(f.takerFeeMicroUsdc || "0"))}`,
    ]),
  );
}

/** The order events of an included tx, for the result of place/cancel/amend/batch. */
export function orderEventFields(events: OrderEvents): Field[] {
  const fields: Field[] = [];
  for (const p of events.placed) fields.push(["placed", `order ${p.orderId}: ${p.side} ${p.sizeContracts} @ ${p.priceTicks} ticks, filled ${p.filledContracts}, resting ${p.restingContracts}`]);
  for (const f of events.filled) {
    fields.push(["filled", `${f.sizeContracts} @ ${f.priceTicks} ticks (maker ${f.makerOrderId}, taker ${f.takerOrderId}), premium ${usdcText(f.premiumMicroUsdc)}, taker fee ${usdcText(f.takerFeeMicroUsdc)}`]);
  }
  for (const a of events.amended) fields.push(["amended", `order ${a.orderId}: ${a.restingContracts} @ ${a.priceTicks} ticks${a.lostPriority ? " (lost priority)" : ""}`]);
  for (const c of events.cancelled) fields.push(["cancelled", `order ${c.orderId}: ${c.cancelledContracts} contracts (${c.reason})${c.removed ? "" : ", still open"}`]);
  return fields;
}

export const fieldsText = (fields: readonly Field[]): string => formatFields(fields);
