import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  compositeEvents,
  equalityConditions,
  eventTypesOf,
  matchesQuery,
  parseQuery,
  QuerySyntaxError,
  queryToString,
  txHashCondition,
} from "../../../node/rpc/query.js";
import { event } from "../../../src/types/events.js";

const map = (o: Record<string, string[]>): Map<string, string[]> => new Map(Object.entries(o));

describe("parseQuery", () => {
  it("parses the queries cosmjs sends", () => {
    expect(parseQuery("tm.event='NewBlock'").conditions).toEqual([
      { key: "tm.event", op: "=", arg: { kind: "string", value: "NewBlock" } },
    ]);
    const q = parseQuery("tm.event='Tx' AND message.sender='cosmos1abc' AND tx.height=5");
    expect(q.conditions.map((c) => [c.key, c.op])).toEqual([
      ["tm.event", "="],
      ["message.sender", "="],
      ["tx.height", "="],
    ]);
    expect(q.conditions[2]?.arg).toEqual({ kind: "number", text: "5", value: { digits: 5n, scale: 0 } });
  });

  it("parses every operator, numbers with fractions, TIME and DATE", () => {
    const q = parseQuery(
      "a.b<1 AND a.b<=2.5 AND a.b>3 AND a.b>=4 AND a.c CONTAINS 'x y' AND a.d EXISTS AND t.t>TIME 2020-01-02T03:04:05Z AND t.d<=DATE 2021-05-06",
    );
    expect(q.conditions.map((c) => c.op)).toEqual(["<", "<=", ">", ">=", "CONTAINS", "EXISTS", ">", "<="]);
    expect(q.conditions[1]?.arg).toMatchObject({ kind: "number", value: { digits: 25n, scale: 1 } });
    expect(q.conditions[4]?.arg).toEqual({ kind: "string", value: "x y" });
    expect(q.conditions[5]?.arg).toBeUndefined();
    expect(q.conditions[6]?.arg).toMatchObject({ kind: "time", ns: 1_577_934_245_000_000_000n });
    expect(q.conditions[7]?.arg).toMatchObject({ kind: "date", ns: 1_620_259_200_000_000_000n });
  });

  it("accepts spacing, dashes and underscores in tags, and unicode letters", () => {
    const q = parseQuery("  my-module.some_key  =  'v'   AND  ключ.x EXISTS ");
    expect(q.conditions.map((c) => c.key)).toEqual(["my-module.some_key", "ключ.x"]);
  });

  it.each([
    ["", "expected a tag"],
    ["tm.event", "expected an operator"],
    ["tm.event=", "expected a value"],
    ["tm.event='Tx", "unterminated string"],
    ["tm.event='Tx' OR a.b='c'", "expected AND"],
    ["tm.event='Tx' AND", "expected a tag"],
    ["a.b < 'str'", "needs a number"],
    ["a.b CONTAINS 5", "CONTAINS needs a string"],
    ["a.b = \"dq\"", "invalid input"],
    ["a.b = 5 a.c = 6", "expected AND"],
    ["a.b = TIME 2020-13-01T00:00:00Z", "invalid TIME"],
    ["a.b = DATE 1800-01-01", "out of range"],
    ["5abc = 1", "expected a tag"],
    ["a.b == 1", "expected a value"],
    ["a.b != 1", "invalid input '!'"],
  ])("rejects %j (%s)", (src, reason) => {
    let err: unknown;
    try {
      parseQuery(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QuerySyntaxError);
    expect((err as Error).message).toContain(reason);
  });

  it("rejects queries over the length limit", () => {
    expect(() => parseQuery(`a.b='${"x".repeat(600)}'`)).toThrow(/longer than 512/);
    expect(() => parseQuery("a.b='xx'", 5)).toThrow(QuerySyntaxError);
  });

  it("prints canonically and round-trips", () => {
    const q = parseQuery("tm.event='Tx'   AND tx.height>=5 AND a.b EXISTS AND t.t<TIME 2020-01-02T03:04:05Z");
    const text = queryToString(q);
    expect(text).toBe("tm.event = 'Tx' AND tx.height >= 5 AND a.b EXISTS AND t.t < TIME 2020-01-02T03:04:05Z");
    expect(parseQuery(text)).toEqual(q);
  });

  it("round-trips generated queries", () => {
    const tag = fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,12}$/);
    const cond = fc.oneof(
      fc.tuple(tag, fc.stringMatching(/^[^']{0,10}$/)).map(([k, v]) => `${k}='${v}'`),
      fc.tuple(tag, fc.constantFrom("<", "<=", ">", ">=", "="), fc.nat()).map(([k, op, n]) => `${k}${op}${n}`),
      tag.map((k) => `${k} EXISTS`),
    );
    fc.assert(
      fc.property(fc.array(cond, { minLength: 1, maxLength: 5 }), (conds) => {
        const q = parseQuery(conds.join(" AND "));
        expect(q.conditions).toHaveLength(conds.length);
        expect(parseQuery(queryToString(q))).toEqual(q);
      }),
    );
  });

  it("never throws anything but QuerySyntaxError on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (src) => {
        try {
          parseQuery(src);
        } catch (e) {
          expect(e).toBeInstanceOf(QuerySyntaxError);
        }
      }),
    );
  });

  it("extracts equality conditions, the tx hash and event types", () => {
    const q = parseQuery("tm.event='Tx' AND tx.hash='abcdef' AND tx.height=7 AND x.y>3");
    expect(equalityConditions(q)).toEqual([
      { key: "tm.event", value: "Tx" },
      { key: "tx.hash", value: "abcdef" },
      { key: "tx.height", value: "7" },
    ]);
    expect(txHashCondition(q)).toBe("ABCDEF");
    expect(txHashCondition(parseQuery("tx.height=7"))).toBeUndefined();
    expect(eventTypesOf(q)).toEqual(["Tx"]);
  });
});

