/**
 * `vanna tx bank send`: sign (SIGN_MODE_DIRECT) with a keyring key and broadcast through a node; and the shared
 * sign-and-broadcast flow (fee flags, chain id check, sync/block modes, result printing) of every tx command.
 */
import type { EncodeObject, OfflineDirectSigner } from "@cosmjs/proto-signing";
import { SigningStargateClient, type IndexedTx, type StargateClient } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { createVannaRegistry } from "../../client/registry.js";
import {
  chainIdOption,
  CliError,
  DEFAULT_GAS_ADJUSTMENT,
  DEFAULT_GAS_PRICE,
  keyringOptions,
  nodeOption,
  outputFormat,
  outputOption,
  type CommandContext,
  type CommandSpec,
  type OptionSpec,
} from "../command.js";
import { describeFee, feeFor, gasLimitOf, parseCoinsArg, parseFeeFlags, type FeePlan } from "../coins.js";
import { keyringPassphrase, openKeyring, resolveAddress } from "../keyringFlags.js";
import { printFields, printJson, type Field } from "../output.js";
import { nodeUrl, withNode } from "../rpc.js";

const POLL_INTERVAL_MS = 500;

/** The flags every tx command takes: fees and gas, memo, broadcast mode, chain id, node, keyring, output. */
export const txOptions: readonly OptionSpec[] = [
  { name: "fees", type: "string", valueName: "COINS", description: "total fee, e.g. 5000uvanna (instead of --gas-prices)" },
  { name: "gas", type: "string", valueName: "auto|N", default: "auto", description: 'gas limit, or "auto" to simulate' },
  { name: "gas-prices", type: "string", valueName: "PRICE", default: DEFAULT_GAS_PRICE, description: "price per gas unit" },
  { name: "gas-adjustment", type: "string", valueName: "X", default: DEFAULT_GAS_ADJUSTMENT, description: "multiplier on simulated gas (with --gas auto)" },
  { name: "memo", type: "string", valueName: "TEXT", default: "", description: "tx memo" },
  { name: "broadcast-mode", type: "string", valueName: "MODE", default: "block", choices: ["sync", "block"], description: "sync: return after CheckTx; block: wait for inclusion" },
  { name: "wait-timeout", type: "int", valueName: "SECONDS", default: 60, min: 1, max: 3600, description: "how long block mode waits for inclusion" },
  chainIdOption,
  nodeOption,
  ...keyringOptions,
  outputOption,
];

/** The tx flags, validated before any prompt or network call. */
export interface TxFlags {
  readonly plan: FeePlan;
  readonly memo: string;
  readonly mode: "sync" | "block";
  readonly waitMs: number;
  readonly chainId: string | undefined;
  readonly url: string;
  readonly json: boolean;
}

export function readTxFlags(ctx: CommandContext): TxFlags {
  return {
    plan: parseFeeFlags({
      fees: ctx.opts.string("fees"),
      gas: ctx.opts.requireString("gas"),
      gasPrices: ctx.opts.given("gas-prices") ? ctx.opts.string("gas-prices") : undefined,
      gasAdjustment: ctx.opts.given("gas-adjustment") ? ctx.opts.string("gas-adjustment") : undefined,
      defaultGasPrice: DEFAULT_GAS_PRICE,
      defaultGasAdjustment: DEFAULT_GAS_ADJUSTMENT,
    }),
    memo: ctx.opts.string("memo") ?? "",
    mode: ctx.opts.string("broadcast-mode") === "sync" ? "sync" : "block",
    waitMs: (ctx.opts.int("wait-timeout") ?? 60) * 1000,
    chainId: ctx.opts.string("chain-id"),
    url: nodeUrl(ctx),
    json: outputFormat(ctx) === "json",
  };
}

/**
 * The signing key of a tx command: FROM (a key name or address in the keyring). `beforeUnlock` runs between
 * finding the key and asking for its passphrase, so that argument mistakes surface before the prompt.
 */
export async function unlockKey(
  ctx: CommandContext,
  from: string,
  beforeUnlock: (address: string) => Promise<void> = async () => undefined,
): Promise<{ address: string; signer: OfflineDirectSigner }> {
  const keyring = openKeyring(ctx);
  const key = await keyring.get(from);
  await beforeUnlock(key.address);
  const { signer } = await keyring.signer(key.name, await keyringPassphrase(ctx, keyring));
  return { address: key.address, signer };
}

/** What a command adds to the printed result of an included tx (e.g. the order id and fills). */
export interface TxReport {
  readonly fields: readonly Field[];
  readonly json: Record<string, unknown>;
}

export interface BroadcastRequest {
  readonly flags: TxFlags;
  readonly from: { address: string; signer: OfflineDirectSigner };
  /** Builds the messages once connected (commands may read chain state first, e.g. a series' tick size). */
  readonly build: (comet: CometClient) => Promise<EncodeObject[]>;
  /** Extra output from the included tx (block mode only). */
  readonly report?: (tx: IndexedTx) => TxReport;
}

