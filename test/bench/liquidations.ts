/**
 * Liquidations at scale: the app's keepers composed as modules/app.ts composes them (auth, bank, oracle,
 * options, subaccounts, margin, clob, liquidation) over one in-memory store, genesis from node/config
 * buildAppState(devFunding(...)); N subaccounts (1k, 10k) each short 2 contracts of a 70k put, a fraction of them
 * with tight collateral; two makers rest a deep ask ladder. Then BTC 100k → 70k in one block.
 *   idleBlockMs          margin sweep + liquidation BeginBlock with no shock (the scan of N idle holders): the peer
 *   idleScanUsPerAccount the liquidation scan alone per holder, no shock
 *   shockBlockMs         the first block after the shock, caps raised so that every underwater account is handled
 *   liquidated           accounts liquidated in that block (expected: the tight fraction)
 *   liquidationsPer250ms liquidations completed within a 250 ms execution budget at the measured rate
 *   shockVsIdle          shockBlockMs / idleBlockMs
 * Prices are written to the oracle keeper directly (what the oracle BeginBlock stores from vote extensions).
 */
import { GasMeter, INFINITE_GAS } from "../../src/app/gas.js";
import type { Context } from "../../src/app/context.js";
import { ACCOUNT_PREFIX, toBech32Address } from "../../src/crypto/address.js";
import { memoryStore } from "../../src/store/index.js";
import { buildAppState, devFunding } from "../../node/config/appState.js";
import { createAuthModule } from "../../modules/auth/index.js";
import { createBankModule } from "../../modules/bank/index.js";
import { createOracleModule } from "../../modules/oracle/index.js";
import { createOptionsModule } from "../../modules/options/index.js";
import { createSubaccountsModule, type MarginChecker, type SubaccountId } from "../../modules/subaccounts/index.js";
import { createMarginModule, type MarginKeeper } from "../../modules/margin/index.js";
import { createClobModule } from "../../modules/clob/index.js";
import { createLiquidationModule, runLiquidations } from "../../modules/liquidation/index.js";
import { collectGarbage, median, msSince, nowNs, round } from "./harness.js";

const USD = 1_000_000n;
const GENESIS_NS = 1_767_225_600_000_000_000n;
const EXPIRY_S = GENESIS_NS / 1_000_000_000n + 30n * 86_400n + 8n * 3600n;
const SIZES = (process.env.VANNA_BENCH_LIQ_SIZES ?? "1000,10000").split(",").map(Number);
const TIGHT_EVERY = 5; // one account in 5 has tight collateral: 20% liquidatable after the shock
const PER_OWNER = 1_000; // subaccount numbers per funded owner (each owner holds 1M USDC)

function addr(n: number): Uint8Array {
  const a = new Uint8Array(20);
  a[0] = 9;
  a[18] = n >> 8;
  a[19] = n & 0xff;
  return a;
}

function composeApp(owners: number) {
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  const oracle = createOracleModule();
  let margin: MarginKeeper | undefined;
  const checker: MarginChecker = { initialMarginOf: (s, a, t) => margin!.initialMarginOf(s, a, t), equityOf: (s, a, t) => margin!.equityOf(s, a, t) };
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
  const ctx = (): Context => ({ mode: "deliver", chainId: "bench", height, blockTimeNs: timeNs, header: undefined, store, gasMeter: new GasMeter(INFINITE_GAS), events: [] });
  const appState = buildAppState(devFunding(Array.from({ length: owners }, (_, i) => toBech32Address(ACCOUNT_PREFIX, addr(i + 1))))) as Record<string, unknown>;
  appState.liquidation = { params: { max_liquidations_per_block: 10_000, max_liquidation_orders_per_block: 100_000 } };
  const g = ctx();
  for (const m of modules) m.initGenesis(g, appState[m.name] ?? m.defaultGenesis());
  return {
    store,
    ctx,
    oracle: oracle.keeper,
    options: options.keeper,
    subaccounts: subaccounts.keeper,
    clob: clob.keeper,
    liq: liquidation.keeper,
    marginModule,
    advance() {
      height += 1n;
      timeNs += 1_000_000_000n;
    },
    setSpot(priceMicroUsd: bigint) {
      const at = { updatedHeight: height, updatedTimeNs: timeNs, reportingPowerPpm: 1_000_000 };
      oracle.keeper.setPrice(store, { underlying: "BTC", priceMicroUsd, ...at });
      oracle.keeper.setSmile(store, { underlying: "BTC", expiryUnixS: EXPIRY_S, atmVolPpm: 500_000n, skewPpm: 0n, curvaturePpm: 0n, ...at });
    },
    /** The block's hooks that matter here: margin sweep, then liquidation. */
    block() {
      const c = ctx();
      marginModule.module.beginBlock!(c);
      return runLiquidations(liquidation.keeper, c);
    },
  };
}

