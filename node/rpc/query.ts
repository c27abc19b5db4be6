/**
 * The CometBFT event query language (libs/pubsub/query/syntax in CometBFT 0.38):
 *
 *   query     := condition { "AND" condition }
 *   condition := tag ( op arg | "CONTAINS" string | "EXISTS" )
 *   op        := "=" | "<" | "<=" | ">" | ">="        (ordering ops take numbers, TIME or DATE only)
 *   arg       := 'single-quoted string' | number | TIME <RFC3339> | DATE <YYYY-MM-DD>
 *
 * Tags are `[_\p{L}\p{N}][._\-\p{L}\p{N}]*` (e.g. tm.event, tx.hash, message.sender). Strings have no escapes.
 * Matching follows CometBFT's compiled queries, against a flat map from composite key to values.
 */
import type { Event } from "../../src/types/events.js";
import { nsFromDate, nsFromRfc3339 } from "./encoding.js";

export type QueryOp = "=" | "<" | "<=" | ">" | ">=" | "CONTAINS" | "EXISTS";

/** A decimal number as an exact rational: digits / 10^scale. */
export interface Decimal {
  digits: bigint;
  scale: number;
}

export type QueryArg =
  | { kind: "string"; value: string }
  | { kind: "number"; text: string; value: Decimal }
  | { kind: "time"; text: string; ns: bigint }
  | { kind: "date"; text: string; ns: bigint };

export interface QueryCondition {
  key: string;
  op: QueryOp;
  /** Absent only for EXISTS. */
  arg?: QueryArg;
}

export interface Query {
  conditions: QueryCondition[];
}

export class QuerySyntaxError extends Error {
  override readonly name = "QuerySyntaxError";
  constructor(
    readonly offset: number,
    reason: string,
  ) {
    super(`offset ${offset}: ${reason}`);
  }
}

/** CometBFT's RPC limit on query length. */
export const MAX_QUERY_LENGTH = 512;

type Token =
  | { t: "tag"; text: string; pos: number }
  | { t: "string"; text: string; pos: number }
  | { t: "number"; text: string; pos: number }
  | { t: "time"; text: string; pos: number }
  | { t: "date"; text: string; pos: number }
  | { t: "and" | "exists" | "contains"; pos: number }
  | { t: "op"; op: "=" | "<" | "<=" | ">" | ">="; pos: number };

const TAG_FIRST = /[_\p{L}\p{N}]/u;
const TAG_REST = /[._\-\p{L}\p{N}]/u;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i;
    if (ch >= "0" && ch <= "9") {
      const m = /^\d+(?:\.\d*)?/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: "number", text: m[0], pos });
      i += m[0].length;
    } else if (TAG_FIRST.test(ch)) {
      let j = i + 1;
      while (j < src.length && TAG_REST.test(src[j] as string)) j++;
      const text = src.slice(i, j);
      i = j;
      if ((text === "TIME" || text === "DATE") && src[j] === " ") {
        // Exactly one space, then RFC 3339 characters (CometBFT's scanner has no fractional seconds here).
        const m = /^ ([-T:+Z0-9]+)/.exec(src.slice(j));
        const literal = m?.[1] ?? "";
        i = j + (m?.[0].length ?? 0);
        const ns = text === "TIME" ? nsFromRfc3339(literal) : nsFromDate(literal);
        if (ns === undefined) throw new QuerySyntaxError(pos, `invalid ${text} value '${literal}'`);
        const year = Number(literal.slice(0, 4));
        if (year < 1900 || year > 2999) throw new QuerySyntaxError(pos, `${text} year ${year} out of range`);
        out.push({ t: text === "TIME" ? "time" : "date", text: literal, pos });
      } else if (text === "AND") out.push({ t: "and", pos });
      else if (text === "EXISTS") out.push({ t: "exists", pos });
      else if (text === "CONTAINS") out.push({ t: "contains", pos });
      else out.push({ t: "tag", text, pos });
    } else if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new QuerySyntaxError(pos, "unterminated string");
      out.push({ t: "string", text: src.slice(i + 1, end), pos });
      i = end + 1;
    } else if (ch === "=" || ch === "<" || ch === ">") {
      const two = src[i + 1] === "=" && ch !== "=";
      out.push({ t: "op", op: (two ? `${ch}=` : ch) as "=" | "<" | "<=" | ">" | ">=", pos });
      i += two ? 2 : 1;
    } else {
      throw new QuerySyntaxError(pos, `invalid input '${ch}'`);
    }
  }
  return out;
}

function describe(tok: Token | undefined): string {
  if (!tok) return "end of query";
  if (tok.t === "op") return `'${tok.op}'`;
  if ("text" in tok) return `${tok.t} '${tok.text}'`;
  return tok.t.toUpperCase();
}

function parseDecimal(text: string): Decimal {
  const [intPart, fracPart = ""] = text.split(".");
  return { digits: BigInt(`${intPart}${fracPart}`), scale: fracPart.length };
}