describe("matchesQuery", () => {
  const events = map({
    "tm.event": ["Tx"],
    "tx.hash": ["ABCDEF01"],
    "tx.height": ["12"],
    "message.sender": ["cosmos1alice", "cosmos1bob"],
    "transfer.amount": ["150stake"],
    "price.value": ["2.75"],
    "t.when": ["2024-03-01T10:00:00.5Z"],
    "d.day": ["2024-03-01"],
  });
  const m = (q: string): boolean => matchesQuery(parseQuery(q), events);

  it("matches string equality against any value of the key", () => {
    expect(m("tm.event='Tx'")).toBe(true);
    expect(m("message.sender='cosmos1bob'")).toBe(true);
    expect(m("message.sender='cosmos1carol'")).toBe(false);
    expect(m("tm.event='NewBlock'")).toBe(false);
  });

  it("needs every condition (AND)", () => {
    expect(m("tm.event='Tx' AND message.sender='cosmos1alice'")).toBe(true);
    expect(m("tm.event='Tx' AND message.sender='cosmos1carol'")).toBe(false);
  });

  it("compares tx.hash case-insensitively", () => {
    expect(m("tx.hash='abcdef01'")).toBe(true);
    expect(m("tx.hash='ABCDEF02'")).toBe(false);
  });

  it("compares numbers exactly, using the leading number of a value", () => {
    expect(m("tx.height=12")).toBe(true);
    expect(m("tx.height=12.0")).toBe(true);
    expect(m("tx.height>11 AND tx.height<13 AND tx.height>=12 AND tx.height<=12")).toBe(true);
    expect(m("tx.height>12")).toBe(false);
    expect(m("transfer.amount>=150")).toBe(true);
    expect(m("transfer.amount>150")).toBe(false);
    expect(m("price.value>2.7")).toBe(true);
    expect(m("price.value<2.75")).toBe(false);
    expect(m("message.sender>1")).toBe(false); // not a number
  });

  it("handles CONTAINS and EXISTS, including type-only keys", () => {
    expect(m("message.sender CONTAINS 'ali'")).toBe(true);
    expect(m("message.sender CONTAINS 'zed'")).toBe(false);
    expect(m("transfer.amount EXISTS")).toBe(true);
    expect(m("transfer EXISTS")).toBe(true);
    expect(m("coin_spent EXISTS")).toBe(false);
    expect(m("transfer.recipient EXISTS")).toBe(false);
  });

  it("compares TIME and DATE", () => {
    expect(m("t.when > TIME 2024-03-01T09:59:59Z")).toBe(true);
    expect(m("t.when < TIME 2024-03-01T10:00:00Z")).toBe(false);
    expect(m("d.day = DATE 2024-03-01")).toBe(true);
    expect(m("d.day > DATE 2024-03-01")).toBe(false);
  });

  it("never matches an empty event map", () => {
    expect(matchesQuery(parseQuery("a.b EXISTS"), new Map())).toBe(false);
  });
});

describe("compositeEvents", () => {
  it("flattens type.key, keeps order, skips empty types/keys and optionally unindexed attributes", () => {
    const evs = [
      event("message", { sender: "a", module: "bank" }),
      event("message", { sender: "b" }),
      { type: "", attributes: [{ key: "x", value: "1", index: true }] },
      { type: "tx", attributes: [{ key: "", value: "1", index: true }, { key: "fee", value: "5stake", index: false }] },
    ];
    expect(Object.fromEntries(compositeEvents(evs))).toEqual({
      "message.sender": ["a", "b"],
      "message.module": ["bank"],
      "tx.fee": ["5stake"],
    });
    expect(compositeEvents(evs, true).has("tx.fee")).toBe(false);
  });
});
