/** App-level query paths that are not module routes: tx simulation and raw store reads with proofs. */
import { ChainError, SdkErrors } from "../errors.js";
import { SimulateRequest, SimulateResponse } from "../codec/index.js";
import type { RootStore } from "../store/index.js";
import type { QueryRequest, QueryResult } from "./application.js";
import type { AppModule } from "./module.js";
import type { TxRunOutcome } from "./txRunner.js";

export const SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate";
export const STORE_QUERY_PREFIX = "/store/";
/** ProofOp type of our commitment (see src/store): verify with verifyKeyProof against the block's app hash. */
export const STATE_PROOF_TYPE = "vanna:state-bucket-merkle";

export function handleSimulate(data: Uint8Array, simulate: (tx: Uint8Array) => TxRunOutcome): Uint8Array {
  const req = SimulateRequest.decode(data);
  if (req.txBytes.length === 0) throw SdkErrors.invalidRequest.with("empty txBytes is not allowed");
  const outcome = simulate(req.txBytes);
  const r = outcome.result;
  // A failed simulation is a query error: cosmjs then throws "Query failed with (code): log" and sends nothing.
  if (r.code !== 0) throw new ChainError(r.codespace, r.code, r.log);
  return SimulateResponse.encode({
    gasInfo: { gasWanted: r.gasWanted, gasUsed: r.gasUsed },
    result: {
      data: new Uint8Array(),
      log: r.log,
      events: r.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })) })),
      msgResponses: outcome.msgResponses.map((m) => ({ typeUrl: m.typeUrl, value: m.value })),
    },
  });
}

/** "/store/<module>/key" with the key inside the module's space as data; proofs when `prove` is set. */
export function handleStoreQuery(store: RootStore, modules: readonly AppModule[], req: QueryRequest, height: bigint): QueryResult {
  const parts = req.path.slice(STORE_QUERY_PREFIX.length).split("/");
  const module = modules.find((m) => m.name === parts[0]);
  if (parts.length !== 2 || parts[1] !== "key" || module === undefined) {
    throw new ChainError("sdk", 6, `unknown query path: ${req.path.slice(0, 120)}: unknown request`);
  }
  const fullKey = new Uint8Array(req.data.length + 1);
  fullKey[0] = module.storePrefix;
  fullKey.set(req.data, 1);
  if (!req.prove) {
    const value = store.reader().get(fullKey) ?? new Uint8Array();
    return { code: 0, codespace: "", log: "", key: req.data, value, height, proofOps: undefined };
  }
  const { value, proof } = store.prove(fullKey);
  return {
    code: 0,
    codespace: "",
    log: "",
    key: req.data,
    value: value ?? new Uint8Array(),
    height,
    proofOps: [{ type: STATE_PROOF_TYPE, key: fullKey, data: proof }],
  };
}
