/**
 * The anatomy every module follows: a name, a one-byte state prefix, message and query routes, genesis hooks,
 * block hooks and invariants. The app composes modules; consensus never sees them.
 */
import type { Context } from "./context.js";
import type { KVReader } from "../store/types.js";

/** What a message handler returns: the response message, already encoded, for TxMsgData.msg_responses. */
export interface MsgResponse {
  typeUrl: string;
  value: Uint8Array;
}

export interface MsgRoute<T> {
  /** "/cosmos.bank.v1beta1.MsgSend" */
  readonly typeUrl: string;
  /** Decodes the Any value strictly (canonical encoding); throws ChainError code 2 on bad bytes. */
  decode(bytes: Uint8Array): T;
  /** Bech32 addresses that must have signed the tx. */
  signers(msg: T): string[];
  /** Stateless checks (addresses, amounts); throws ChainError. */
  validateBasic(msg: T): void;
  /** Executes on a branch that is written only if every message of the tx succeeds. */
  handle(ctx: Context, msg: T): MsgResponse;
}

export interface QueryContext {
  readonly chainId: string;
  readonly height: bigint;
  readonly blockTimeNs: bigint;
  readonly store: KVReader;
}

/** A gRPC-over-ABCI query: request proto bytes in, response proto bytes out. */
export interface QueryRoute {
  /** "/cosmos.bank.v1beta1.Query/Balance" */
  readonly path: string;
  handle(ctx: QueryContext, request: Uint8Array): Uint8Array;
}

export interface AppModule {
  readonly name: string;
  /** First byte of every state key this module owns. Unique across modules; never reused. */
  readonly storePrefix: number;
  readonly msgRoutes: ReadonlyArray<MsgRoute<unknown>>;
  readonly queryRoutes: ReadonlyArray<QueryRoute>;
  defaultGenesis(): unknown;
  /** Throws ChainError (or Error) with a clear message on an invalid genesis section. */
  validateGenesis(genesis: unknown): void;
  initGenesis(ctx: Context, genesis: unknown): void;
  exportGenesis(ctx: Context): unknown;
  beginBlock?(ctx: Context): void;
  endBlock?(ctx: Context): void;
  /** Returns a description of each broken invariant (empty when all hold). */
  invariants?(ctx: QueryContext): string[];
}
