/**
 * The standard risk model over a subaccount: per-series state (position, order aggregate, price) with running
 * totals, so adding or removing one order recomputes one series (O(1)), and a full evaluation is the same
 * code run over every order once.
 */
import type { ChainError } from "../../src/errors.js";
import { formatSubaccountId, type Subaccount } from "../subaccounts/index.js";
import { MarginErrors } from "./errors.js";
import type { PricedSeries, RiskModel, RiskSession, SeriesPricer } from "./riskModel.js";
import {
  emptyAggregate,
  ordersInitialMargin,
  positionInitialMargin,
  positionMaintenanceMargin,
  positionValue,
  seriesRisk,
  type SeriesOrderAggregate,
  type SeriesRisk,
} from "./standard.js";
import type { MarginReport, NewOrderRisk, PositionMarginLine, SeriesOrdersMarginLine } from "./types.js";

/** One series' contribution to the account totals. */
interface Contribution {
  value: bigint;
  im: bigint;
  mm: bigint;
  ordersIm: bigint;
  /** No price and something that needs one: a position, or a non-reduce-only order. */
  unpriced: boolean;
}

interface SeriesState {
  seriesId: bigint;
  positionContracts: bigint;
  orders: SeriesOrderAggregate;
  priced: PricedSeries;
  /** undefined when the series has no price (or is unknown). */
  risk: SeriesRisk | undefined;
  contribution: Contribution;
}

function riskOf(p: PricedSeries): SeriesRisk | undefined {
  if (p.status !== "priced") return undefined;
  return seriesRisk({
    kind: p.series.kind,
    strikeMicroUsd: p.series.strikeMicroUsd,
    contractSizePpm: p.contractSizePpm,
    tickSizeMicroUsdc: p.tickSizeMicroUsdc,
    risk: p.risk,
    ...(p.mark === undefined ? {} : { mark: p.mark }),
    ...(p.spotMicroUsd === undefined ? {} : { spotMicroUsd: p.spotMicroUsd }),
    ...(p.settlement === undefined ? {} : { settlement: p.settlement }),
    ...(p.series.settlementPriceMicroUsd === undefined ? {} : { settlementPriceMicroUsd: p.series.settlementPriceMicroUsd }),
    settled: p.series.status === "settled",
  });
}

function contributionOf(s: Pick<SeriesState, "positionContracts" | "orders" | "risk">): Contribution {
  const p = s.positionContracts;
  if (s.risk === undefined) {
    const needsPrice = p !== 0n || s.orders.buyContracts > 0n || s.orders.sellContracts > 0n;
    return { value: 0n, im: 0n, mm: 0n, ordersIm: 0n, unpriced: needsPrice };
  }
  return {
    value: positionValue(p, s.risk),
    im: positionInitialMargin(p, s.risk),
    mm: positionMaintenanceMargin(p, s.risk),
    ordersIm: ordersInitialMargin(p, s.orders, s.risk),
    unpriced: false,
  };
}

const nonNegative = (v: bigint) => (v < 0n ? 0n : v);

function withOrder(a: SeriesOrderAggregate, o: NewOrderRisk, sign: 1n | -1n): SeriesOrderAggregate {
  const n = { ...a };
  const size = sign * o.sizeContracts;
  if (o.reduceOnly) {
    if (o.side === "buy") n.reduceOnlyBuyContracts = nonNegative(n.reduceOnlyBuyContracts + size);
    else n.reduceOnlySellContracts = nonNegative(n.reduceOnlySellContracts + size);
  } else if (o.side === "buy") {
    n.buyContracts = nonNegative(n.buyContracts + size);
    n.buyTicksContracts = nonNegative(n.buyTicksContracts + size * o.priceTicks);
  } else {
    n.sellContracts = nonNegative(n.sellContracts + size);
    n.sellTicksContracts = nonNegative(n.sellTicksContracts + size * o.priceTicks);
  }
  return n;
}

export class StandardSession implements RiskSession {
  private readonly series = new Map<bigint, SeriesState>();
  private equity: bigint;
  private im = 0n;
  private mm = 0n;
  private ordersIm = 0n;
  private unpricedCount = 0;

  constructor(
    private readonly pricer: SeriesPricer,
    private readonly subaccount: Subaccount,
    orders: readonly NewOrderRisk[],
  ) {
    this.equity = subaccount.quoteMicroUsdc;
    // Aggregate first, then price each series once.
    const initial = new Map<bigint, { position: bigint; orders: SeriesOrderAggregate }>();
    for (const p of subaccount.positions) initial.set(p.instrumentId, { position: p.sizeContracts, orders: emptyAggregate() });
    for (const o of orders) {
      if (o.sizeContracts <= 0n || o.priceTicks < 0n) continue;
      const e = initial.get(o.seriesId) ?? { position: 0n, orders: emptyAggregate() };
      e.orders = withOrder(e.orders, o, 1n);
      initial.set(o.seriesId, e);
    }
    for (const [seriesId, e] of initial) {
      const priced = this.pricer.price(seriesId);
      const state: SeriesState = { seriesId, positionContracts: e.position, orders: e.orders, priced, risk: riskOf(priced), contribution: { value: 0n, im: 0n, mm: 0n, ordersIm: 0n, unpriced: false } };
      this.series.set(seriesId, state);
      this.apply(state, contributionOf(state));
    }
  }

  hasUnpriced(): boolean {
    return this.unpricedCount > 0;
  }

