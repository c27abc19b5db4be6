/**
 * Operator settings of one node (`<home>/config/config.json`): ports, peers, block time, mempool limits,
 * minimum gas prices. Local choices only; everything consensus-critical lives in genesis.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseDecCoin } from "../../src/math/decimal.js";
import { DEFAULT_ORACLE_SOURCE, validateOracleSourceSpec } from "../oracle/index.js";

export interface NodeConfig {
  moniker: string;
  /** `unsafe` serves operator controls (peer isolation) over RPC: never enable it on a public endpoint. */
  rpc: { host: string; port: number; maxBodyBytes: number; maxConnections: number; unsafe: boolean };
  /** Persistent peers are libp2p multiaddrs ending in /p2p/<peer id>. */
  p2p: { host: string; port: number; persistentPeers: string[] };
  /**
   * blockTimeMs: with an empty mempool, the interval between (empty) blocks; txs are proposed at once.
   * The other timeouts are Tendermint's, growing by their delta each round.
   */
  consensus: {
    blockTimeMs: number;
    proposeMs: number;
    proposeDeltaMs: number;
    prevoteMs: number;
    prevoteDeltaMs: number;
    precommitMs: number;
    precommitDeltaMs: number;
    commitMs: number;
  };
  mempool: { maxTxs: number; maxTxsBytes: number; maxTxBytes: number; cacheSize: number };
  /** e.g. "0.0025uvanna"; comma-separated for several denoms. */
  minGasPrices: string;
  checkInvariants: boolean;
  /** The validator's price feeder: "sim" | "sim:SEED" | "file:PATH" (relative to the home) | "none". */
  oracle: { source: string };
}

export const DEFAULT_RPC_PORT = 26657;
export const DEFAULT_P2P_PORT = 26656;

export function defaultNodeConfig(moniker: string): NodeConfig {
  return {
    moniker,
    rpc: { host: "127.0.0.1", port: DEFAULT_RPC_PORT, maxBodyBytes: 1_000_000, maxConnections: 900, unsafe: false },
    p2p: { host: "127.0.0.1", port: DEFAULT_P2P_PORT, persistentPeers: [] },
    consensus: {
      blockTimeMs: 1000,
      proposeMs: 1000,
      proposeDeltaMs: 500,
      prevoteMs: 500,
      prevoteDeltaMs: 250,
      precommitMs: 500,
      precommitDeltaMs: 250,
      commitMs: 50,
    },
    mempool: { maxTxs: 5000, maxTxsBytes: 1 << 30, maxTxBytes: 1 << 20, cacheSize: 10_000 },
    minGasPrices: "0.0025uvanna",
    checkInvariants: false,
    oracle: { source: DEFAULT_ORACLE_SOURCE },
  };
}

export function parseMinGasPrices(text: string) {
  if (text.trim() === "") return [];
  return text.split(",").map((part) => {
    const coin = parseDecCoin(part);
    if (coin === undefined) throw new Error(`invalid minimum gas price "${part}" (expected e.g. 0.0025uvanna)`);
    return coin;
  });
}

export function loadNodeConfig(path: string): NodeConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read node config ${path}: ${(err as Error).message}`);
  }
  const merged = mergeDefaults(defaultNodeConfig("node"), raw) as NodeConfig;
  validateNodeConfig(merged);
  return merged;
}

export function saveNodeConfig(path: string, config: NodeConfig): void {
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
}

export function validateNodeConfig(c: NodeConfig): void {
  const port = (p: number, name: string) => {
    if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`config: ${name} must be a port number, got ${p}`);
  };
  port(c.rpc.port, "rpc.port");
  port(c.p2p.port, "p2p.port");
  if (!Number.isInteger(c.consensus.blockTimeMs) || c.consensus.blockTimeMs < 10) throw new Error("config: consensus.blockTimeMs must be an integer >= 10");
  for (const [k, v] of Object.entries(c.consensus)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`config: consensus.${k} must be a non-negative integer (milliseconds)`);
  }
  if (!Array.isArray(c.p2p.persistentPeers) || c.p2p.persistentPeers.some((p) => typeof p !== "string" || !p.includes("/p2p/"))) {
    throw new Error("config: p2p.persistentPeers must be multiaddrs ending in /p2p/<peer id>");
  }
  for (const [k, v] of Object.entries(c.mempool)) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`config: mempool.${k} must be a positive integer`);
  }
  parseMinGasPrices(c.minGasPrices);
  if (typeof c.oracle.source !== "string") throw new Error("config: oracle.source must be a string");
  validateOracleSourceSpec(c.oracle.source);
}

/** Fills fields missing from a config file with defaults (older files keep working as settings are added). */
function mergeDefaults(defaults: unknown, value: unknown): unknown {
  if (typeof defaults !== "object" || defaults === null || Array.isArray(defaults)) return value ?? defaults;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return defaults;
  const out: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(defaults)) out[k] = mergeDefaults(d, (value as Record<string, unknown>)[k]);
  return out;
}
