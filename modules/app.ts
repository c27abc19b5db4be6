/**
 * Composition root of the application: builds keepers in dependency order, wires the ante chain and returns
 * the Application. Only node/node.ts and node/cli import this file.
 */
import { BaseApp, type RestoredState, type VoteExtensionHandler } from "../src/app/baseApp.js";
import { SignatureCache } from "../src/app/sigCache.js";
import type { DecCoin } from "../src/math/decimal.js";
import { createAnteHandler, createAuthModule } from "./auth/index.js";
import { createBankModule } from "./bank/index.js";
import { createSubaccountsModule } from "./subaccounts/index.js";
import { createOracleModule, createOracleVoteExtensionHandler, readOracleParams, type ObservationSource } from "./oracle/index.js";

export const APP_VERSION = 1n;
export const APP_SEMVER = "0.1.0";
/** Fees and gas are paid in the staking token. */
export const FEE_DENOM = "uvanna";

export interface VannaAppOptions {
  chainId: string;
  /** Node-local minimum gas prices, e.g. [{denom: "uvanna", amount: parseDec("0.0025")}]. */
  minGasPrices: readonly DecCoin[];
  maxTxBytes?: number;
  maxMsgsPerTx?: number;
  maxBlockGas?: bigint;
  /** Produces and checks vote extensions; defaults to the oracle's (observations from `oracleSource`). */
  voteExtensions?: VoteExtensionHandler;
  /** This validator's price feeder (node/oracle); absent: it precommits with empty extensions. */
  oracleSource?: ObservationSource;
  /** Told when the feeder throws (for the node's log). */
  onOracleError?: (err: unknown) => void;
}

export const DEFAULT_MAX_TX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_MSGS_PER_TX = 1000;
export const DEFAULT_MAX_BLOCK_GAS = 100_000_000n;

export function createVannaApp(opts: VannaAppOptions, restored?: RestoredState): BaseApp {
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  // After bank: its genesis checks the collateral it records against its module account's bank balance.
  const subaccounts = createSubaccountsModule({ accounts: auth.keeper, bank: bank.keeper });
  const ante = createAnteHandler({
    auth: auth.keeper,
    bank: bank.keeper,
    sigCache: new SignatureCache(),
    minGasPrices: () => opts.minGasPrices,
    maxBlockGas: opts.maxBlockGas ?? DEFAULT_MAX_BLOCK_GAS,
    feeDenom: FEE_DENOM,
  });
  // Before every module that reads prices: its BeginBlock records this block's prices first.
  const oracle = createOracleModule();
  // The handler reads the oracle params of the committed state through the app's own query interface.
  let app: BaseApp | undefined;
  const voteExtensions =
    opts.voteExtensions ??
    createOracleVoteExtensionHandler({
      source: opts.oracleSource,
      params: () => readOracleParams(app!),
      ...(opts.onOracleError === undefined ? {} : { onSourceError: opts.onOracleError }),
    });
  app = new BaseApp(
    {
      chainId: opts.chainId,
      modules: [auth.module, bank.module, oracle.module, subaccounts.module],
      ante,
      limits: { maxTxBytes: opts.maxTxBytes ?? DEFAULT_MAX_TX_BYTES, maxMsgsPerTx: opts.maxMsgsPerTx ?? DEFAULT_MAX_MSGS_PER_TX },
      appVersion: APP_VERSION,
      version: APP_SEMVER,
      minGasPrices: opts.minGasPrices,
      voteExtensions,
    },
    restored,
  );
  return app;
}
