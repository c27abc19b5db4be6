/** The oracle inside a real BaseApp: genesis, vote extensions through finalizeBlock, queries, export. */
import { describe, expect, it } from "vitest";
import { header as testHeader } from "../../support/devChain.js";
import { BaseApp } from "../../../src/app/baseApp.js";
import type { CommitVote } from "../../../src/app/application.js";
import type { Header } from "../../../src/types/block.js";
import {
  createOracleModule,
  createOracleVoteExtensionHandler,
  readOracleParams,
  ORACLE_QUERY_SERVICE,
  OracleQueryParamsResponseCodec,
  QueryPriceRequestCodec,
  QueryPriceResponseCodec,
  QueryPricesResponseCodec,
  QuerySmileRequestCodec,
  QuerySmileResponseCodec,
  QuerySmilesRequestCodec,
  QuerySmilesResponseCodec,
  QueryTwapRequestCodec,
  QueryTwapResponseCodec,
  type Observation,
  type ObservationSource,
} from "../../../modules/oracle/index.js";
import { address, EXPIRY, observation, SEC, smileObs, T0 } from "./helpers.js";

const CHAIN = "vanna-oracle-test";

const header = (height: bigint, timeNs: bigint): Header => testHeader(height, timeNs, CHAIN);

/** A BaseApp with just the oracle module, its vote extensions fed by `source` (this node's feeder). */
function newApp(appState: Record<string, unknown> = {}, source?: ObservationSource) {
  const oracle = createOracleModule();
  let app: BaseApp | undefined;
  const voteExtensions = createOracleVoteExtensionHandler({ source, params: () => readOracleParams(app!) });
  app = new BaseApp({
    chainId: CHAIN,
    modules: [oracle.module],
    ante: () => undefined,
    limits: { maxTxBytes: 1 << 20, maxMsgsPerTx: 10 },
    appVersion: 1n,
    version: "test",
    minGasPrices: [],
    voteExtensions,
  });
  app.initChain({ chainId: CHAIN, genesisTimeNs: T0, initialHeight: 1n, appState, validators: [] });
  app.commit();
  return { app, keeper: oracle.keeper };
}

function query<Res>(app: BaseApp, method: string, data: Uint8Array, codec: { decode(b: Uint8Array): Res }): Res {
  const res = app.query({ path: `${ORACLE_QUERY_SERVICE}/${method}`, data, height: 0n, prove: false });
  if (res.code !== 0) throw new Error(`${method}: ${res.code} ${res.log}`);
  return codec.decode(res.value);
}

const fixed = (obs: Observation): ObservationSource => ({ name: "fixed", observe: () => obs });
const POWERS = [10n, 20n, 30n, 40n];

/** Each validator's own node produces its extension with its own feeder (as in consensus). */
function extensions(app: BaseApp, observations: Observation[], height: bigint): CommitVote[] {
  return observations.map((obs, i) => {
    const handler = createOracleVoteExtensionHandler({ source: fixed(obs), params: () => readOracleParams(app) });
    const extension = handler.extend({ height, round: 0, blockHash: new Uint8Array(32) });
    expect(app.verifyVoteExtension({ height, validatorAddress: address(i), extension })).toBe(true);
    return { validatorAddress: address(i), votingPower: POWERS[i]!, signed: true, extension };
  });
}

function runBlock(app: BaseApp, timeNs: bigint, votes: CommitVote[]) {
  const height = app.info().lastBlockHeight + 1n;
  const result = app.finalizeBlock({ header: header(height, timeNs), txs: [], lastCommitVotes: votes });
  app.commit();
  return result;
}

const priceOf = (app: BaseApp, underlying: string) => query(app, "Price", QueryPriceRequestCodec.encode({ underlying }), QueryPriceResponseCodec);

