/** Public surface of the RPC server for the node's composition root and the tx indexer. */
export { startRpcServer, type RpcServer, type RpcServerOptions } from "./server.js";
export * from "./backend.js";
export {
  parseQuery,
  matchesQuery,
  compositeEvents,
  equalityConditions,
  txHashCondition,
  eventTypesOf,
  queryToString,
  QuerySyntaxError,
  MAX_QUERY_LENGTH,
  type Query,
  type QueryCondition,
  type QueryArg,
  type QueryOp,
} from "./query.js";
export { txEventMap, txHash } from "./events.js";
