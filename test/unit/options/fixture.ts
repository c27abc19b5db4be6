/**
 * An in-memory chain slice for options tests: real auth, bank, oracle, subaccounts and options modules over one
 * store. Prices, history and smiles are written through the real oracle keeper; blocks run the options
 * BeginBlock at a chosen time.
 */
import type { Context } from "../../../src/app/context.js";
import { GasMeter, INFINITE_GAS } from "../../../src/app/gas.js";
import type { QueryContext } from "../../../src/app/module.js";
import { ACCOUNT_PREFIX, toBech32Address } from "../../../src/crypto/address.js";
import { memoryStore, type BranchStore } from "../../../src/store/index.js";
import type { Event } from "../../../src/types/events.js";
import { createAuthModule } from "../../../modules/auth/index.js";
import { createBankModule } from "../../../modules/bank/index.js";
import { createOracleModule, type OracleParams } from "../../../modules/oracle/index.js";
import { createSubaccountsModule, type SubaccountId } from "../../../modules/subaccounts/index.js";
import { createOptionsModule, DEFAULT_OPTIONS_PARAMS, optionsParamsToJson, type OptionsParams } from "../../../modules/options/index.js";

export const USDC = "uusdc";
export const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z, a Thursday
export const SEC = 1_000_000_000n;
export const USD = 1_000_000n;
/** 2026-01-02T08:00:00Z, a Friday. */
export const FRI_JAN_2 = 1_767_340_800n;

export function addr(n: number): Uint8Array {
  const a = new Uint8Array(20);
  a[19] = n;
  a[0] = 0x40;
  return a;
}

export const AUTHORITY = toBech32Address(ACCOUNT_PREFIX, addr(200));

export interface FixtureOptions {
  params?: Partial<OptionsParams>;
  oracleParams?: Partial<OracleParams>;
  /** Funded bank accounts (uusdc). */
  funded?: Array<[Uint8Array, bigint]>;
}

export function fixture(opts: FixtureOptions = {}) {
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  const oracle = createOracleModule();
  const subaccounts = createSubaccountsModule({ accounts: auth.keeper, bank: bank.keeper });
  const options = createOptionsModule({ oracle: oracle.keeper, subaccounts: subaccounts.keeper });
  const closing: Array<{ id: bigint; reason: string; height: bigint }> = [];
  options.keeper.setHooks({ onSeriesClosing: (ctx, id, reason) => void closing.push({ id, reason, height: ctx.height }) });
  const store = memoryStore();
  let height = 0n;
  let timeNs = T0;
  const ctxOf = (s: BranchStore = store, events: Event[] = []): Context => ({
    mode: "block",
    chainId: "test",
    height,
    blockTimeNs: timeNs,
    header: undefined,
    store: s,
    gasMeter: new GasMeter(INFINITE_GAS),
    events,
  });
  const genesis = ctxOf();
  auth.module.initGenesis(genesis, auth.module.defaultGenesis());
  bank.module.initGenesis(genesis, bank.module.defaultGenesis());
  oracle.module.initGenesis(genesis, oracle.module.defaultGenesis());
  if (opts.oracleParams) oracle.keeper.setParams(store, { ...oracle.keeper.getParams(store), ...opts.oracleParams });
  let supply = 0n;
  for (const [a, amount] of opts.funded ?? []) {
    auth.keeper.newAccount(store, a);
    bank.keeper.setBalance(store, a, USDC, amount);
    supply += amount;
  }
  bank.keeper.setSupply(store, USDC, supply);
  subaccounts.module.initGenesis(genesis, subaccounts.module.defaultGenesis());
  const params: OptionsParams = { ...DEFAULT_OPTIONS_PARAMS, authority: AUTHORITY, ...opts.params };
  options.module.initGenesis(genesis, { ...(options.module.defaultGenesis() as object), params: optionsParamsToJson(params) });

  const query = (): QueryContext => ({ chainId: "test", height, blockTimeNs: timeNs, store });
  const f = {
    store,
    auth,
    bank,
    oracle,
    subaccounts,
    options,
    keeper: options.keeper,
    closing,
    get height() {
      return height;
    },
    get timeNs() {
      return timeNs;
    },
    ctx: (events: Event[] = []) => ctxOf(store, events),
    query,
    /** Runs the options BeginBlock of the next block at `atNs`; returns its events. */
    block(atNs: bigint): Event[] {
      height += 1n;
      timeNs = atNs;
      const events: Event[] = [];
      options.module.beginBlock!(ctxOf(store, events));
      return events;
    },
    /** Records a fresh oracle price (and a history point) at `atNs` (default: the current time). */
    setPrice(underlying: string, priceMicroUsd: bigint, atNs = timeNs) {
      oracle.keeper.setPrice(store, { underlying, priceMicroUsd, updatedHeight: height, updatedTimeNs: atNs, reportingPowerPpm: 1_000_000 });
      oracle.keeper.appendHistory(store, underlying, { timeNs: atNs, priceMicroUsd, height }, oracle.keeper.getParams(store).historyLength);
    },
    setSmile(underlying: string, expiryUnixS: bigint, atmVolPpm: bigint, skewPpm = 0n, curvaturePpm = 0n) {
      oracle.keeper.setSmile(store, { underlying, expiryUnixS, atmVolPpm, skewPpm, curvaturePpm, updatedHeight: height, updatedTimeNs: timeNs, reportingPowerPpm: 1_000_000 });
    },
    deposit(owner: Uint8Array, number: number, amount: bigint) {
      subaccounts.keeper.applyUpdates(ctxOf(), [{ id: { owner, number }, collateralDelta: amount, positionDeltas: [] }], { kind: "deposit", counterparty: owner });
    },
    /** A fill: `buyer` goes long `size` contracts of the series from `seller` at `premium` uusdc per contract. */
    trade(seriesId: bigint, buyer: SubaccountId, seller: SubaccountId, size: bigint, premium = 0n) {
      subaccounts.keeper.applyUpdates(
        ctxOf(),
        [
          { id: buyer, collateralDelta: -size * premium, positionDeltas: [{ instrumentId: seriesId, sizeDelta: size, costBasisDelta: size * premium }] },
          { id: seller, collateralDelta: size * premium, positionDeltas: [{ instrumentId: seriesId, sizeDelta: -size, costBasisDelta: -size * premium }] },
        ],
        { kind: "trade" },
      );
    },
    collateral: (owner: Uint8Array, number = 0) => subaccounts.keeper.collateral(store, { owner, number }),
    bankBalance: (a: Uint8Array) => bank.keeper.getBalance(store, a, USDC),
    invariants: () => [...options.module.invariants!(query()), ...subaccounts.module.invariants!(query()), ...bank.module.invariants!(query())],
  };
  return f;
}

export type Fixture = ReturnType<typeof fixture>;

export function eventsOf(events: Event[], type: string): Array<Record<string, string>> {
  return events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
}

/** Every key/value in the store, for before/after comparisons. */
export function snapshot(store: BranchStore): string[] {
  return [...store.iterate()].map(([k, v]) => `${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`);
}
