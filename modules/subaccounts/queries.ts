/** Subaccounts queries (vanna.subaccounts.v1.Query), answered from committed state. */
import type { QueryContext, QueryRoute } from "../../src/app/module.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import { paginate } from "../../src/app/pagination.js";
import { ACCOUNT_PREFIX, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import type { ChainError } from "../../src/errors.js";
import { invalidArgument } from "../../src/app/queryErrors.js";
import * as codec from "./codec.js";
import { readU32be, readU64be, SubaccountsKeys } from "./keys.js";
import type { SubaccountsKeeper } from "./keeper.js";
import { getSubaccountsParams } from "./params.js";
import { MAX_SUBACCOUNT_NUMBER, type Position, type Subaccount, type SubaccountId } from "./types.js";

const SERVICE = "/vanna.subaccounts.v1.Query";
const fromUtf8 = new TextDecoder();

function owner(text: string): Uint8Array {
  try {
    return parseBech32Address(text, ACCOUNT_PREFIX);
  } catch (err) {
    throw invalidArgument(`invalid owner: ${(err as ChainError).message}`);
  }
}

function subaccountId(ownerText: string, number: number): SubaccountId {
  const id = { owner: owner(ownerText), number };
  if (number > MAX_SUBACCOUNT_NUMBER) throw invalidArgument(`subaccount number ${number} is above ${MAX_SUBACCOUNT_NUMBER}`);
  return id;
}

export function positionToProto(p: Position): codec.PositionProto {
  return { instrumentId: p.instrumentId, sizeContracts: p.sizeContracts.toString(), costBasisMicroUsdc: p.costBasisMicroUsdc.toString() };
}

export function subaccountToProto(s: Subaccount): codec.SubaccountProto {
  return {
    id: { owner: toBech32Address(ACCOUNT_PREFIX, s.id.owner), number: s.id.number },
    quoteMicroUsdc: s.quoteMicroUsdc.toString(),
    positions: s.positions.map(positionToProto),
  };
}

export function subaccountsQueryRoutes(keeper: SubaccountsKeeper): QueryRoute[] {
  return [
    queryRoute(`${SERVICE}/Subaccount`, codec.QuerySubaccountRequest, codec.QuerySubaccountResponse, (ctx, req) => ({
      subaccount: subaccountToProto(keeper.get(ctx.store, subaccountId(req.owner, req.number))),
    })),
    queryRoute(`${SERVICE}/Subaccounts`, codec.QuerySubaccountsRequest, codec.QuerySubaccountsResponse, (ctx: QueryContext, req) => {
      const ownerBytes = owner(req.owner);
      const page = paginate(ctx.store, SubaccountsKeys.ownerSubaccountsPrefix(ownerBytes), req.pagination, (key, value) => {
        const id = { owner: ownerBytes, number: readU32be(key, 0) };
        return subaccountToProto({ id, quoteMicroUsdc: BigInt(fromUtf8.decode(value)), positions: keeper.positions(ctx.store, id) });
      });
      return { subaccounts: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
    queryRoute(`${SERVICE}/Positions`, codec.QueryPositionsRequest, codec.QueryPositionsResponse, (ctx, req) => {
      const id = subaccountId(req.owner, req.number);
      const page = paginate(ctx.store, SubaccountsKeys.subaccountPositionsPrefix(id), req.pagination, (key, value) => {
        const state = codec.PositionStateProto.decode(value);
        return { instrumentId: readU64be(key, 0), sizeContracts: state.sizeContracts, costBasisMicroUsdc: state.costBasisMicroUsdc };
      });
      return { positions: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
    queryRoute(`${SERVICE}/Params`, codec.QueryParamsRequest, codec.QueryParamsResponse, (ctx) => ({
      params: getSubaccountsParams(ctx.store),
    })),
  ];
}
