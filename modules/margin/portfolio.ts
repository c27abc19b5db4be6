/**
 * Portfolio margin of one account, pure (no store): per underlying, the loss of the positions in every scenario
 * (Σ over series of size × P&L per contract, rounded against the account), the max over scenarios (tail
 * scenarios weighted), plus contingencies; capped by the defined maximum loss when there is one.
 *
 * Exact rules, per underlying u (amounts uusdc; f = im_factor_ppm / 1e6):
 *   loss_s   = Σ_long q·(−pnlFloor_s) + Σ_short |q|·pnlCeil_s
 *   eff_s    = loss_s > 0 ? ceil(loss_s · weight_s / 1e6) : loss_s
 *   scen     = max(0, max_s eff_s)
 *   naked    = Σ_kind max(0, short contracts − long contracts) (any strike or expiry of the same kind covers)
 *   charge   = ceil(naked · naked_short_charge_ppm · spot · contract size / 1e12)
 *            + ceil(|Σ q · delta notional per contract| · oracle_charge_ppm / 1e6)
 *   raw      = scen + charge
 *   cap      = max loss at expiry, when every position shares one expiry and the payoff is bounded below:
 *              max over S ∈ {0, strikes} of Σ q·mark − Σ q·payoff(S), else none
 *   MM_u     = min(raw, cap);  IM_u (positions) = min(ceil(raw·f), cap)
 * Open orders (non-reduce-only; reduce-only orders only shrink positions and are ignored) at their worst case,
 * exactly per scenario: for each series the worst of {nothing fills, all its buys fill, all its sells fill}
 *   buys fill  B at premium Pb:  + Pb − B·markLong − B·pnlFloor_s
 *   sells fill S at premium Ps:  + S·markShort − min(Ps, S·markLong) + S·pnlCeil_s
 * summed over series (the scenario loss is additive, so this is the worst of every fill combination); naked
 * count with every sell filled and no buy; delta charge on the worst |Σ| over the choices. The orders add
 * max(0, ceil(rawWithOrders·f) − ceil(raw·f)) to IM (uncapped). MM and IM sum over underlyings; with
 * cross_underlying_offset the scenario losses are summed index by index first and caps are not applied.
 */
import type { OptionKind } from "./expectedKeepers.js";
import type { SeriesScenarios } from "./scenarioValues.js";
import { gridFor, type PortfolioParams, type Scenario } from "./scenarios.js";

const PPM = 1_000_000n;
const PPM2 = PPM * PPM;

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const abs = (a: bigint) => (a < 0n ? -a : a);
export const ceilDivPos = (n: bigint, d: bigint): bigint => (n <= 0n ? -(-n / d) : (n + d - 1n) / d);

/** One series of an account: its scenario values, marks, position and (non-reduce-only) open orders. */
export interface PortfolioLine {
  s: SeriesScenarios;
  positionContracts: bigint;
  markLongMicroUsdc: bigint;
  markShortMicroUsdc: bigint;
  orders?: OrdersAggregate;
}

export interface OrdersAggregate {
  buyContracts: bigint;
  buyPremiumMicroUsdc: bigint;
  sellContracts: bigint;
  sellPremiumMicroUsdc: bigint;
}

export interface UnderlyingMargin {
  underlying: string;
  scenarios: readonly Scenario[];
  /** Positions' loss per scenario (unweighted; negative = gain). */
  lossMicroUsdc: bigint[];
  worstIndex: number;
  scenarioLossMicroUsdc: bigint;
  nakedShortContracts: bigint;
  nakedChargeMicroUsdc: bigint;
  oracleChargeMicroUsdc: bigint;
  capMicroUsdc: bigint | undefined;
  maintenanceMarginMicroUsdc: bigint;
  initialMarginMicroUsdc: bigint;
  /** What open orders add to IM. */
  ordersInitialMarginMicroUsdc: bigint;
}

export interface PortfolioMargin {
  maintenanceMarginMicroUsdc: bigint;
  initialMarginMicroUsdc: bigint;
  underlyings: UnderlyingMargin[];
}

function positionLoss(q: bigint, s: SeriesScenarios, i: number): bigint {
  if (q === 0n) return 0n;
  return q > 0n ? -q * BigInt(s.pnlFloor[i]!) : -q * BigInt(s.pnlCeil[i]!);
}

