/** `vanna testnet`: a local multi-validator network in one command. */
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { CliError, UsageError, expandPath, type CommandSpec } from "../node/cli/command.js";
import { parseDurationMs } from "../node/cli/commands/node.js";
import { devAccounts, DEV_MNEMONIC } from "../node/config/devAccounts.js";
import { devFunding } from "../node/config/appState.js";
import { createTestnet, layoutExists, loadLayout, type TestnetLayout } from "./layout.js";
import { startTestnet } from "./launch.js";
import { validateOracleSourceSpec } from "../node/oracle/index.js";

export const TESTNET_HOME = ".vanna/testnet";
export const TESTNET_CHAIN_ID = "vanna-testnet-1";

const testnetCommand: CommandSpec = {
  path: ["testnet"],
  summary: "run a local multi-validator testnet on 127.0.0.1 (initialises it on first use, resumes it after)",
  description:
    "Writes validator keys, a shared genesis funding the 10 dev accounts, and one home per node under --home, then runs every node as its own process until Ctrl-C. Node i uses p2p port base+10i and RPC port base+10i+1. <home>/testnet.json lists each node's process id, RPC URL and p2p address; each node logs to <node home>/node.log.",
  options: [
    { name: "home", type: "string", valueName: "DIR", default: TESTNET_HOME, description: "directory holding every node's home" },
    { name: "validators", type: "int", min: 1, max: 50, default: 4, description: "number of validators" },
    { name: "full-nodes", type: "int", min: 0, max: 50, default: 0, description: "number of non-validator full nodes" },
    { name: "base-port", type: "int", min: 1024, max: 65000, default: 26656, valueName: "PORT", description: "first port of the range the nodes use (node i: p2p base+10i, RPC base+10i+1)" },
    { name: "chain-id", type: "string", valueName: "ID", default: TESTNET_CHAIN_ID, description: "chain id of a new testnet" },
    { name: "block-time", type: "string", valueName: "DURATION", default: "1s", description: "interval of empty blocks (blocks with txs are proposed at once)" },
    { name: "unsafe-rpc", type: "bool", description: "serve peer-isolation controls over RPC (for partition tests)" },
    { name: "oracle-source", type: "string", valueName: "SOURCE", default: "sim", description: "every validator's price feeder: sim, sim:SEED, file:PATH or none" },
    { name: "check-invariants", type: "bool", description: "every node checks every module invariant after each block and halts if one breaks" },
    { name: "reset", type: "bool", description: "delete the testnet under --home and create a new one" },
  ],
  examples: ["vanna testnet", "vanna testnet --validators 4 --full-nodes 1 --home /tmp/tn --base-port 36600", "vanna testnet --check-invariants --oracle-source file:prices.json"],
  async run(ctx) {
    const dir = resolve(expandPath(ctx.opts.string("home") ?? TESTNET_HOME, ctx.io.env));
    const validators = ctx.opts.int("validators") ?? 4;
    const fullNodes = ctx.opts.int("full-nodes") ?? 0;
    const blockTimeMs = parseDurationMs(ctx.opts.string("block-time") ?? "1s");
    const oracleSource = ctx.opts.string("oracle-source") ?? "sim";
    try {
      validateOracleSourceSpec(oracleSource);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (ctx.opts.bool("reset")) rmSync(dir, { recursive: true, force: true });
    const accounts = await devAccounts();
    let layout: TestnetLayout;
    if (layoutExists(dir)) {
      layout = loadLayout(dir);
      const have = { v: layout.nodes.filter((n) => n.validator).length, f: layout.nodes.filter((n) => !n.validator).length };
      if ((ctx.opts.given("validators") && have.v !== validators) || (ctx.opts.given("full-nodes") && have.f !== fullNodes)) {
        throw new UsageError(`${dir} holds a testnet of ${have.v} validators and ${have.f} full nodes; use --reset to make a new one`);
      }
    } else {
      try {
        layout = createTestnet({
          dir,
          chainId: ctx.opts.string("chain-id") ?? TESTNET_CHAIN_ID,
          validators,
          fullNodes,
          basePort: ctx.opts.int("base-port") ?? 26656,
          accounts: devFunding(accounts.map((a) => a.address)),
          configure: (config) => {
            config.consensus.blockTimeMs = blockTimeMs;
            config.rpc.unsafe = ctx.opts.bool("unsafe-rpc");
            config.oracle.source = oracleSource;
          },
        });
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    }
    const out = ctx.io.stdout;
    const net = startTestnet(layout, ctx.opts.bool("check-invariants") ? ["--check-invariants"] : [], (node, code) => {
      if (!stopping) ctx.io.stderr.write(`${node.moniker} (pid ${node.pid}) exited with code ${code}; see ${node.logFile}\n`);
    });
    let stopping = false;
    out.write(
      [
        "",
        `  Vanna testnet ${layout.chainId}: ${layout.nodes.filter((n) => n.validator).length} validators, ${layout.nodes.filter((n) => !n.validator).length} full nodes`,
        ...net.nodes.map((n) => `    ${n.moniker.padEnd(11)} pid ${String(n.pid).padEnd(7)} rpc ${n.rpcUrl.padEnd(24)} p2p ${n.p2pAddress}`),
        `  status     ${dir}/testnet.json   logs <node home>/node.log`,
        `  mnemonic   ${DEV_MNEMONIC}`,
        "  accounts   (1,000,000 USDC and 1,000 VANNA each; never use this mnemonic for real funds)",
        ...accounts.map((a) => `    ${a.hdPath.padEnd(20)} ${a.address}`),
        "  Ctrl-C stops every node; run the same command again to resume the chain.",
        "",
      ].join("\n"),
    );
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      void net.exited.then(stop);
    });
    stopping = true;
    out.write("stopping the testnet...\n");
    await net.stop();
    return 0;
  },
};

export const testnetCommands: CommandSpec[] = [testnetCommand];
