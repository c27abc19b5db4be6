/** The layout of a node's home directory. */
import { join } from "node:path";

export interface HomePaths {
  home: string;
  configDir: string;
  dataDir: string;
  config: string;
  genesis: string;
  validatorKey: string;
  nodeKey: string;
  db: string;
  privvalState: string;
  wal: string;
  keyringDir: string;
}

export function homePaths(home: string): HomePaths {
  const configDir = join(home, "config");
  const dataDir = join(home, "data");
  return {
    home,
    configDir,
    dataDir,
    config: join(configDir, "config.json"),
    genesis: join(configDir, "genesis.json"),
    validatorKey: join(configDir, "priv_validator_key.json"),
    nodeKey: join(configDir, "node_key.json"),
    db: join(dataDir, "node.db"),
    privvalState: join(dataDir, "priv_validator_state.json"),
    wal: join(dataDir, "cs.wal"),
    keyringDir: join(home, "keyring"),
  };
}
