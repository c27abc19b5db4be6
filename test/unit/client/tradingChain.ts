/**
 * A real app with the trading modules, the dev accounts funded (the first one is the options authority), an
 * oracle BTC price of 100,000 USD and a smile for the 2026-01-30 expiry, and one block run so that the options
 * module has listed its series. Served over JSON-RPC by AppNode.
 */
import { createVannaApp } from "../../../modules/app.js";
import type { BaseApp } from "../../../src/app/baseApp.js";
import { buildAppState, devFunding } from "../../../node/config/appState.js";
import { GENESIS_TIME_NS, runBlock, TEST_CHAIN_ID, testAppOptions } from "../../support/devChain.js";

export const EXPIRY_UNIX_S = 1_769_760_000n; // 2026-01-30T08:00:00Z, a monthly expiry listed by policy
export const BTC_MICRO_USD = 100_000_000_000n;
export const ATM_CALL = "BTC-20260130-100000-C";

export function tradingApp(addresses: readonly string[]): BaseApp {
  const app = createVannaApp(testAppOptions());
  const fresh = { updated_height: "0", updated_time_ns: GENESIS_TIME_NS.toString(), reporting_power_ppm: 1_000_000 };
  const oracle = {
    prices: [{ underlying: "BTC", price_micro_usd: BTC_MICRO_USD.toString(), ...fresh }],
    smiles: [{ underlying: "BTC", expiry_unix_s: EXPIRY_UNIX_S.toString(), atm_vol_ppm: "600000", skew_ppm: "0", curvature_ppm: "0", ...fresh }],
    history: [{ underlying: "BTC", points: [{ time_ns: GENESIS_TIME_NS.toString(), price_micro_usd: BTC_MICRO_USD.toString(), height: "0" }] }],
  };
  app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState: { ...buildAppState(devFunding(addresses)), oracle }, validators: [] });
  app.commit();
  runBlock(app, []); // lists the series (and cosmjs refuses query answers at height 0)
  return app;
}
