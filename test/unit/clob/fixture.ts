/**
 * An in-memory chain slice for CLOB keeper tests: real auth, bank and subaccounts modules, a fake options
 * reader (series, marks, staleness set by the test), an optional fake margin gate, the clob module, and helpers
 * that run a message like the tx runner does (branch, gas-metered store, write on success, discard on error).
 */
import { expect } from "vitest";
import type { Context, ExecMode } from "../../../src/app/context.js";
import { GasKVStore, GasMeter, INFINITE_GAS } from "../../../src/app/gas.js";
import type { MsgResponse, QueryContext } from "../../../src/app/module.js";
import { ACCOUNT_PREFIX, moduleAddress, toBech32Address } from "../../../src/crypto/address.js";
import { ChainError } from "../../../src/errors.js";
import { memoryStore } from "../../../src/store/index.js";
import type { Event } from "../../../src/types/events.js";
import { createAuthModule } from "../../../modules/auth/index.js";
import { createBankModule } from "../../../modules/bank/index.js";
import { createSubaccountsModule } from "../../../modules/subaccounts/index.js";
import { ClobCodec, createClobModule, FEE_POOL_MODULE_ACCOUNT, type MarginGate, type OptionsReader } from "../../../modules/clob/index.js";

export const USDC = "uusdc";
export const GENESIS_NS = 1_767_225_600_000_000_000n;
export const BTC_SPOT = 100_000_000_000n; // 100,000 USD in micro-USD

export interface FakeSeries {
  id: bigint;
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: "call" | "put";
  status: "active" | "close_only" | "settled";
}

export function addr(n: number): Uint8Array {
  const a = new Uint8Array(20);
  a[19] = n;
  a[0] = 7;
  return a;
}

export const bech = (n: number) => toBech32Address(ACCOUNT_PREFIX, addr(n));

export function fakeOptions() {
  const expiry = GENESIS_NS / 1_000_000_000n + 30n * 86_400n;
  const series = new Map<bigint, FakeSeries>();
  for (const [id, u, exp] of [
    [1n, "BTC", expiry],
    [2n, "BTC", expiry],
    [3n, "BTC", expiry + 86_400n],
    [4n, "ETH", expiry],
  ] as const) {
    series.set(id, { id, underlying: u, expiryUnixS: exp, strikeMicroUsd: 100_000_000_000n, kind: "call", status: "active" });
  }
  const underlyings = new Map([
    ["BTC", { symbol: "BTC", contractSizePpm: 10_000n, tickSizeMicroUsdc: 1_000n, minSizeContracts: 1n, maxOrderSizeContracts: 10_000n, maxPriceTicks: 10_000_000n }],
    ["ETH", { symbol: "ETH", contractSizePpm: 100_000n, tickSizeMicroUsdc: 1_000n, minSizeContracts: 2n, maxOrderSizeContracts: 10_000n, maxPriceTicks: 10_000_000n }],
  ]);
  const stale = new Set<string>();
  const marks = new Map<bigint, { spotMicroUsd: bigint; deltaPpm: bigint; vegaMicroUsdcPerVolPoint: bigint } | undefined>();
  const reader: OptionsReader = {
    series: (_s, id) => series.get(id),
    underlying: (_s, sym) => underlyings.get(sym),
    mark: (_s, id) => (marks.has(id) ? marks.get(id) : { spotMicroUsd: BTC_SPOT, deltaPpm: 500_000n, vegaMicroUsdcPerVolPoint: 2_000_000n }),
    isStale: (_s, u) => stale.has(u),
  };
  return { reader, series, underlyings, stale, marks };
}

export interface FixtureOpts {
  margin?: MarginGate;
  clobGenesis?: unknown;
  funded?: number[];
}

