/**
 * The CometBFT 0.38 RPC method table: parameter specs, validation (heights, pages) and the calls into the
 * backend. Shapes come from json.ts; transport concerns live in http.ts / websocket.ts.
 */
import { BackendError, type RpcBackend, type RpcSyncInfo, type TxOrder } from "./backend.js";
import { broadcastTxAsync, broadcastTxCommit, broadcastTxSync } from "./broadcast.js";
import { decString } from "./encoding.js";
import {
  abciInfoJson,
  abciQueryJson,
  blockMetaJson,
  blockResponseJson,
  blockResultsJson,
  commitResponseJson,
  emptyBlockIdJson,
  hashHex,
  netInfoJson,
  statusJson,
  txResponseJson,
  validatorJson,
  type Json,
  type JsonObject,
} from "./json.js";
import type { CallContext, MethodDef } from "./jsonrpc.js";
import { ParamError, type ParamSpec, type Params } from "./params.js";
import { parseQuery } from "./query.js";
import type { EventHub, EventSink } from "./subscriptions.js";

export interface MethodOptions {
  broadcastTxCommitTimeoutMs: number;
  maxQueryLength: number;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
/** CometBFT's `blockchain` returns at most 20 metas. */
const MAX_BLOCKCHAIN_METAS = 20n;

/** CometBFT's validatePerPage: absent or < 1 → 30, capped at 100. */
function perPageOf(p: Params): number {
  const v = p.smallInt("per_page");
  if (v === undefined || v < 1) return DEFAULT_PER_PAGE;
  return Math.min(v, MAX_PER_PAGE);
}

/** CometBFT's validatePage against the real total; page 1 is always valid. */
function checkPage(page: number, perPage: number, total: number): void {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page < 1 || page > pages) throw new BackendError("invalidArgument", `page should be within [1, ${pages}] range, given ${page}`);
}

/** CometBFT's getHeight: absent → latest; otherwise 1 ≤ h, base ≤ h ≤ latest. */
function resolveHeight(sync: RpcSyncInfo, requested: bigint | undefined): bigint {
  const latest = sync.latestBlockHeight;
  if (requested === undefined) {
    if (latest === 0n) throw new BackendError("heightUnavailable", "no block has been committed yet");
    return latest;
  }
  if (requested <= 0n) throw new ParamError(`height must be greater than 0, but got ${requested}`);
  if (requested > latest) {
    throw new BackendError("heightUnavailable", `height ${requested} must be less than or equal to the current blockchain height ${latest}`);
  }
  if (requested < sync.earliestBlockHeight) {
    throw new BackendError("heightUnavailable", `height ${requested} is not available, lowest height is ${sync.earliestBlockHeight}`);
  }
  return requested;
}

function required<T>(name: string, value: T | undefined): T {
  if (value === undefined) throw new ParamError(`${name}: required`);
  return value;
}

function found<T>(value: T | undefined, height: bigint): T {
  if (value === undefined) throw new BackendError("heightUnavailable", `height ${height} is not available`);
  return value;
}

function orderOf(p: Params): TxOrder {
  const v = p.string("order_by") ?? "";
  if (v === "" || v === "asc") return "asc";
  if (v === "desc") return "desc";
  throw new ParamError("order_by: expected either `asc` or `desc` or empty");
}

function sinkOf(ctx: CallContext): EventSink {
  if (!ctx.session) throw new ParamError("only available over websocket");
  return ctx.session as EventSink;
}

const HEIGHT: ParamSpec = [["height", "int"]];

