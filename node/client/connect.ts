/**
 * One call to talk to a Vanna node: a QueryClient with the Vanna queries (and cosmjs's auth/bank/tx ones), and,
 * given a signer, a SigningStargateClient that knows every Vanna Msg and pays fees at a default gas price, so
 * `signing.signAndBroadcast(address, [msgs.placeOrder(...)], "auto")` works as is.
 * Sign with a direct signer (DirectSecp256k1HdWallet, Keplr's getOfflineSigner): the Vanna Msgs have no Amino form.
 */
import type { OfflineSigner } from "@cosmjs/proto-signing";
import {
  GasPrice,
  QueryClient,
  SigningStargateClient,
  setupAuthExtension,
  setupBankExtension,
  setupTxExtension,
  type AuthExtension,
  type BankExtension,
  type TxExtension,
} from "@cosmjs/stargate";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { createVannaRegistry } from "./registry.js";
import { setupVannaExtension, type VannaExtension } from "./queries.js";

/** Fees and gas are paid in uvanna (modules/app.ts FEE_DENOM); the price is the CLI's default (node/cli). */
export const FEE_DENOM = "uvanna";
export const DEFAULT_GAS_PRICE = "0.0025uvanna";
const DEFAULT_POLL_INTERVAL_MS = 500;

export type VannaQueryClient = QueryClient & AuthExtension & BankExtension & TxExtension & VannaExtension;

export interface ConnectVannaOptions {
  /** e.g. "0.01uvanna"; default DEFAULT_GAS_PRICE. Used by "auto" fees. */
  gasPrice?: string;
  /** Given: use this comet client instead of connecting to rpcUrl (it is not disconnected by disconnect()). */
  cometClient?: CometClient;
  /** How often signAndBroadcast polls for inclusion; default 500 ms (blocks are about a second apart). */
  broadcastPollIntervalMs?: number;
  /** How long signAndBroadcast waits for inclusion; default cosmjs's (60 s). */
  broadcastTimeoutMs?: number;
}

export interface VannaConnection {
  query: VannaQueryClient;
  /** Present when a signer was given. */
  signing?: SigningStargateClient;
  comet: CometClient;
  disconnect(): void;
}

export function vannaQueryClient(comet: CometClient): VannaQueryClient {
  return QueryClient.withExtensions(comet, setupAuthExtension, setupBankExtension, setupTxExtension, setupVannaExtension);
}

export async function connectVanna(rpcUrl: string, signer?: OfflineSigner, options: ConnectVannaOptions = {}): Promise<VannaConnection> {
  const gasPrice = GasPrice.fromString(options.gasPrice ?? DEFAULT_GAS_PRICE);
  const owned = options.cometClient === undefined;
  const comet = options.cometClient ?? (await connectComet(rpcUrl));
  const query = vannaQueryClient(comet);
  const signing =
    signer === undefined
      ? undefined
      : SigningStargateClient.createWithSigner(comet, signer, {
          registry: createVannaRegistry(),
          gasPrice,
          broadcastPollIntervalMs: options.broadcastPollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
          ...(options.broadcastTimeoutMs === undefined ? {} : { broadcastTimeoutMs: options.broadcastTimeoutMs }),
        });
  return {
    query,
    ...(signing === undefined ? {} : { signing }),
    comet,
    disconnect: () => {
      if (owned) comet.disconnect();
    },
  };
}