/** Parses a query; throws QuerySyntaxError with the offset and reason. */
export function parseQuery(src: string, maxLength = MAX_QUERY_LENGTH): Query {
  if (src.length > maxLength) throw new QuerySyntaxError(0, `query is longer than ${maxLength} characters`);
  const toks = tokenize(src);
  const conditions: QueryCondition[] = [];
  let i = 0;
  const endPos = src.length;
  for (;;) {
    const tag = toks[i++];
    if (tag?.t !== "tag") throw new QuerySyntaxError(tag?.pos ?? endPos, `expected a tag, got ${describe(tag)}`);
    const opTok = toks[i++];
    if (opTok?.t === "exists") {
      conditions.push({ key: tag.text, op: "EXISTS" });
    } else if (opTok?.t === "contains") {
      const arg = toks[i++];
      if (arg?.t !== "string") throw new QuerySyntaxError(arg?.pos ?? endPos, `CONTAINS needs a string, got ${describe(arg)}`);
      conditions.push({ key: tag.text, op: "CONTAINS", arg: { kind: "string", value: arg.text } });
    } else if (opTok?.t === "op") {
      const arg = toks[i++];
      const at = arg?.pos ?? endPos;
      let parsed: QueryArg;
      if (arg?.t === "number") parsed = { kind: "number", text: arg.text, value: parseDecimal(arg.text) };
      else if (arg?.t === "time") parsed = { kind: "time", text: arg.text, ns: nsFromRfc3339(arg.text) as bigint };
      else if (arg?.t === "date") parsed = { kind: "date", text: arg.text, ns: nsFromDate(arg.text) as bigint };
      else if (arg?.t === "string" && opTok.op === "=") parsed = { kind: "string", value: arg.text };
      else if (arg?.t === "string") throw new QuerySyntaxError(at, `'${opTok.op}' needs a number, TIME or DATE, got a string`);
      else throw new QuerySyntaxError(at, `expected a value after '${opTok.op}', got ${describe(arg)}`);
      conditions.push({ key: tag.text, op: opTok.op, arg: parsed });
    } else {
      throw new QuerySyntaxError(opTok?.pos ?? endPos, `expected an operator after '${tag.text}', got ${describe(opTok)}`);
    }
    const next = toks[i++];
    if (next === undefined) break;
    if (next.t !== "and") throw new QuerySyntaxError(next.pos, `expected AND, got ${describe(next)}`);
  }
  return { conditions };
}

function argToString(arg: QueryArg): string {
  switch (arg.kind) {
    case "string":
      return `'${arg.value}'`;
    case "number":
      return arg.text;
    case "time":
      return `TIME ${arg.text}`;
    case "date":
      return `DATE ${arg.text}`;
  }
}

/** Canonical text of a query (as CometBFT's String()). */
export function queryToString(query: Query): string {
  return query.conditions
    .map((c) => (c.arg ? `${c.key} ${c.op} ${argToString(c.arg)}` : `${c.key} ${c.op}`))
    .join(" AND ");
}

/** CometBFT extracts a leading number so that "8atom" compares as 8. */
const LEADING_NUMBER = /^\d+(?:\.\d+)?/;

function compareDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.digits * 10n ** BigInt(scale - a.scale);
  const y = b.digits * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function orderingHolds(op: QueryOp, cmp: number): boolean {
  switch (op) {
    case "=":
      return cmp === 0;
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
    default:
      return false;
  }
}

function valueMatches(cond: QueryCondition, value: string): boolean {
  const arg = cond.arg;
  if (cond.op === "EXISTS" || arg === undefined) return true;
  switch (arg.kind) {
    case "string":
      if (cond.op === "CONTAINS") return value.includes(arg.value);
      // tx.hash is hex: compare case-insensitively (cosmjs sends uppercase, humans type either).
      if (cond.key === "tx.hash") return value.toUpperCase() === arg.value.toUpperCase();
      return value === arg.value;
    case "number": {
      const m = LEADING_NUMBER.exec(value);
      return m !== null && orderingHolds(cond.op, compareDecimal(parseDecimal(m[0]), arg.value));
    }
    case "time":
    case "date": {
      const ns = arg.kind === "time" ? nsFromRfc3339(value) : nsFromDate(value);
      return ns !== undefined && orderingHolds(cond.op, ns < arg.ns ? -1 : ns > arg.ns ? 1 : 0);
    }
  }
}

/**
 * True when every condition holds for some value of its key. As in CometBFT, a key that names only an event
 * type (e.g. `transfer EXISTS`) is matched against "" when that type has any attribute, and an empty event map
 * never matches.
 */
export function matchesQuery(query: Query, events: ReadonlyMap<string, readonly string[]>): boolean {
  if (events.size === 0) return false;
  return query.conditions.every((cond) => {
    const values = events.get(cond.key);
    if (values && values.length > 0) return values.some((v) => valueMatches(cond, v));
    const prefix = `${cond.key}.`;
    for (const k of events.keys()) if (k.startsWith(prefix)) return valueMatches(cond, "");
    return false;
  });
}

/** Flattens events into composite keys ("type.key" → values), skipping empty types/keys as CometBFT does. */
export function compositeEvents(events: readonly Event[], indexedOnly = false): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ev of events) {
    if (ev.type === "") continue;
    for (const attr of ev.attributes) {
      if (attr.key === "" || (indexedOnly && !attr.index)) continue;
      addValue(out, `${ev.type}.${attr.key}`, attr.value);
    }
  }
  return out;
}

export function addValue(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Conditions of the form `key = value` (strings and numbers, value as written), for picking index keys. */
export function equalityConditions(query: Query): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const c of query.conditions) {
    if (c.op !== "=" || !c.arg) continue;
    if (c.arg.kind === "string") out.push({ key: c.key, value: c.arg.value });
    else if (c.arg.kind === "number") out.push({ key: c.key, value: c.arg.text });
  }
  return out;
}

/** The value of a `tx.hash = '<hex>'` condition, uppercased, if the query has one. */
export function txHashCondition(query: Query): string | undefined {
  const hit = equalityConditions(query).find((c) => c.key === "tx.hash");
  return hit?.value.toUpperCase();
}

/** The values of the event type a subscription filters on (`tm.event = '...'`). */
export function eventTypesOf(query: Query): string[] {
  return equalityConditions(query)
    .filter((c) => c.key === "tm.event")
    .map((c) => c.value);
}
