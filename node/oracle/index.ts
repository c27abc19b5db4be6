/**
 * The validator's price feeder (the impure side of the oracle): `oracle.source` in the node config selects it.
 *   "sim"        deterministic simulated market (testnets; the default)
 *   "sim:SEED"   the same with another market seed (every validator must use the same seed)
 *   "file:PATH"  a JSON file re-read every block (relative paths are resolved against the node's home)
 *   "none"       report nothing (precommits carry empty extensions)
 */
import { isAbsolute, resolve } from "node:path";
import { FileSource } from "./file.js";
import { SimSource, type SimSourceOptions } from "./sim.js";
import type { FeederSource } from "./types.js";

export { FileSource, observationFor, parseObservationFile, type FileSourceOptions, type ObservationFile } from "./file.js";
export { SimSource, DEFAULT_SIM_MARKETS, DEFAULT_SIM_SEED, FALLBACK_SIM_MARKET, detExp, weeklyExpiries, type SimMarket, type SimSourceOptions } from "./sim.js";
export { parseDecimalUnits } from "./decimal.js";
export type { FeederObservation, FeederRequest, FeederSmile, FeederSource, FeederSpot } from "./types.js";

export const DEFAULT_ORACLE_SOURCE = "sim";

export interface OracleSourceOptions {
  /** This validator's consensus address (per-validator noise of the simulation). */
  validatorAddress: Uint8Array;
  /** Base directory for relative `file:` paths (the node home); default: the working directory. */
  baseDir?: string;
  /** Problems of the file source (missing or invalid file), for the node's log. */
  onError?: (message: string) => void;
  onRecovered?: () => void;
  /** Extra simulation settings (tests). */
  sim?: Partial<Omit<SimSourceOptions, "validatorAddress" | "seed">>;
}

/** Throws an Error with an operator-readable message when `spec` is not a valid `oracle.source`. */
export function validateOracleSourceSpec(spec: string): void {
  if (spec === "none" || spec === "sim") return;
  if (spec.startsWith("sim:") && spec.length > 4) return;
  if (spec.startsWith("file:") && spec.length > 5) return;
  throw new Error(`oracle.source: expected "sim", "sim:SEED", "file:PATH" or "none", got "${spec.slice(0, 80)}"`);
}

/** The feeder selected by `spec` ("sim" | "sim:SEED" | "file:PATH" | "none"); undefined for "none". */
export function parseOracleSource(spec: string, opts: OracleSourceOptions): FeederSource | undefined {
  validateOracleSourceSpec(spec);
  if (spec === "none") return undefined;
  if (spec === "sim" || spec.startsWith("sim:")) {
    const seed = spec === "sim" ? undefined : spec.slice(4);
    return new SimSource({ ...opts.sim, validatorAddress: opts.validatorAddress, ...(seed === undefined ? {} : { seed }) });
  }
  const path = spec.slice(5);
  const full = isAbsolute(path) ? path : resolve(opts.baseDir ?? process.cwd(), path);
  return new FileSource(full, { ...(opts.onError ? { onError: opts.onError } : {}), ...(opts.onRecovered ? { onRecovered: opts.onRecovered } : {}) });
}