  private stateOf(seriesId: bigint): SeriesState {
    let s = this.series.get(seriesId);
    if (s === undefined) {
      const priced = this.pricer.price(seriesId);
      s = { seriesId, positionContracts: 0n, orders: emptyAggregate(), priced, risk: riskOf(priced), contribution: { value: 0n, im: 0n, mm: 0n, ordersIm: 0n, unpriced: false } };
      this.series.set(seriesId, s);
    }
    return s;
  }

  /** Replaces a series' contribution in the running totals. */
  private apply(s: SeriesState, next: Contribution): void {
    const prev = s.contribution;
    this.equity += next.value - prev.value;
    this.im += next.im - prev.im;
    this.mm += next.mm - prev.mm;
    this.ordersIm += next.ordersIm - prev.ordersIm;
    this.unpricedCount += (next.unpriced ? 1 : 0) - (prev.unpriced ? 1 : 0);
    s.contribution = next;
  }

  private firstUnpriced(): bigint | undefined {
    let first: bigint | undefined;
    for (const s of this.series.values()) if (s.contribution.unpriced && (first === undefined || s.seriesId < first)) first = s.seriesId;
    return first;
  }

  private who(): string {
    return formatSubaccountId(this.subaccount.id);
  }

  tryAdd(order: NewOrderRisk): ChainError | undefined {
    if (order.sizeContracts <= 0n || order.priceTicks < 0n) {
      return MarginErrors.invalidOrder.with(`size ${order.sizeContracts} and price ${order.priceTicks} ticks: need a positive size and a non-negative price`);
    }
    const s = this.stateOf(order.seriesId);
    const orders = withOrder(s.orders, order, 1n);
    const next = contributionOf({ positionContracts: s.positionContracts, orders, risk: s.risk });
    // Reduce-only orders add no requirement by themselves: never refused by margin (clob caps them).
    if (!order.reduceOnly) {
      if (s.priced.status === "unknown") return MarginErrors.unknownSeries.with(`series ${order.seriesId}`);
      if (s.priced.series.status === "settled") return MarginErrors.seriesSettled.with(`series ${order.seriesId}`);
      if (s.priced.status === "unpriced") {
        return MarginErrors.noPrice.with(`no price for series ${order.seriesId} (no mark and no ${s.priced.series.underlying} spot)`);
      }
      const otherUnpriced = this.unpricedCount > 0 ? this.firstUnpriced() : undefined;
      if (otherUnpriced !== undefined) {
        return MarginErrors.noPrice.with(`no price for series ${otherUnpriced} held or ordered by subaccount ${this.who()}`);
      }
      const added = next.ordersIm - s.contribution.ordersIm;
      const required = this.im + this.ordersIm + added;
      // An order that does not raise the worst case is accepted even below margin (it cannot make things worse).
      if (added > 0n && this.equity < required) {
        return MarginErrors.belowInitialMargin.with(
          `subaccount ${this.who()}: equity ${this.equity}uusdc is below the initial margin of ${required}uusdc required with this order (series ${order.seriesId})`,
        );
      }
    }
    s.orders = orders;
    this.apply(s, next);
    return undefined;
  }

  remove(order: NewOrderRisk): void {
    if (order.sizeContracts <= 0n || order.priceTicks < 0n) return;
    const s = this.series.get(order.seriesId);
    if (s === undefined) return;
    s.orders = withOrder(s.orders, order, -1n);
    this.apply(s, contributionOf(s));
  }

  report(): MarginReport {
    const states = [...this.series.values()].sort((a, b) => (a.seriesId < b.seriesId ? -1 : a.seriesId > b.seriesId ? 1 : 0));
    const positions: PositionMarginLine[] = [];
    const orders: SeriesOrdersMarginLine[] = [];
    const unpricedSeriesIds: bigint[] = [];
    for (const s of states) {
      if (s.contribution.unpriced) unpricedSeriesIds.push(s.seriesId);
      if (s.risk === undefined) continue;
      const p = s.positionContracts;
      if (p !== 0n) {
        positions.push({
          seriesId: s.seriesId,
          sizeContracts: p,
          markMicroUsdc: p > 0n ? s.risk.markLongMicroUsdc : s.risk.markShortMicroUsdc,
          valueMicroUsdc: s.contribution.value,
          initialMarginMicroUsdc: s.contribution.im,
          maintenanceMarginMicroUsdc: s.contribution.mm,
        });
      }
      const a = s.orders;
      if (a.buyContracts + a.sellContracts + a.reduceOnlyBuyContracts + a.reduceOnlySellContracts > 0n) {
        orders.push({
          seriesId: s.seriesId,
          buyContracts: a.buyContracts + a.reduceOnlyBuyContracts,
          sellContracts: a.sellContracts + a.reduceOnlySellContracts,
          buyPremiumMicroUsdc: a.buyTicksContracts * s.risk.tickSizeMicroUsdc,
          markMicroUsdc: s.risk.markLongMicroUsdc,
          initialMarginMicroUsdc: s.contribution.ordersIm,
        });
      }
    }
    return {
      riskModel: "standard",
      paramsVersion: this.pricer.paramsVersion,
      collateralMicroUsdc: this.subaccount.quoteMicroUsdc,
      equityMicroUsdc: this.equity,
      initialMarginMicroUsdc: this.im + this.ordersIm,
      maintenanceMarginMicroUsdc: this.mm,
      positions,
      orders,
      unpricedSeriesIds,
    };
  }
}

export const STANDARD_MODEL: RiskModel = {
  name: "standard",
  openSession: (pricer, subaccount, orders) => new StandardSession(pricer, subaccount, orders),
};
