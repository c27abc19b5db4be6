/**
 * The `vanna` CLI as people use it: the real binary (`node dist/node/cli/main.js …`) in a child process, against a
 * live `vanna dev` node. Keys are recovered from the dev mnemonic into a fresh home (test and file keyrings),
 * tokens are sent with simulated gas and with fixed fees, and every balance change is checked to the unit through
 * the CLI's own queries. Mistakes must end with the right exit code (2: command line, 1: failure) and one
 * `error: …` line, never a stack trace.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { devAccounts, DEV_MNEMONIC } from "../../node/config/devAccounts.js";
import { freePort, removeHome, startDevNode, tempHome, waitForHeight, type NodeProcess } from "../support/nodeProcess.js";
import { accountInfo, allBalances, runVanna, status, type CommandResult } from "../support/load.js";

const PASSPHRASE = { VANNA_KEYRING_PASSPHRASE: "correct horse battery staple" };

let node: NodeProcess;
let nodeHome: string;
let cliHome: string;
let url: string;
let dev: string[];

beforeAll(async () => {
  dev = (await devAccounts(10)).map((a) => a.address);
  nodeHome = tempHome("vanna-cli-node-");
  cliHome = tempHome("vanna-cli-keys-");
  node = await startDevNode(nodeHome, await freePort(), ["--block-time", "200ms"]);
  url = node.rpcUrl;
});

afterAll(async () => {
  await node?.stop();
  removeHome(nodeHome);
  removeHome(cliHome);
});

function vanna(args: string[], o: { env?: Record<string, string>; input?: string } = {}): Promise<CommandResult> {
  return runVanna(args, { timeoutMs: 60_000, ...o });
}

/** Runs independent invocations a few at a time (two cores; each is a Node start-up). */
async function vannaAll(list: string[][], o: { env?: Record<string, string> } = {}): Promise<CommandResult[]> {
  const out: CommandResult[] = [];
  for (let i = 0; i < list.length; i += 3) out.push(...(await Promise.all(list.slice(i, i + 3).map((args) => vanna(args, o)))));
  return out;
}

