/**
 * The real keepers composed as modules/app.ts composes them (auth, bank, oracle, options, subaccounts, margin,
 * clob, liquidation) over one in-memory store, with genesis from node/config buildAppState(devFunding(...)).
 * Prices are written to the oracle keeper directly (what the oracle BeginBlock would store from vote extensions).
 */
import type { Context } from "../../../src/app/context.js";
import { GasMeter, INFINITE_GAS } from "../../../src/app/gas.js";
import type { QueryContext } from "../../../src/app/module.js";
import { ACCOUNT_PREFIX, toBech32Address } from "../../../src/crypto/address.js";
import { memoryStore } from "../../../src/store/index.js";
import { buildAppState, devFunding } from "../../../node/config/appState.js";
import { createAuthModule } from "../../../modules/auth/index.js";
import { createBankModule } from "../../../modules/bank/index.js";
import { createOracleModule } from "../../../modules/oracle/index.js";
import { createOptionsModule } from "../../../modules/options/index.js";
import { createSubaccountsModule, type MarginChecker, type SubaccountId } from "../../../modules/subaccounts/index.js";
import { createMarginModule, type MarginKeeper } from "../../../modules/margin/index.js";
import { createClobModule } from "../../../modules/clob/index.js";
import { createLiquidationModule } from "../../../modules/liquidation/index.js";

export const GENESIS_NS = 1_767_225_600_000_000_000n;
export const USD = 1_000_000n;
export const EXPIRY_S = GENESIS_NS / 1_000_000_000n + 30n * 86_400n + 8n * 3600n;

export function addr(n: number): Uint8Array {
  const a = new Uint8Array(20);
  a[0] = 9;
  a[19] = n;
  return a;
}
export const bech = (n: number) => toBech32Address(ACCOUNT_PREFIX, addr(n));
export const sub = (n: number, number = 0): SubaccountId => ({ owner: addr(n), number });

