/**
 * Composition root of the application: builds keepers in dependency order, wires the ante chain and returns
 * the Application. Only node/node.ts and node/cli import this file.
 */
import { BaseApp, type RestoredState, type VoteExtensionHandler } from "../src/app/baseApp.js";
import { SignatureCache } from "../src/app/sigCache.js";
import type { DecCoin } from "../src/math/decimal.js";
import { createAnteHandler, createAuthModule } from "./auth/index.js";
import { createBankModule } from "./bank/index.js";
import { createSubaccountsModule, type MarginChecker } from "./subaccounts/index.js";
import { createOracleModule, createOracleVoteExtensionHandler, readOracleParams, type ObservationSource } from "./oracle/index.js";
import { createOptionsModule, OptionsCodec, OPTIONS_QUERY_SERVICE } from "./options/index.js";
import { createClobModule, tradingClass } from "./clob/index.js";
import { createMarginModule, type MarginKeeper } from "./margin/index.js";
import { createLiquidationModule } from "./liquidation/index.js";
import type { Application } from "../src/app/application.js";

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
  /** Told why this node rejected a proposal (for the node's log). */
  onProposalRejected?: (reason: string) => void;
}

export const DEFAULT_MAX_TX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_MSGS_PER_TX = 1000;
export const DEFAULT_MAX_BLOCK_GAS = 100_000_000n;

export function createVannaApp(opts: VannaAppOptions, restored?: RestoredState): BaseApp {
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  // Before every module that reads prices: its BeginBlock records this block's prices first.
  const oracle = createOracleModule();
  // Margin, subaccounts and clob need each other (subaccounts checks margin, margin reads clob's open orders,
  // clob asks margin before accepting an order): the cycle is closed with late-bound references.
  let margin: MarginKeeper | undefined;
  const marginChecker: MarginChecker = {
    initialMarginOf: (store, subaccount, nowNs) => margin!.initialMarginOf(store, subaccount, nowNs),
    equityOf: (store, subaccount, nowNs) => margin!.equityOf(store, subaccount, nowNs),
  };
  // After bank: its genesis checks the collateral it records against its module account's bank balance.
  const subaccounts = createSubaccountsModule({
    accounts: auth.keeper,
    bank: bank.keeper,
    margin: marginChecker,
    // Only the insurance fund's subaccount may carry bad debt nobody could absorb (see modules/liquidation).
    mayCarryDebt: (id) => liquidation.keeper.isFundSubaccount(id),
  });
  // After the oracle (prices first), before clob and margin: its BeginBlock stores the block time, settles
  // expired series and lists new ones.
  const options = createOptionsModule({ oracle: oracle.keeper, subaccounts: subaccounts.keeper });
  const marginModule = createMarginModule({ options: options.keeper, oracle: oracle.keeper, clob: () => clob.keeper, subaccounts: subaccounts.keeper });
  margin = marginModule.keeper;
  const clob = createClobModule({ accounts: auth.keeper, options: options.keeper, subaccounts: subaccounts.keeper, margin: marginModule.keeper });
  // Expiry and delisting cancel the series' resting orders first.
  options.keeper.setHooks(clob.keeper);
  // After margin and clob: it reads margin's evaluation and sends liquidation orders to the books.
  const liquidation = createLiquidationModule({
    accounts: auth.keeper,
    bank: bank.keeper,
    subaccounts: subaccounts.keeper,
    margin: marginModule.keeper,
    options: options.keeper,
    clob: clob.keeper,
  });
  const ante = createAnteHandler({
    auth: auth.keeper,
    bank: bank.keeper,
    sigCache: new SignatureCache(),
    minGasPrices: () => opts.minGasPrices,
    maxBlockGas: opts.maxBlockGas ?? DEFAULT_MAX_BLOCK_GAS,
    feeDenom: FEE_DENOM,
  });
  // The handler reads the oracle params and the listed expiries of the committed state through the app's own
  // query interface.
  let app: BaseApp | undefined;
  const voteExtensions =
    opts.voteExtensions ??
    createOracleVoteExtensionHandler({
      source: opts.oracleSource,
      params: () => readOracleParams(app!),
      expiries: () => readLiveExpiries(app!, readOracleParams(app!).underlyings),
      ...(opts.onOracleError === undefined ? {} : { onSourceError: opts.onOracleError }),
    });
  app = new BaseApp(
    {
      chainId: opts.chainId,
      // Block hooks run in this order: oracle → options → subaccounts → clob (expiries) → margin (sweep) →
      // liquidation (claims, then under-maintenance subaccounts).
      modules: [auth.module, bank.module, oracle.module, options.module, subaccounts.module, clob.module, marginModule.module, liquidation.module],
      ante,
      limits: { maxTxBytes: opts.maxTxBytes ?? DEFAULT_MAX_TX_BYTES, maxMsgsPerTx: opts.maxMsgsPerTx ?? DEFAULT_MAX_MSGS_PER_TX },
      appVersion: APP_VERSION,
      version: APP_SEMVER,
      minGasPrices: opts.minGasPrices,
      voteExtensions,
      txClassifier: tradingClass,
      ...(opts.onProposalRejected === undefined ? {} : { onProposalRejected: opts.onProposalRejected }),
    },
    restored,
  );
  return app;
}

/** The expiries listed per underlying in the committed state (what the validators' feeders report smiles for). */
export function readLiveExpiries(app: Pick<Application, "query">, underlyings: readonly string[]): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  for (const underlying of underlyings) {
    const res = app.query({
      path: `${OPTIONS_QUERY_SERVICE}/LiveExpiries`,
      data: OptionsCodec.QueryLiveExpiriesRequest.encode({ underlying }),
      height: 0n,
      prove: false,
    });
    if (res.code === 0) out.set(underlying, OptionsCodec.QueryLiveExpiriesResponse.decode(res.value).expiriesUnixS);
  }
  return out;
}