function expectOk(r: CommandResult, what = ""): void {
  expect(r.code, `${what}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  expect(r.stderr).not.toMatch(/^error:/m);
}

/**
 * Exit `code` and exactly one `error: …` line matching `message`, no stack trace. A command-line mistake (exit
 * 2) may follow it with the usage line and where to find help; nothing else may be on stderr unless `alsoOk`.
 */
function expectError(r: CommandResult, code: 1 | 2, message: RegExp, alsoOk?: RegExp): void {
  const context = `stdout: ${r.stdout}\nstderr: ${r.stderr}`;
  expect(r.timedOut, context).toBe(false);
  expect(r.code, context).toBe(code);
  const lines = r.stderr.trimEnd().split("\n");
  const errors = lines.filter((l) => l.startsWith("error: "));
  expect(errors, context).toHaveLength(1);
  expect(errors[0], context).toMatch(message);
  expect(r.stderr, context).not.toMatch(/^\s+at /m);
  const others = lines.filter((l) => !l.startsWith("error: ") && !(alsoOk?.test(l) ?? false));
  if (code === 2 && others.length > 0) {
    expect(others, context).toEqual([expect.stringMatching(/^Usage: vanna /), expect.stringMatching(/^Run 'vanna .* --help' for details\.$/)]);
  } else {
    expect(others, context).toEqual([]);
  }
}

/** Balances through the node's RPC directly (for "before" values; "after" values go through the CLI). */
async function rpcBalances(address: string): Promise<Record<string, bigint>> {
  return Object.fromEntries((await allBalances(url, address)).coins);
}

/** Balances through `vanna query bank balances ADDRESS --output json`. */
async function balances(address: string): Promise<Record<string, bigint>> {
  const r = await vanna(["query", "bank", "balances", address, "--node", url, "--output", "json"]);
  expectOk(r, "query bank balances");
  const parsed = JSON.parse(r.stdout) as { address: string; balances: Array<{ denom: string; amount: string }> };
  expect(parsed.address).toBe(address);
  return Object.fromEntries(parsed.balances.map((c) => [c.denom, BigInt(c.amount)]));
}

const nodeKeyring = (): string[] => ["--home", nodeHome, "--keyring-backend", "test"];
const testKeyring = (): string[] => ["--home", cliHome, "--keyring-backend", "test"];

describe("help", () => {
  /** What must be there at least; the test also walks whatever else the root help lists. */
  const REQUIRED_COMMANDS = [
    "init",
    "start",
    "dev",
    "keys add",
    "keys list",
    "keys show",
    "keys delete",
    "tx bank send",
    "query bank balances",
    "query account",
    "query block",
    "query tx",
    "status",
  ];
  const REQUIRED_GROUPS = ["", "keys", "tx", "tx bank", "query", "query bank"];

  it("--help works on every command group and every command, walked from the root help", async () => {
    const groups = new Map<string, string>();
    const commands = new Map<string, string>();
    let level: string[][] = [[]];
    for (let depth = 0; depth < 5 && level.length > 0; depth++) {
      const results = await vannaAll(level.map((path) => [...path, "--help"]));
      const next: string[][] = [];
      level.forEach((path, i) => {
        const r = results[i]!;
        const name = path.join(" ");
        expectOk(r, `${name} --help`);
        expect(r.stderr, name).toBe("");
        if (r.stdout.includes("\nCommands:\n")) {
          expect(r.stdout, name).toContain(`Usage:\n  ${["vanna", ...path, "COMMAND"].join(" ")} [flags]`);
          const listed = r.stdout.split("\nCommands:\n")[1]!.split("\n\n")[0]!.split("\n").map((l) => l.trim().split(/\s+/)[0]!);
          expect(listed.length, name).toBeGreaterThan(0);
          groups.set(name, r.stdout);
          for (const child of listed) if (!(path.length === 0 && child === "help")) next.push([...path, child]);
        } else {
          expect(r.stdout, name).toContain(`Usage:\n  vanna ${name}`);
          expect(r.stdout, name).toMatch(/\nFlags:\n[\s\S]*-h, --help/);
          commands.set(name, r.stdout);
        }
      });
      level = next;
    }
    expect([...groups.keys()]).toEqual(expect.arrayContaining(REQUIRED_GROUPS));
    expect([...commands.keys()]).toEqual(expect.arrayContaining(REQUIRED_COMMANDS));

    // A bare group, `vanna help GROUP`, -h, and --help after other arguments (even bad ones) print the same.
    const [bare, viaHelp, short, messy] = await vannaAll([
      ["keys"],
      ["help", "keys"],
      ["tx", "bank", "send", "-h"],
      ["tx", "bank", "send", "nobody", "1e3uusdc", "--help"],
    ]);
    expect(bare!.stdout).toBe(groups.get("keys"));
    expect(viaHelp!.stdout).toBe(groups.get("keys"));
    expect(short!.stdout).toBe(commands.get("tx bank send"));
    expect(messy!.stdout).toBe(commands.get("tx bank send"));
  });

  it("--version, and unknown commands and flags", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const [version, unknownCommand, unknownSub, unknownFlag] = await vannaAll([["--version"], ["frobnicate"], ["keys", "ad"], ["status", "--nod", url]]);
    expectOk(version!);
    expect(version!.stdout).toBe(`vanna ${pkg.version}\n`);
    expectError(unknownCommand!, 2, /^error: unknown command "frobnicate" for "vanna"/);
    expectError(unknownSub!, 2, /^error: unknown command "ad" for "vanna keys".*add/);
    expectError(unknownFlag!, 2, /--nod/);
  });
});

describe("keys", () => {
  it("add --recover into the test keyring (index 0 and 1) and the file keyring, then list, show and delete", async () => {
    const alice = await vanna(["keys", "add", "alice", "--recover", ...testKeyring()], { input: `${DEV_MNEMONIC}\n` });
    expectOk(alice, "keys add alice");
    expect(alice.stdout).toMatch(new RegExp(`^address: +${dev[0]}$`, "m"));
    expect(alice.stdout).toMatch(/^hd path: +m\/44'\/118'\/0'\/0\/0$/m);
    expect(alice.stderr).toMatch(/UNENCRYPTED/);
    // Mnemonic never echoed to stdout.
    expect(alice.stdout).not.toContain("abandon");

    const bob = await vanna(["keys", "add", "bob", "--recover", "--index", "1", "--output", "json", ...testKeyring()], { input: `${DEV_MNEMONIC}\n` });
    expectOk(bob, "keys add bob");
    expect(JSON.parse(bob.stdout)).toMatchObject({ name: "bob", address: dev[1], hd_path: "m/44'/118'/0'/0/1", keyring_backend: "test", pubkey: { "@type": "/cosmos.crypto.secp256k1.PubKey" } });

    // The file keyring (the default backend) takes its passphrase from $VANNA_KEYRING_PASSPHRASE and encrypts.
    const carol = await vanna(["keys", "add", "carol", "--recover", "--index", "2", "--home", cliHome, "--output", "json"], { input: `${DEV_MNEMONIC}\n`, env: PASSPHRASE });
    expectOk(carol, "keys add carol");
    expect(JSON.parse(carol.stdout)).toMatchObject({ name: "carol", address: dev[2], keyring_backend: "file" });
    const carolFile = readFileSync(join(cliHome, "keyring", "carol.json"), "utf8");
    expect(carolFile).toContain("ciphertext");
    expect(carolFile).not.toContain("abandon");

    // A name is never overwritten; a bad mnemonic is refused.
    const again = await vanna(["keys", "add", "alice", "--recover", ...testKeyring()], { input: `${DEV_MNEMONIC}\n` });
    expectError(again, 1, /^error: key "alice" already exists/);
    const badWords = await vanna(["keys", "add", "dave", "--recover", ...testKeyring()], { input: `${"abandon ".repeat(12).trim()}\n` });
    expectError(badWords, 1, /^error: invalid mnemonic: checksum mismatch/);

    const [listTest, listFile, showA, showByAddress, showCarol] = await vannaAll([
      ["keys", "list", "--output", "json", ...testKeyring()],
      ["keys", "list", "--home", cliHome],
      ["keys", "show", "alice", "-a", ...testKeyring()],
      ["keys", "show", dev[1]!, "--output", "json", ...testKeyring()],
      ["keys", "show", "carol", "--address", "--home", cliHome],
    ]);
    expectOk(listTest!);
    expect((JSON.parse(listTest!.stdout) as Array<{ name: string; address: string }>).map((k) => [k.name, k.address])).toEqual([
      ["alice", dev[0]],
      ["bob", dev[1]],
    ]);
    expectOk(listFile!);
    expect(listFile!.stdout.trimEnd().split("\n").slice(1)).toEqual([expect.stringMatching(new RegExp(`^carol +${dev[2]} +m/44'/118'/0'/0/2$`))]);
    expect(showA!.stdout).toBe(`${dev[0]}\n`);
    expect(JSON.parse(showByAddress!.stdout)).toMatchObject({ name: "bob", address: dev[1] });
    // Showing a file key needs no passphrase: the address and public key are not secret.
    expectOk(showCarol!);
    expect(showCarol!.stdout).toBe(`${dev[2]}\n`);

    // Delete: refused without --yes when stdin is not a terminal, done with it.
    expectError(await vanna(["keys", "delete", "bob", ...testKeyring()]), 1, /^error: refusing to delete key "bob" without confirmation: pass --yes$/);
    const deleted = await vanna(["keys", "delete", "bob", "--yes", ...testKeyring()]);
    expectOk(deleted);
    expect(deleted.stderr).toContain(`deleted key "bob" (${dev[1]})`);
    const [listAfter, showDeleted] = await vannaAll([
      ["keys", "list", "--output", "json", ...testKeyring()],
      ["keys", "show", "bob", ...testKeyring()],
    ]);
    expect((JSON.parse(listAfter!.stdout) as Array<{ name: string }>).map((k) => k.name)).toEqual(["alice"]);
    expectError(showDeleted!, 1, /^error: no key "bob"/);
  });

  it("a file-keyring key signs with the passphrase from the environment, and not with a wrong one", async () => {
    const fileHome = tempHome("vanna-cli-file-");
    try {
      const added = await vanna(["keys", "add", "erin", "--mnemonic", DEV_MNEMONIC, "--index", "2", "--home", fileHome], { env: PASSPHRASE });
      expectOk(added, "keys add erin --mnemonic");
      await sendFromFileKey(fileHome);
    } finally {
      removeHome(fileHome);
    }
  });

  async function sendFromFileKey(fileHome: string): Promise<void> {
    const to = dev[8]!;
    const before = await rpcBalances(to);
    const send = ["tx", "bank", "send", "erin", to, "4321uusdc", "--home", fileHome, "--node", url, "--output", "json"];
    const wrong = await vanna(send, { env: { VANNA_KEYRING_PASSPHRASE: "not the passphrase" } });
    expectError(wrong, 1, /^error: cannot decrypt key "erin": wrong passphrase/);
    const none = await vanna(send);
    expectError(none, 1, /^error: the file keyring needs a passphrase: .*VANNA_KEYRING_PASSPHRASE/);
    const ok = await vanna(send, { env: PASSPHRASE });
    expectOk(ok, "send from erin");
    expect(JSON.parse(ok.stdout)).toMatchObject({ code: 0 });
    expect((await balances(to))["uusdc"]).toBe(before["uusdc"]! + 4321n);
  }
});

