/**
 * The feeder's view of an observation. These mirror modules/oracle's `Observation`, `ObservationRequest` and
 * `ObservationSource` structurally (node/ may import the application's modules only in node/node.ts), so a
 * feeder here is accepted wherever the oracle module expects an ObservationSource.
 */
export interface FeederSpot {
  underlying: string;
  priceMicroUsd: bigint;
}

export interface FeederSmile {
  underlying: string;
  expiryUnixS: bigint;
  atmVolPpm: bigint;
  skewPpm: bigint;
  curvaturePpm: bigint;
}

export interface FeederObservation {
  spots: FeederSpot[];
  smiles: FeederSmile[];
}

export interface FeederRequest {
  readonly height: bigint;
  readonly round: number;
  readonly underlyings: readonly string[];
  readonly maxExpiries: number;
  /** The expiries listed on chain per underlying (options state), nearest first: report smiles for these. */
  readonly expiries?: ReadonlyMap<string, readonly bigint[]>;
}

export interface FeederSource {
  readonly name: string;
  observe(req: FeederRequest): FeederObservation | undefined;
}
