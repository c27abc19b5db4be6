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
import type { MarginReport } from "./types.js";

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
  ];
}
