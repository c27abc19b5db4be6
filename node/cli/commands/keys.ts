/** `vanna keys add|list|show|delete`: manage the local keyring. */
import { toBase64 } from "@cosmjs/encoding";
import { MAX_ACCOUNT_INDEX } from "../../keyring/hd.js";
import { readLine, type KeyInfo } from "../../keyring/index.js";
import {
  CliError,
  homeOption,
  keyringBackendOption,
  keyringOptions,
  outputFormat,
  outputOption,
  UsageError,
  type CommandContext,
  type CommandSpec,
} from "../command.js";
import { keyringPassphrase, openKeyring } from "../keyringFlags.js";
import { formatTable, printFields, printJson } from "../output.js";

const PUBKEY_TYPE = "/cosmos.crypto.secp256k1.PubKey";

/** The SDK's JSON form of a key, which tools already know how to read. */
export function keyJson(key: KeyInfo): Record<string, unknown> {
  return {
    name: key.name,
    type: "local",
    address: key.address,
    pubkey: { "@type": PUBKEY_TYPE, key: toBase64(key.pubkey) },
    hd_path: key.hdPath,
    keyring_backend: key.backend,
  };
}

function printKey(ctx: CommandContext, key: KeyInfo): void {
  printFields(ctx.io.stdout, [
    ["name", key.name],
    ["address", key.address],
    ["pubkey", JSON.stringify({ "@type": PUBKEY_TYPE, key: toBase64(key.pubkey) })],
    ["hd path", key.hdPath],
    ["backend", key.backend],
  ]);
}

const add: CommandSpec = {
  path: ["keys", "add"],
  summary: "create a new key, or recover one from a mnemonic",
  description:
    "Create a new key from a fresh 24-word BIP-39 mnemonic (printed once: write it down), or recover a key\n" +
    "with --recover (the mnemonic is read from --mnemonic, or from stdin). Keys are derived on the path\n" +
    "m/44'/118'/0'/0/N with N = --index. An existing name is never overwritten.",
  args: [{ name: "NAME", description: "name of the new key" }],
  options: [
    ...keyringOptions,
    { name: "recover", type: "bool", description: "recover an existing key from its mnemonic instead of generating one" },
    { name: "mnemonic", type: "string", valueName: "WORDS", description: "the mnemonic to recover (implies --recover; visible in the process list)" },
    { name: "index", type: "int", valueName: "N", default: 0, min: 0, max: MAX_ACCOUNT_INDEX, description: "account index N in m/44'/118'/0'/0/N" },
    outputOption,
  ],
  examples: [
    "vanna keys add alice",
    "vanna keys add bob --recover",
    "echo \"$MNEMONIC\" | vanna keys add carol --recover --index 1 --keyring-backend test",
  ],
  async run(ctx) {
    const name = ctx.args.require("NAME");
    const keyring = openKeyring(ctx);
    // Fail before asking for secrets.
    if ((await keyring.find(name)) !== undefined) throw new CliError(`key "${name}" already exists; delete it first or pick another name`);
    const mnemonic = await mnemonicToRecover(ctx);
    const confirm = (await keyring.list()).length === 0;
    const passphrase = await keyringPassphrase(ctx, keyring, confirm);
    const added = await keyring.add(name, { mnemonic, index: ctx.opts.int("index") ?? 0, passphrase });
    if (keyring.backend === "test") ctx.io.stderr.write(`warning: the test keyring stores keys UNENCRYPTED in ${keyring.dir}; use it for dev/test only\n`);

    if (outputFormat(ctx) === "json") {
      printJson(ctx.io.stdout, added.generated ? { ...keyJson(added.key), mnemonic: added.mnemonic } : keyJson(added.key));
      if (added.generated) ctx.io.stderr.write("The mnemonic above is the only way to recover this key. Store it safely.\n");
      return;
    }
    printKey(ctx, added.key);
    if (added.generated) {
      // On stderr, so that scripts capturing stdout do not store the secret by accident.
      ctx.io.stderr.write(
        "\n**Important** write this mnemonic phrase down and keep it safe. It is shown only once and is the\n" +
          "only way to recover this key; anyone who has it controls the account.\n\n" +
          `${added.mnemonic}\n`,
      );
    }
  },
};

async function mnemonicToRecover(ctx: CommandContext): Promise<string | undefined> {
  const given = ctx.opts.string("mnemonic");
  if (given !== undefined) return given;
  if (!ctx.opts.bool("recover")) return undefined;
  const stdin = ctx.io.stdin;
  if (stdin === undefined) throw new UsageError("--recover needs the mnemonic: pass --mnemonic or pipe it to stdin");
  return readLine(stdin, ctx.io.stderr, "Enter your BIP-39 mnemonic: ");
}

const list: CommandSpec = {
  path: ["keys", "list"],
  summary: "list all keys",
  options: [homeOption, keyringBackendOption, outputOption],
  examples: ["vanna keys list", "vanna keys list --output json"],
  async run(ctx) {
    const keyring = openKeyring(ctx);
    const keys = await keyring.list();
    if (outputFormat(ctx) === "json") return printJson(ctx.io.stdout, keys.map(keyJson));
    if (keys.length === 0) {
      ctx.io.stderr.write(`no keys in ${keyring.dir}\n`);
      return;
    }
    ctx.io.stdout.write(formatTable(["NAME", "ADDRESS", "HD PATH"], keys.map((k) => [k.name, k.address, k.hdPath])));
  },
};

const show: CommandSpec = {
  path: ["keys", "show"],
  summary: "show a key's address and public key",
  args: [{ name: "NAME", description: "key name or address" }],
  options: [
    homeOption,
    keyringBackendOption,
    { name: "address", short: "a", type: "bool", description: "print only the address" },
    outputOption,
  ],
  examples: ["vanna keys show alice", "vanna keys show alice --address"],
  async run(ctx) {
    const key = await openKeyring(ctx).get(ctx.args.require("NAME"));
    if (ctx.opts.bool("address")) {
      ctx.io.stdout.write(outputFormat(ctx) === "json" ? JSON.stringify({ address: key.address }) + "\n" : `${key.address}\n`);
      return;
    }
    if (outputFormat(ctx) === "json") printJson(ctx.io.stdout, keyJson(key));
    else printKey(ctx, key);
  },
};

const del: CommandSpec = {
  path: ["keys", "delete"],
  summary: "delete a key from the keyring",
  description:
    "Delete a key file. Without its mnemonic the key cannot be recovered afterwards. Asks for confirmation\n" +
    "on a terminal; elsewhere --yes is required.",
  args: [{ name: "NAME", description: "key name or address" }],
  options: [homeOption, keyringBackendOption, { name: "yes", short: "y", type: "bool", description: "do not ask for confirmation" }],
  examples: ["vanna keys delete alice", "vanna keys delete alice --yes"],
  async run(ctx) {
    const keyring = openKeyring(ctx);
    const key = await keyring.get(ctx.args.require("NAME"));
    if (!ctx.opts.bool("yes")) {
      const stdin = ctx.io.stdin;
      if (stdin?.isTTY !== true) throw new CliError(`refusing to delete key "${key.name}" without confirmation: pass --yes`);
      const answer = await readLine(stdin, ctx.io.stderr, `Delete key "${key.name}" (${key.address})? It cannot be restored without its mnemonic. [y/N] `);
      if (!/^y(es)?$/i.test(answer.trim())) throw new CliError("aborted: key not deleted");
    }
    await keyring.delete(key.name);
    ctx.io.stderr.write(`deleted key "${key.name}" (${key.address})\n`);
  },
};

export const keysCommands: CommandSpec[] = [add, list, show, del];