export function chain(opts: { liquidationParams?: Record<string, unknown>; accounts?: number } = {}) {
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  const oracle = createOracleModule();
  let margin: MarginKeeper | undefined;
  const checker: MarginChecker = {
    initialMarginOf: (s, a, t) => margin!.initialMarginOf(s, a, t),
    equityOf: (s, a, t) => margin!.equityOf(s, a, t),
  };
  const subaccounts = createSubaccountsModule({ accounts: auth.keeper, bank: bank.keeper, margin: checker });
  const options = createOptionsModule({ oracle: oracle.keeper, subaccounts: subaccounts.keeper });
  const marginModule = createMarginModule({ options: options.keeper, oracle: oracle.keeper, clob: () => clob.keeper, subaccounts: subaccounts.keeper });
  margin = marginModule.keeper;
  const clob = createClobModule({ accounts: auth.keeper, options: options.keeper, subaccounts: subaccounts.keeper, margin: marginModule.keeper });
  options.keeper.setHooks(clob.keeper);
  const liquidation = createLiquidationModule({ accounts: auth.keeper, bank: bank.keeper, subaccounts: subaccounts.keeper, margin: marginModule.keeper, options: options.keeper, clob: clob.keeper });
  const modules = [auth.module, bank.module, oracle.module, options.module, subaccounts.module, clob.module, marginModule.module, liquidation.module];

  const store = memoryStore();
  let height = 1n;
  let timeNs = GENESIS_NS;
  const ctx = (): Context => ({ mode: "deliver", chainId: "test", height, blockTimeNs: timeNs, header: undefined, store, gasMeter: new GasMeter(INFINITE_GAS), events: [] });
  const query = (): QueryContext => ({ chainId: "test", height, blockTimeNs: timeNs, store });
  const n = opts.accounts ?? 8;
  const appState = buildAppState(devFunding(Array.from({ length: n }, (_, i) => bech(i + 1)))) as Record<string, unknown>;
  appState.liquidation = { params: { authority: bech(1), ...(opts.liquidationParams ?? {}) } };
  const g = ctx();
  for (const m of modules) m.initGenesis(g, appState[m.name] ?? m.defaultGenesis());

  const f = {
    store,
    ctx,
    query,
    bank: bank.keeper,
    oracle: oracle.keeper,
    options: options.keeper,
    subaccounts: subaccounts.keeper,
    margin: marginModule.keeper,
    clob: clob.keeper,
    liq: liquidation.keeper,
    liqModule: liquidation.module,
    modules,
    get height() {
      return height;
    },
    get timeNs() {
      return timeNs;
    },
    /** Advances the block (height +1, time + dtS) without running any hook. */
    advance(dtS = 1n) {
      height += 1n;
      timeNs += dtS * 1_000_000_000n;
    },
    setSpot(underlying: string, priceMicroUsd: bigint, volPpm = 500_000n, updatedNs = timeNs) {
      oracle.keeper.setPrice(store, { underlying, priceMicroUsd, updatedHeight: height, updatedTimeNs: updatedNs, reportingPowerPpm: 1_000_000 });
      oracle.keeper.setSmile(store, { underlying, expiryUnixS: EXPIRY_S, atmVolPpm: volPpm, skewPpm: 0n, curvaturePpm: 0n, updatedHeight: height, updatedTimeNs: updatedNs, reportingPowerPpm: 1_000_000 });
    },
    list(strikeUsd: bigint, kind: "call" | "put", underlying = "BTC") {
      return options.keeper.listSeries(ctx(), { underlying, expiryUnixS: EXPIRY_S, strikeMicroUsd: strikeUsd * USD, kind }, "authority").id;
    },
    deposit(id: SubaccountId, amount: bigint) {
      subaccounts.keeper.applyUpdates(ctx(), [{ id, collateralDelta: amount, positionDeltas: [] }], { kind: "deposit", counterparty: id.owner });
    },
    markTicks(seriesId: bigint): bigint {
      const m = options.keeper.mark(store, seriesId, timeNs)!;
      return m.markMicroUsdcPerContract / 10_000n;
    },
    order(id: SubaccountId, seriesId: bigint, side: "buy" | "sell", priceTicks: bigint, size: bigint) {
      return clob.keeper.placeOrder(ctx(), id, { seriesId, side, type: "limit", priceTicks, sizeContracts: size, timeInForce: "GTC", postOnly: false, reduceOnly: false, clientId: 0n });
    },
    /** Opens `size` contracts between a long and a short at `priceTicks` through the book. */
    trade(long: SubaccountId, short: SubaccountId, seriesId: bigint, priceTicks: bigint, size: bigint) {
      f.order(short, seriesId, "sell", priceTicks, size);
      f.order(long, seriesId, "buy", priceTicks, size);
    },
    /** Runs the margin sweep then the liquidation BeginBlock (as the app does after oracle/options/clob). */
    liquidate() {
      const c = ctx();
      marginModule.module.beginBlock!(c);
      const { runLiquidations } = liquidationEngine;
      return { result: runLiquidations(liquidation.keeper, c), events: c.events };
    },
    equity: (id: SubaccountId) => marginModule.keeper.report(store, id, timeNs).equityMicroUsdc,
    mm: (id: SubaccountId) => marginModule.keeper.maintenanceMarginOf(store, id, timeNs),
    size: (id: SubaccountId, seriesId: bigint) => subaccounts.keeper.position(store, id, seriesId)?.sizeContracts ?? 0n,
    /** Σ uusdc over every bank balance holder that matters: funded accounts, subaccounts module, fund, fee pool. */
    invariants(): string[] {
      const q = query();
      return modules.flatMap((m) => m.invariants?.(q) ?? []).filter((s) => !s.startsWith("margin"));
    },
    supply: () => bank.keeper.getSupply(store, "uusdc"),
  };
  return f;
}

import * as liquidationEngine from "../../../modules/liquidation/index.js";
export type Chain = ReturnType<typeof chain>;
