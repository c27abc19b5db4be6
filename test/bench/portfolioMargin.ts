/**
 * Portfolio margin at scale: 1,000 live series, 10k and 100k subaccounts of 10 positions each. Full recompute of
 * every account's MM (exact-float fast path), incremental after a block where 1% of accounts changed (the other
 * 99% are validated against their cached key: positions and scenario epochs), the same block under standard
 * margin for the ratio, memory for 100k, and scenario pricing of all series (once per oracle update).
 */
import { computeSeriesScenarios, DEFAULT_PORTFOLIO_PARAMS as P, DEFAULT_SCENARIO_GRID, evaluatePortfolio, maintenanceMarginFast, DEFAULT_RISK_PARAMS, positionMaintenanceMargin, seriesRisk, type PortfolioLine, type SeriesScenarios } from "../../modules/margin/index.js";
import { collectGarbage, msSince, nowNs, round } from "./harness.js";

const USD = 1_000_000n;
const NOW = 1_700_000_000n * 1_000_000_000n;
const SPOT = 100_000n * USD;

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

export async function run(): Promise<Record<string, unknown>> {
  const t0 = nowNs();
  const series: SeriesScenarios[] = [];
  for (let i = 0; i < 1000; i++) {
    const strike = (60_000n + BigInt(i % 50) * 1_600n) * USD;
    const expiry = 1_700_000_000n + BigInt(1 + Math.floor(i / 100)) * 7n * 86_400n;
    series.push(computeSeriesScenarios({ seriesId: BigInt(i + 1), underlying: "BTC", kind: i % 2 === 0 ? "call" : "put", strikeMicroUsd: strike, expiryUnixS: expiry, contractSizePpm: 10_000n, spotMicroUsd: SPOT, volPpm: 600_000n, settled: false, nowNs: NOW }, DEFAULT_SCENARIO_GRID, P, i + 1)!);
  }
  const scenarioPricingMs = msSince(t0);
  const risks = series.map((s) => seriesRisk({ kind: s.kind, strikeMicroUsd: s.strikeMicroUsd, contractSizePpm: 10_000n, tickSizeMicroUsdc: 100_000n, risk: DEFAULT_RISK_PARAMS, spotMicroUsd: SPOT })!);
  const out: Record<string, unknown> = { series: 1000, scenarios: series[0]!.scenarios.length, scenarioPricingAllSeriesMs: round(scenarioPricingMs, 1) };
  for (const n of [10_000, 100_000]) {
    collectGarbage();
    const heap0 = process.memoryUsage();
    const rnd = lcg(n);
    const accounts: PortfolioLine[][] = [];
    for (let a = 0; a < n; a++) {
      const lines: PortfolioLine[] = [];
      const used = new Set<number>();
      while (lines.length < 10) {
        const i = Math.floor(rnd() * 1000);
        if (used.has(i)) continue;
        used.add(i);
        const r = risks[i]!;
        lines.push({ s: series[i]!, positionContracts: BigInt(Math.floor(rnd() * 21) - 10 || 1), markLongMicroUsdc: r.markLongMicroUsdc, markShortMicroUsdc: r.markShortMicroUsdc });
      }
      accounts.push(lines);
    }
    collectGarbage();
    const heap1 = process.memoryUsage();
    const cache: Array<{ epochs: number[]; mm: bigint }> = new Array(n);
    let t = nowNs();
    for (let a = 0; a < n; a++) cache[a] = { epochs: accounts[a]!.map((l) => l.s.epoch), mm: maintenanceMarginFast(accounts[a]!, P) };
    const fullMs = msSince(t);
    // Standard margin of the same positions (per-position MM sums).
    t = nowNs();
    let stdTotal = 0n;
    for (let a = 0; a < n; a++) for (const l of accounts[a]!) stdTotal += positionMaintenanceMargin(l.positionContracts, risks[Number(l.s.seriesId) - 1]!);
    const standardMs = msSince(t);
    // Incremental block: 1% of accounts changed a position; everything else is checked against its cached key.
    for (let a = 0; a < n; a += 100) accounts[a]![0] = { ...accounts[a]![0]!, positionContracts: accounts[a]![0]!.positionContracts + 1n };
    const sizes = accounts.map((ls) => ls.map((l) => l.positionContracts));
    t = nowNs();
    let recomputed = 0;
    for (let a = 0; a < n; a++) {
      const ls = accounts[a]!;
      const c = cache[a]!;
      let same = a % 100 !== 0; // the changed set, as the subaccount versions would say
      for (let i = 0; same && i < ls.length; i++) same = ls[i]!.s.epoch === c.epochs[i] && ls[i]!.positionContracts === sizes[a]![i];
      if (!same) {
        recomputed++;
        cache[a] = { epochs: ls.map((l) => l.s.epoch), mm: maintenanceMarginFast(ls, P) };
      }
    }
    const incrementalMs = msSince(t);
    t = nowNs();
    for (let a = 0; a < n; a += 100) maintenanceMarginFast(accounts[a]!, P);
    const changedOnlyMs = msSince(t);
    t = nowNs();
    for (let a = 0; a < Math.min(n, 10_000); a++) evaluatePortfolio(accounts[a]!, P);
    const bigintPathPer10kMs = msSince(t);
    out[`n${n}`] = {
      fullRecomputeMs: round(fullMs, 1),
      standardSameBlockMs: round(standardMs, 1),
      ratioPortfolioToStandard: round(fullMs / standardMs, 2),
      incremental1pctMs: round(incrementalMs, 2),
      changedAccountsOnlyMs: round(changedOnlyMs, 2),
      recomputed,
      bigintReferencePathPer10kAccountsMs: round(bigintPathPer10kMs, 1),
      heapDeltaMB: round((heap1.heapUsed - heap0.heapUsed) / 1e6, 1),
      rssDeltaMB: round((heap1.rss - heap0.rss) / 1e6, 1),
    };
  }
  return out;
}
