/** vanna.liquidation.v1.Query: params, the fund, its history and the liquidation records (both paginated, oldest first). */
import type { QueryRoute } from "../../src/app/module.js";
import { paginate } from "../../src/app/pagination.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import * as codec from "./codec.js";
import type { LiquidationKeeper } from "./keeper.js";
import { LiquidationKeys } from "./keys.js";
import { paramsToProto } from "./params.js";

export const LIQUIDATION_QUERY_SERVICE = "/vanna.liquidation.v1.Query";
const S = LIQUIDATION_QUERY_SERVICE;

export function liquidationQueryRoutes(keeper: LiquidationKeeper): QueryRoute[] {
  return [
    queryRoute(`${S}/Params`, codec.QueryParamsRequest, codec.QueryParamsResponse, (ctx) => ({ params: paramsToProto(keeper.params(ctx.store)) })),
    queryRoute(`${S}/InsuranceFund`, codec.QueryInsuranceFundRequest, codec.QueryInsuranceFundResponse, (ctx) => ({
      address: keeper.fundBech32,
      balanceMicroUsdc: keeper.fundBalance(ctx.store).toString(),
      subaccountCollateralMicroUsdc: keeper.subaccounts.collateral(ctx.store, keeper.fundSubaccount).toString(),
      subaccountPositions: keeper.subaccounts.positions(ctx.store, keeper.fundSubaccount).length,
      unpaidClaimsMicroUsdc: keeper.unpaidClaims(ctx.store).toString(),
    })),
    queryRoute(`${S}/InsuranceHistory`, codec.QueryInsuranceHistoryRequest, codec.QueryInsuranceHistoryResponse, (ctx, req) => {
      const page = paginate(ctx.store, LiquidationKeys.historyPrefix, req.pagination, (_k, v) => codec.InsuranceEntryProto.decode(v));
      return { entries: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
    queryRoute(`${S}/Liquidations`, codec.QueryLiquidationsRequest, codec.QueryLiquidationsResponse, (ctx, req) => {
      const page = paginate(ctx.store, LiquidationKeys.recordPrefix, req.pagination, (_k, v) => codec.LiquidationRecordProto.decode(v));
      return { liquidations: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
  ];
}
