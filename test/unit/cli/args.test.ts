import { describe, expect, it } from "vitest";
import { parseCommandLine, resolveCommand, wantsHelp } from "../../../node/cli/args.js";
import { UsageError, type CommandSpec } from "../../../node/cli/command.js";

const run = async (): Promise<void> => undefined;

const add: CommandSpec = {
  path: ["keys", "add"],
  summary: "add",
  args: [{ name: "NAME", description: "name" }],
  options: [
    { name: "recover", type: "bool", description: "recover" },
    { name: "index", type: "int", default: 0, min: 0, max: 10, description: "index" },
    { name: "home", type: "string", default: "~/.vanna", description: "home" },
    { name: "output", short: "o", type: "string", default: "text", choices: ["text", "json"], description: "fmt" },
    { name: "peer", type: "string", repeated: true, description: "peer" },
    { name: "chain-id", type: "string", required: true, description: "chain" },
  ],
  run,
};
const block: CommandSpec = { path: ["query", "block"], summary: "block", args: [{ name: "HEIGHT", description: "h", optional: true }], run };
const many: CommandSpec = { path: ["many"], summary: "many", args: [{ name: "A", description: "a" }, { name: "REST", description: "r", variadic: true, optional: true }], run };
const table = [add, block, many];

function parse(spec: CommandSpec, tokens: string[]) {
  return parseCommandLine(spec, tokens);
}

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("resolveCommand", () => {
  it("finds the longest command path and leaves the rest", () => {
    const r = resolveCommand(table, ["keys", "add", "alice", "--recover"]);
    expect(r.kind).toBe("command");
    if (r.kind === "command") {
      expect(r.command).toBe(add);
      expect(r.rest).toEqual(["alice", "--recover"]);
    }
  });

  it("reports groups and stops at unknown words", () => {
    expect(resolveCommand(table, ["keys"])).toEqual({ kind: "group", path: ["keys"], rest: [] });
    expect(resolveCommand(table, ["keys", "bogus"])).toEqual({ kind: "group", path: ["keys"], rest: ["bogus"] });
    expect(resolveCommand(table, [])).toEqual({ kind: "group", path: [], rest: [] });
    expect(resolveCommand(table, ["--home", "x", "keys"])).toEqual({ kind: "group", path: [], rest: ["--home", "x", "keys"] });
  });
});

describe("parseCommandLine", () => {
  it("accepts --flag value, --flag=value, short flags, booleans and flags between positionals", () => {
    const { args, opts } = parse(add, ["--chain-id", "c1", "alice", "--recover", "--index=3", "-o", "json", "--home=/x=y"]);
    expect(args.require("NAME")).toBe("alice");
    expect(opts.bool("recover")).toBe(true);
    expect(opts.int("index")).toBe(3);
    expect(opts.string("output")).toBe("json");
    expect(opts.string("home")).toBe("/x=y");
    expect(opts.string("chain-id")).toBe("c1");
    expect(opts.given("index")).toBe(true);
  });

  it("applies defaults and knows what was given", () => {
    const { opts } = parse(add, ["alice", "--chain-id=c"]);
    expect(opts.int("index")).toBe(0);
    expect(opts.bool("recover")).toBe(false);
    expect(opts.string("home")).toBe("~/.vanna");
    expect(opts.given("home")).toBe(false);
    expect(opts.strings("peer")).toEqual([]);
  });

  it("collects repeated flags and rejects repeats of others", () => {
    const { opts } = parse(add, ["a", "--chain-id=c", "--peer", "p1", "--peer=p2"]);
    expect(opts.strings("peer")).toEqual(["p1", "p2"]);
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--index", "1", "--index", "2"]))).toMatch(/--index was given more than once/);
  });

  it("accepts --recover=false and rejects other boolean values", () => {
    expect(parse(add, ["a", "--chain-id=c", "--recover=false"]).opts.bool("recover")).toBe(false);
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--recover=yes"]))).toMatch(/--recover takes no value/);
  });

  it("rejects unknown flags, with a suggestion for near misses", () => {
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--recovr"]))).toBe("unknown flag --recovr (did you mean --recover?)");
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--zzz"]))).toBe("unknown flag --zzz");
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "-x"]))).toBe("unknown flag -x");
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--=x"]))).toMatch(/malformed flag/);
  });

  it("rejects missing values, including a flag where a value should be", () => {
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--home"]))).toBe("flag --home needs a value");
    expect(usageError(() => parse(add, ["a", "--home", "--chain-id=c"]))).toBe("flag --home needs a value");
    // A value that starts with a single dash is a value.
    expect(parse(add, ["a", "--chain-id", "-weird-"]).opts.string("chain-id")).toBe("-weird-");
  });

  it("parses integers strictly", () => {
    for (const bad of ["1e3", "0x10", "1.5", "", " 1", "01", "+1", "9007199254740993"]) {
      expect(usageError(() => parse(add, ["a", "--chain-id=c", `--index=${bad}`]))).toMatch(/needs an integer/);
    }
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--index=11"]))).toMatch(/at most 10/);
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "--index", "-1"]))).toMatch(/at least 0/);
  });

  it("checks choices and required flags", () => {
    expect(usageError(() => parse(add, ["a", "--chain-id=c", "-o", "yaml"]))).toMatch(/-o must be one of text, json; got "yaml"/);
    expect(usageError(() => parse(add, ["a"]))).toBe("missing required flag --chain-id");
  });

  it("checks positional counts", () => {
    expect(usageError(() => parse(add, ["--chain-id=c"]))).toBe("missing argument NAME");
    expect(usageError(() => parse(add, ["a", "b", "--chain-id=c"]))).toBe('unexpected argument "b"');
    expect(parse(block, []).args.get("HEIGHT")).toBeUndefined();
    expect(parse(block, ["-5"]).args.get("HEIGHT")).toBe("-5");
    expect(parse(many, ["x", "y", "z"]).args.rest("REST")).toEqual(["y", "z"]);
  });

  it("treats everything after -- as positionals", () => {
    const { args, opts } = parse(add, ["--chain-id=c", "--", "--recover"]);
    expect(args.require("NAME")).toBe("--recover");
    expect(opts.bool("recover")).toBe(false);
  });

  it("throws a programming error for undeclared or mistyped accessors", () => {
    const { opts } = parse(add, ["a", "--chain-id=c"]);
    expect(() => opts.string("nope")).toThrow(/not declared/);
    expect(() => opts.string("index")).toThrow(/declared as int/);
  });
});

describe("wantsHelp", () => {
  it("sees --help and -h anywhere before --", () => {
    expect(wantsHelp(["a", "--help"])).toBe(true);
    expect(wantsHelp(["-h"])).toBe(true);
    expect(wantsHelp(["--", "--help"])).toBe(false);
    expect(wantsHelp(["--helpful"])).toBe(false);
  });
});
