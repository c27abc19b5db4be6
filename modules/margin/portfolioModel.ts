/**
 * The portfolio risk model over a subaccount (RiskModel "portfolio"): equity as in the standard model (marks),
 * requirements from scenario losses (portfolio.ts). Adding or removing one order replaces one series' order
 * increment in its underlying's book: O(scenarios), so a batch of quotes costs one small update each.
 */
import type { ChainError } from "../../src/errors.js";
import { formatSubaccountId, type Subaccount } from "../subaccounts/index.js";
import { MarginErrors } from "./errors.js";
import { buildBooks, totalOf, UnderlyingBook, type OrdersAggregate, type PortfolioLine, type PortfolioMargin } from "./portfolio.js";
import type { PricedSeries, RiskModel, RiskSession, SeriesPricer } from "./riskModel.js";
import type { SeriesScenarios } from "./scenarioValues.js";
import type { PortfolioParams } from "./scenarios.js";
import { positionValue, seriesRisk, type SeriesRisk } from "./standard.js";
import type { MarginReport, NewOrderRisk, PositionMarginLine, SeriesOrdersMarginLine } from "./types.js";

/** Scenario values of a series at the evaluation's time (undefined: no price). */
export type ScenarioSource = (priced: Extract<PricedSeries, { status: "priced" }>) => SeriesScenarios | undefined;

interface SeriesState {
  seriesId: bigint;
  priced: PricedSeries;
  risk: SeriesRisk | undefined;
  scen: SeriesScenarios | undefined;
  position: bigint;
  orders: OrdersAggregate;
  reduceOnly: { buy: bigint; sell: bigint };
}

const emptyOrders = (): OrdersAggregate => ({ buyContracts: 0n, buyPremiumMicroUsdc: 0n, sellContracts: 0n, sellPremiumMicroUsdc: 0n });
const nonNeg = (v: bigint) => (v < 0n ? 0n : v);

