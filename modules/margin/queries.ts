/** Margin queries (vanna.margin.v1.Query), answered from committed state at the last block's time. */
import type { QueryRoute } from "../../src/app/module.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import { invalidArgument } from "../../src/app/queryErrors.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import type { ChainError } from "../../src/errors.js";
import { MAX_SUBACCOUNT_NUMBER, type SubaccountId } from "../subaccounts/index.js";
import * as codec from "./codec.js";
import { resolve, type Lazy, type OptionsReader } from "./expectedKeepers.js";
import type { MarginKeeper } from "./keeper.js";
import { getMarginParams, paramsToProto } from "./params.js";
import type { PortfolioMargin } from "./portfolio.js";
import { parseMarginMode } from "./portfolioKeeper.js";
import type { MarginReport, NewOrderRisk } from "./types.js";

const MAX_WHAT_IF_LINES = 1_000;

function portfolioToProto(m: PortfolioMargin | undefined): { portfolio: codec.UnderlyingPortfolioMarginProto[]; worstScenario: string } {
  if (m === undefined) return { portfolio: [], worstScenario: "" };
  let worst = "";
  let worstLoss = 0n;
  const portfolio = m.underlyings.map((u) => {
    if (u.worstIndex >= 0 && u.scenarioLossMicroUsdc > worstLoss) {
      worstLoss = u.scenarioLossMicroUsdc;
      worst = `${u.underlying} #${u.worstIndex}: ${u.scenarios[u.worstIndex]!.description}`;
    }
    return {
      underlying: u.underlying,
      scenarios: u.scenarios.map((sc, index) => ({ index, description: sc.description, lossMicroUsdc: (u.lossMicroUsdc[index] ?? 0n).toString(), weightPpm: Number(sc.weightPpm) })),
      worstIndex: u.worstIndex,
      worstDescription: u.worstIndex >= 0 ? u.scenarios[u.worstIndex]!.description : "",
      scenarioLossMicroUsdc: u.scenarioLossMicroUsdc.toString(),
      nakedShortContracts: u.nakedShortContracts.toString(),
      nakedChargeMicroUsdc: u.nakedChargeMicroUsdc.toString(),
      oracleChargeMicroUsdc: u.oracleChargeMicroUsdc.toString(),
      capMicroUsdc: u.capMicroUsdc === undefined ? "" : u.capMicroUsdc.toString(),
      maintenanceMarginMicroUsdc: u.maintenanceMarginMicroUsdc.toString(),
      initialMarginMicroUsdc: u.initialMarginMicroUsdc.toString(),
      ordersInitialMarginMicroUsdc: u.ordersInitialMarginMicroUsdc.toString(),
    };
  });
  return { portfolio, worstScenario: worst };
}

function signedInt(text: string, field: string): bigint {
  if (text === "") return 0n;
  if (!/^-?[0-9]{1,70}$/.test(text)) throw invalidArgument(`${field}: "${text.slice(0, 40)}" is not a signed integer`);
  return BigInt(text);
}

const SERVICE = "/vanna.margin.v1.Query";

function subaccountId(ownerText: string, number: number): SubaccountId {
  let owner: Uint8Array;
  try {
    owner = parseBech32Address(ownerText, ACCOUNT_PREFIX);
  } catch (err) {
    throw invalidArgument(`invalid owner: ${(err as ChainError).message}`);
  }
  if (number > MAX_SUBACCOUNT_NUMBER) throw invalidArgument(`subaccount number ${number} is above ${MAX_SUBACCOUNT_NUMBER}`);
  return { owner, number };
}

export function reportToProto(r: MarginReport): codec.QuerySubaccountMarginResponse {
  return {
    equityMicroUsdc: r.equityMicroUsdc.toString(),
    initialMarginMicroUsdc: r.initialMarginMicroUsdc.toString(),
    maintenanceMarginMicroUsdc: r.maintenanceMarginMicroUsdc.toString(),
    freeCollateralMicroUsdc: (r.equityMicroUsdc - r.initialMarginMicroUsdc).toString(),
    riskModel: r.riskModel,
    paramsVersion: r.paramsVersion,
    positions: r.positions.map((p) => ({
      seriesId: p.seriesId,
      sizeContracts: p.sizeContracts.toString(),
      markMicroUsdc: p.markMicroUsdc.toString(),
      valueMicroUsdc: p.valueMicroUsdc.toString(),
      imMicroUsdc: p.initialMarginMicroUsdc.toString(),
      mmMicroUsdc: p.maintenanceMarginMicroUsdc.toString(),
    })),
    orders: r.orders.map((o) => ({
      seriesId: o.seriesId,
      buyContracts: o.buyContracts.toString(),
      sellContracts: o.sellContracts.toString(),
      buyPremiumMicroUsdc: o.buyPremiumMicroUsdc.toString(),
      markMicroUsdc: o.markMicroUsdc.toString(),
      imMicroUsdc: o.initialMarginMicroUsdc.toString(),
      mmMicroUsdc: "0",
    })),
    unpricedSeriesIds: r.unpricedSeriesIds,
    ...portfolioToProto(r.portfolio),
  };
}

export function marginQueryRoutes(keeper: MarginKeeper, options: Lazy<OptionsReader>): QueryRoute[] {
  return [
    queryRoute(`${SERVICE}/Params`, codec.QueryParamsRequest, codec.QueryParamsResponse, (ctx) => ({
      params: paramsToProto(getMarginParams(ctx.store)),
    })),
    queryRoute(`${SERVICE}/SubaccountMargin`, codec.QuerySubaccountMarginRequest, codec.QuerySubaccountMarginResponse, (ctx, req) => {
      const id = subaccountId(req.owner, req.number);
      return reportToProto(keeper.report(ctx.store, id, ctx.blockTimeNs));
    }),
    queryRoute(`${SERVICE}/WhatIf`, codec.QueryWhatIfRequest, codec.QuerySubaccountMarginResponse, (ctx, req) => {
      const mode = parseMarginMode(req.mode);
      if (mode === undefined) throw invalidArgument(`mode "${req.mode.slice(0, 40)}": expected "standard" or "portfolio"`);
      if (req.positions.length + req.orders.length > MAX_WHAT_IF_LINES) throw invalidArgument(`at most ${MAX_WHAT_IF_LINES} positions and orders`);
      const sizes = new Map<bigint, bigint>();
      req.positions.forEach((p, i) => sizes.set(p.seriesId, (sizes.get(p.seriesId) ?? 0n) + signedInt(p.sizeContracts, `positions[${i}].size_contracts`)));
      const orders: NewOrderRisk[] = req.orders.map((o, i) => {
        if (o.side !== "buy" && o.side !== "sell") throw invalidArgument(`orders[${i}].side: expected "buy" or "sell"`);
        if (o.sizeContracts <= 0n) throw invalidArgument(`orders[${i}].size_contracts must be positive`);
        return { seriesId: o.seriesId, side: o.side, priceTicks: o.priceTicks, sizeContracts: o.sizeContracts, reduceOnly: o.reduceOnly };
      });
      const positions = [...sizes.entries()]
        .filter(([, size]) => size !== 0n)
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([instrumentId, sizeContracts]) => ({ instrumentId, sizeContracts, costBasisMicroUsdc: 0n }));
      const sub = { id: { owner: new Uint8Array(20), number: 0 }, quoteMicroUsdc: signedInt(req.collateralMicroUsdc, "collateral_micro_usdc"), positions };
      return reportToProto(keeper.whatIf(ctx.store, sub, orders, mode, ctx.blockTimeNs));
    }),
  ];
}
