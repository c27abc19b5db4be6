/**
 * Connecting the client commands to a node, and turning network and JSON-RPC failures into one readable line.
 *
 * For http(s) endpoints this does what cosmjs's connectComet does (ask `status`, pick the client by
 * node_info.version) but over an HttpClient with a request timeout, so that a wedged node cannot hang the CLI.
 * WebSocket endpoints go through connectComet itself.
 */
import { BroadcastTxError, StargateClient } from "@cosmjs/stargate";
import { Comet1Client, Comet38Client, connectComet, HttpClient, Tendermint37Client, type CometClient } from "@cosmjs/tendermint-rpc";
import { CliError, UsageError, type CommandContext } from "./command.js";

export const REQUEST_TIMEOUT_MS = 30_000;

/** The --node flag as a URL cosmjs accepts; CometBFT-style tcp:// means http://. */
export function nodeUrl(ctx: CommandContext): string {
  return normalizeNodeUrl(ctx.opts.requireString("node"));
}

export function normalizeNodeUrl(text: string): string {
  const rewritten = text.startsWith("tcp://") ? `http://${text.slice("tcp://".length)}` : text;
  let url: URL;
  try {
    url = new URL(rewritten);
  } catch {
    throw new UsageError(`invalid --node "${text}": expected a URL such as http://127.0.0.1:26657`);
  }
  if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol) || url.hostname === "") {
    throw new UsageError(`invalid --node "${text}": expected http://, https://, ws://, wss:// or tcp://HOST:PORT`);
  }
  // Keep a path (https://host/rpc) but drop the lone "/" that URL adds, as cosmjs posts to the URL as given.
  return url.pathname === "/" && !rewritten.endsWith("/") ? url.origin : url.href;
}

export async function connectCometClient(url: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<CometClient> {
  if (url.startsWith("ws:") || url.startsWith("wss:")) return connectComet(url);
  const rpc = new HttpClient(url, timeoutMs);
  const version = (await Tendermint37Client.create(rpc).status()).nodeInfo.version;
  if (version.startsWith("0.38.")) return Comet38Client.create(rpc);
  if (version.startsWith("1.")) return Comet1Client.create(rpc);
  return Tendermint37Client.create(rpc);
}

/**
 * Runs `fn` with a connected comet client and query client, always disconnecting, and converts failures that
 * come from the network or the node into a CliError naming the node.
 */
export async function withNode<T>(url: string, fn: (comet: CometClient, query: StargateClient) => Promise<T>): Promise<T> {
  let comet: CometClient | undefined;
  try {
    comet = await connectCometClient(url);
    return await fn(comet, StargateClient.create(comet));
  } catch (err) {
    throw explainNodeError(err, url);
  } finally {
    comet?.disconnect();
  }
}

/** A CliError for failures of the node or the network; other errors are returned unchanged. */
export function explainNodeError(err: unknown, url: string): unknown {
  if (!(err instanceof Error) || err instanceof CliError || err instanceof UsageError) return err;
  if (err instanceof BroadcastTxError) {
    const where = err.codespace === "" ? `code ${err.code}` : `code ${err.code}, codespace ${err.codespace}`;
    return new CliError(`tx rejected by the node (${where}): ${err.log ?? "no log"}`);
  }
  const cause = (err as { cause?: unknown }).cause;
  if (err.message === "fetch failed" || (err.name === "TypeError" && /fetch/.test(err.message))) {
    return new CliError(`cannot reach node at ${url}: ${causeText(cause)}`);
  }
  if (err.name === "TimeoutError" || err.name === "AbortError") {
    return new CliError(`node at ${url} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
  }
  if (/^Bad status on response: \d+/.test(err.message)) {
    return new CliError(`node at ${url} answered HTTP ${err.message.replace(/\D+/, "")}; is --node an RPC endpoint?`);
  }
  const rpcError = parseJsonRpcError(err.message);
  if (rpcError !== undefined) return new CliError(`node error: ${rpcError}`);
  const queryFailure = /^Query failed with \((\d+)\): ([\s\S]*)$/.exec(err.message);
  if (queryFailure !== null) return new CliError(`query failed (code ${queryFailure[1]}): ${queryFailure[2]}`);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|socket hang up/.test(err.message)) {
    return new CliError(`cannot reach node at ${url}: ${err.message}`);
  }
  return err;
}

function causeText(cause: unknown): string {
  if (typeof cause !== "object" || cause === null) return "connection failed";
  const { code, message } = cause as { code?: unknown; message?: unknown };
  if (code === "ECONNREFUSED") return "connection refused (is the node running?)";
  if (code === "ENOTFOUND") return "host not found";
  if (typeof code === "string") return code;
  return typeof message === "string" && message !== "" ? message : "connection failed";
}

/** cosmjs throws JSON-RPC errors as Error(JSON.stringify(error)). */
function parseJsonRpcError(message: string): string | undefined {
  if (!message.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(message) as { code?: unknown; message?: unknown; data?: unknown };
    if (typeof parsed.code !== "number" || typeof parsed.message !== "string") return undefined;
    const data = typeof parsed.data === "string" && parsed.data !== "" ? `: ${parsed.data}` : "";
    return `${parsed.message}${data} (JSON-RPC ${parsed.code})`;
  } catch {
    return undefined;
  }
}
