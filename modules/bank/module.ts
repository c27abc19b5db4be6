/** x/bank: balances, supply, MsgSend and MsgMultiSend. */
import type { AppModule, QueryContext } from "../../src/app/module.js";
import { prefixEnd } from "../../src/app/pagination.js";
import { ModulePrefix } from "../prefixes.js";
import { BankKeys } from "./keys.js";
import { BankKeeper } from "./keeper.js";
import { msgMultiSendRoute, msgSendRoute } from "./msgs.js";
import { bankQueryRoutes } from "./queries.js";
import { exportBankGenesis, initBankGenesis, validateBankGenesis } from "./genesis.js";
import type { AccountRegistry } from "./expectedKeepers.js";

const fromUtf8 = new TextDecoder();

export interface AccountLister {
  iterateAccounts(store: QueryContext["store"]): Iterable<{ address: string; addressBytes: Uint8Array }>;
}

export function createBankModule(accounts: AccountRegistry & AccountLister): { module: AppModule; keeper: BankKeeper } {
  const keeper = new BankKeeper(accounts);
  const module: AppModule = {
    name: "bank",
    storePrefix: ModulePrefix.bank,
    msgRoutes: [msgSendRoute(keeper), msgMultiSendRoute(keeper)] as AppModule["msgRoutes"],
    queryRoutes: bankQueryRoutes(keeper),
    defaultGenesis: () => ({ params: { send_enabled: [], default_send_enabled: true }, balances: [], supply: [], denom_metadata: [] }),
    validateGenesis: validateBankGenesis,
    initGenesis: (ctx, genesis) => initBankGenesis(ctx, keeper, accounts, genesis),
    exportGenesis: (ctx) => exportBankGenesis(ctx, keeper, accounts.iterateAccounts(ctx.store)),
    invariants: (ctx) => bankInvariants(ctx, keeper),
  };
  return { module, keeper };
}

/** Total supply equals the sum of all balances, denom by denom (the SDK's TotalSupply invariant). */
export function bankInvariants(ctx: QueryContext, keeper: BankKeeper): string[] {
  const sums = new Map<string, bigint>();
  const prefix = BankKeys.balancePrefix;
  for (const [key, value] of ctx.store.iterate(prefix, prefixEnd(prefix))) {
    const addrLen = key[prefix.length]!;
    const denom = fromUtf8.decode(key.subarray(prefix.length + 1 + addrLen));
    const amount = BigInt(fromUtf8.decode(value));
    if (amount <= 0n) return [`bank: non-positive stored balance of ${denom}`];
    sums.set(denom, (sums.get(denom) ?? 0n) + amount);
  }
  const broken: string[] = [];
  const supply = new Map([...keeper.iterateSupply(ctx.store)].map((c) => [c.denom, c.amount]));
  for (const denom of new Set([...sums.keys(), ...supply.keys()])) {
    const held = sums.get(denom) ?? 0n;
    const total = supply.get(denom) ?? 0n;
    if (held !== total) broken.push(`bank: supply of ${denom} is ${total} but balances sum to ${held}`);
  }
  return broken;
}