export function buildMethods(backend: RpcBackend, hub: EventHub, opts: MethodOptions): Map<string, MethodDef> {
  const m = new Map<string, MethodDef>();
  const def = (name: string, params: ParamSpec, call: MethodDef["call"], wsOnly = false): void => {
    m.set(name, { params, call, wsOnly });
  };
  const atHeight = async (p: Params): Promise<bigint> => resolveHeight(await backend.syncInfo(), p.int("height"));

  def("health", [], () => ({}));
  def("status", [], async () => {
    const [node, sync, self] = await Promise.all([backend.nodeInfo(), backend.syncInfo(), backend.validatorInfo()]);
    return statusJson(node, sync, self);
  });
  def("net_info", [], async () => {
    const [net, node] = await Promise.all([backend.netInfo(), backend.nodeInfo()]);
    return netInfoJson(net, node.chainId);
  });
  def("genesis", [], async () => ({ genesis: (await backend.genesis()) as Json }));
  def("consensus_state", [], async () => {
    if (backend.consensusState === undefined) throw new BackendError("unavailable", "consensus state is not available on this node");
    return { round_state: (await backend.consensusState()).summary as Json };
  });
  def("dump_consensus_state", [], async () => {
    if (backend.consensusState === undefined) throw new BackendError("unavailable", "consensus state is not available on this node");
    const [state, net] = await Promise.all([backend.consensusState(), backend.netInfo()]);
    return { round_state: state.dump as Json, peers: net.peers.map((p) => ({ node_address: `${hashHex(p.nodeId)}@${p.remoteIp}`, peer_state: {} })) };
  });
  const unsafe = backend.unsafe;
  if (unsafe !== undefined) {
    def("unsafe_isolate_peers", [["peers", "string"]], async (p) => {
      const peers = p.string("peers") ?? "all";
      await unsafe.isolatePeers(peers === "all" ? "all" : peers.split(",").filter((x) => x !== ""));
      return {};
    });
    def("unsafe_heal_peers", [], async () => {
      await unsafe.healPeers();
      return {};
    });
  }
  def("abci_info", [], async () => abciInfoJson(await backend.abciInfo()));
  def(
    "abci_query",
    [["path", "string"], ["data", "bytesHex"], ["height", "int"], ["prove", "bool"]],
    async (p) => {
      const height = p.int("height") ?? 0n;
      // A future height can only be answered with today's state under the wrong label; refuse it here.
      if (height > 0n) resolveHeight(await backend.syncInfo(), height);
      const req = { path: p.string("path") ?? "", data: p.bytes("data") ?? new Uint8Array(), height, prove: p.bool("prove") ?? false };
      return abciQueryJson(await backend.abciQuery(req));
    },
  );

  const TX: ParamSpec = [["tx", "bytesB64"]];
  def("broadcast_tx_sync", TX, (p) => broadcastTxSync(backend, required("tx", p.bytes("tx"))));
  def("broadcast_tx_async", TX, (p) => broadcastTxAsync(backend, required("tx", p.bytes("tx"))));
  def("broadcast_tx_commit", TX, (p) =>
    broadcastTxCommit(backend, hub, required("tx", p.bytes("tx")), opts.broadcastTxCommitTimeoutMs),
  );

  def("tx", [["hash", "bytesB64"], ["prove", "bool"]], async (p) => {
    const hash = required("hash", p.bytes("hash"));
    const t = await backend.tx(hash);
    if (!t) throw new BackendError("notFound", `tx (${hashHex(hash)}) not found`);
    return txResponseJson(t);
  });
  def(
    "tx_search",
    [["query", "string"], ["prove", "bool"], ["page", "int"], ["per_page", "int"], ["order_by", "string"]],
    async (p) => {
      const query = parseQuery(required("query", p.string("query")), opts.maxQueryLength);
      const perPage = perPageOf(p);
      const page = p.smallInt("page") ?? 1;
      if (page < 1) throw new ParamError(`page should be within [1, ...] range, given ${page}`);
      const res = await backend.txSearch({ query, page, perPage, orderBy: orderOf(p) });
      checkPage(page, perPage, res.totalCount);
      return { txs: res.txs.map(txResponseJson), total_count: decString(res.totalCount) };
    },
  );

  def("block", HEIGHT, async (p) => {
    const h = await atHeight(p);
    return blockResponseJson(found(await backend.block(h), h));
  });
  def("block_by_hash", [["hash", "bytesB64"]], async (p) => {
    const b = await backend.blockByHash(required("hash", p.bytes("hash")));
    return b ? blockResponseJson(b) : { block_id: emptyBlockIdJson(), block: null };
  });
  def("block_results", HEIGHT, async (p) => {
    const h = await atHeight(p);
    return blockResultsJson(found(await backend.blockResults(h), h));
  });
  def("commit", HEIGHT, async (p) => {
    const h = await atHeight(p);
    return commitResponseJson(found(await backend.commit(h), h));
  });
  def("blockchain", [["minHeight", "int"], ["maxHeight", "int"]], async (p) => {
    const sync = await backend.syncInfo();
    const latest = sync.latestBlockHeight;
    if (latest === 0n) return { last_height: "0", block_metas: [] };
    // CometBFT's filterMinMax: 0 means "default"; clamp to [base, latest] and to the last 20 heights.
    const minIn = p.int("minHeight") ?? 0n;
    const maxIn = p.int("maxHeight") ?? 0n;
    const max = maxIn === 0n || maxIn > latest ? latest : maxIn;
    let min = minIn === 0n ? 1n : minIn;
    if (min < sync.earliestBlockHeight) min = sync.earliestBlockHeight;
    if (min < max - MAX_BLOCKCHAIN_METAS + 1n) min = max - MAX_BLOCKCHAIN_METAS + 1n;
    if (min > max) throw new BackendError("invalidArgument", `min height ${min} can't be greater than max height ${max}`);
    const metas: JsonObject[] = [];
    for (let h = max; h >= min; h--) {
      const meta = await backend.blockMeta(h);
      if (meta) metas.push(blockMetaJson(meta));
    }
    return { last_height: decString(latest), block_metas: metas };
  });
  def("validators", [["height", "int"], ["page", "int"], ["per_page", "int"]], async (p) => {
    const h = await atHeight(p);
    const set = found(await backend.validators(h), h);
    const perPage = perPageOf(p);
    const page = p.smallInt("page") ?? 1;
    checkPage(page, perPage, set.validators.length);
    const slice = set.validators.slice((page - 1) * perPage, page * perPage);
    return {
      block_height: decString(set.height),
      validators: slice.map(validatorJson),
      count: decString(slice.length),
      total: decString(set.validators.length),
    };
  });

  def("num_unconfirmed_txs", [], async () => {
    const u = await backend.unconfirmedTxs(0);
    return { n_txs: decString(u.total), total: decString(u.total), total_bytes: decString(u.totalBytes), txs: null };
  });
  def("unconfirmed_txs", [["limit", "int"]], async (p) => {
    const limit = Math.min(Math.max(p.smallInt("limit") ?? DEFAULT_PER_PAGE, 1), MAX_PER_PAGE);
    const u = await backend.unconfirmedTxs(limit);
    const txs = u.txs.slice(0, limit);
    return {
      n_txs: decString(txs.length),
      total: decString(u.total),
      total_bytes: decString(u.totalBytes),
      txs: txs.map((t) => Buffer.from(t).toString("base64")),
    };
  });

  const QUERY: ParamSpec = [["query", "string"]];
  def(
    "subscribe",
    QUERY,
    (p, ctx) => {
      const activate = hub.subscribe(sinkOf(ctx), required("query", p.string("query")), ctx.id);
      ctx.afterResponse(activate);
      return {};
    },
    true,
  );
  def(
    "unsubscribe",
    QUERY,
    (p, ctx) => {
      hub.unsubscribe(sinkOf(ctx), required("query", p.string("query")));
      return {};
    },
    true,
  );
  def(
    "unsubscribe_all",
    [],
    (_p, ctx) => {
      hub.unsubscribeAll(sinkOf(ctx));
      return {};
    },
    true,
  );
  return m;
}
