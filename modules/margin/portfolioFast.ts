/**
 * Maintenance margin of positions only (what liquidations ask for many accounts each block), on doubles that
 * hold exact integers: every product and partial sum is bounded below 2^52 first, else the exact bigint path
 * (portfolio.ts) answers. Both give the same integer, so the choice cannot make nodes disagree.
 */
import { definedMaxLoss, evaluatePortfolio, ceilDivPos, type PortfolioLine } from "./portfolio.js";
import { gridFor, type PortfolioParams } from "./scenarios.js";

const PPM = 1_000_000n;
const SAFE = 4_503_599_627_370_496; // 2^52
const scratch = new Float64Array(64);

export function maintenanceMarginFast(lines: readonly PortfolioLine[], params: PortfolioParams): bigint {
  let bound = 0;
  for (const l of lines) bound += Math.abs(Number(l.positionContracts)) * l.s.maxAbsPnl;
  if (!(bound < SAFE) || params.crossUnderlyingOffset) return evaluatePortfolio(lines, params).maintenanceMarginMicroUsdc;
  // Lines grouped by underlying without sorting when there is one underlying (the common case).
  let total = 0n;
  let start = 0;
  const sorted = lines.every((l) => l.s.underlying === lines[0]!.s.underlying) ? lines : [...lines].sort((a, b) => (a.s.underlying < b.s.underlying ? -1 : a.s.underlying > b.s.underlying ? 1 : 0));
  while (start < sorted.length) {
    let end = start + 1;
    while (end < sorted.length && sorted[end]!.s.underlying === sorted[start]!.s.underlying) end++;
    total += underlyingMm(sorted.slice(start, end), params);
    start = end;
  }
  return total;
}

function underlyingMm(group: readonly PortfolioLine[], params: PortfolioParams): bigint {
  const scen = group[0]!.s.scenarios;
  const n = scen.length;
  const loss = n <= scratch.length ? scratch.fill(0, 0, n) : new Float64Array(n);
  let delta = 0n;
  let spot = 0n;
  let cs = 0n;
  let longCall = 0n, shortCall = 0n, longPut = 0n, shortPut = 0n;
  let held = false;
  for (const l of group) {
    const q = l.positionContracts;
    if (q === 0n) continue;
    held = true;
    const s = l.s;
    if (s.spotMicroUsd > spot) spot = s.spotMicroUsd;
    if (s.contractSizePpm > cs) cs = s.contractSizePpm;
    if (s.settled) continue;
    const qn = Number(q);
    const v = qn > 0 ? s.pnlFloor : s.pnlCeil;
    for (let i = 0; i < n; i++) loss[i] = loss[i]! - qn * v[i]!;
    delta += q * s.deltaNotionalMicroUsdc;
    if (s.kind === "call") {
      if (q > 0n) longCall += q;
      else shortCall -= q;
    } else if (q > 0n) longPut += q;
    else shortPut -= q;
  }
  if (!held) return 0n;
  let worst = 0n;
  let worstPlain = 0;
  for (let i = 0; i < n; i++) {
    const w = scen[i]!.weightPpm;
    if (w === PPM) {
      if (loss[i]! > worstPlain) worstPlain = loss[i]!;
    } else if (loss[i]! > 0) {
      const e = ceilDivPos(BigInt(loss[i]!) * w, PPM);
      if (e > worst) worst = e;
    }
  }
  if (BigInt(worstPlain) > worst) worst = BigInt(worstPlain);
  const grid = gridFor(params, group[0]!.s.underlying);
  const naked = (shortCall > longCall ? shortCall - longCall : 0n) + (shortPut > longPut ? shortPut - longPut : 0n);
  const raw =
    worst + ceilDivPos(naked * grid.nakedShortChargePpm * spot * cs, PPM * PPM) + ceilDivPos((delta < 0n ? -delta : delta) * grid.oracleChargePpm, PPM);
  const cap = definedMaxLoss(group);
  return cap !== undefined && cap < raw ? cap : raw;
}
