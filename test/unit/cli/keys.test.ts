import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InputSource } from "../../../node/cli/command.js";
import { ABANDON, vanna } from "./io.js";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-cli-keys-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const PASS_ENV = { VANNA_KEYRING_PASSPHRASE: "correct horse battery" };

async function cosmjsAddress(index: number): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ABANDON, { prefix: "vanna", hdPaths: [makeCosmoshubPath(index)] });
  return (await wallet.getAccounts())[0]!.address;
}

describe("vanna keys (file backend)", () => {
  it("adds a new key, printing the mnemonic once, on stderr, with a warning", async () => {
    const r = await vanna(["keys", "add", "alice", "--home", home], { env: PASS_ENV });
    expect(r.code).toBe(0);
    const address = /^address: (vanna1\S+)$/m.exec(r.stdout)?.[1];
    expect(address).toBeDefined();
    expect(r.stderr).toMatch(/\*\*Important\*\* write this mnemonic/);
    const mnemonic = r.stderr.trim().split("\n").pop()!;
    expect(mnemonic.split(" ")).toHaveLength(24);
    expect(r.stdout).not.toContain(mnemonic);

    // Recovering that mnemonic elsewhere gives the same address.
    const other = await mkdtemp(join(tmpdir(), "vanna-cli-keys-"));
    try {
      const again = await vanna(["keys", "add", "copy", "--home", other, "--recover", "--keyring-backend", "test"], { stdin: `${mnemonic}\n` });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`address: ${address}`);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("recovers with --mnemonic and --index, lists, shows and deletes", async () => {
    expect((await vanna(["keys", "add", "a0", "--home", home, "--mnemonic", ABANDON], { env: PASS_ENV })).code).toBe(0);
    const r1 = await vanna(["keys", "add", "a1", "--home", home, "--recover", "--index", "1", "--output", "json"], { env: PASS_ENV, stdin: ABANDON });
    expect(r1.code).toBe(0);
    const added = JSON.parse(r1.stdout) as Record<string, unknown>;
    expect(added["address"]).toBe(await cosmjsAddress(1));
    expect(added["mnemonic"]).toBeUndefined(); // recovered keys never echo the mnemonic

    const list = await vanna(["keys", "list", "--home", home, "-o", "json"]);
    expect(list.code).toBe(0);
    const keys = JSON.parse(list.stdout) as Array<{ name: string; address: string; pubkey: { "@type": string } }>;
    expect(keys.map((k) => [k.name, k.address])).toEqual([
      ["a0", await cosmjsAddress(0)],
      ["a1", await cosmjsAddress(1)],
    ]);
    expect(keys[0]?.pubkey["@type"]).toBe("/cosmos.crypto.secp256k1.PubKey");

    const text = await vanna(["keys", "list", "--home", home]);
    expect(text.stdout.split("\n")[0]).toMatch(/^NAME\s+ADDRESS\s+HD PATH$/);
    expect(text.stdout).toContain(await cosmjsAddress(1));

    expect(await vanna(["keys", "show", "a1", "--home", home, "--address"])).toEqual({ code: 0, stdout: `${await cosmjsAddress(1)}\n`, stderr: "" });
    const byAddress = await vanna(["keys", "show", await cosmjsAddress(0), "--home", home]);
    expect(byAddress.stdout).toMatch(/^name:\s+a0$/m);

    const refused = await vanna(["keys", "delete", "a0", "--home", home]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('error: refusing to delete key "a0" without confirmation: pass --yes\n');
    expect((await vanna(["keys", "delete", "a0", "--home", home, "--yes"])).code).toBe(0);
    const gone = await vanna(["keys", "show", "a0", "--home", home]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: no key "a0" in .*keyring \(keyring backend file\)\n$/);
  });

  it("never overwrites a key and never stores the mnemonic in plain text", async () => {
    expect((await vanna(["keys", "add", "alice", "--home", home, "--mnemonic", ABANDON], { env: PASS_ENV })).code).toBe(0);
    const before = await readFile(join(home, "keyring", "alice.json"), "utf8");
    expect(before).not.toContain("abandon");
    const again = await vanna(["keys", "add", "alice", "--home", home], { env: PASS_ENV });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('error: key "alice" already exists; delete it first or pick another name\n');
    expect(await readFile(join(home, "keyring", "alice.json"), "utf8")).toBe(before);
  });

  it("needs a passphrase and rejects a wrong one clearly", async () => {
    const none = await vanna(["keys", "add", "alice", "--home", home], { stdin: new PassThrough() });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error: the file keyring needs a passphrase: pass --keyring-passphrase or set \$VANNA_KEYRING_PASSPHRASE/);

    expect((await vanna(["keys", "add", "alice", "--home", home, "--keyring-passphrase", "first-passphrase", "--mnemonic", ABANDON])).code).toBe(0);
    const wrong = await vanna(["keys", "add", "bob", "--home", home, "--keyring-passphrase", "other-passphrase"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('error: wrong keyring passphrase: it does not decrypt the existing key "alice"\n');

    // Signing needs the passphrase: a wrong one fails before any network traffic.
    const send = await vanna(["tx", "bank", "send", "alice", await cosmjsAddress(1), "1uvanna", "--home", home, "--node", "http://127.0.0.1:1"], {
      env: { VANNA_KEYRING_PASSPHRASE: "not-it-at-all" },
    });
    expect(send.code).toBe(1);
    expect(send.stderr).toBe('error: cannot decrypt key "alice": wrong passphrase, or the key file was modified (authentication failed)\n');
  });

  it("asks for the passphrase twice on a terminal when creating the first key", async () => {
    const tty = new PassThrough() as PassThrough & InputSource;
    tty.isTTY = true;
    tty.setRawMode = () => undefined;
    const pending = vanna(["keys", "add", "alice", "--home", home, "--mnemonic", ABANDON], { stdin: tty });
    await new Promise((r) => setTimeout(r, 50));
    tty.write("typed-passphrase\r");
    await new Promise((r) => setTimeout(r, 50));
    tty.write("typed-passphrase\r");
    const r = await pending;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("Enter keyring passphrase: \nRe-enter keyring passphrase: \n");
    expect(r.stderr).not.toContain("typed-passphrase");
    const ok = await vanna(["keys", "add", "bob", "--home", home, "--mnemonic", ABANDON, "--index", "1"], { env: { VANNA_KEYRING_PASSPHRASE: "typed-passphrase" } });
    expect(ok.code).toBe(0);
  });

  it("rejects an invalid mnemonic without echoing it", async () => {
    const r = await vanna(["keys", "add", "x", "--home", home, "--mnemonic", ABANDON.replace("about", "secretword")], { env: PASS_ENV });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: invalid mnemonic: word 12 is not in the BIP-39 English word list\n");
  });
});

describe("vanna keys (test backend)", () => {
  it("works without a passphrase, also when chosen through $VANNA_KEYRING_BACKEND", async () => {
    const r = await vanna(["keys", "add", "dev", "--home", home, "--keyring-backend", "test", "--mnemonic", ABANDON]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^backend:\s+test$/m);
    expect(r.stderr).toMatch(/^warning: the test keyring stores keys UNENCRYPTED in .*keyring-test; use it for dev\/test only$/m);
    const listed = await vanna(["keys", "list", "--home", home, "-o", "json"], { env: { VANNA_KEYRING_BACKEND: "test" } });
    expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((k) => k.name)).toEqual(["dev"]);
    // The file keyring is a different place.
    const file = await vanna(["keys", "list", "--home", home, "-o", "json"]);
    expect(JSON.parse(file.stdout)).toEqual([]);
    const bad = await vanna(["keys", "list", "--home", home], { env: { VANNA_KEYRING_BACKEND: "os" } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/VANNA_KEYRING_BACKEND must be "file" or "test"/);
  });
});
