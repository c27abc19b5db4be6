import { beforeAll, describe, expect, it } from "vitest";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { createVannaApp } from "../../../modules/app.js";
import type { BaseApp } from "../../../src/app/baseApp.js";
import type { Codec } from "../../../src/codec/index.js";
import { buildAppState, devFunding } from "../../../node/config/appState.js";
import { ClobCodec, createVannaRegistry, MarginCodec, msgs, OptionsCodec, OracleCodec, SubaccountsCodec, usdc, vannaQueryClient, type VannaQueryClient } from "../../../node/client/index.js";
import { DEFAULT_FEE, devWallet, GENESIS_TIME_NS, runBlock, TEST_CHAIN_ID, testAppOptions } from "../../support/devChain.js";
import { appComet, recordingComet } from "./abci.js";

const SEC = 1_000_000_000n;
const EXPIRY = 1_769_760_000n; // 2026-01-30T08:00:00Z
const BTC_MICRO_USD = 100_000_000_000n;

let app: BaseApp;
let client: VannaQueryClient;
let alice: string;

beforeAll(async () => {
  const { wallet, addresses } = await devWallet();
  alice = addresses[0]!;
  app = createVannaApp(testAppOptions());
  const oracle = {
    prices: [{ underlying: "BTC", price_micro_usd: BTC_MICRO_USD.toString(), updated_height: "0", updated_time_ns: GENESIS_TIME_NS.toString(), reporting_power_ppm: 1_000_000 }],
    smiles: [
      { underlying: "BTC", expiry_unix_s: EXPIRY.toString(), atm_vol_ppm: "600000", skew_ppm: "-10000", curvature_ppm: "5000", updated_time_ns: GENESIS_TIME_NS.toString(), reporting_power_ppm: 1_000_000 },
    ],
    history: [{ underlying: "BTC", points: [{ time_ns: GENESIS_TIME_NS.toString(), price_micro_usd: BTC_MICRO_USD.toString(), height: "0" }] }],
  };
  app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState: { ...buildAppState(devFunding(addresses)), oracle }, validators: [] });
  app.commit();
  // A deposit signed by cosmjs with the Vanna registry: the chain must accept what the client produces.
  const signer = await SigningStargateClient.offline(wallet, { registry: createVannaRegistry() });
  const raw = await signer.sign(alice, [msgs.deposit({ sender: alice, subaccountNumber: 2, amount: usdc(1_250_000n) })], DEFAULT_FEE, "", {
    accountNumber: 0n,
    sequence: 0,
    chainId: TEST_CHAIN_ID,
  });
  const result = runBlock(app, [TxRaw.encode(raw).finish()]);
  expect(result.txResults[0]?.code, result.txResults[0]?.log).toBe(0);
  client = vannaQueryClient(appComet(app));
});

describe("setupVannaExtension against the in-process app", () => {
  it("subaccounts: the deposited subaccount, its listing, positions and params", async () => {
    const sub = await client.subaccounts.subaccount(alice, 2);
    expect(sub).toEqual({ id: { owner: alice, number: 2 }, quoteMicroUsdc: "1250000", positions: [] });
    const list = await client.subaccounts.subaccounts(alice);
    expect(list.subaccounts.map((s) => s.id?.number)).toEqual([2]);
    expect((await client.subaccounts.positions(alice, 2)).positions).toEqual([]);
    expect(await client.subaccounts.params()).toMatchObject({ depositsEnabled: true, withdrawalsEnabled: true });
    // cosmjs's own extensions come along
    expect((await client.bank.balance(alice, "uusdc")).denom).toBe("uusdc");
  });

  it("oracle: params, price, prices, smile, smiles, twap", async () => {
    expect((await client.oracle.params())?.underlyings).toEqual(["BTC", "ETH"]);
    const price = await client.oracle.price("BTC");
    expect(price.price?.priceMicroUsd).toBe(BTC_MICRO_USD);
    expect(price.stale).toBe(false);
    expect((await client.oracle.prices()).map((p) => p.price?.underlying)).toEqual(["BTC"]);
    const smile = await client.oracle.smile("BTC", EXPIRY);
    expect(smile.smile).toMatchObject({ atmVolPpm: 600_000n, skewPpm: -10_000n, curvaturePpm: 5_000n });
    expect((await client.oracle.smiles("BTC")).map((s) => s.expiryUnixS)).toEqual([EXPIRY]);
    const twap = await client.oracle.twap("BTC", 60n * SEC);
    expect(twap.twapMicroUsd).toBe(BTC_MICRO_USD);
  });

  it("errors of the node surface as cosmjs query errors", async () => {
    await expect(client.oracle.price("ETH")).rejects.toThrow(/Query failed with \(\d+\): .*price of ETH/);
    await expect(client.oracle.twap("BTC", 0n)).rejects.toThrow(/window_ns must be positive/);
  });
});

