/** Reads state through the app's real query path (the same bytes cosmjs sends over abci_query). */
import type { BaseApp } from "../../src/app/baseApp.js";
import { QueryAccountRequest, QueryAccountResponse, QueryBalanceRequest, QueryBalanceResponse, BaseAccount } from "../../src/codec/index.js";

export function balanceOf(app: BaseApp, address: string, denom: string): bigint {
  const res = app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: QueryBalanceRequest.encode({ address, denom }), height: 0n, prove: false });
  if (res.code !== 0) throw new Error(`balance query failed: ${res.log}`);
  return BigInt(QueryBalanceResponse.decode(res.value).balance?.amount ?? "0");
}

export function accountOf(app: BaseApp, address: string): { accountNumber: bigint; sequence: bigint; hasPubKey: boolean } | undefined {
  const res = app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address }), height: 0n, prove: false });
  if (res.code === 22) return undefined;
  if (res.code !== 0) throw new Error(`account query failed: ${res.log}`);
  const any = QueryAccountResponse.decode(res.value).account!;
  const base = BaseAccount.decode(any.value);
  return { accountNumber: base.accountNumber, sequence: base.sequence, hasPubKey: base.pubKey !== undefined };
}