function effective(loss: bigint, sc: Scenario): bigint {
  return loss > 0n && sc.weightPpm !== PPM ? ceilDivPos(loss * sc.weightPpm, PPM) : loss;
}

function maxEffective(loss: readonly bigint[], scenarios: readonly Scenario[]): { value: bigint; index: number } {
  let value = 0n;
  let index = -1;
  for (let i = 0; i < loss.length; i++) {
    const e = effective(loss[i]!, scenarios[i]!);
    if (e > value) {
      value = e;
      index = i;
    }
  }
  return { value, index };
}

/** Extra loss per scenario of the worst fill choice of one series' orders (≥ 0), and its delta bounds. */
export function ordersIncrement(l: PortfolioLine): { inc: bigint[]; deltaHi: bigint; deltaLo: bigint } {
  const s = l.s;
  const n = s.scenarios.length;
  const inc = new Array<bigint>(n).fill(0n);
  const o = l.orders;
  if (o === undefined || s.settled || (o.buyContracts === 0n && o.sellContracts === 0n)) return { inc, deltaHi: 0n, deltaLo: 0n };
  const buyFixed = o.buyPremiumMicroUsdc - o.buyContracts * l.markLongMicroUsdc;
  const sellFixed = o.sellContracts * l.markShortMicroUsdc - min(o.sellPremiumMicroUsdc, o.sellContracts * l.markLongMicroUsdc);
  for (let i = 0; i < n; i++) {
    let w = 0n;
    if (o.buyContracts > 0n) w = max(w, buyFixed - o.buyContracts * BigInt(s.pnlFloor[i]!));
    if (o.sellContracts > 0n) w = max(w, sellFixed + o.sellContracts * BigInt(s.pnlCeil[i]!));
    inc[i] = w;
  }
  const dn = s.deltaNotionalMicroUsdc;
  const buyD = o.buyContracts * dn;
  const sellD = -o.sellContracts * dn;
  return { inc, deltaHi: max(0n, max(buyD, sellD)), deltaLo: min(0n, min(buyD, sellD)) };
}

/** Max loss at expiry of positions sharing one expiry (undefined when unbounded or not a single expiry). */
export function definedMaxLoss(lines: readonly PortfolioLine[]): bigint | undefined {
  const held = lines.filter((l) => l.positionContracts !== 0n);
  if (held.length === 0) return 0n;
  if (held.length > 64 || held.some((l) => l.s.settled || l.s.expiryUnixS !== held[0]!.s.expiryUnixS)) return undefined;
  // Above the highest strike the payoff moves by Σ calls q per unit: net short calls lose without bound.
  let callSlope = 0n;
  for (const l of held) if (l.s.kind === "call") callSlope += l.positionContracts;
  if (callSlope < 0n) return undefined;
  let value = 0n;
  for (const l of held) value += l.positionContracts * (l.positionContracts > 0n ? l.markLongMicroUsdc : l.markShortMicroUsdc);
  let worst: bigint | undefined;
  for (const S of [0n, ...held.map((l) => l.s.strikeMicroUsd)]) {
    let payoff = 0n;
    for (const l of held) {
      const k = l.s.strikeMicroUsd;
      const intrinsic = max(l.s.kind === "call" ? S - k : k - S, 0n) * l.s.contractSizePpm;
      const q = l.positionContracts;
      // Longs' payoff rounded down, shorts' up: against the account.
      payoff += q > 0n ? q * (intrinsic / PPM) : q * ceilDivPos(intrinsic, PPM);
    }
    const loss = value - payoff;
    worst = worst === undefined ? loss : max(worst, loss);
  }
  return max(worst ?? 0n, 0n);
}

function nakedOf(lines: readonly PortfolioLine[], withSells: boolean): bigint {
  const shorts: Record<OptionKind, bigint> = { call: 0n, put: 0n };
  const longs: Record<OptionKind, bigint> = { call: 0n, put: 0n };
  for (const l of lines) {
    if (l.s.settled) continue;
    const q = l.positionContracts;
    if (q > 0n) longs[l.s.kind] += q;
    else shorts[l.s.kind] -= q;
    if (withSells && l.orders !== undefined) shorts[l.s.kind] += l.orders.sellContracts;
  }
  return max(0n, shorts.call - longs.call) + max(0n, shorts.put - longs.put);
}

/**
 * One underlying of an account. Positions are fixed at construction; orders of a series can be replaced one at a
 * time (setOrders), updating per-scenario running sums in O(scenarios): what the order-entry session needs.
 */
