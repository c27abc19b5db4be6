/**
 * A local testnet's layout on disk: N validator homes and M full-node homes under one directory, sharing one
 * genesis (the validators, power 10 each, and the funded dev accounts), each node peered with every validator.
 * Ports: node i listens for p2p on basePort + 10·i and serves RPC on basePort + 10·i + 1.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildAppState, type FundedAccount } from "../node/config/appState.js";
import { DEFAULT_CONSENSUS_PARAMS, genesisToJson, saveGenesis } from "../node/config/genesis.js";
import { defaultNodeConfig, saveNodeConfig, type NodeConfig } from "../node/config/nodeConfig.js";
import { homePaths } from "../node/home.js";
import { loadOrCreateNodeKey } from "../node/nodeKey.js";
import { generateValidatorKey, loadValidatorKey, saveValidatorKey } from "../node/privval/validatorKey.js";
import { peerIdOfSeed } from "../node/p2p/peerId.js";
import { nowNs } from "../node/util/time.js";

export interface TestnetNode {
  moniker: string;
  home: string;
  validator: boolean;
  rpcPort: number;
  p2pPort: number;
  peerId: string;
  p2pAddress: string;
  rpcUrl: string;
}

export interface TestnetLayout {
  chainId: string;
  dir: string;
  nodes: TestnetNode[];
}

export interface TestnetOptions {
  dir: string;
  chainId: string;
  validators: number;
  fullNodes: number;
  basePort: number;
  accounts: readonly FundedAccount[];
  /** Adjusts every node's config before it is written (block time, unsafe RPC...). */
  configure?: (config: NodeConfig, node: { index: number; validator: boolean }) => void;
}

const LAYOUT_FILE = "layout.json";

export function layoutExists(dir: string): boolean {
  return existsSync(join(dir, LAYOUT_FILE));
}

export function loadLayout(dir: string): TestnetLayout {
  return JSON.parse(readFileSync(join(dir, LAYOUT_FILE), "utf8")) as TestnetLayout;
}

/** Creates every home: keys, shared genesis, configs with persistent peers. Refuses an existing directory. */
export function createTestnet(opts: TestnetOptions): TestnetLayout {
  if (layoutExists(opts.dir)) throw new Error(`${opts.dir} already holds a testnet (re-run without changing its size to resume it)`);
  if (opts.validators < 1) throw new Error("a testnet needs at least one validator");
  mkdirSync(opts.dir, { recursive: true });
  const total = opts.validators + opts.fullNodes;
  const nodes: TestnetNode[] = [];
  for (let i = 0; i < total; i++) {
    const validator = i < opts.validators;
    const moniker = validator ? `validator${i}` : `full${i - opts.validators}`;
    const home = join(opts.dir, validator ? `node${i}` : `full${i - opts.validators}`);
    const paths = homePaths(home);
    mkdirSync(paths.configDir, { recursive: true, mode: 0o700 });
    mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
    saveValidatorKey(paths.validatorKey, generateValidatorKey());
    const nodeKey = loadOrCreateNodeKey(paths.nodeKey);
    const p2pPort = opts.basePort + 10 * i;
    const rpcPort = p2pPort + 1;
    const peerId = peerIdOfSeed(nodeKey.seed);
    nodes.push({ moniker, home, validator, rpcPort, p2pPort, peerId, p2pAddress: `/ip4/127.0.0.1/tcp/${p2pPort}/p2p/${peerId}`, rpcUrl: `http://127.0.0.1:${rpcPort}` });
  }
  const validatorKeys = nodes.filter((n) => n.validator).map((n) => ({ node: n, key: loadValidatorKey(homePaths(n.home).validatorKey) }));
  const genesis = genesisToJson({
    genesisTimeNs: nowNs(),
    chainId: opts.chainId,
    initialHeight: 1n,
    consensusParams: DEFAULT_CONSENSUS_PARAMS,
    validators: validatorKeys.map(({ node, key }) => ({ address: key.address, pubKeyEd25519: key.pubKey, power: 10n, name: node.moniker })),
    appState: buildAppState(opts.accounts),
  });
  const validatorAddrs = nodes.filter((n) => n.validator).map((n) => n.p2pAddress);
  nodes.forEach((node, index) => {
    const paths = homePaths(node.home);
    saveGenesis(paths.genesis, genesis);
    const config = defaultNodeConfig(node.moniker);
    config.p2p.port = node.p2pPort;
    config.rpc.port = node.rpcPort;
    config.p2p.persistentPeers = validatorAddrs.filter((a) => a !== node.p2pAddress);
    opts.configure?.(config, { index, validator: node.validator });
    saveNodeConfig(paths.config, config);
  });
  const layout: TestnetLayout = { chainId: opts.chainId, dir: opts.dir, nodes };
  writeFileSync(join(opts.dir, LAYOUT_FILE), `${JSON.stringify(layout, null, 2)}\n`);
  return layout;
}