/** Every query of the new modules: the path and request bytes the extension sends and the decoding of the answer. */
describe("setupVannaExtension wire calls", () => {
  const answers = new Map<string, Uint8Array>();
  const { comet, calls } = recordingComet((path) => answers.get(path) ?? new Uint8Array());
  const q = vannaQueryClient(comet);
  const last = () => calls[calls.length - 1]!;
  async function check<Req, Res>(path: string, req: Codec<Req>, expected: Req, res: Codec<Res>, answer: Res, run: () => Promise<unknown>, pick: (r: Res) => unknown = (r) => r) {
    answers.set(path, res.encode(answer));
    const got = await run();
    expect(last().path).toBe(path);
    expect(req.decode(last().data)).toEqual(expected);
    expect(got).toEqual(pick(res.decode(res.encode(answer))));
  }
  const series: OptionsCodec.SeriesProto = { id: 3n, underlying: "BTC", expiryUnixS: EXPIRY, strikeMicroUsd: BTC_MICRO_USD, kind: 1, status: 1, listedHeight: 4n, settlementPriceMicroUsd: 0n, settledHeight: 0n };
  const order: ClobCodec.OrderProto = {
    orderId: 8n, seriesId: 3n, owner: "vanna1x", subaccountNumber: 1, side: 2, priceTicks: 10n, remainingContracts: 2n, placedContracts: 3n, filledContracts: 1n,
    timeInForce: 0, goodTilBlock: 0n, goodTilTimeNs: 0n, postOnly: true, reduceOnly: false, clientId: 5n, seq: 9n,
  };

  it("options", async () => {
    const O = OptionsCodec;
    const S = "/vanna.options.v1.Query";
    await check(`${S}/Series`, O.QuerySeriesRequest, { seriesId: 3n }, O.QuerySeriesResponse, { series }, () => q.options.series(3n), (r) => r.series);
    await check(`${S}/SeriesList`, O.QuerySeriesListRequest, { underlying: "BTC", expiryUnixS: EXPIRY, status: 2, pagination: undefined }, O.QuerySeriesListResponse,
      { series: [series], pagination: undefined }, () => q.options.seriesList({ underlying: "BTC", expiryUnixS: EXPIRY, status: "close_only" }));
    await check(`${S}/Marks`, O.QueryMarksRequest, { underlying: "BTC", expiryUnixS: 0n }, O.QueryMarksResponse, { marks: [], stale: true }, () => q.options.marks("BTC"));
    await check(`${S}/LiveExpiries`, O.QueryLiveExpiriesRequest, { underlying: "ETH" }, O.QueryLiveExpiriesResponse, { expiriesUnixS: [EXPIRY] }, () => q.options.liveExpiries("ETH"), (r) => r.expiriesUnixS);
    await check(`${S}/Settlement`, O.QuerySettlementRequest, { seriesId: 4n }, O.QuerySettlementResponse, { settlement: undefined }, () => q.options.settlement(4n), (r) => r.settlement);
  });

  it("clob", async () => {
    const C = ClobCodec;
    const S = "/vanna.clob.v1.Query";
    await check(`${S}/Order`, C.QueryOrderRequest, { orderId: 8n }, C.QueryOrderResponse, { order }, () => q.clob.order(8n), (r) => r.order);
    await check(`${S}/OrderByClientId`, C.QueryOrderByClientIdRequest, { owner: "vanna1x", number: 1, clientId: 5n }, C.QueryOrderResponse, { order }, () => q.clob.orderByClientId("vanna1x", 1, 5n), (r) => r.order);
    await check(`${S}/OpenOrders`, C.QueryOpenOrdersRequest, { owner: "vanna1x", number: 1, seriesId: 0n, pagination: undefined }, C.QueryOpenOrdersResponse,
      { orders: [order], pagination: undefined }, () => q.clob.openOrders("vanna1x", 1));
    await check(`${S}/BookL2`, C.QueryBookL2Request, { seriesId: 3n, levels: 10 }, C.QueryBookL2Response,
      { bids: [{ priceTicks: 10n, sizeContracts: 4n, orderCount: 2 }], asks: [] }, () => q.clob.bookL2(3n, 10));
    await check(`${S}/BookL3`, C.QueryBookL3Request, { seriesId: 3n, limit: 0 }, C.QueryBookL3Response, { bids: [], asks: [order] }, () => q.clob.bookL3(3n));
    await check(`${S}/Fills`, C.QueryFillsRequest, { seriesId: 0n, owner: "vanna1x", number: 2, limit: 5 }, C.QueryFillsResponse, { fills: [] }, () => q.clob.fills({ owner: "vanna1x", number: 2, limit: 5 }), (r) => r.fills);
    await check(`${S}/Fills`, C.QueryFillsRequest, { seriesId: 3n, owner: "", number: 0, limit: 0 }, C.QueryFillsResponse, { fills: [] }, () => q.clob.fills({ seriesId: 3n }), (r) => r.fills);
    await check(`${S}/Mmp`, C.QueryMmpRequest, { owner: "vanna1x", number: 0, underlying: "BTC" }, C.QueryMmpResponse, { config: undefined, state: undefined }, () => q.clob.mmp("vanna1x", 0, "BTC"));
  });

  it("margin", async () => {
    const M = MarginCodec;
    const answer: MarginCodec.QuerySubaccountMarginResponse = {
      equityMicroUsdc: "100", initialMarginMicroUsdc: "40", maintenanceMarginMicroUsdc: "20", freeCollateralMicroUsdc: "60",
      riskModel: "standard", paramsVersion: 1, positions: [], orders: [], unpricedSeriesIds: [7n],
    };
    await check("/vanna.margin.v1.Query/SubaccountMargin", M.QuerySubaccountMarginRequest, { owner: "vanna1x", number: 3 }, M.QuerySubaccountMarginResponse, answer, () => q.margin.subaccountMargin("vanna1x", 3));
  });

  it("oracle and subaccounts request shapes", async () => {
    await check("/vanna.oracle.v1.Query/Smile", OracleCodec.QuerySmileRequestCodec, { underlying: "BTC", expiryUnixS: EXPIRY }, OracleCodec.QuerySmileResponseCodec,
      { smile: undefined, stale: true }, () => q.oracle.smile("BTC", EXPIRY));
    await check("/vanna.subaccounts.v1.Query/Positions", SubaccountsCodec.QueryPositionsRequest, { owner: "vanna1x", number: 0, pagination: { key: new Uint8Array(), offset: 0n, limit: 5n, countTotal: false, reverse: false } },
      SubaccountsCodec.QueryPositionsResponse, { positions: [], pagination: undefined }, () => q.subaccounts.positions("vanna1x", 0, { key: new Uint8Array(), offset: 0n, limit: 5n, countTotal: false, reverse: false }));
  });
});