/**
 * Signs with SIGN_MODE_DIRECT, broadcasts, and in block mode waits for inclusion and prints the result;
 * returns the exit code (1 when the tx failed in the block).
 */
export async function signAndBroadcast(ctx: CommandContext, req: BroadcastRequest): Promise<number> {
  const { flags, from } = req;
  return withNode(flags.url, async (comet, query) => {
    const client = SigningStargateClient.createWithSigner(comet, from.signer, { registry: createVannaRegistry() });
    const chainId = await client.getChainId();
    // The node signs nothing for us; a different --chain-id would only fail signature checks later.
    if (flags.chainId !== undefined && flags.chainId !== chainId) {
      throw new CliError(`--chain-id ${flags.chainId} does not match the node's chain ${chainId}`);
    }
    const msgs = await req.build(comet);
    const gasLimit = await gasLimitOf(flags.plan, () => client.simulate(from.address, msgs, flags.memo));
    const fee = feeFor(flags.plan, gasLimit);
    const json = flags.json;
    if (!json) ctx.io.stderr.write(`${describeFee(fee, flags.plan)}\n`);
    const hash = await client.signAndBroadcastSync(from.address, msgs, fee, flags.memo);
    if (flags.mode === "sync") {
      if (json) printJson(ctx.io.stdout, { txhash: hash, chain_id: chainId, fee: fee.amount, gas_limit: fee.gas });
      else printFields(ctx.io.stdout, [["txhash", hash]]);
      return 0;
    }
    if (!json) printFields(ctx.io.stdout, [["txhash", hash]]);
    const included = await waitForTx(query, hash, flags.waitMs);
    const extra = included.code === 0 && req.report !== undefined ? req.report(included) : undefined;
    if (json) {
      printJson(ctx.io.stdout, {
        txhash: hash,
        height: String(included.height),
        code: included.code,
        gas_used: included.gasUsed.toString(),
        gas_wanted: included.gasWanted.toString(),
        raw_log: included.rawLog,
        fee: fee.amount,
        ...extra?.json,
      });
    } else {
      printFields(ctx.io.stdout, [
        ["height", included.height],
        ["code", included.code === 0 ? "0 (success)" : `${included.code} (failed)`],
        ["gas used/wanted", `${included.gasUsed}/${included.gasWanted}`],
        ...(extra?.fields ?? []),
      ]);
    }
    if (included.code !== 0) {
      ctx.io.stderr.write(`error: tx ${hash} failed in block ${included.height} with code ${included.code}: ${included.rawLog}\n`);
      return 1;
    }
    return 0;
  });
}

const send: CommandSpec = {
  path: ["tx", "bank", "send"],
  summary: "send tokens from a keyring key to an address",
  description:
    "Send tokens. FROM is a key name (or its address) in the keyring; the tx is signed with SIGN_MODE_DIRECT.\n" +
    "The fee is --fees, or the gas limit times --gas-prices; with --gas auto (the default) the gas limit is\n" +
    "the simulated gas times --gas-adjustment. In --broadcast-mode block (the default) the command waits\n" +
    "until the tx is in a block and exits non-zero if it failed.",
  args: [
    { name: "FROM", description: "sending key: name or address in the keyring" },
    { name: "TO", description: "recipient address (or the name of a key in the keyring)" },
    { name: "AMOUNT", description: 'coins, e.g. "100uusdc" or "1000uusdc,5uvanna" (integers in base denoms)' },
  ],
  options: txOptions,
  examples: [
    "vanna tx bank send alice vanna1... 100uusdc",
    "vanna tx bank send alice vanna1... 1000uusdc,5uvanna --fees 5000uvanna --memo hello",
    "vanna tx bank send alice bob 1uvanna --gas 200000 --gas-prices 0.0025uvanna --broadcast-mode sync",
  ],
  run: runSend,
};

async function runSend(ctx: CommandContext): Promise<number> {
  // Everything that can be checked locally is checked before any prompt or network call.
  const amount = parseCoinsArg(ctx.args.require("AMOUNT"));
  const flags = readTxFlags(ctx);
  let to = "";
  const from = await unlockKey(ctx, ctx.args.require("FROM"), async () => {
    to = await resolveAddress(ctx, ctx.args.require("TO"), "recipient");
  });
  const msg: EncodeObject = {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: from.address, toAddress: to, amount },
  };
  return signAndBroadcast(ctx, { flags, from, build: async () => [msg] });
}

/** Polls tx_search by hash until the tx is indexed (success or failure) or the timeout passes. */
async function waitForTx(client: StargateClient, hash: string, timeoutMs: number): Promise<IndexedTx> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await client.getTx(hash);
    if (found !== null) return found;
    if (Date.now() + POLL_INTERVAL_MS > deadline) {
      throw new CliError(`tx ${hash} was broadcast but not included within ${timeoutMs / 1000} s; check later with: vanna query tx ${hash}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

export const txCommands: CommandSpec[] = [send];
