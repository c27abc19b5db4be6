/** Fakes of options, oracle, clob and subaccounts for margin tests, over one in-memory store (params only). */
import type { Context } from "../../../src/app/context.js";
import { GasMeter, INFINITE_GAS } from "../../../src/app/gas.js";
import type { QueryContext } from "../../../src/app/module.js";
import { memoryStore } from "../../../src/store/index.js";
import type { KVReader } from "../../../src/store/types.js";
import { createMarginModule, type MarginClobReader, type MarginOpenOrder, type MarginOptionsReader, type MarginSpotReader, type MarkView } from "../../../modules/margin/index.js";
import type { Subaccount, SubaccountId } from "../../../modules/subaccounts/index.js";

export const USD = 1_000_000n; // micro-USD (and uusdc) per dollar
export const BTC_CS = 10_000n; // 0.01 BTC per contract
export const TICK = 100_000n; // 0.1 USDC per tick

export interface FakeSeries {
  id: bigint;
  underlying: string;
  expiryUnixS: bigint;
  strikeMicroUsd: bigint;
  kind: "call" | "put";
  status: "active" | "close_only" | "settled";
  settlementPriceMicroUsd?: bigint;
}

export function addr(n: number): Uint8Array {
  const a = new Uint8Array(20);
  a[19] = n;
  return a;
}

export const idOf = (n: number, number = 0): SubaccountId => ({ owner: addr(n), number });
const keyOf = (id: SubaccountId) => `${Buffer.from(id.owner).toString("hex")}/${id.number.toString().padStart(6, "0")}`;

export function fixture() {
  const series = new Map<bigint, FakeSeries>();
  const marks = new Map<bigint, bigint>(); // seriesId → mark per contract (spot from `spots`)
  const spots = new Map<string, bigint>();
  const underlyings = new Map([
    ["BTC", { symbol: "BTC", contractSizePpm: BTC_CS, tickSizeMicroUsdc: TICK }],
    ["ETH", { symbol: "ETH", contractSizePpm: 100_000n, tickSizeMicroUsdc: 10_000n }],
  ]);
  const accounts = new Map<string, Subaccount>();
  let orders: MarginOpenOrder[] = [];
  let nextOrderId = 1n;
  const calls = { mark: 0, markTimes: [] as bigint[], openOrdersOf: 0, cancelAllOf: [] as string[] };
  let blockTimeNs = 1_000n;

  const options: MarginOptionsReader = {
    series: (_s: KVReader, id: bigint) => series.get(id),
    underlying: (_s: KVReader, symbol: string) => underlyings.get(symbol),
    mark(_s: KVReader, id: bigint, nowNs: bigint): MarkView | undefined {
      calls.mark++;
      calls.markTimes.push(nowNs);
      const m = marks.get(id);
      const ser = series.get(id);
      const spot = ser === undefined ? undefined : spots.get(ser.underlying);
      if (m === undefined || spot === undefined) return undefined;
      return { seriesId: id, spotMicroUsd: spot, markMicroUsdcPerContract: m };
    },
  };
  const oracle: MarginSpotReader = {
    price: (_s: KVReader, u: string) => (spots.has(u) ? { priceMicroUsd: spots.get(u)! } : undefined),
  };
  const clob: MarginClobReader = {
    openOrdersOf(_s: KVReader, id: SubaccountId) {
      calls.openOrdersOf++;
      return orders
        .filter((o) => keyOf(o.subaccount) === keyOf(id))
        .sort((a, b) => (a.seriesId !== b.seriesId ? (a.seriesId < b.seriesId ? -1 : 1) : a.orderId < b.orderId ? -1 : 1));
    },
    *subaccountsWithOrders() {
      const seen = new Map<string, SubaccountId>();
      for (const o of orders) seen.set(keyOf(o.subaccount), o.subaccount);
      for (const k of [...seen.keys()].sort()) yield seen.get(k)!;
    },
    cancelAllOf(_ctx: Context, id: SubaccountId, reason: string) {
      const before = orders.length;
      orders = orders.filter((o) => keyOf(o.subaccount) !== keyOf(id));
      calls.cancelAllOf.push(`${keyOf(id)}:${reason}`);
      return before - orders.length;
    },
  };
  const subaccounts = {
    get: (_s: KVReader, id: SubaccountId): Subaccount => accounts.get(keyOf(id)) ?? { id, quoteMicroUsdc: 0n, positions: [] },
  };
  const store = memoryStore();
  const { module, keeper } = createMarginModule({ options, oracle: () => oracle, clob: () => clob, subaccounts });
  const ctx = (): Context => ({
    mode: "deliver",
    chainId: "test",
    height: 2n,
    blockTimeNs,
    header: undefined,
    store,
    gasMeter: new GasMeter(INFINITE_GAS),
    events: [],
  });
  module.initGenesis(ctx(), module.defaultGenesis());
  const query = (): QueryContext => ({ chainId: "test", height: 2n, blockTimeNs, store });

  return {
    store,
    module,
    keeper,
    ctx,
    query,
    calls,
    options,
    oracle,
    series,
    marks,
    spots,
    setBlockTime: (t: bigint) => void (blockTimeNs = t),
    addSeries(s: Omit<FakeSeries, "expiryUnixS" | "status" | "underlying"> & Partial<FakeSeries>, mark?: bigint) {
      series.set(s.id, { underlying: "BTC", expiryUnixS: 1_800_000_000n, status: "active", ...s });
      if (mark !== undefined) marks.set(s.id, mark);
    },
    setAccount(id: SubaccountId, collateral: bigint, positions: Array<[bigint, bigint]> = []) {
      const sorted = [...positions].sort((a, b) => (a[0] < b[0] ? -1 : 1));
      accounts.set(keyOf(id), { id, quoteMicroUsdc: collateral, positions: sorted.map(([instrumentId, sizeContracts]) => ({ instrumentId, sizeContracts, costBasisMicroUsdc: 0n })) });
    },
    account: (id: SubaccountId) => subaccounts.get(store, id),
    addOrder(id: SubaccountId, seriesId: bigint, side: "buy" | "sell", priceTicks: bigint, remainingContracts: bigint, reduceOnly = false) {
      orders.push({ orderId: nextOrderId++, seriesId, subaccount: id, side, priceTicks, remainingContracts, reduceOnly });
    },
    orders: () => orders,
  };
}
export type Fixture = ReturnType<typeof fixture>;
