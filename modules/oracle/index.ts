/** The oracle's public surface: other modules read prices through `OracleReader`; the node plugs in a feeder. */
import type { KVReader } from "../../src/store/types.js";
import type { Price, Smile, Twap } from "./types.js";

/**
 * What the trading modules (options, clob, margin, liquidation) need from the oracle. Implemented by
 * OracleKeeper. Times are nanoseconds (pass ctx.blockTimeNs as `nowNs`); expiries are Unix seconds.
 */
export interface OracleReader {
  /** The latest aggregated price (possibly stale). */
  price(store: KVReader, underlying: string): Price | undefined;
  /** The latest aggregated smile of (underlying, expiry) (possibly stale: compare updatedTimeNs). */
  smile(store: KVReader, underlying: string, expiryUnixS: bigint): Smile | undefined;
  /** Time-weighted average price over [nowNs - windowNs, nowNs], floor-rounded; check `startTimeNs` for coverage. */
  twap(store: KVReader, underlying: string, windowNs: bigint, nowNs: bigint): Twap | undefined;
  /** No price, or older than params.max_age_ns at nowNs: only cancels and reduce-only orders are allowed. */
  isStale(store: KVReader, underlying: string, nowNs: bigint): boolean;
}

export { createOracleModule, oracleInvariants, ORACLE_MODULE_NAME } from "./module.js";
export { OracleKeeper, SMILE_RETENTION_AFTER_EXPIRY_NS } from "./keeper.js";
export { OracleErrors } from "./errors.js";
export { aggregate, lowerWeightedMedian, type AggregateResult, type AggregatedPrice, type AggregatedSmile, type Weighted } from "./aggregate.js";
export {
  createOracleVoteExtensionHandler,
  readOracleParams,
  type ObservationRequest,
  type ObservationSource,
  type OracleVoteExtensionOptions,
} from "./voteExtension.js";
export { canonicalObservation, decodeObservation, encodeObservation, observationProblem, EMPTY_OBSERVATION, MAX_EXPIRY_UNIX_S } from "./observation.js";
export { DEFAULT_ORACLE_PARAMS, UNDERLYING_RE, validateOracleParams, MIN_POWER_PPM_FLOOR } from "./params.js";
export { ORACLE_QUERY_SERVICE } from "./queries.js";
export { ORACLE_STORE_PREFIX } from "./keys.js";
export { parseOracleGenesis, type OracleGenesis } from "./genesis.js";
export * from "./types.js";