interface SendJson {
  txhash: string;
  height: string;
  code: number;
  gas_used: string;
  gas_wanted: string;
  fee: Array<{ denom: string; amount: string }>;
}

describe("tx bank send, and the queries that show its effect", () => {
  it("--gas auto: the amount and the simulated fee leave the sender exactly; query tx, block and account agree", async () => {
    const [from, to] = [dev[3]!, dev[7]!];
    const [fromBefore, toBefore] = [await rpcBalances(from), await rpcBalances(to)];
    const accountBefore = await accountInfo(url, from);

    const r = await vanna(["tx", "bank", "send", "dev3", to, "1234567uusdc", "--gas", "auto", "--memo", "cli e2e", "--node", url, "--output", "json", ...nodeKeyring()]);
    expectOk(r, "send --gas auto");
    const sent = JSON.parse(r.stdout) as SendJson;
    expect(sent.code).toBe(0);
    expect(sent.txhash).toMatch(/^[0-9A-F]{64}$/);
    const gasWanted = BigInt(sent.gas_wanted);
    expect(BigInt(sent.gas_used)).toBeLessThanOrEqual(gasWanted);
    // fee = ceil(gas limit × 0.0025uvanna), the gas limit being the simulation × 1.4.
    const fee = (gasWanted * 25n + 9_999n) / 10_000n;
    expect(sent.fee).toEqual([{ denom: "uvanna", amount: fee.toString() }]);

    const [fromAfter, toAfter] = await Promise.all([balances(from), balances(to)]);
    expect(fromAfter).toEqual({ uusdc: fromBefore["uusdc"]! - 1_234_567n, uvanna: fromBefore["uvanna"]! - fee });
    expect(toAfter).toEqual({ uusdc: toBefore["uusdc"]! + 1_234_567n, uvanna: toBefore["uvanna"]! });

    const [txr, blockr, accountr, keyr] = await vannaAll([
      ["query", "tx", sent.txhash.toLowerCase(), "--node", url, "--output", "json"],
      ["query", "block", sent.height, "--node", url, "--output", "json"],
      ["query", "account", "dev3", "--node", url, "--output", "json", ...nodeKeyring()],
      ["keys", "show", "dev3", "--output", "json", ...nodeKeyring()],
    ]);
    expectOk(txr!, "query tx");
    expect(JSON.parse(txr!.stdout)).toMatchObject({
      hash: sent.txhash,
      height: sent.height,
      code: 0,
      memo: "cli e2e",
      gas_wanted: sent.gas_wanted,
      fee: { amount: [{ denom: "uvanna", amount: fee.toString() }], gas_limit: sent.gas_wanted },
      messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", fromAddress: from, toAddress: to, amount: [{ denom: "uusdc", amount: "1234567" }] }],
    });
    expectOk(blockr!, "query block");
    expect(JSON.parse(blockr!.stdout)).toMatchObject({ height: sent.height, chain_id: "vanna-dev-1", txs: expect.arrayContaining([sent.txhash]) });
    expectOk(accountr!, "query account");
    expect(JSON.parse(accountr!.stdout)).toEqual({
      address: from,
      account_number: "3",
      sequence: String(accountBefore.sequence + 1n),
      // The key that signed is now on chain: the same public key the keyring holds.
      pubkey: { type: "tendermint/PubKeySecp256k1", value: (JSON.parse(keyr!.stdout) as { pubkey: { key: string } }).pubkey.key },
    });
  });

  it("--fees: exactly the given fee is paid, with several coins sent at once (text output)", async () => {
    const [from, to] = [dev[4]!, dev[7]!];
    const [fromBefore, toBefore] = [await rpcBalances(from), await rpcBalances(to)];
    const r = await vanna(["tx", "bank", "send", "dev4", to, "1000uusdc,5uvanna", "--fees", "7000uvanna", "--gas", "150000", "--node", url, ...nodeKeyring()]);
    expectOk(r, "send --fees");
    expect(r.stderr).toContain("fee 7000uvanna (fixed), gas limit 150000");
    expect(r.stdout).toMatch(/^txhash: +[0-9A-F]{64}$/m);
    expect(r.stdout).toMatch(/^code: +0 \(success\)$/m);
    expect(r.stdout).toMatch(/^gas used\/wanted: +\d+\/150000$/m);
    const [fromAfter, toAfter] = await Promise.all([balances(from), balances(to)]);
    expect(fromAfter).toEqual({ uusdc: fromBefore["uusdc"]! - 1_000n, uvanna: fromBefore["uvanna"]! - 7_005n });
    expect(toAfter).toEqual({ uusdc: toBefore["uusdc"]! + 1_000n, uvanna: toBefore["uvanna"]! + 5n });
    // The key name works as the recipient too, and text balances list every denom.
    const text = await vanna(["query", "bank", "balances", "dev4", "--node", url, ...nodeKeyring()]);
    expectOk(text);
    expect(text.stdout).toBe(`uusdc:  ${fromBefore["uusdc"]! - 1_000n}\nuvanna: ${fromBefore["uvanna"]! - 7_005n}\n`);
  });

  it("status and query block describe the live chain as its RPC does", async () => {
    const rpcBefore = await status(url);
    const [s, b, sText] = await vannaAll([
      ["status", "--node", url, "--output", "json"],
      ["query", "block", String(rpcBefore.height), "--node", url, "--output", "json"],
      ["status", "--node", url.replace("http://", "tcp://")],
    ]);
    expectOk(s!, "status");
    const st = JSON.parse(s!.stdout) as { node_info: { network: string }; sync_info: { latest_block_height: string; catching_up: boolean } };
    expect(st.node_info.network).toBe("vanna-dev-1");
    expect(Number(st.sync_info.latest_block_height)).toBeGreaterThanOrEqual(rpcBefore.height);
    expect(st.sync_info.catching_up).toBe(false);
    expectOk(b!, "query block");
    expect(JSON.parse(b!.stdout)).toMatchObject({ height: String(rpcBefore.height), hash: rpcBefore.blockHash, chain_id: "vanna-dev-1" });
    expectOk(sText!, "status (text, tcp://)");
    expect(sText!.stdout).toMatch(/^chain id: +vanna-dev-1$/m);
    expect(sText!.stdout).toMatch(/^latest height: +\d+$/m);
    const latest = await vanna(["query", "block", "--node", url]);
    expectOk(latest);
    expect(latest.stdout).toMatch(/^chain id: +vanna-dev-1$/m);
    expect(Number(/^height: +(\d+)$/m.exec(latest.stdout)?.[1])).toBeGreaterThanOrEqual(rpcBefore.height);
  });
});

