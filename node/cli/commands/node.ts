/** Node commands: `vanna init`, `vanna start`, `vanna dev`. */
import { hostname } from "node:os";
import { CliError, homeOption, resolveHome, UsageError, type CommandContext, type CommandSpec, type OptionSpec } from "../command.js";
import { devAccounts, DEV_MNEMONIC } from "../../config/devAccounts.js";
import { devFunding } from "../../config/appState.js";
import { loadNodeConfig, validateNodeConfig, type NodeConfig } from "../../config/nodeConfig.js";
import { homePaths } from "../../home.js";
import { assertHomeNotInUse, HomeExistsError, initHome, isInitialised } from "../../setup.js";
import { createLogger } from "../../logger.js";
import { Keyring } from "../../keyring/index.js";

export const DEV_CHAIN_ID = "vanna-dev-1";
export const DEV_HOME = ".vanna/dev";

const rpcPortOption: OptionSpec = { name: "rpc-port", type: "int", min: 0, max: 65535, valueName: "PORT", description: "JSON-RPC port (default from config: 26657)" };
const rpcHostOption: OptionSpec = { name: "rpc-host", type: "string", valueName: "HOST", description: "address the RPC binds to (default from config: 127.0.0.1)" };
const blockTimeOption: OptionSpec = { name: "block-time", type: "string", valueName: "DURATION", description: "time between blocks, e.g. 1s or 250ms (default from config: 1s)" };
const minGasOption: OptionSpec = { name: "min-gas-prices", type: "string", valueName: "PRICES", description: "minimum gas prices this node accepts in CheckTx (default from config: 0.0025uvanna)" };
const invariantsOption: OptionSpec = { name: "check-invariants", type: "bool", description: "check every module invariant after each block and halt if one breaks" };
const p2pPortOption: OptionSpec = { name: "p2p-port", type: "int", min: 0, max: 65535, valueName: "PORT", description: "libp2p TCP port (default from config: 26656; 0 picks a free one)" };
const unsafeRpcOption: OptionSpec = { name: "unsafe-rpc", type: "bool", description: "serve operator controls over RPC (peer isolation for partition tests); never on a public endpoint" };
const oracleOption: OptionSpec = { name: "oracle-source", type: "string", valueName: "SOURCE", description: "this validator's price feeder: sim, sim:SEED, file:PATH (relative to the home) or none (default from config: sim)" };
const runOptions = [homeOption, rpcPortOption, rpcHostOption, p2pPortOption, blockTimeOption, minGasOption, invariantsOption, unsafeRpcOption, oracleOption];

export function parseDurationMs(text: string): number {
  const m = /^([0-9]{1,7})(ms|s)?$/.exec(text.trim());
  if (!m) throw new UsageError(`invalid duration "${text}" (expected e.g. 1s or 250ms)`);
  const ms = Number(m[1]) * (m[2] === "s" ? 1000 : 1);
  if (ms < 10) throw new UsageError("block time must be at least 10ms");
  return ms;
}

