import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { childrenOf } from "../../../node/cli/args.js";
import { commands } from "../../../node/cli/main.js";
import { vanna } from "./io.js";

const groups = [...new Set(commands.flatMap((c) => c.path.slice(0, -1).map((_, i) => c.path.slice(0, i + 1).join(" "))))];

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("help", () => {
  it("has the client commands in the table", () => {
    const paths = commands.map((c) => c.path.join(" "));
    for (const p of ["keys add", "keys list", "keys show", "keys delete", "tx bank send", "query bank balances", "query account", "query block", "query tx", "status"]) {
      expect(paths).toContain(p);
    }
    expect(new Set(paths).size).toBe(paths.length);
  });

  it.each(commands.map((c) => [c.path.join(" "), c] as const))("vanna %s --help shows usage, every option with its default, and examples", async (_name, spec) => {
    for (const flag of ["--help", "-h"]) {
      const r = await vanna([...spec.path, flag]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain(`Usage:\n  vanna ${spec.path.join(" ")}`);
      for (const o of spec.options ?? []) {
        expect(r.stdout).toContain(`--${o.name}`);
        if (o.default !== undefined && o.type !== "bool") expect(r.stdout).toContain(`(default ${JSON.stringify(o.default)})`);
      }
      for (const a of spec.args ?? []) expect(r.stdout).toContain(a.name);
      for (const e of spec.examples ?? []) expect(r.stdout).toContain(e);
    }
    const viaHelp = await vanna(["help", ...spec.path]);
    expect(viaHelp.stdout).toBe((await vanna([...spec.path, "--help"])).stdout);
  });

  it.each(groups)("vanna %s lists its subcommands", async (group) => {
    const path = group.split(" ");
    for (const argv of [path, [...path, "--help"], ["help", ...path]]) {
      const r = await vanna(argv);
      expect(r.code).toBe(0);
      for (const child of childrenOf(commands, path)) expect(r.stdout).toMatch(new RegExp(`^  ${child} `, "m"));
    }
  });

  it("shows the overview without arguments, and the version", async () => {
    const r = await vanna([]);
    expect(r.code).toBe(0);
    for (const name of ["keys", "tx", "query", "status", "help"]) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(r.stdout).toContain("--version");
    expect(await vanna(["--version"])).toEqual({ code: 0, stdout: "vanna 0.1.0\n", stderr: "" });
  });

  it("marks the test keyring backend as insecure in help", async () => {
    expect((await vanna(["keys", "add", "--help"])).stdout).toMatch(/"test" \(UNENCRYPTED, INSECURE/);
  });
});

const H = "/nonexistent-vanna-home";

describe("usage errors exit 2 with one clear line and the usage", () => {
  it.each([
    [["bogus"], /^error: unknown command "bogus" for "vanna"/],
    [["keys", "ad"], /^error: unknown command "ad" for "vanna keys" \(did you mean add\?\)/],
    [["--home", "x", "keys", "list"], /^error: unknown flag --home for "vanna" \(flags go after the command\)/],
    [["keys", "list", "--bogus"], /^error: unknown flag --bogus\nUsage: vanna keys list \[flags\]\n/],
    [["keys", "add"], /^error: missing argument NAME\nUsage: vanna keys add NAME \[flags\]/],
    [["keys", "add", "a", "--index", "x"], /^error: flag --index needs an integer, got "x"/],
    [["keys", "add", "a", "--index"], /^error: flag --index needs a value/],
    [["keys", "list", "--home", H, "--output", "yaml"], /^error: flag --output must be one of text, json/],
    [["query", "block", "1e3"], /^error: invalid HEIGHT "1e3"/],
    [["query", "tx", "abc"], /^error: invalid HASH "abc"/],
    [["query", "bank", "balances", "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "--home", H], /^error: invalid address "cosmos1.*prefix is "cosmos", expected "vanna"/],
    [["status", "--node", "localhost:26657"], /^error: invalid --node "localhost:26657"/],
    [["tx", "bank", "send", "a", "b", "1e3uvanna", "--home", H], /^error: invalid amount "1e3uvanna": scientific notation/],
    [["tx", "bank", "send", "a", "b", "5uvanna", "--home", H, "--fees", "1uvanna", "--gas-prices", "0.1uvanna"], /mutually exclusive/],
    [["help", "nope"], /^error: no help for "nope"/],
  ])("vanna %j", async (argv, message) => {
    const r = await vanna(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe("failures exit 1 with one line", () => {
  it("reports an unreachable node in one line", async () => {
    const port = await closedPort();
    for (const argv of [["status"], ["query", "block"], ["query", "tx", "A".repeat(64)], ["query", "account", "vanna19rl4cm2hmr8afy4kldpxz3fka4jguq0aamlvd2"]]) {
      const r = await vanna([...argv, "--node", `http://127.0.0.1:${port}`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: cannot reach node at http://127.0.0.1:${port}: connection refused (is the node running?)\n`);
    }
  });

  it("accepts tcp:// node addresses as CometBFT does", async () => {
    const port = await closedPort();
    const r = await vanna(["status", "--node", `tcp://127.0.0.1:${port}`]);
    expect(r.stderr).toContain(`cannot reach node at http://127.0.0.1:${port}`);
  });
});