export class UnderlyingBook {
  readonly scenarios: readonly Scenario[];
  readonly loss: bigint[];
  private readonly incSum: bigint[];
  private readonly incs = new Map<bigint, { inc: bigint[]; deltaHi: bigint; deltaLo: bigint; sells: bigint; kind: OptionKind }>();
  private readonly lines = new Map<bigint, PortfolioLine>();
  private deltaPos = 0n;
  private deltaHiSum = 0n;
  private deltaLoSum = 0n;
  private nakedShorts: Record<OptionKind, bigint> = { call: 0n, put: 0n };
  private longs: Record<OptionKind, bigint> = { call: 0n, put: 0n };
  private sells: Record<OptionKind, bigint> = { call: 0n, put: 0n };
  private spot = 0n;
  private contractSizePpm = 0n;
  readonly base: UnderlyingMargin;

  constructor(readonly underlying: string, private readonly params: PortfolioParams, scenarios: readonly Scenario[], positions: readonly PortfolioLine[]) {
    const grid = gridFor(params, underlying);
    this.scenarios = scenarios;
    const n = this.scenarios.length;
    this.loss = new Array<bigint>(n).fill(0n);
    this.incSum = new Array<bigint>(n).fill(0n);
    for (const l of positions) {
      this.track(l);
      const q = l.positionContracts;
      for (let i = 0; i < n; i++) this.loss[i]! += positionLoss(q, l.s, i);
      if (!l.s.settled) {
        this.deltaPos += q * l.s.deltaNotionalMicroUsdc;
        if (q > 0n) this.longs[l.s.kind] += q;
        else this.nakedShorts[l.s.kind] -= q;
      }
    }
    const worst = maxEffective(this.loss, this.scenarios);
    const nakedContracts = nakedOf(positions, false);
    const nakedCharge = this.nakedCharge(nakedContracts, grid.nakedShortChargePpm);
    const oracleCharge = ceilDivPos(abs(this.deltaPos) * grid.oracleChargePpm, PPM);
    const cap = definedMaxLoss(positions);
    const raw = worst.value + nakedCharge + oracleCharge;
    const im = this.imOf(raw);
    this.base = {
      underlying,
      scenarios: this.scenarios,
      lossMicroUsdc: [...this.loss],
      worstIndex: worst.index,
      scenarioLossMicroUsdc: worst.value,
      nakedShortContracts: nakedContracts,
      nakedChargeMicroUsdc: nakedCharge,
      oracleChargeMicroUsdc: oracleCharge,
      capMicroUsdc: cap,
      maintenanceMarginMicroUsdc: cap === undefined ? raw : min(raw, cap),
      initialMarginMicroUsdc: cap === undefined ? im : min(im, cap),
      ordersInitialMarginMicroUsdc: 0n,
    };
    this.rawBase = raw;
  }

  private readonly rawBase: bigint;

  private track(l: PortfolioLine): void {
    this.lines.set(l.s.seriesId, l);
    if (l.s.spotMicroUsd > this.spot) this.spot = l.s.spotMicroUsd;
    if (l.s.contractSizePpm > this.contractSizePpm) this.contractSizePpm = l.s.contractSizePpm;
  }

  private nakedCharge(contracts: bigint, chargePpm: bigint): bigint {
    return ceilDivPos(contracts * chargePpm * this.spot * this.contractSizePpm, PPM2);
  }

  private imOf(raw: bigint): bigint {
    return ceilDivPos(raw * this.params.imFactorPpm, PPM);
  }

  /** Replaces the open orders of one series (positions unchanged); O(scenarios). */
  setOrders(line: PortfolioLine): void {
    const id = line.s.seriesId;
    if (!this.lines.has(id)) this.track({ ...line, positionContracts: 0n });
    const prev = this.incs.get(id);
    if (prev !== undefined) {
      for (let i = 0; i < prev.inc.length; i++) this.incSum[i]! -= prev.inc[i]!;
      this.deltaHiSum -= prev.deltaHi;
      this.deltaLoSum -= prev.deltaLo;
      this.sells[prev.kind] -= prev.sells;
      this.incs.delete(id);
    }
    const o = line.orders;
    if (o === undefined || line.s.settled || (o.buyContracts === 0n && o.sellContracts === 0n)) return;
    const r = ordersIncrement(line);
    for (let i = 0; i < r.inc.length; i++) this.incSum[i]! += r.inc[i]!;
    this.deltaHiSum += r.deltaHi;
    this.deltaLoSum += r.deltaLo;
    this.sells[line.s.kind] += o.sellContracts;
    this.incs.set(id, { ...r, sells: o.sellContracts, kind: line.s.kind });
  }