function applyOverrides(ctx: CommandContext, config: NodeConfig): NodeConfig {
  const port = ctx.opts.int("rpc-port");
  if (port !== undefined) config.rpc.port = port;
  const host = ctx.opts.string("rpc-host");
  if (host !== undefined) config.rpc.host = host;
  const blockTime = ctx.opts.string("block-time");
  if (blockTime !== undefined) config.consensus.blockTimeMs = parseDurationMs(blockTime);
  const gas = ctx.opts.string("min-gas-prices");
  if (gas !== undefined) config.minGasPrices = gas;
  if (ctx.opts.bool("check-invariants")) config.checkInvariants = true;
  const p2pPort = ctx.opts.int("p2p-port");
  if (p2pPort !== undefined) config.p2p.port = p2pPort;
  if (ctx.opts.bool("unsafe-rpc")) config.rpc.unsafe = true;
  const oracle = ctx.opts.string("oracle-source");
  if (oracle !== undefined) config.oracle.source = oracle;
  try {
    validateNodeConfig(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return config;
}

/** Runs a node until SIGINT/SIGTERM, then closes it cleanly. */
async function runNode(ctx: CommandContext, home: string): Promise<number> {
  const config = applyOverrides(ctx, loadNodeConfig(homePaths(home).config));
  // The node (libp2p, consensus, LevelDB) is loaded only by the commands that run one: client commands start fast.
  const { VannaNode } = await import("../../node.js");
  let node: Awaited<ReturnType<typeof VannaNode.start>>;
  try {
    node = await VannaNode.start({ home, config, logger: createLogger() });
  } catch (err) {
    throw new CliError(`cannot start node: ${(err as Error).message}`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await node.close();
  return 0;
}

const initCommand: CommandSpec = {
  path: ["init"],
  summary: "create a node home: keys, config and a genesis with this node as the validator",
  options: [
    homeOption,
    { name: "chain-id", type: "string", valueName: "ID", default: "vanna-1", description: "chain id of the new chain" },
    { name: "moniker", type: "string", valueName: "NAME", description: "human-readable node name (default: the host name)" },
    { name: "dev-accounts", type: "bool", description: "fund the 10 dev accounts of the well-known test mnemonic (local chains only)" },
    { name: "overwrite", type: "bool", description: "replace an existing home (deletes its chain data)" },
  ],
  examples: ["vanna init --home ./node0 --chain-id vanna-test-1 --dev-accounts"],
  async run(ctx) {
    const home = resolveHome(ctx);
    const accounts = ctx.opts.bool("dev-accounts") ? devFunding((await devAccounts()).map((a) => a.address)) : [];
    try {
      if (ctx.opts.bool("overwrite")) await assertHomeNotInUse(home);
      const { validatorAddress } = initHome({
        home,
        chainId: ctx.opts.string("chain-id") ?? "vanna-1",
        moniker: ctx.opts.string("moniker") ?? hostname(),
        accounts,
        overwrite: ctx.opts.bool("overwrite"),
      });
      ctx.io.stdout.write(`initialised ${home}\nvalidator address ${Buffer.from(validatorAddress).toString("hex").toUpperCase()}\n`);
    } catch (err) {
      if (err instanceof HomeExistsError) throw new CliError(err.message);
      throw new CliError((err as Error).message);
    }
  },
};

const startCommand: CommandSpec = {
  path: ["start"],
  summary: "run a node from an initialised home",
  options: runOptions,
  examples: ["vanna start --home ./node0", "vanna start --home ./node0 --rpc-port 36657 --block-time 500ms"],
  async run(ctx) {
    const home = resolveHome(ctx);
    if (!isInitialised(home)) throw new CliError(`${home} is not initialised: run \`vanna init --home ${home}\` first`);
    return runNode(ctx, home);
  },
};

const devCommand: CommandSpec = {
  path: ["dev"],
  summary: "run a single-validator local chain with the 10 dev accounts funded (initialises the home if needed)",
  description: `Chain id ${DEV_CHAIN_ID}. Funds m/44'/118'/0'/0/0..9 of the test mnemonic with 1,000,000 USDC and 1,000 VANNA each.`,
  options: [{ ...homeOption, default: DEV_HOME }, ...runOptions.slice(1), { name: "reset", type: "bool", description: "delete the home's chain data and start a fresh chain" }],
  examples: ["vanna dev", "vanna dev --home /tmp/vanna --block-time 500ms --rpc-port 36657"],
  async run(ctx) {
    const home = resolveHome(ctx);
    const accounts = await devAccounts();
    if (!isInitialised(home) || ctx.opts.bool("reset")) {
      try {
        await assertHomeNotInUse(home);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      // A dev chain has no peers: its p2p port is picked free, so it never clashes with another node.
      initHome({
        home,
        chainId: DEV_CHAIN_ID,
        moniker: "vanna-dev",
        accounts: devFunding(accounts.map((a) => a.address)),
        overwrite: true,
        configure: (c) => {
          c.p2p.port = 0;
        },
      });
    }
    // The dev keys go into the home's (unencrypted) test keyring as dev0..dev9, so the CLI can sign at once.
    const keyring = new Keyring({ home, backend: "test" });
    for (const a of accounts) {
      if ((await keyring.find(`dev${a.index}`)) === undefined) await keyring.add(`dev${a.index}`, { mnemonic: DEV_MNEMONIC, index: a.index });
    }
    const config = applyOverrides(ctx, loadNodeConfig(homePaths(home).config));
    const banner = [
      "",
      "  Vanna dev chain",
      `  chain id   ${DEV_CHAIN_ID}`,
      `  rpc        http://${config.rpc.host}:${config.rpc.port}`,
      `  home       ${home}`,
      `  mnemonic   ${DEV_MNEMONIC}`,
      "  accounts   (1,000,000 USDC and 1,000 VANNA each; never use this mnemonic for real funds)",
      ...accounts.map((a) => `    dev${a.index}  ${a.hdPath.padEnd(20)} ${a.address}`),
      "",
      `  try it     vanna tx bank send dev0 ${accounts[1]?.address ?? ""} 1000000uusdc --home ${home} --keyring-backend test --node http://${config.rpc.host}:${config.rpc.port}`,
      "",
    ];
    ctx.io.stdout.write(`${banner.join("\n")}\n`);
    return runNode(ctx, home);
  },
};

const exportCommand: CommandSpec = {
  path: ["export"],
  summary: "print the chain's current state as a genesis document (the node must be stopped)",
  options: [homeOption],
  examples: ["vanna export --home ./node0 > exported-genesis.json"],
  async run(ctx) {
    const home = resolveHome(ctx);
    if (!isInitialised(home)) throw new CliError(`${home} is not initialised`);
    try {
      const { exportGenesis } = await import("../../node.js");
      const doc = await exportGenesis(home, loadNodeConfig(homePaths(home).config), createLogger({ level: "warn" }));
      ctx.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    } catch (err) {
      throw new CliError(`cannot export: ${(err as Error).message}`);
    }
  },
};

export const nodeCommands: CommandSpec[] = [initCommand, startCommand, devCommand, exportCommand];