describe("oracle in a BaseApp", () => {
  it("turns 4 validators' extensions into the stake-weighted median price", () => {
    const { app } = newApp();
    expect(app.query({ path: `${ORACLE_QUERY_SERVICE}/Price`, data: QueryPriceRequestCodec.encode({ underlying: "BTC" }), height: 0n, prove: false }).code).toBe(22);
    runBlock(app, T0 + SEC, []); // the first block carries no last commit
    const obs = [
      observation({ BTC: 60_100_000_000n, ETH: 3_010_000_000n }, [smileObs("BTC", 560_000n, -90_000n, 210_000n)]),
      observation({ BTC: 59_900_000_000n, ETH: 2_990_000_000n }, [smileObs("BTC", 540_000n, -110_000n, 190_000n)]),
      observation({ BTC: 60_000_000_000n, ETH: 3_000_000_000n }, [smileObs("BTC", 550_000n, -100_000n, 200_000n)]),
      observation({ BTC: 60_050_000_000n, ETH: 3_005_000_000n }, [smileObs("BTC", 555_000n, -95_000n, 205_000n)]),
    ];
    const result = runBlock(app, T0 + 2n * SEC, extensions(app, obs, 1n));
    // BTC sorted: 59.9k (20), 60.0k (30) → cumulative 50 ≥ 100/2 → 60,000.
    const btc = priceOf(app, "BTC");
    expect(btc.price).toEqual({ underlying: "BTC", priceMicroUsd: 60_000_000_000n, updatedHeight: 2n, updatedTimeNs: T0 + 2n * SEC, reportingPowerPpm: 1_000_000 });
    expect(btc.stale).toBe(false);
    expect(priceOf(app, "ETH").price!.priceMicroUsd).toBe(3_000_000_000n);
    const smile = query(app, "Smile", QuerySmileRequestCodec.encode({ underlying: "BTC", expiryUnixS: EXPIRY }), QuerySmileResponseCodec);
    expect(smile.smile).toMatchObject({ atmVolPpm: 550_000n, skewPpm: -100_000n, curvaturePpm: 200_000n, reportingPowerPpm: 1_000_000 });
    expect(query(app, "Smiles", QuerySmilesRequestCodec.encode({ underlying: "BTC" }), QuerySmilesResponseCodec).smiles).toHaveLength(1);
    expect(query(app, "Prices", new Uint8Array(), QueryPricesResponseCodec).prices.map((p) => p.price!.underlying)).toEqual(["BTC", "ETH"]);
    expect(result.events.map((e) => e.type)).toEqual(["oracle_price", "oracle_price", "oracle_smile"]);
  });

  it("does not update a price reported by exactly 2/3 of the power, and the old one goes stale", () => {
    const { app } = newApp();
    runBlock(app, T0 + SEC, []);
    const all = [0, 1, 2, 3].map(() => observation({ BTC: 100_000_000n }));
    runBlock(app, T0 + 2n * SEC, extensions(app, all, 1n));
    // Powers 10 + 20 + 30 = 60 of 100 report a new price (60 % < 2/3): no update.
    const partial = [observation({ BTC: 200_000_000n }), observation({ BTC: 200_000_000n }), observation({ BTC: 200_000_000n }), observation({})];
    const res = runBlock(app, T0 + 40n * SEC, extensions(app, partial, 2n));
    expect(res.events.find((e) => e.type === "oracle_price_missing" && e.attributes[0]!.value === "BTC")).toBeDefined();
    const btc = priceOf(app, "BTC");
    expect(btc.price!.priceMicroUsd).toBe(100_000_000n);
    expect(btc.stale).toBe(true); // 38 s old at the last block time, max age 30 s
  });

  it("serves TWAPs over the recorded block times", () => {
    const { app } = newApp();
    runBlock(app, T0 + SEC, []);
    const at = (p: bigint) => [0, 1, 2, 3].map(() => observation({ BTC: p }));
    runBlock(app, T0 + 10n * SEC, extensions(app, at(100n), 1n));
    runBlock(app, T0 + 12n * SEC, extensions(app, at(300n), 2n));
    runBlock(app, T0 + 20n * SEC, extensions(app, at(200n), 3n));
    // Window [10 s, 20 s]: 100 for 2 s, 300 for 8 s → 2600 / 10 = 260.
    const twap = query(app, "Twap", QueryTwapRequestCodec.encode({ underlying: "BTC", windowNs: 10n * SEC }), QueryTwapResponseCodec);
    expect(twap).toEqual({ twapMicroUsd: 260n, startTimeNs: T0 + 10n * SEC, endTimeNs: T0 + 20n * SEC, samples: 3 });
    const bad = app.query({ path: `${ORACLE_QUERY_SERVICE}/Twap`, data: QueryTwapRequestCodec.encode({ underlying: "BTC", windowNs: 0n }), height: 0n, prove: false });
    expect(bad.code).toBe(18);
  });

  it("takes params from genesis, and verify follows them", () => {
    const { app } = newApp({ oracle: { params: { underlyings: ["BTC", "SOL"], max_age_ns: "5000000000", min_power_ppm: 900000 } } });
    const params = query(app, "Params", new Uint8Array(), OracleQueryParamsResponseCodec).params!;
    expect(params.underlyings).toEqual(["BTC", "SOL"]);
    expect(params.maxAgeNs).toBe(5_000_000_000n);
    expect(params.minPowerPpm).toBe(900_000);
    expect(params.historyLength).toBe(3600);
    expect(params.heartbeatNs).toBe(1_666_666_666n); // a third of max_age unless given
    const sol = createOracleVoteExtensionHandler({ source: fixed(observation({ SOL: 150_000_000n, ETH: 1n })), params: () => readOracleParams(app) });
    const ext = sol.extend({ height: 1n, round: 0, blockHash: new Uint8Array(32) });
    expect(app.verifyVoteExtension({ height: 1n, validatorAddress: address(0), extension: ext })).toBe(true);
    const eth = new Uint8Array([0x0a, 0x05, 0x0a, 0x03, 0x45, 0x54, 0x48]); // spots: [{underlying: "ETH"}]
    expect(app.verifyVoteExtension({ height: 1n, validatorAddress: address(0), extension: eth })).toBe(false);
  });

  it("rejects an invalid genesis section", () => {
    expect(() => newApp({ oracle: { params: { min_power_ppm: 666666 } } })).toThrow(/min_power_ppm/);
    expect(() => newApp({ oracle: { params: { underlyings: ["ETH", "BTC"] } } })).toThrow(/sorted/);
    expect(() => newApp({ oracle: { params: { max_age_ns: "5000000000", heartbeat_ns: "5000000000" } } })).toThrow(/heartbeat_ns must be below max_age_ns/);
    expect(() => newApp({ oracle: { prices: [{ underlying: "DOGE", price_micro_usd: "1", updated_time_ns: "0" }] } })).toThrow(/DOGE/);
  });

  it("exports its state (prices, smiles, history) and a new chain imported from it has the same state", () => {
    const { app } = newApp();
    runBlock(app, T0 + SEC, []);
    const obs = [0, 1, 2, 3].map((i) => observation({ BTC: 100n + BigInt(i) }, [smileObs("BTC", 500_000n)]));
    runBlock(app, T0 + 2n * SEC, extensions(app, obs, 1n));
    runBlock(app, T0 + 3n * SEC, extensions(app, obs, 2n));
    const exported = app.exportAppState();
    const again = newApp(JSON.parse(JSON.stringify(exported)) as Record<string, unknown>);
    expect(again.app.exportAppState()).toEqual(exported);
    expect(priceOf(again.app, "BTC").price).toEqual(priceOf(app, "BTC").price);
    expect(again.app.checkInvariants()).toEqual([]);
    expect((exported.oracle as { history: unknown[] }).history).toHaveLength(1);
  });

  it("extends its own votes from the node's feeder", () => {
    const { app } = newApp({}, fixed(observation({ BTC: 5_000_000n })));
    const ext = app.extendVote({ height: 1n, round: 0, blockHash: new Uint8Array(32) });
    expect(ext.length).toBeGreaterThan(0);
    expect(app.verifyVoteExtension({ height: 1n, validatorAddress: address(0), extension: ext })).toBe(true);
  });
});
