/**
 * Portfolio margin at scale: 1,000 live series, 10k and 100k subaccounts of 10 positions each, kept by the
 * PortfolioEngine (flat typed arrays, exact doubles, per-account cache, underlying → accounts index).
 *   fullRecomputeMs     every account re-evaluated after an oracle update reprices every series (refresh)
 *   incrementalFirstBlockMs  the first block where 1% of accounts changed a position and nothing repriced (load + refresh)
 *   incremental1pctMs   the fourth such block (other accounts each time), the steady state of a chain
 *   idleBlockMs         a block where nothing changed (refresh finds nothing to do)
 *   standardSameBlockMs the standard per-position MM of the same accounts, for the ratio
 *   engineHeapMB        JS heap held by the engine for n accounts
 *   engineArrayBuffersMB  typed-array memory it holds (arena, series table), outside that heap
 * Every changed account and a sample of the others are checked against the bigint reference (evaluatePortfolio).
 * Then the capital-efficiency table: standard vs portfolio IM of reference books against their true max loss.
 */
import {
  capitalEfficiency,
  computeSeriesScenarios,
  DEFAULT_PORTFOLIO_PARAMS as P,
  DEFAULT_RISK_PARAMS,
  DEFAULT_SCENARIO_GRID,
  evaluatePortfolio,
  PortfolioEngine,
  positionMaintenanceMargin,
  referenceBooks,
  seriesRisk,
  type SeriesScenarios,
} from "../../modules/margin/index.js";
import { collectGarbage, msSince, nowNs, round } from "./harness.js";

const USD = 1_000_000n;
const NOW = 1_700_000_000n * 1_000_000_000n;
const SPOT = 100_000n * USD;
const PER_ACCOUNT = 10;

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function priceAll(spot: bigint, epochBase: number): SeriesScenarios[] {
  const out: SeriesScenarios[] = [];
  for (let i = 0; i < 1000; i++) {
    const strike = (60_000n + BigInt(i % 50) * 1_600n) * USD;
    const expiry = 1_700_000_000n + BigInt(1 + Math.floor(i / 100)) * 7n * 86_400n;
    const s = computeSeriesScenarios(
      { seriesId: BigInt(i + 1), underlying: "BTC", kind: i % 2 === 0 ? "call" : "put", strikeMicroUsd: strike, expiryUnixS: expiry, contractSizePpm: 10_000n, spotMicroUsd: spot, volPpm: 600_000n, settled: false, nowNs: NOW },
      DEFAULT_SCENARIO_GRID,
      P,
      epochBase + i,
    );
    out.push(s!);
  }
  return out;
}

const usd = (v: bigint | undefined) => (v === undefined ? "unbounded" : `$${(Number(v) / 1e6).toFixed(2)}`);
const ratio = (a: bigint, b: bigint | undefined) => (b === undefined || b === 0n ? "n/a" : round(Number(a) / Number(b), 3));

export function efficiencyTable(): Array<Record<string, unknown>> {
  const expiry = NOW / 1_000_000_000n + 30n * 86_400n;
  const market = { underlying: "BTC", spotMicroUsd: SPOT, volPpm: 600_000n, nowNs: NOW, contractSizePpm: 10_000n, tickSizeMicroUsdc: 100_000n };
  return capitalEfficiency(referenceBooks(SPOT, expiry, expiry + 60n * 86_400n), market, P, DEFAULT_RISK_PARAMS).map((r) => ({
    book: r.name,
    premium: usd(r.premiumMicroUsdc),
    standardIM: usd(r.standardImMicroUsdc),
    portfolioIM: usd(r.portfolioImMicroUsdc),
    portfolioMM: usd(r.portfolioMmMicroUsdc),
    trueMaxLoss: usd(r.trueMaxLossMicroUsdc),
    "pmIM/stdIM": ratio(r.portfolioImMicroUsdc, r.standardImMicroUsdc),
    "pmMM/maxLoss": ratio(r.portfolioMmMicroUsdc, r.trueMaxLossMicroUsdc),
  }));
}

