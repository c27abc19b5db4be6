/** `vanna query …`: read chain state through a node's RPC (bank balances, accounts, blocks, txs). */
import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import { toRfc3339WithNanoseconds } from "@cosmjs/tendermint-rpc";
import { CliError, homeOption, keyringBackendOption, nodeOption, outputFormat, outputOption, UsageError, type CommandSpec, type OptionSpec } from "../command.js";
import { resolveAddress } from "../keyringFlags.js";
import { printFields, printJson } from "../output.js";
import { nodeUrl, withNode } from "../rpc.js";
import { describeTx, printTx } from "./txView.js";

/** Every query talks to a node and may name accounts by key name, so it also takes the keyring location. */
const queryOptions: readonly OptionSpec[] = [nodeOption, outputOption, homeOption, keyringBackendOption];

const balances: CommandSpec = {
  path: ["query", "bank", "balances"],
  summary: "show the balances of an account",
  args: [{ name: "ADDRESS", description: "account address, or the name of a key in the keyring" }],
  options: [{ name: "denom", type: "string", valueName: "DENOM", description: "show only this denom" }, ...queryOptions],
  examples: ["vanna query bank balances vanna1...", "vanna query bank balances alice --denom uusdc --output json"],
  async run(ctx) {
    const address = await resolveAddress(ctx, ctx.args.require("ADDRESS"));
    const denom = ctx.opts.string("denom");
    if (denom !== undefined && !/^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/.test(denom)) throw new UsageError(`invalid --denom "${denom}"`);
    const coins = await withNode(nodeUrl(ctx), async (_comet, client) =>
      denom === undefined ? [...(await client.getAllBalances(address))] : [await client.getBalance(address, denom)],
    );
    const wire = coins.map((c) => ({ denom: c.denom, amount: c.amount }));
    if (outputFormat(ctx) === "json") return printJson(ctx.io.stdout, { address, balances: wire });
    if (wire.length === 0) {
      ctx.io.stdout.write(`${address} has no balances\n`);
      return;
    }
    printFields(ctx.io.stdout, wire.map((c) => [c.denom, c.amount] as const));
  },
};

const account: CommandSpec = {
  path: ["query", "account"],
  summary: "show an account's number, sequence and public key",
  args: [{ name: "ADDRESS", description: "account address, or the name of a key in the keyring" }],
  options: queryOptions,
  examples: ["vanna query account vanna1...", "vanna query account alice --output json"],
  async run(ctx) {
    const address = await resolveAddress(ctx, ctx.args.require("ADDRESS"));
    const found = await withNode(nodeUrl(ctx), (_comet, client) => client.getAccount(address));
    if (found === null) throw new CliError(`account ${address} not found (it has never received funds)`);
    const view = {
      address: found.address,
      account_number: found.accountNumber.toString(),
      sequence: String(found.sequence),
      pubkey: found.pubkey === null ? null : { type: found.pubkey.type, value: found.pubkey.value as unknown },
    };
    if (outputFormat(ctx) === "json") return printJson(ctx.io.stdout, view);
    printFields(ctx.io.stdout, [
      ["address", view.address],
      ["account number", view.account_number],
      ["sequence", view.sequence],
      ["pubkey", view.pubkey === null ? "(none yet: the account has not signed a tx)" : `${view.pubkey.type} ${String(view.pubkey.value)}`],
    ]);
  },
};

const block: CommandSpec = {
  path: ["query", "block"],
  summary: "show a block (the latest by default)",
  args: [{ name: "HEIGHT", description: "block height", optional: true }],
  options: [nodeOption, outputOption],
  examples: ["vanna query block", "vanna query block 42 --output json"],
  async run(ctx) {
    const heightText = ctx.args.get("HEIGHT");
    let height: number | undefined;
    if (heightText !== undefined) {
      height = /^[1-9][0-9]{0,15}$/.test(heightText) ? Number(heightText) : NaN;
      if (!Number.isSafeInteger(height)) throw new UsageError(`invalid HEIGHT "${heightText}": expected a positive integer`);
    }
    const res = await withNode(nodeUrl(ctx), (comet) => comet.block(height));
    const header = res.block.header;
    const view = {
      height: String(header.height),
      hash: toHex(res.blockId.hash).toUpperCase(),
      time: toRfc3339WithNanoseconds(header.time),
      chain_id: header.chainId,
      proposer: toHex(header.proposerAddress).toUpperCase(),
      app_hash: toHex(header.appHash).toUpperCase(),
      num_txs: res.block.txs.length,
      txs: res.block.txs.map((tx) => toHex(sha256(tx)).toUpperCase()),
    };
    if (outputFormat(ctx) === "json") return printJson(ctx.io.stdout, view);
    printFields(ctx.io.stdout, [
      ["height", view.height],
      ["hash", view.hash],
      ["time", view.time],
      ["chain id", view.chain_id],
      ["proposer", view.proposer],
      ["app hash", view.app_hash],
      ["txs", view.num_txs],
    ]);
    for (const hash of view.txs) ctx.io.stdout.write(`  ${hash}\n`);
  },
};

const tx: CommandSpec = {
  path: ["query", "tx"],
  summary: "show a transaction and its result by hash",
  args: [{ name: "HASH", description: "transaction hash (64 hex characters)" }],
  options: [nodeOption, outputOption],
  examples: ["vanna query tx 0A1B...", "vanna query tx 0A1B... --output json"],
  async run(ctx) {
    const hash = ctx.args.require("HASH");
    if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new UsageError(`invalid HASH "${hash}": expected 64 hex characters`);
    const found = await withNode(nodeUrl(ctx), (_comet, client) => client.getTx(hash.toUpperCase()));
    if (found === null) throw new CliError(`tx ${hash.toUpperCase()} not found (not yet included, or unknown to this node)`);
    const view = describeTx(found);
    if (outputFormat(ctx) === "json") return printJson(ctx.io.stdout, view);
    printTx(ctx.io.stdout, view);
  },
};

export const queryCommands: CommandSpec[] = [balances, account, block, tx];