describe("errors: the right exit code and one error line", () => {
  it("bad amounts are refused before anything is signed or sent", async () => {
    const from = dev[5]!;
    const before = await accountInfo(url, from);
    const cases: Array<[string, RegExp]> = [
      ["1e3uusdc", /^error: invalid amount "1e3uusdc": scientific notation is not accepted/],
      ["-5uusdc", /^error: invalid amount "-5uusdc": amounts must not have a sign/],
      ["0uusdc", /^error: invalid amount "0uusdc": amount must be positive/],
      ["1.5uusdc", /^error: invalid amount "1.5uusdc": amounts are integers/],
    ];
    const results = await vannaAll(cases.map(([amount]) => ["tx", "bank", "send", "dev5", dev[6]!, amount, "--node", url, ...nodeKeyring()]));
    cases.forEach(([, message], i) => expectError(results[i]!, 2, message));
    const fees = await vanna(["tx", "bank", "send", "dev5", dev[6]!, "1uusdc", "--fees", "1e3uvanna", "--node", url, ...nodeKeyring()]);
    expectError(fees, 2, /^error: invalid --fees "1e3uvanna"/);
    expect((await accountInfo(url, from)).sequence).toBe(before.sequence);
  });

  it("unknown keys and bad addresses", async () => {
    const badChecksum = dev[6]!.slice(0, -1) + (dev[6]!.endsWith("q") ? "p" : "q");
    const cosmosAddress = toBech32("cosmos", fromBech32(dev[6]!).data);
    const [noKey, showNoKey, balancesNoKey, badTo, otherPrefix, badAccount] = await vannaAll([
      ["tx", "bank", "send", "nobody", dev[6]!, "1uusdc", "--node", url, ...nodeKeyring()],
      ["keys", "show", "nobody", ...nodeKeyring()],
      ["query", "bank", "balances", "nobody", "--node", url, ...nodeKeyring()],
      ["tx", "bank", "send", "dev5", badChecksum, "1uusdc", "--node", url, ...nodeKeyring()],
      ["tx", "bank", "send", "dev5", cosmosAddress, "1uusdc", "--node", url, ...nodeKeyring()],
      ["query", "account", badChecksum, "--node", url],
    ]);
    expectError(noKey!, 1, /^error: no key "nobody" in .*keyring-test/);
    expectError(showNoKey!, 1, /^error: no key "nobody"/);
    expectError(balancesNoKey!, 2, /^error: invalid address "nobody": not a vanna1… address, nor a key in the test keyring$/);
    expectError(badTo!, 2, new RegExp(`^error: invalid recipient "${badChecksum}": bad checksum or length$`));
    expectError(otherPrefix!, 2, /^error: invalid recipient "cosmos1\w+": prefix is "cosmos", expected "vanna"$/);
    expectError(badAccount!, 2, /^error: invalid address "vanna1\w+": bad checksum or length$/);
    const unknownTx = await vanna(["query", "tx", "00".repeat(32), "--node", url]);
    expectError(unknownTx, 1, /^error: tx 0{64} not found/);
    const stranger = toBech32("vanna", new Uint8Array(20).fill(7));
    const neverFunded = await vanna(["query", "account", stranger, "--node", url]);
    expectError(neverFunded, 1, new RegExp(`^error: account ${stranger} not found`));
  });

  it("an unreachable node or a bad --node is named in the error", async () => {
    const closed = await freePort();
    const down = `http://127.0.0.1:${closed}`;
    const [st, bal, send, badUrl] = await vannaAll([
      ["status", "--node", down],
      ["query", "bank", "balances", dev[0]!, "--node", down],
      ["tx", "bank", "send", "dev5", dev[6]!, "1uusdc", "--node", down, ...nodeKeyring()],
      ["status", "--node", "ftp://127.0.0.1:1"],
    ]);
    const refused = new RegExp(`^error: cannot reach node at ${down.replace(/[.:/]/g, "\\$&")}: connection refused \\(is the node running\\?\\)$`);
    expectError(st!, 1, refused);
    expectError(bal!, 1, refused);
    expectError(send!, 1, refused);
    expectError(badUrl!, 2, /^error: invalid --node "ftp:\/\/127.0.0.1:1"/);
  });

  it("insufficient fees: the node's rejection, and nothing moves", async () => {
    const [from, to] = [dev[5]!, dev[6]!];
    const [fromBefore, toBefore, accountBefore] = [await rpcBalances(from), await rpcBalances(to), await accountInfo(url, from)];
    const r = await vanna(["tx", "bank", "send", "dev5", to, "1uusdc", "--fees", "1uvanna", "--gas", "200000", "--node", url, "--output", "json", ...nodeKeyring()]);
    expectError(r, 1, /^error: tx rejected by the node \(code 13, codespace sdk\): insufficient fees; got: 1uvanna required: 500uvanna/);
    expect(r.stdout).toBe("");
    // Text mode says which fee it tried before the error.
    const text = await vanna(["tx", "bank", "send", "dev5", to, "1uusdc", "--gas-prices", "0.0001uvanna", "--node", url, ...nodeKeyring()]);
    expectError(text, 1, /^error: tx rejected by the node \(code 13, codespace sdk\): insufficient fees/, /^fee \d+uvanna \(0\.0001uvanna per gas\), gas limit \d+$/);
    // Two more blocks: had either tx slipped into the mempool, it would be in one of them.
    await waitForHeight(url, (await status(url)).height + 2, 10_000);
    expect(await rpcBalances(from)).toEqual(fromBefore);
    expect(await rpcBalances(to)).toEqual(toBefore);
    expect((await accountInfo(url, from)).sequence).toBe(accountBefore.sequence);
  });
});