export async function run(): Promise<Record<string, unknown>> {
  const t0 = nowNs();
  const series = priceAll(SPOT, 1);
  const scenarioPricingMs = msSince(t0);
  const repriced = priceAll(SPOT + 500n * USD, 10_001);
  const risks = series.map((s) => seriesRisk({ kind: s.kind, strikeMicroUsd: s.strikeMicroUsd, contractSizePpm: 10_000n, tickSizeMicroUsdc: 100_000n, risk: DEFAULT_RISK_PARAMS, spotMicroUsd: SPOT })!);
  const out: Record<string, unknown> = { series: 1000, scenarios: series[0]!.scenarios.length, scenarioPricingAllSeriesMs: round(scenarioPricingMs, 1) };
  for (const n of [10_000, 100_000]) {
    // Positions as compact arrays (what the chain's state would hand over), generated before measuring memory.
    const rnd = lcg(n);
    const sIdx = new Int32Array(n * PER_ACCOUNT);
    const qty = new Int8Array(n * PER_ACCOUNT);
    for (let a = 0; a < n; a++) {
      const used = new Set<number>();
      for (let j = 0; j < PER_ACCOUNT; ) {
        const i = Math.floor(rnd() * 1000);
        if (used.has(i)) continue;
        used.add(i);
        sIdx[a * PER_ACCOUNT + j] = i;
        qty[a * PER_ACCOUNT + j] = Math.floor(rnd() * 21) - 10 || 1;
        j++;
      }
    }
    const positionsOf = (a: number) => Array.from({ length: PER_ACCOUNT }, (_, j) => ({ seriesId: BigInt(sIdx[a * PER_ACCOUNT + j]! + 1), sizeContracts: BigInt(qty[a * PER_ACCOUNT + j]!) }));
    collectGarbage();
    const heap0 = process.memoryUsage().heapUsed;
    const buffers0 = process.memoryUsage().arrayBuffers;
    const engine = new PortfolioEngine(P);
    for (let i = 0; i < series.length; i++) engine.setSeries(series[i]!, risks[i]!.markLongMicroUsdc, risks[i]!.markShortMicroUsdc);
    let t = nowNs();
    // Positions go straight from the compact arrays into the engine (no per-position objects or bigints).
    const load = (a: number) => {
      engine.beginAccount();
      for (let j = a * PER_ACCOUNT; j < (a + 1) * PER_ACCOUNT; j++) engine.addPositionNumber(sIdx[j]! + 1, qty[j]!);
      engine.commitAccount(`acct${a}`);
    };
    for (let a = 0; a < n; a++) load(a);
    const loadMs = msSince(t);
    t = nowNs();
    const first = engine.refresh();
    const firstMs = msSince(t);
    collectGarbage();
    const heapMB = (process.memoryUsage().heapUsed - heap0) / 1e6;
    // Typed arrays' contents are outside the JS heap: reported apart.
    const buffersMB = (process.memoryUsage().arrayBuffers - buffers0) / 1e6;
    // Oracle update: every series repriced (new epoch), so every account is re-evaluated.
    for (let i = 0; i < repriced.length; i++) engine.setSeries(repriced[i]!, risks[i]!.markLongMicroUsdc, risks[i]!.markShortMicroUsdc);
    collectGarbage();
    t = nowNs();
    const full = engine.refresh();
    const fullMs = msSince(t);
    // Standard margin of the same positions (per-position MM sums).
    t = nowNs();
    let stdTotal = 0n;
    for (let k = 0; k < n * PER_ACCOUNT; k++) stdTotal += positionMaintenanceMargin(BigInt(qty[k]!), risks[sIdx[k]!]!);
    const standardMs = msSince(t);
    // Incremental blocks: 1% of accounts change one position, nothing reprices. The first such block also pays
    // for compiling the update path (a chain runs it every block), so it is reported apart: two more blocks
    // run, then the measured one.
    const block = (first: number) => {
      const changed: number[] = [];
      for (let a = first; a < n; a += 100) changed.push(a);
      collectGarbage(); // not the bench's own garbage (bigint standard MM above) in the measured block
      const t1 = nowNs();
      for (const a of changed) {
        qty[a * PER_ACCOUNT] = qty[a * PER_ACCOUNT]! + 1 || 1;
        load(a);
      }
      const recomputed = engine.refresh();
      return { changed, recomputed, ms: msSince(t1) };
    };
    const firstBlock = block(50);
    const warm = [block(25), block(75)];
    const { changed, recomputed: incremental, ms: incrementalMs } = block(0);
    t = nowNs();
    const idle = engine.refresh();
    const idleMs = msSince(t);
    // Exactness: changed accounts and a sample, against the bigint reference at the repriced values.
    const check = [...firstBlock.changed, ...warm.flatMap((b) => b.changed), ...changed, ...Array.from({ length: 200 }, (_, i) => (i * 7919) % n)];
    let mismatches = 0;
    for (const a of check) {
      const lines = positionsOf(a).map((p) => {
        const i = Number(p.seriesId) - 1;
        return { s: repriced[i]!, positionContracts: p.sizeContracts, markLongMicroUsdc: risks[i]!.markLongMicroUsdc, markShortMicroUsdc: risks[i]!.markShortMicroUsdc };
      });
      const want = evaluatePortfolio(lines, P).maintenanceMarginMicroUsdc;
      if (engine.maintenanceMargin(`acct${a}`) !== want) mismatches++;
    }
    if (mismatches > 0) throw new Error(`${mismatches} of ${check.length} accounts differ from the bigint reference`);
    out[`n${n}`] = {
      loadAccountsMs: round(loadMs, 1),
      firstRefreshMs: round(firstMs, 1),
      fullRecomputeMs: round(fullMs, 1),
      recomputedFull: full + first - first,
      standardSameBlockMs: round(standardMs, 1),
      ratioPortfolioToStandard: round(fullMs / standardMs, 2),
      incrementalFirstBlockMs: round(firstBlock.ms, 2),
      incremental1pctMs: round(incrementalMs, 2),
      recomputedIncremental: incremental,
      idleBlockMs: round(idleMs, 3),
      recomputedIdle: idle,
      bigintFallbacks: engine.bigintFallbacks,
      engineHeapMB: round(heapMB, 1),
      engineArrayBuffersMB: round(buffersMB, 1),
      checkedAgainstReference: check.length,
      mismatches,
    };
  }
  out.capitalEfficiency = efficiencyTable();
  return out;
}
