/**
 * Deterministic Black-Scholes (src/math/blackScholes.ts: price + delta, gamma, vega, theta per call) against the
 * npm package `black-scholes` (price only, Math.exp/log/pow) on the same inputs, and the accuracy of ours
 * against the 50-digit decimal.js reference over the acceptance grid (test/unit/math/grid.ts): spot and strike
 * 1..1e6, 1 hour..3 years, vol 5%..300%, rate 0 and 5%, calls and puts. Errors are relative where the value
 * is above 1e-8 of its natural scale (spot for price, vega, theta; 1 for delta; 1/spot for gamma) and measured
 * against that floor below it. Also the elementary functions against Math.* for scale.
 */
import { createRequire } from "node:module";
import { blackScholes } from "../../src/math/blackScholes.js";
import { exp, ln, normCdf, sqrt } from "../../src/math/float.js";
import { fullGrid, type GridPoint } from "../unit/math/grid.js";
import { exact, greekFloors, refBlackScholes, relErr } from "../unit/math/reference.js";
import { median, nowNs, ratio, round } from "./harness.js";

const require = createRequire(import.meta.url);
const peer = require("black-scholes") as { blackScholes: (s: number, k: number, t: number, v: number, r: number, callPut: "call" | "put") => number };

const KEYS = ["price", "delta", "gamma", "vega", "theta"] as const;
const ROUNDS = 5;
const MIN_SAMPLE_NS = 300_000_000n;

let sink = 0;

/** Runs fn over all points repeatedly for at least MIN_SAMPLE_NS; returns evaluations per second. */
function sample(points: readonly GridPoint[], fn: (p: GridPoint) => number): number {
  let n = 0;
  const start = nowNs();
  let elapsed = 0n;
  while (elapsed < MIN_SAMPLE_NS) {
    for (const p of points) sink += fn(p);
    n += points.length;
    elapsed = nowNs() - start;
  }
  return (n * 1e9) / Number(elapsed);
}

const ours = (p: GridPoint) => {
  const g = blackScholes(p);
  return g.price + g.delta + g.gamma + g.vega + g.theta;
};
const theirs = (p: GridPoint) => peer.blackScholes(p.spot, p.strike, p.timeYears, p.vol, p.rate, p.isCall ? "call" : "put");

function throughput(points: readonly GridPoint[]) {
  for (let i = 0; i < 3; i++) {
    sample(points.slice(0, 2000), ours);
    sample(points.slice(0, 200), theirs);
  }
  const oursRuns: number[] = [];
  const peerRuns: number[] = [];
  // Interleaved so that machine noise hits both alike.
  for (let i = 0; i < ROUNDS; i++) {
    oursRuns.push(sample(points, ours));
    peerRuns.push(sample(points, theirs));
  }
  const oursPerSec = median(oursRuns);
  const peerPerSec = median(peerRuns);
  return {
    oursPriceAndGreeksPerSec: Math.round(oursPerSec),
    peerPriceOnlyPerSec: Math.round(peerPerSec),
    ratio: ratio(oursPerSec, peerPerSec, 1),
    target: ">= 20x",
    oursRuns: oursRuns.map((v) => Math.round(v)),
    peerRuns: peerRuns.map((v) => Math.round(v)),
  };
}

function elementary() {
  const xs = Array.from({ length: 4096 }, (_, i) => -20 + (40 * i) / 4096 + 1e-7);
  const pos = xs.map((x) => (x < 0 ? -x : x) + 1e-3);
  const rate = (f: (x: number) => number, input: readonly number[]) => {
    const runs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      let n = 0;
      const start = nowNs();
      while (nowNs() - start < 100_000_000n) {
        for (const x of input) sink += f(x);
        n += input.length;
      }
      runs.push((n * 1e9) / Number(nowNs() - start));
    }
    return Math.round(median(runs));
  };
  return {
    expPerSec: rate(exp, xs),
    mathExpPerSec: rate(Math.exp, xs),
    lnPerSec: rate(ln, pos),
    mathLogPerSec: rate(Math.log, pos),
    sqrtPerSec: rate(sqrt, pos),
    mathSqrtPerSec: rate(Math.sqrt, pos),
    normCdfPerSec: rate(normCdf, xs),
  };
}

function accuracy(points: readonly GridPoint[]) {
  const max: Record<string, number> = {};
  const worstAt: Record<string, GridPoint | undefined> = {};
  for (const k of KEYS) max[k] = 0;
  let peerMax = 0;
  let peerWorst: GridPoint | undefined;
  let peerNonFinite = 0;
  for (const p of points) {
    const got = blackScholes(p);
    const ref = refBlackScholes(p.spot, p.strike, p.timeYears, p.vol, p.rate, p.isCall);
    const floors = greekFloors(p.spot);
    for (const k of KEYS) {
      const e = relErr(got[k], ref[k], floors[k]);
      if (e > max[k]!) {
        max[k] = e;
        worstAt[k] = p;
      }
    }
    const theirPrice = theirs(p);
    if (!Number.isFinite(theirPrice)) {
      peerNonFinite++;
      continue;
    }
    const e = relErr(theirPrice, ref.price, floors.price);
    if (e > peerMax) {
      peerMax = e;
      peerWorst = p;
    }
  }
  const overall = Math.max(...KEYS.map((k) => max[k]!));
  return {
    gridPoints: points.length,
    maxRelErr: Object.fromEntries(KEYS.map((k) => [k, Number(max[k]!.toPrecision(3))])),
    maxRelErrOverall: Number(overall.toPrecision(3)),
    target: "<= 1e-9",
    worstPoint: Object.fromEntries(KEYS.map((k) => [k, worstAt[k]])),
    peerPriceMaxRelErr: Number(peerMax.toPrecision(3)),
    peerPriceWorstPoint: peerWorst,
    peerNonFinitePrices: peerNonFinite,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const points = fullGrid();
  const speed = throughput(points);
  const elem = elementary();
  const start = nowNs();
  const acc = accuracy(points);
  const referenceSeconds = round(Number(nowNs() - start) / 1e9, 1);
  // Keep the sink observable so that no evaluation can be optimised away.
  if (sink === 0.5) console.log(exact(sink).toString());
  return { throughput: speed, accuracy: acc, elementary: elem, referenceSeconds };
}
