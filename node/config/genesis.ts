/**
 * The genesis document (`<home>/config/genesis.json`), in CometBFT's JSON shape so tools and cosmjs's
 * `genesis` call read it as they would any Cosmos chain. Parsed strictly; integers are strings.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { arr, GenesisError, obj, str, uint } from "../../src/app/genesisJson.js";
import { formatRfc3339Ns, parseRfc3339Ns } from "../util/time.js";

export interface GenesisValidator {
  address: Uint8Array;
  pubKeyEd25519: Uint8Array;
  power: bigint;
  name: string;
}

export interface ConsensusParams {
  blockMaxBytes: bigint;
  /** -1 = no limit. */
  blockMaxGas: bigint;
  evidenceMaxAgeNumBlocks: bigint;
  evidenceMaxAgeDurationNs: bigint;
}

export interface GenesisDoc {
  genesisTimeNs: bigint;
  chainId: string;
  initialHeight: bigint;
  consensusParams: ConsensusParams;
  validators: GenesisValidator[];
  appState: Record<string, unknown>;
  /** The document as read, served verbatim by the `genesis` RPC. */
  json: Record<string, unknown>;
}

export const DEFAULT_CONSENSUS_PARAMS: ConsensusParams = {
  blockMaxBytes: 22_020_096n,
  blockMaxGas: -1n,
  evidenceMaxAgeNumBlocks: 100_000n,
  evidenceMaxAgeDurationNs: 172_800_000_000_000n,
};

const CHAIN_ID_RE = /^[a-zA-Z0-9_.-]{1,50}$/;

export function isValidChainId(chainId: string): boolean {
  return CHAIN_ID_RE.test(chainId);
}

export function genesisToJson(g: Omit<GenesisDoc, "json">): Record<string, unknown> {
  const p = g.consensusParams;
  return {
    genesis_time: formatRfc3339Ns(g.genesisTimeNs),
    chain_id: g.chainId,
    initial_height: g.initialHeight.toString(),
    consensus_params: {
      block: { max_bytes: p.blockMaxBytes.toString(), max_gas: p.blockMaxGas.toString() },
      evidence: { max_age_num_blocks: p.evidenceMaxAgeNumBlocks.toString(), max_age_duration: p.evidenceMaxAgeDurationNs.toString(), max_bytes: "1048576" },
      validator: { pub_key_types: ["ed25519"] },
      version: { app: "1" },
    },
    validators: g.validators.map((v) => ({
      address: Buffer.from(v.address).toString("hex").toUpperCase(),
      pub_key: { type: "tendermint/PubKeyEd25519", value: Buffer.from(v.pubKeyEd25519).toString("base64") },
      power: v.power.toString(),
      name: v.name,
    })),
    app_hash: "",
    app_state: g.appState,
  };
}

export function parseGenesis(json: unknown): GenesisDoc {
  const g = obj(json, "genesis");
  const chainId = str(g.chain_id, "genesis.chain_id");
  if (!isValidChainId(chainId)) throw new GenesisError(`genesis.chain_id: "${chainId}" is not a valid chain id (1-50 of [a-zA-Z0-9_.-])`);
  let genesisTimeNs: bigint;
  try {
    genesisTimeNs = parseRfc3339Ns(str(g.genesis_time, "genesis.genesis_time"));
  } catch (err) {
    throw new GenesisError(`genesis.genesis_time: ${(err as Error).message}`);
  }
  const initialHeight = uint(g.initial_height, "genesis.initial_height", 1n);
  if (initialHeight < 1n) throw new GenesisError("genesis.initial_height must be at least 1");
  const cp = obj(g.consensus_params ?? {}, "genesis.consensus_params");
  const block = obj(cp.block ?? {}, "genesis.consensus_params.block");
  const evidence = obj(cp.evidence ?? {}, "genesis.consensus_params.evidence");
  const maxGasText = block.max_gas === undefined ? "-1" : str(block.max_gas, "genesis.consensus_params.block.max_gas");
  if (!/^(-1|0|[1-9][0-9]*)$/.test(maxGasText)) throw new GenesisError("genesis.consensus_params.block.max_gas: expected -1 or a non-negative integer");
  const d = DEFAULT_CONSENSUS_PARAMS;
  const consensusParams: ConsensusParams = {
    blockMaxBytes: uint(block.max_bytes, "genesis.consensus_params.block.max_bytes", d.blockMaxBytes),
    blockMaxGas: BigInt(maxGasText),
    evidenceMaxAgeNumBlocks: uint(evidence.max_age_num_blocks, "genesis.consensus_params.evidence.max_age_num_blocks", d.evidenceMaxAgeNumBlocks),
    evidenceMaxAgeDurationNs: uint(evidence.max_age_duration, "genesis.consensus_params.evidence.max_age_duration", d.evidenceMaxAgeDurationNs),
  };
  const validators = arr(g.validators, "genesis.validators").map((v, i) => {
    const path = `genesis.validators[${i}]`;
    const o = obj(v, path);
    const pk = obj(o.pub_key, `${path}.pub_key`);
    if (pk.type !== "tendermint/PubKeyEd25519") throw new GenesisError(`${path}.pub_key.type: only tendermint/PubKeyEd25519 is supported`);
    const pubKeyEd25519 = Buffer.from(str(pk.value, `${path}.pub_key.value`), "base64");
    if (pubKeyEd25519.length !== 32) throw new GenesisError(`${path}.pub_key.value: expected 32 bytes`);
    const address = Buffer.from(str(o.address, `${path}.address`), "hex");
    if (address.length !== 20) throw new GenesisError(`${path}.address: expected 20 bytes of hex`);
    const power = uint(o.power, `${path}.power`);
    if (power <= 0n) throw new GenesisError(`${path}.power must be positive`);
    return { address: new Uint8Array(address), pubKeyEd25519: new Uint8Array(pubKeyEd25519), power, name: o.name === undefined ? "" : str(o.name, `${path}.name`) };
  });
  if (validators.length === 0) throw new GenesisError("genesis.validators: at least one validator is required");
  const appState = obj(g.app_state ?? {}, "genesis.app_state") as Record<string, unknown>;
  return { genesisTimeNs, chainId, initialHeight, consensusParams, validators, appState, json: g as Record<string, unknown> };
}

export function loadGenesis(path: string): GenesisDoc {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read genesis ${path}: ${(err as Error).message}`);
  }
  return parseGenesis(raw);
}

export function saveGenesis(path: string, json: Record<string, unknown>): void {
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
}
