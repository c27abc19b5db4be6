/**
 * The oracle's vote extensions: `extend` asks the node's feeder (an ObservationSource, implemented in
 * node/oracle) for the current observation and encodes it canonically; `verify` is the deterministic check
 * every validator applies to every other validator's extension.
 */
import type { Application, ExtendVoteRequest } from "../../src/app/application.js";
import type { VoteExtensionHandler } from "../../src/app/baseApp.js";
import { canonicalObservation, decodeObservation, encodeObservation } from "./observation.js";
import { DEFAULT_ORACLE_PARAMS } from "./params.js";
import { ORACLE_QUERY_SERVICE } from "./queries.js";
import { OracleQueryParamsResponseCodec, type Observation, type OracleParams } from "./types.js";

/** What the feeder is asked for when this validator precommits a block at `height`. */
export interface ObservationRequest {
  /** Height of the block being precommitted; the observation enters state in block height + 1. */
  readonly height: bigint;
  readonly round: number;
  /** The underlyings the chain accepts (params.underlyings): report spots and smiles for these. */
  readonly underlyings: readonly string[];
  /** At most this many smiles per underlying are kept (the nearest expiries). */
  readonly maxExpiries: number;
  /** The expiries listed on chain per underlying (options state), nearest first: report smiles for these. */
  readonly expiries?: ReadonlyMap<string, readonly bigint[]>;
}

/**
 * A validator's price feeder. Lives in the node (it may read files, the network or a clock); must return
 * quickly (it runs inside the consensus step) and must not throw (a throw is treated as "no observation").
 * Undefined means "nothing to report" (the validator precommits with an empty extension).
 */
export interface ObservationSource {
  readonly name: string;
  observe(req: ObservationRequest): Observation | undefined;
}

export interface OracleVoteExtensionOptions {
  /** The node's feeder; undefined: this validator reports nothing (empty extensions). */
  source?: ObservationSource | undefined;
  /** The oracle params of the committed state (see `readOracleParams`). */
  params: () => OracleParams;
  /** The listed expiries per underlying in the committed state (from the options module); absent: none known. */
  expiries?: () => ReadonlyMap<string, readonly bigint[]>;
  /** Told when the feeder throws or reports nothing usable (for the node's log). */
  onSourceError?: (err: unknown) => void;
}

export function createOracleVoteExtensionHandler(opts: OracleVoteExtensionOptions): VoteExtensionHandler {
  return {
    extend(req: ExtendVoteRequest): Uint8Array {
      const source = opts.source;
      if (source === undefined) return new Uint8Array();
      try {
        const params = opts.params();
        const expiries = opts.expiries?.();
        const raw = source.observe({
          height: req.height,
          round: req.round,
          underlyings: params.underlyings,
          maxExpiries: params.maxExpiries,
          ...(expiries === undefined ? {} : { expiries }),
        });
        if (raw === undefined) return new Uint8Array();
        const bytes = encodeObservation(canonicalObservation(raw, params));
        // Never sign something our own check (and so every other validator's) would reject.
        return decodeObservation(bytes, params) === undefined ? new Uint8Array() : bytes;
      } catch (err) {
        opts.onSourceError?.(err);
        return new Uint8Array();
      }
    },
    verify(req): boolean {
      return decodeObservation(req.extension, opts.params()) !== undefined;
    },
  };
}

/**
 * The oracle params of an application's committed state, read through its query interface (so the handler
 * can be built before the BaseApp it is given to). Defaults when the state has none yet.
 */
export function readOracleParams(app: Pick<Application, "query">): OracleParams {
  const res = app.query({ path: `${ORACLE_QUERY_SERVICE}/Params`, data: new Uint8Array(), height: 0n, prove: false });
  if (res.code !== 0) return DEFAULT_ORACLE_PARAMS;
  return OracleQueryParamsResponseCodec.decode(res.value).params ?? DEFAULT_ORACLE_PARAMS;
}