describe("init", () => {
  it("refuses to overwrite an existing home without --overwrite, and replaces it with", async () => {
    const dir = tempHome("vanna-cli-init-");
    try {
      const first = await vanna(["init", "--home", dir, "--chain-id", "cli-test-1", "--moniker", "m1"]);
      expectOk(first, "init");
      expect(first.stdout).toMatch(/^initialised .*\nvalidator address [0-9A-F]{40}\n$/);
      const files = ["config/genesis.json", "config/priv_validator_key.json", "config/config.json"];
      const read = (): string[] => files.map((f) => readFileSync(join(dir, f), "utf8"));
      const original = read();
      expect(JSON.parse(original[0]!)).toMatchObject({ chain_id: "cli-test-1" });

      const again = await vanna(["init", "--home", dir, "--chain-id", "cli-test-2"]);
      expectError(again, 1, /^error: .* is already initialised \(use --overwrite to replace it, which deletes its chain data\)$/);
      expect(read()).toEqual(original);

      const replaced = await vanna(["init", "--home", dir, "--chain-id", "cli-test-2", "--overwrite"]);
      expectOk(replaced, "init --overwrite");
      const now = read();
      expect(JSON.parse(now[0]!)).toMatchObject({ chain_id: "cli-test-2" });
      expect(now[1]).not.toBe(original[1]);
    } finally {
      removeHome(dir);
    }
  });

  it("refuses the home of the running node, which carries on", async () => {
    const before = await status(url);
    const genesis = readFileSync(join(nodeHome, "config/genesis.json"), "utf8");
    expectError(await vanna(["init", "--home", nodeHome]), 1, /is already initialised/);
    expect(readFileSync(join(nodeHome, "config/genesis.json"), "utf8")).toBe(genesis);
    await waitForHeight(url, before.height + 2, 10_000);
  });
});