async function scenario(n: number): Promise<Record<string, unknown>> {
  const owners = Math.ceil(n / PER_OWNER) + 3;
  const app = composeApp(owners);
  app.setSpot(100_000n * USD);
  const put = app.options.listSeries(app.ctx(), { underlying: "BTC", expiryUnixS: EXPIRY_S, strikeMicroUsd: 70_000n * USD, kind: "put" }, "authority").id;
  const markTicks = () => app.options.mark(app.store, put, app.ctx().blockTimeNs)!.markMicroUsdcPerContract / 10_000n;
  const deposit = (id: SubaccountId, amount: bigint) => app.subaccounts.applyUpdates(app.ctx(), [{ id, collateralDelta: amount, positionDeltas: [] }], { kind: "deposit", counterparty: id.owner });
  const makers = [{ owner: addr(1), number: 0 }, { owner: addr(2), number: 0 }];
  const long = { owner: addr(3), number: 0 };
  for (const m of makers) deposit(m, 900_000n * USD);
  deposit(long, 900_000n * USD);
  // Shorts opened directly as trades (2 contracts each at the mark) against one long.
  const premium = 2n * markTicks() * 10_000n;
  const shorts: SubaccountId[] = [];
  for (let i = 0; i < n; i++) {
    const id = { owner: addr(4 + Math.floor(i / PER_OWNER)), number: i % PER_OWNER };
    deposit(id, i % TIGHT_EVERY === 0 ? 160n * USD : 600n * USD);
    app.subaccounts.applyUpdates(
      app.ctx(),
      [
        { id, collateralDelta: premium, positionDeltas: [{ instrumentId: put, sizeDelta: -2n, costBasisDelta: premium }] },
        { id: long, collateralDelta: -premium, positionDeltas: [{ instrumentId: put, sizeDelta: 2n, costBasisDelta: -premium }] },
      ],
      { kind: "trade" },
    );
    shorts.push(id);
  }
  // A deep ask ladder from just above the current mark to ~40x it: 2 makers × 20 levels.
  const depth = BigInt(Math.ceil((2 * n) / TIGHT_EVERY / 20)) + 10n;
  let p = markTicks() + 1n;
  for (let lvl = 0; lvl < 20; lvl++) {
    for (const m of makers) app.clob.placeOrder(app.ctx(), m, { seriesId: put, side: "sell", type: "limit", priceTicks: p, sizeContracts: depth, timeInForce: "GTC", postOnly: true, reduceOnly: false, clientId: 0n });
    p = (p * 122n) / 100n + 1n;
  }

  // Idle blocks (no shock): the peer.
  const idle: number[] = [];
  const scans: number[] = [];
  let idleLiquidated = 0;
  for (let i = 0; i < 7; i++) {
    app.advance();
    app.setSpot(100_000n * USD);
    collectGarbage();
    const t0 = nowNs();
    const r = app.block();
    idle.push(msSince(t0));
    idleLiquidated += r.liquidated;
    const t1 = nowNs();
    runLiquidations(app.liq, app.ctx());
    scans.push(msSince(t1));
  }

  // The shock.
  app.advance();
  app.setSpot(70_000n * USD);
  collectGarbage();
  const t0 = nowNs();
  const r = app.block();
  const shockMs = msSince(t0);
  let stillUnder = 0;
  for (const id of shorts) {
    const rep = app.marginModule.keeper.report(app.store, id, app.ctx().blockTimeNs);
    if (rep.equityMicroUsdc < app.marginModule.keeper.maintenanceMarginOf(app.store, id, app.ctx().blockTimeNs)) stillUnder++;
  }
  const idleMs = median(idle);
  return {
    accounts: n,
    idleBlockMs: round(idleMs, 2),
    idleScanUsPerAccount: round((median(scans) * 1000) / (n + 3), 2),
    idleLiquidated,
    shockBlockMs: round(shockMs, 2),
    liquidated: r.liquidated,
    ordersPlaced: r.ordersPlaced,
    takenOver: r.takenOver,
    stillUnderMaintenance: stillUnder,
    liquidationsPer250ms: r.liquidated > 0 ? Math.floor((r.liquidated * 250) / shockMs) : 0,
    shockVsIdle: round(shockMs / idleMs, 2),
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const n of SIZES) out[`n${n}`] = await scenario(n);
  return out;
}