export function clobFixture(opts: FixtureOpts = {}) {
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  const subaccounts = createSubaccountsModule({ accounts: auth.keeper, bank: bank.keeper });
  const options = fakeOptions();
  const clob = createClobModule({ accounts: auth.keeper, options: options.reader, subaccounts: subaccounts.keeper, ...(opts.margin ? { margin: opts.margin } : {}) });
  const store = memoryStore();
  const chain = { height: 1n, timeNs: GENESIS_NS };
  const ctxOf = (mode: ExecMode, s = store, meter = new GasMeter(INFINITE_GAS)): Context & { events: Event[] } => ({
    mode,
    chainId: "test",
    height: chain.height,
    blockTimeNs: chain.timeNs,
    header: undefined,
    store: s,
    gasMeter: meter,
    events: [],
  });
  const g = ctxOf("genesis");
  auth.module.initGenesis(g, auth.module.defaultGenesis());
  bank.module.initGenesis(g, bank.module.defaultGenesis());
  subaccounts.module.initGenesis(g, subaccounts.module.defaultGenesis());
  clob.module.initGenesis(g, opts.clobGenesis ?? clob.module.defaultGenesis());
  const funded = opts.funded ?? [1, 2, 3, 4];
  let supply = 0n;
  for (const n of funded) {
    auth.keeper.newAccount(store, addr(n));
    bank.keeper.setBalance(store, addr(n), USDC, 1_000_000_000_000n);
    supply += 1_000_000_000_000n;
  }
  bank.keeper.setSupply(store, USDC, supply);
  for (const n of funded) {
    subaccounts.keeper.applyUpdates(g, [{ id: { owner: addr(n), number: 0 }, collateralDelta: 500_000_000_000n, positionDeltas: [] }], { kind: "deposit", counterparty: addr(n) });
  }
  const routes = new Map(clob.module.msgRoutes.map((r) => [r.typeUrl, r]));

  /** Runs one message as DeliverTx does; returns the response or the ChainError (state untouched on error). */
  function exec(typeUrl: string, msg: unknown, mode: ExecMode = "deliver"): { ok: true; value: MsgResponse; events: Event[] } | { ok: false; error: ChainError } {
    const route = routes.get(typeUrl)!;
    const branch = store.branch();
    const ctx = ctxOf(mode, new GasKVStore(branch, new GasMeter(INFINITE_GAS)) as unknown as typeof store);
    try {
      route.validateBasic(msg);
      const value = route.handle(ctx, msg);
      if (mode === "deliver") branch.write();
      return { ok: true, value, events: ctx.events };
    } catch (err) {
      if (!(err instanceof ChainError)) throw err;
      return { ok: false, error: err };
    }
  }

  const C = ClobCodec;
  function spec(p: Partial<ClobCodec.OrderSpec> & { seriesId?: bigint }): ClobCodec.OrderSpec {
    return C.OrderSpec.fromPartial({ seriesId: 1n, side: C.SideProto.BUY, priceTicks: 100n, sizeContracts: 1n, ...p });
  }
  function place(n: number, p: Partial<ClobCodec.OrderSpec>, number = 0) {
    return exec(C.MsgPlaceOrder.typeUrl, { owner: bech(n), subaccountNumber: number, order: spec(p) });
  }
  function placeOk(n: number, p: Partial<ClobCodec.OrderSpec>, number = 0): ClobCodec.MsgPlaceOrderResponse {
    const r = place(n, p, number);
    if (!r.ok) throw new Error(`place failed: ${r.error.message}`);
    return C.MsgPlaceOrderResponse.decode(r.value.value);
  }
  function expectErr(r: { ok: boolean; error?: ChainError }, code: number, codespace = "clob"): void {
    expect(r.ok, r.ok ? "expected an error" : r.error!.message).toBe(false);
    expect({ codespace: r.error!.codespace, code: r.error!.code }).toEqual({ codespace, code });
  }
  const q = (): QueryContext => ({ chainId: "test", height: chain.height, blockTimeNs: chain.timeNs, store });
  function query<Req, Res>(path: string, reqCodec: { encode(r: Req): Uint8Array }, resCodec: { decode(b: Uint8Array): Res }, req: Req): Res {
    const route = clob.module.queryRoutes.find((r) => r.path === `/vanna.clob.v1.Query/${path}`)!;
    return resCodec.decode(route.handle(q(), reqCodec.encode(req)));
  }
  function beginBlock(height: bigint, timeNs: bigint): Event[] {
    chain.height = height;
    chain.timeNs = timeNs;
    const branch = store.branch();
    const ctx = ctxOf("block", branch);
    clob.module.beginBlock!(ctx);
    branch.write();
    return ctx.events;
  }
  const position = (n: number, series = 1n, number = 0) => subaccounts.keeper.position(store, { owner: addr(n), number }, series)?.sizeContracts ?? 0n;
  const collateral = (n: number, number = 0) => subaccounts.keeper.collateral(store, { owner: addr(n), number });
  const feePool = () => bank.keeper.getBalance(store, moduleAddress(FEE_POOL_MODULE_ACCOUNT), USDC);
  const invariants = () => [...clob.module.invariants!(q()), ...subaccounts.module.invariants!(q()), ...bank.module.invariants!(q())];
  return { store, chain, ctxOf, exec, place, placeOk, spec, expectErr, query, beginBlock, position, collateral, feePool, invariants, keeper: clob.keeper, module: clob.module, options, subaccounts, bank, auth, C };
}

export type ClobFixture = ReturnType<typeof clobFixture>;

export function attrs(events: Event[], type: string): Array<Record<string, string>> {
  return events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
}