  hasOrders(): boolean {
    return this.incs.size > 0;
  }

  /** IM of positions plus what the open orders add (see the module comment). */
  current(): UnderlyingMargin {
    if (this.incs.size === 0) return this.base;
    const grid = gridFor(this.params, this.underlying);
    const withOrders = this.loss.map((v, i) => v + this.incSum[i]!);
    const worst = maxEffective(withOrders, this.scenarios);
    const naked = max(0n, this.nakedShorts.call + this.sells.call - this.longs.call) + max(0n, this.nakedShorts.put + this.sells.put - this.longs.put);
    const hi = abs(this.deltaPos + this.deltaHiSum);
    const lo = abs(this.deltaPos + this.deltaLoSum);
    const raw = worst.value + this.nakedCharge(naked, grid.nakedShortChargePpm) + ceilDivPos(max(hi, lo) * grid.oracleChargePpm, PPM);
    const added = max(0n, this.imOf(raw) - this.imOf(this.rawBase));
    return { ...this.base, initialMarginMicroUsdc: this.base.initialMarginMicroUsdc + added, ordersInitialMarginMicroUsdc: added };
  }
}

/** Groups lines by underlying (ascending), series ascending within. */
export function groupByUnderlying(lines: readonly PortfolioLine[]): Map<string, PortfolioLine[]> {
  const sorted = [...lines].sort((a, b) =>
    a.s.underlying !== b.s.underlying ? (a.s.underlying < b.s.underlying ? -1 : 1) : a.s.seriesId < b.s.seriesId ? -1 : a.s.seriesId > b.s.seriesId ? 1 : 0,
  );
  const out = new Map<string, PortfolioLine[]>();
  for (const l of sorted) {
    const g = out.get(l.s.underlying);
    if (g === undefined) out.set(l.s.underlying, [l]);
    else g.push(l);
  }
  return out;
}

/** Builds one book per underlying with positions, then adds every series' orders. */
export function buildBooks(lines: readonly PortfolioLine[], params: PortfolioParams): Map<string, UnderlyingBook> {
  const books = new Map<string, UnderlyingBook>();
  for (const [u, group] of groupByUnderlying(lines)) {
    const book = new UnderlyingBook(u, params, group[0]!.s.scenarios, group.filter((l) => l.positionContracts !== 0n));
    for (const l of group) if (l.orders !== undefined) book.setOrders(l);
    books.set(u, book);
  }
  return books;
}

/** Totals over underlyings (with the optional cross-underlying offset). */
export function totalOf(margins: readonly UnderlyingMargin[], params: PortfolioParams): PortfolioMargin {
  let mm = 0n;
  let im = 0n;
  if (!params.crossUnderlyingOffset || margins.length < 2) {
    for (const m of margins) {
      mm += m.maintenanceMarginMicroUsdc;
      im += m.initialMarginMicroUsdc;
    }
    return { maintenanceMarginMicroUsdc: mm, initialMarginMicroUsdc: im, underlyings: [...margins] };
  }
  const n = margins[0]!.lossMicroUsdc.length;
  const summed = new Array<bigint>(n).fill(0n);
  let charges = 0n;
  let ordersIm = 0n;
  for (const m of margins) {
    for (let i = 0; i < n; i++) summed[i]! += effective(m.lossMicroUsdc[i] ?? 0n, m.scenarios[i]!);
    charges += m.nakedChargeMicroUsdc + m.oracleChargeMicroUsdc;
    ordersIm += m.ordersInitialMarginMicroUsdc;
  }
  const raw = summed.reduce((a, b) => max(a, b), 0n) + charges;
  return { maintenanceMarginMicroUsdc: raw, initialMarginMicroUsdc: ceilDivPos(raw * params.imFactorPpm, PPM) + ordersIm, underlyings: [...margins] };
}

/** Full evaluation of an account (positions and orders). */
export function evaluatePortfolio(lines: readonly PortfolioLine[], params: PortfolioParams): PortfolioMargin {
  return totalOf([...buildBooks(lines, params).values()].map((b) => b.current()), params);
}