export function riskOfPriced(p: PricedSeries): SeriesRisk | undefined {
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

export class PortfolioSession implements RiskSession {
  private readonly series = new Map<bigint, SeriesState>();
  private books = new Map<string, UnderlyingBook>();
  private readonly equity: bigint;
  private unpriced = new Set<bigint>();

  constructor(
    private readonly pricer: SeriesPricer,
    private readonly source: ScenarioSource,
    private readonly params: PortfolioParams,
    private readonly subaccount: Subaccount,
    orders: readonly NewOrderRisk[],
  ) {
    let equity = subaccount.quoteMicroUsdc;
    for (const p of subaccount.positions) this.stateOf(p.instrumentId).position = p.sizeContracts;
    for (const o of orders) {
      if (o.sizeContracts <= 0n || o.priceTicks < 0n) continue;
      const s = this.stateOf(o.seriesId);
      this.withOrder(s, o, 1n);
    }
    for (const s of this.series.values()) {
      if (s.risk !== undefined) equity += positionValue(s.position, s.risk);
      this.refreshUnpriced(s);
    }
    this.equity = equity;
    this.books = buildBooks(this.lines(), params);
  }

  private stateOf(seriesId: bigint): SeriesState {
    let s = this.series.get(seriesId);
    if (s === undefined) {
      const priced = this.pricer.price(seriesId);
      const risk = riskOfPriced(priced);
      const scen = priced.status === "priced" && risk !== undefined ? this.source(priced) : undefined;
      s = { seriesId, priced, risk, scen, position: 0n, orders: emptyOrders(), reduceOnly: { buy: 0n, sell: 0n } };
      this.series.set(seriesId, s);
    }
    return s;
  }

  private withOrder(s: SeriesState, o: NewOrderRisk, sign: 1n | -1n): void {
    const size = sign * o.sizeContracts;
    if (o.reduceOnly) {
      if (o.side === "buy") s.reduceOnly.buy = nonNeg(s.reduceOnly.buy + size);
      else s.reduceOnly.sell = nonNeg(s.reduceOnly.sell + size);
      return;
    }
    const tick = s.priced.status === "priced" ? s.priced.tickSizeMicroUsdc : 0n;
    const premium = size * o.priceTicks * tick;
    const a = { ...s.orders };
    if (o.side === "buy") {
      a.buyContracts = nonNeg(a.buyContracts + size);
      a.buyPremiumMicroUsdc = a.buyContracts === 0n ? 0n : nonNeg(a.buyPremiumMicroUsdc + premium);
    } else {
      a.sellContracts = nonNeg(a.sellContracts + size);
      a.sellPremiumMicroUsdc = a.sellContracts === 0n ? 0n : nonNeg(a.sellPremiumMicroUsdc + premium);
    }
    s.orders = a;
  }

  private needsPrice(s: SeriesState): boolean {
    return s.position !== 0n || s.orders.buyContracts > 0n || s.orders.sellContracts > 0n;
  }

  private refreshUnpriced(s: SeriesState): void {
    if (s.scen === undefined && this.needsPrice(s)) this.unpriced.add(s.seriesId);
    else this.unpriced.delete(s.seriesId);
  }

  private lineOf(s: SeriesState): PortfolioLine | undefined {
    if (s.scen === undefined || s.risk === undefined) return undefined;
    const hasOrders = s.orders.buyContracts > 0n || s.orders.sellContracts > 0n;
    return {
      s: s.scen,
      positionContracts: s.position,
      markLongMicroUsdc: s.risk.markLongMicroUsdc,
      markShortMicroUsdc: s.risk.markShortMicroUsdc,
      ...(hasOrders ? { orders: s.orders } : {}),
    };
  }

  private lines(): PortfolioLine[] {
    const out: PortfolioLine[] = [];
    for (const s of this.series.values()) {
      const l = this.lineOf(s);
      if (l !== undefined && (l.positionContracts !== 0n || l.orders !== undefined)) out.push(l);
    }
    return out;
  }

  private margin(): PortfolioMargin {
    return totalOf([...this.books.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, b]) => b.current()), this.params);
  }

  private applyOrders(s: SeriesState): void {
    const line = this.lineOf(s);
    if (line === undefined) return;
    const u = line.s.underlying;
    let book = this.books.get(u);
    if (book === undefined) {
      book = new UnderlyingBook(u, this.params, line.s.scenarios, []);
      this.books.set(u, book);
    }
    book.setOrders(line.orders === undefined ? { ...line, orders: emptyOrders() } : line);
  }

  hasUnpriced(): boolean {
    return this.unpriced.size > 0;
  }

  tryAdd(order: NewOrderRisk): ChainError | undefined {
    if (order.sizeContracts <= 0n || order.priceTicks < 0n) {
      return MarginErrors.invalidOrder.with(`size ${order.sizeContracts} and price ${order.priceTicks} ticks: need a positive size and a non-negative price`);
    }
    const s = this.stateOf(order.seriesId);
    if (order.reduceOnly) {
      this.withOrder(s, order, 1n);
      return undefined;
    }
    if (s.priced.status === "unknown") return MarginErrors.unknownSeries.with(`series ${order.seriesId}`);
    if (s.priced.series.status === "settled") return MarginErrors.seriesSettled.with(`series ${order.seriesId}`);
    if (s.scen === undefined) return MarginErrors.noPrice.with(`no price for series ${order.seriesId} (no scenario values for ${s.priced.series.underlying})`);
    const other = [...this.unpriced].sort((a, b) => (a < b ? -1 : 1))[0];
    if (other !== undefined) return MarginErrors.noPrice.with(`no price for series ${other} held or ordered by subaccount ${formatSubaccountId(this.subaccount.id)}`);
    const before = this.margin().initialMarginMicroUsdc;
    const saved = s.orders;
    this.withOrder(s, order, 1n);
    this.applyOrders(s);
    const required = this.margin().initialMarginMicroUsdc;
    if (required > before && this.equity < required) {
      s.orders = saved;
      this.applyOrders(s);
      return MarginErrors.belowInitialMargin.with(
        `subaccount ${formatSubaccountId(this.subaccount.id)}: equity ${this.equity}uusdc is below the portfolio initial margin of ${required}uusdc required with this order (series ${order.seriesId})`,
      );
    }
    return undefined;
  }

  remove(order: NewOrderRisk): void {
    if (order.sizeContracts <= 0n || order.priceTicks < 0n) return;
    const s = this.series.get(order.seriesId);
    if (s === undefined) return;
    this.withOrder(s, order, -1n);
    if (!order.reduceOnly) this.applyOrders(s);
    this.refreshUnpriced(s);
  }

  portfolio(): PortfolioMargin {
    return this.margin();
  }

  report(): MarginReport {
    const m = this.margin();
    const states = [...this.series.values()].sort((a, b) => (a.seriesId < b.seriesId ? -1 : a.seriesId > b.seriesId ? 1 : 0));
    const positions: PositionMarginLine[] = [];
    const orders: SeriesOrdersMarginLine[] = [];
    for (const s of states) {
      if (s.risk === undefined) continue;
      if (s.position !== 0n) {
        positions.push({
          seriesId: s.seriesId,
          sizeContracts: s.position,
          markMicroUsdc: s.position > 0n ? s.risk.markLongMicroUsdc : s.risk.markShortMicroUsdc,
          valueMicroUsdc: positionValue(s.position, s.risk),
          // Portfolio requirements belong to the underlying, not to a position: see `portfolio`.
          initialMarginMicroUsdc: 0n,
          maintenanceMarginMicroUsdc: 0n,
        });
      }
      const a = s.orders;
      if (a.buyContracts + a.sellContracts + s.reduceOnly.buy + s.reduceOnly.sell > 0n) {
        orders.push({
          seriesId: s.seriesId,
          buyContracts: a.buyContracts + s.reduceOnly.buy,
          sellContracts: a.sellContracts + s.reduceOnly.sell,
          buyPremiumMicroUsdc: a.buyPremiumMicroUsdc,
          markMicroUsdc: s.risk.markLongMicroUsdc,
          initialMarginMicroUsdc: 0n,
        });
      }
    }
    return {
      riskModel: "portfolio",
      paramsVersion: this.pricer.paramsVersion,
      collateralMicroUsdc: this.subaccount.quoteMicroUsdc,
      equityMicroUsdc: this.equity,
      initialMarginMicroUsdc: m.initialMarginMicroUsdc,
      maintenanceMarginMicroUsdc: m.maintenanceMarginMicroUsdc,
      positions,
      orders,
      unpricedSeriesIds: [...this.unpriced].sort((a, b) => (a < b ? -1 : 1)),
      portfolio: m,
    };
  }
}

/** A portfolio model bound to one evaluation's scenario source and params. */
export function portfolioModel(source: ScenarioSource, params: PortfolioParams): RiskModel {
  return { name: "portfolio", openSession: (pricer, subaccount, orders) => new PortfolioSession(pricer, source, params, subaccount, orders) };
}
