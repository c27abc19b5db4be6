/** Bank queries (cosmos.bank.v1beta1.Query), answered from committed state. */
import type { QueryRoute } from "../../src/app/module.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import { paginate } from "../../src/app/pagination.js";
import * as codec from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { isValidDenom } from "../../src/math/coins.js";
import type { ChainError } from "../../src/errors.js";
import { invalidArgument } from "../../src/app/queryErrors.js";
import { BankErrors } from "./errors.js";
import { BankKeys } from "./keys.js";
import type { BankKeeper } from "./keeper.js";
import { getBankParams } from "./params.js";

const fromUtf8 = new TextDecoder();
const SERVICE = "/cosmos.bank.v1beta1.Query";

function address(text: string): Uint8Array {
  try {
    return parseBech32Address(text, ACCOUNT_PREFIX);
  } catch (err) {
    throw invalidArgument(`invalid address: ${(err as ChainError).message}`);
  }
}

function denom(text: string): string {
  if (!isValidDenom(text)) throw invalidArgument(`invalid denom "${text.slice(0, 80)}"`);
  return text;
}

export function bankQueryRoutes(bank: BankKeeper): QueryRoute[] {
  const balancesOf = (ctx: Parameters<QueryRoute["handle"]>[0], addressText: string, pagination: codec.PageRequest | undefined) => {
    const addr = address(addressText);
    const page = paginate(ctx.store, BankKeys.accountBalancesPrefix(addr), pagination, (key, value) => ({
      denom: fromUtf8.decode(key),
      amount: fromUtf8.decode(value),
    }));
    return { balances: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
  };

  return [
    queryRoute(`${SERVICE}/Balance`, codec.QueryBalanceRequest, codec.QueryBalanceResponse, (ctx, req) => {
      const addr = address(req.address);
      const d = denom(req.denom);
      // cosmjs asserts `balance` is present: an empty balance is {denom, "0"}, never absent.
      return { balance: { denom: d, amount: bank.getBalance(ctx.store, addr, d).toString() } };
    }),
    queryRoute(`${SERVICE}/AllBalances`, codec.QueryAllBalancesRequest, codec.QueryAllBalancesResponse, (ctx, req) =>
      balancesOf(ctx, req.address, req.pagination),
    ),
    queryRoute(`${SERVICE}/SpendableBalances`, codec.QuerySpendableBalancesRequest, codec.QuerySpendableBalancesResponse, (ctx, req) =>
      balancesOf(ctx, req.address, req.pagination),
    ),
    queryRoute(`${SERVICE}/TotalSupply`, codec.QueryTotalSupplyRequest, codec.QueryTotalSupplyResponse, (ctx, req) => {
      const page = paginate(ctx.store, BankKeys.supplyPrefix, req.pagination, (key, value) => ({
        denom: fromUtf8.decode(key),
        amount: fromUtf8.decode(value),
      }));
      return { supply: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
    queryRoute(`${SERVICE}/SupplyOf`, codec.QuerySupplyOfRequest, codec.QuerySupplyOfResponse, (ctx, req) => {
      const d = denom(req.denom);
      return { amount: { denom: d, amount: bank.getSupply(ctx.store, d).toString() } };
    }),
    queryRoute(`${SERVICE}/Params`, codec.BankQueryParamsRequest, codec.BankQueryParamsResponse, (ctx) => ({
      params: getBankParams(ctx.store),
    })),
    queryRoute(`${SERVICE}/DenomMetadata`, codec.QueryDenomMetadataRequest, codec.QueryDenomMetadataResponse, (ctx, req) => {
      const raw = ctx.store.get(BankKeys.denomMetadata(denom(req.denom)));
      if (raw === undefined) throw BankErrors.denomMetadataNotFound.with(`client metadata for denom ${req.denom}`);
      return { metadata: codec.Metadata.decode(raw) };
    }),
    queryRoute(`${SERVICE}/DenomsMetadata`, codec.QueryDenomsMetadataRequest, codec.QueryDenomsMetadataResponse, (ctx, req) => {
      const page = paginate(ctx.store, BankKeys.denomMetadataPrefix, req.pagination, (_key, value) => codec.Metadata.decode(value));
      return { metadatas: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
  ];
}
