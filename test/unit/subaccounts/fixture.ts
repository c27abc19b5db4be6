/** An in-memory chain slice for keeper tests: real auth and bank keepers, the subaccounts module, one store. */
import type { Context } from "../../../src/app/context.js";
import { GasMeter, INFINITE_GAS } from "../../../src/app/gas.js";
import type { QueryContext } from "../../../src/app/module.js";
import { memoryStore, type BranchStore } from "../../../src/store/index.js";
import { moduleAddress } from "../../../src/crypto/address.js";
import { createAuthModule } from "../../../modules/auth/index.js";
import { createBankModule } from "../../../modules/bank/index.js";
import { createSubaccountsModule, type MarginChecker, type SubaccountId } from "../../../modules/subaccounts/index.js";

export const USDC = "uusdc";

export function addr(n: number): Uint8Array {
  const a = new Uint8Array(20);
  a[19] = n;
  a[0] = n >> 8;
  return a;
}

export function fixture(opts: { margin?: MarginChecker; funded?: Array<[Uint8Array, bigint]>; genesis?: unknown; mayCarryDebt?: (id: SubaccountId) => boolean } = {}) {
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  const subaccounts = createSubaccountsModule({
    accounts: auth.keeper,
    bank: bank.keeper,
    ...(opts.margin ? { margin: opts.margin } : {}),
    ...(opts.mayCarryDebt ? { mayCarryDebt: opts.mayCarryDebt } : {}),
  });
  const store = memoryStore();
  const ctxOf = (s: BranchStore = store): Context => ({
    mode: "deliver",
    chainId: "test",
    height: 1n,
    blockTimeNs: 0n,
    header: undefined,
    store: s,
    gasMeter: new GasMeter(INFINITE_GAS),
    events: [],
  });
  const genesisCtx = ctxOf();
  auth.module.initGenesis(genesisCtx, auth.module.defaultGenesis());
  bank.module.initGenesis(genesisCtx, bank.module.defaultGenesis());
  let supply = 0n;
  for (const [a, amount] of opts.funded ?? []) {
    if (Buffer.from(a).equals(moduleAddress("subaccounts"))) auth.keeper.ensureModuleAccount(store, "subaccounts");
    else auth.keeper.newAccount(store, a);
    bank.keeper.setBalance(store, a, USDC, amount);
    supply += amount;
  }
  bank.keeper.setSupply(store, USDC, supply);
  subaccounts.module.initGenesis(genesisCtx, opts.genesis ?? subaccounts.module.defaultGenesis());
  const query = (): QueryContext => ({ chainId: "test", height: 1n, blockTimeNs: 0n, store });
  return {
    store,
    ctx: () => ctxOf(),
    keeper: subaccounts.keeper,
    module: subaccounts.module,
    bank: bank.keeper,
    bankModule: bank.module,
    moduleAddress: moduleAddress("subaccounts"),
    balance: (a: Uint8Array) => bank.keeper.getBalance(store, a, USDC),
    invariants: () => [...subaccounts.module.invariants!(query()), ...bank.module.invariants!(query())],
  };
}

/** Every key/value in the store, for before/after comparisons. */
export function snapshot(store: BranchStore): string[] {
  return [...store.iterate()].map(([k, v]) => `${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`);
}
