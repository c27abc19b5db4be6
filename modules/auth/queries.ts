/** Auth queries (cosmos.auth.v1beta1.Query), answered from committed state. */
import type { QueryRoute } from "../../src/app/module.js";
import { queryRoute } from "../../src/app/queryRoute.js";
import { paginate } from "../../src/app/pagination.js";
import * as codec from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, moduleAddress, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import type { ChainError } from "../../src/errors.js";
import { invalidArgument } from "../../src/app/queryErrors.js";
import { accountNotFound } from "./errors.js";
import { AuthKeys } from "./keys.js";
import type { AuthKeeper } from "./keeper.js";

const SERVICE = "/cosmos.auth.v1beta1.Query";

function address(text: string): Uint8Array {
  try {
    return parseBech32Address(text, ACCOUNT_PREFIX);
  } catch (err) {
    throw invalidArgument(`decoding bech32 failed: ${(err as ChainError).message}`);
  }
}

export function authQueryRoutes(auth: AuthKeeper): QueryRoute[] {
  return [
    queryRoute(`${SERVICE}/Account`, codec.QueryAccountRequest, codec.QueryAccountResponse, (ctx, req) => {
      const raw = auth.getAccountAny(ctx.store, address(req.address));
      if (raw === undefined) throw accountNotFound(req.address);
      return { account: codec.Any.decode(raw) };
    }),
    queryRoute(`${SERVICE}/Accounts`, codec.QueryAccountsRequest, codec.QueryAccountsResponse, (ctx, req) => {
      const page = paginate(ctx.store, AuthKeys.accountPrefix, req.pagination, (_key, value) => codec.Any.decode(value));
      return { accounts: page.items, pagination: { nextKey: page.nextKey, total: page.total } };
    }),
    queryRoute(`${SERVICE}/Params`, codec.AuthQueryParamsRequest, codec.AuthQueryParamsResponse, (ctx) => ({
      params: auth.getParams(ctx.store),
    })),
    queryRoute(`${SERVICE}/ModuleAccountByName`, codec.QueryModuleAccountByNameRequest, codec.QueryModuleAccountByNameResponse, (ctx, req) => {
      if (req.name === "") throw invalidArgument("module name is empty");
      const raw = auth.getAccountAny(ctx.store, moduleAddress(req.name));
      if (raw === undefined) throw accountNotFound(toBech32Address(ACCOUNT_PREFIX, moduleAddress(req.name)));
      return { account: codec.Any.decode(raw) };
    }),
    queryRoute(`${SERVICE}/Bech32Prefix`, codec.Bech32PrefixRequest, codec.Bech32PrefixResponse, () => ({
      bech32Prefix: ACCOUNT_PREFIX,
    })),
  ];
}
