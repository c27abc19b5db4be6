/** `vanna status`: what a node says about itself (chain id, height, sync state, validator). */
import { toHex } from "@cosmjs/encoding";
import { toRfc3339WithNanoseconds } from "@cosmjs/tendermint-rpc";
import { nodeOption, outputFormat, outputOption, type CommandSpec } from "../command.js";
import { printFields, printJson } from "../output.js";
import { nodeUrl, withNode } from "../rpc.js";

const status: CommandSpec = {
  path: ["status"],
  summary: "show a node's chain id, latest block and sync state",
  options: [nodeOption, outputOption],
  examples: ["vanna status", "vanna status --node http://10.0.0.2:26657 --output json"],
  async run(ctx) {
    const res = await withNode(nodeUrl(ctx), (comet) => comet.status());
    // Same layout as CometBFT's own status JSON, so `jq .sync_info.latest_block_height` works either way.
    const view = {
      node_info: {
        id: toHex(res.nodeInfo.id),
        network: res.nodeInfo.network,
        version: res.nodeInfo.version,
        moniker: res.nodeInfo.moniker,
        listen_addr: res.nodeInfo.listenAddr,
      },
      sync_info: {
        latest_block_hash: toHex(res.syncInfo.latestBlockHash).toUpperCase(),
        latest_app_hash: toHex(res.syncInfo.latestAppHash).toUpperCase(),
        latest_block_height: String(res.syncInfo.latestBlockHeight),
        latest_block_time: toRfc3339WithNanoseconds(res.syncInfo.latestBlockTime),
        catching_up: res.syncInfo.catchingUp,
      },
      validator_info: {
        address: toHex(res.validatorInfo.address).toUpperCase(),
        voting_power: res.validatorInfo.votingPower.toString(),
      },
    };
    if (outputFormat(ctx) === "json") return printJson(ctx.io.stdout, view);
    printFields(ctx.io.stdout, [
      ["chain id", view.node_info.network],
      ["moniker", view.node_info.moniker],
      ["node id", view.node_info.id],
      ["version", view.node_info.version],
      ["latest height", view.sync_info.latest_block_height],
      ["latest block", view.sync_info.latest_block_hash],
      ["latest time", view.sync_info.latest_block_time],
      ["app hash", view.sync_info.latest_app_hash],
      ["catching up", view.sync_info.catching_up],
      ["validator", view.validator_info.address],
      ["voting power", view.validator_info.voting_power],
    ]);
  },
};

export const statusCommands: CommandSpec[] = [status];
