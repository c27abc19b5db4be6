import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectSecp256k1HdWallet, makeCosmoshubPath, makeSignDoc, makeAuthInfoBytes } from "@cosmjs/proto-signing";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64 } from "@cosmjs/encoding";
import { makeSignBytes } from "@cosmjs/proto-signing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Keyring, KeyringError, MnemonicError } from "../../../node/keyring/index.js";

const ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const PASS = "correct horse battery";

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "vanna-keyring-"));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function cosmjsAddress(index: number): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ABANDON, { prefix: "vanna", hdPaths: [makeCosmoshubPath(index)] });
  const [account] = await wallet.getAccounts();
  return account!.address;
}

describe("file keyring", () => {
  it("derives the same addresses as cosmjs for indexes 0 and 1", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    const a0 = await keyring.add("a0", { mnemonic: ABANDON, passphrase: PASS });
    const a1 = await keyring.add("a1", { mnemonic: ABANDON, index: 1, passphrase: PASS });
    expect(a0.key.address).toBe(await cosmjsAddress(0));
    expect(a1.key.address).toBe(await cosmjsAddress(1));
    expect(a0.key.address).not.toBe(a1.key.address);
    expect(a1.key.hdPath).toBe("m/44'/118'/0'/0/1");
    expect(a0.generated).toBe(false);
  });

  it("round-trips add, list, show, delete and never writes the mnemonic in plain text", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    const added = await keyring.add("alice", { passphrase: PASS });
    expect(added.generated).toBe(true);
    expect(added.mnemonic.split(" ")).toHaveLength(24);
    await keyring.add("bob", { mnemonic: ABANDON, passphrase: PASS });

    expect((await keyring.list()).map((k) => k.name)).toEqual(["alice", "bob"]);
    expect((await keyring.get("alice")).address).toBe(added.key.address);
    expect((await keyring.get(added.key.address)).name).toBe("alice");

    const text = await readFile(join(home, "keyring", "alice.json"), "utf8");
    expect(text).toContain(added.key.address);
    // Single words may occur by chance ("file", "salt" are BIP-39 words), so look for pairs of adjacent words.
    const words = added.mnemonic.split(" ");
    expect(text).not.toContain(added.mnemonic);
    for (let i = 0; i + 1 < words.length; i++) expect(text).not.toContain(`${words[i]} ${words[i + 1]}`);
    const bobText = await readFile(join(home, "keyring", "bob.json"), "utf8");
    expect(bobText).not.toContain("abandon");

    expect((await stat(join(home, "keyring"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(home, "keyring", "alice.json"))).mode & 0o777).toBe(0o600);
    expect((await readdir(join(home, "keyring"))).sort()).toEqual(["alice.json", "bob.json"]);

    await keyring.delete("alice");
    expect((await keyring.list()).map((k) => k.name)).toEqual(["bob"]);
    expect(await keyring.find("alice")).toBeUndefined();
    await expect(keyring.get("alice")).rejects.toThrow(/no key "alice"/);
  });

  it("recovers a deleted key to the same address", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    const first = await keyring.add("k", { passphrase: PASS });
    await keyring.delete("k");
    const again = await keyring.add("k", { mnemonic: first.mnemonic, passphrase: PASS });
    expect(again.key.address).toBe(first.key.address);
    expect(again.key.pubkey).toEqual(first.key.pubkey);
  });

  it("fails clearly on a wrong passphrase instead of returning garbage", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    await keyring.add("alice", { mnemonic: ABANDON, passphrase: PASS });
    await expect(keyring.signer("alice", "not the passphrase")).rejects.toThrow(/wrong passphrase/);
    await expect(keyring.signer("alice", "not the passphrase")).rejects.toBeInstanceOf(KeyringError);
    await expect(keyring.signer("alice")).rejects.toThrow(/needs the keyring passphrase/);
    // A second key must use the keyring's passphrase.
    await expect(keyring.add("bob", { passphrase: "another passphrase" })).rejects.toThrow(/wrong keyring passphrase/);
    expect((await keyring.list()).map((k) => k.name)).toEqual(["alice"]);
  });

  it("detects an edited address (bound into the ciphertext)", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    const alice = await keyring.add("alice", { mnemonic: ABANDON, passphrase: PASS });
    const other = await cosmjsAddress(1);
    const path = join(home, "keyring", "alice.json");
    await writeFile(path, (await readFile(path, "utf8")).replace(alice.key.address, other));
    await expect(keyring.signer("alice", PASS)).rejects.toThrow(/authentication failed/);
  });

  it("rejects corrupt key files with the file name", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    await keyring.add("alice", { mnemonic: ABANDON, passphrase: PASS });
    const path = join(home, "keyring", "alice.json");
    const parsed = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    parsed["encryptedMnemonic"] = { ...(parsed["encryptedMnemonic"] as object), n: 2 ** 30 };
    await writeFile(path, JSON.stringify(parsed));
    await expect(keyring.signer("alice", PASS)).rejects.toThrow(/unsupported scrypt parameters/);
    await writeFile(path, "{not json");
    await expect(keyring.list()).rejects.toThrow(/corrupt key file .*alice\.json: not JSON/);
  });

  it("refuses to overwrite a name or to store one address twice", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    await keyring.add("alice", { mnemonic: ABANDON, passphrase: PASS });
    await expect(keyring.add("alice", { passphrase: PASS })).rejects.toThrow(/already exists/);
    await expect(keyring.add("alias", { mnemonic: ABANDON, passphrase: PASS })).rejects.toThrow(/already in the keyring as "alice"/);
  });

  it("validates names, mnemonics, indexes and the first passphrase", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    await expect(keyring.add("../evil", { passphrase: PASS })).rejects.toThrow(/invalid key name/);
    await expect(keyring.add("vanna1abc", { passphrase: PASS })).rejects.toThrow(/must not look like addresses/);
    await expect(keyring.add("x", { mnemonic: ABANDON.replace("about", "abandon"), passphrase: PASS })).rejects.toThrow(/checksum/);
    await expect(keyring.add("x", { mnemonic: ABANDON.replace("about", "zzzz"), passphrase: PASS })).rejects.toThrow(/word 12 is not/);
    await expect(keyring.add("x", { mnemonic: "abandon about", passphrase: PASS })).rejects.toBeInstanceOf(MnemonicError);
    await expect(keyring.add("x", { mnemonic: ABANDON, index: -1, passphrase: PASS })).rejects.toThrow(/account index/);
    await expect(keyring.add("x", { mnemonic: ABANDON, passphrase: "short" })).rejects.toThrow(/at least 8/);
    // Mixed case and extra whitespace in a typed mnemonic are normalised, not rejected.
    const k = await keyring.add("x", { mnemonic: `  ${ABANDON.toUpperCase().replace(/ /g, "   ")} `, passphrase: PASS });
    expect(k.key.address).toBe(await cosmjsAddress(0));
  });

  it("returns a working SIGN_MODE_DIRECT signer for the key", async () => {
    const keyring = new Keyring({ home, backend: "file" });
    await keyring.add("alice", { mnemonic: ABANDON, index: 1, passphrase: PASS });
    const { key, signer } = await keyring.signer("alice", PASS);
    const [account] = await signer.getAccounts();
    expect(account?.address).toBe(key.address);
    const authInfoBytes = makeAuthInfoBytes([{ pubkey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: new Uint8Array() }, sequence: 0 }], [], 100000, undefined, undefined);
    const doc = makeSignDoc(new Uint8Array([10, 0]), authInfoBytes, "vanna-1", 7);
    const signed = await signer.signDirect(key.address, doc);
    const signature = Secp256k1Signature.fromFixedLength(fromBase64(signed.signature.signature));
    expect(Secp256k1.verifySignature(signature, sha256(makeSignBytes(doc)), key.pubkey)).toBe(true);
  });
});

describe("test keyring", () => {
  it("needs no passphrase, lives in keyring-test/ and is separate from the file keyring", async () => {
    const test = new Keyring({ home, backend: "test" });
    expect(test.needsPassphrase).toBe(false);
    const added = await test.add("dev", { mnemonic: ABANDON });
    expect(await readFile(join(home, "keyring-test", "dev.json"), "utf8")).toContain("abandon");
    const { signer } = await test.signer("dev");
    expect((await signer.getAccounts())[0]?.address).toBe(added.key.address);
    expect(await new Keyring({ home, backend: "file" }).list()).toEqual([]);
  });
});
