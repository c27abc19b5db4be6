/**
 * Writes a node home: validator key, node key, node config and (for a new chain) a genesis naming this
 * validator and funding the given accounts. Refuses to overwrite an existing home unless asked.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { buildAppState, type FundedAccount } from "./config/appState.js";
import { DEFAULT_CONSENSUS_PARAMS, genesisToJson, isValidChainId, saveGenesis } from "./config/genesis.js";
import { defaultNodeConfig, saveNodeConfig, type NodeConfig } from "./config/nodeConfig.js";
import { generateValidatorKey, saveValidatorKey } from "./privval/validatorKey.js";
import { loadOrCreateNodeKey } from "./nodeKey.js";
import { homePaths } from "./home.js";
import { DatabaseLockedError, NodeDb } from "./storage/db.js";
import { nowNs } from "./util/time.js";

export interface InitHomeOptions {
  home: string;
  chainId: string;
  moniker: string;
  accounts: readonly FundedAccount[];
  validatorPower?: bigint;
  /** Adjusts the default node config before it is written (ports, block time...). */
  configure?: (config: NodeConfig) => void;
  overwrite?: boolean;
}

export class HomeExistsError extends Error {
  override readonly name = "HomeExistsError";
}

export function isInitialised(home: string): boolean {
  const p = homePaths(home);
  return existsSync(p.genesis) && existsSync(p.validatorKey) && existsSync(p.config);
}

export function initHome(opts: InitHomeOptions): { validatorAddress: Uint8Array } {
  if (!isValidChainId(opts.chainId)) throw new Error(`invalid chain id "${opts.chainId}" (1-50 of [a-zA-Z0-9_.-])`);
  const paths = homePaths(opts.home);
  if (existsSync(paths.configDir) || existsSync(paths.dataDir)) {
    if (!opts.overwrite) throw new HomeExistsError(`${opts.home} is already initialised (use --overwrite to replace it, which deletes its chain data)`);
    rmSync(paths.configDir, { recursive: true, force: true });
    rmSync(paths.dataDir, { recursive: true, force: true });
  }
  mkdirSync(paths.configDir, { recursive: true, mode: 0o700 });
  mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  const key = generateValidatorKey();
  saveValidatorKey(paths.validatorKey, key);
  loadOrCreateNodeKey(paths.nodeKey);
  const config = defaultNodeConfig(opts.moniker);
  opts.configure?.(config);
  saveNodeConfig(paths.config, config);
  const genesis = genesisToJson({
    genesisTimeNs: nowNs(),
    chainId: opts.chainId,
    initialHeight: 1n,
    consensusParams: DEFAULT_CONSENSUS_PARAMS,
    validators: [{ address: key.address, pubKeyEd25519: key.pubKey, power: opts.validatorPower ?? 10n, name: opts.moniker }],
    appState: buildAppState(opts.accounts),
  });
  saveGenesis(paths.genesis, genesis);
  return { validatorAddress: key.address };
}

/**
 * Refuses to touch a home whose node is running: opening the database takes LevelDB's lock, so a running node
 * makes this fail with "in use". Call before `initHome({ overwrite: true })`.
 */
export async function assertHomeNotInUse(home: string): Promise<void> {
  const dbPath = homePaths(home).db;
  if (!existsSync(dbPath)) return;
  try {
    const db = await NodeDb.open(dbPath);
    await db.close();
  } catch (err) {
    if (err instanceof DatabaseLockedError) throw new HomeExistsError(`${home} is in use by a running node: stop it first`);
    throw err;
  }
}
