/**
 * A deterministic simulated market for testnets. The "true" path of each underlying is a function of the
 * block height and a seed only, so every validator computes the same market; each validator then adds a small
 * noise derived from its own address, so the chain's stake-weighted median has real work to do.
 *
 * The log-price path is a multi-scale value noise that approximates a Brownian motion at the configured
 * annual volatility (levels of 2^0 .. 2^24 blocks, each a linear interpolation of Gaussian knots whose
 * amplitude grows with the square root of its spacing), so the price at any height costs O(levels) with no
 * state and no replay. Over ~half a year of 1 s blocks the path is mean-reverting (it stays within roughly
 * ±60 % of its start), which suits a long-running testnet.
 *
 * Only IEEE-exact arithmetic (+ − × ÷, Math.round, Math.floor) goes into the numbers, plus Math.sqrt for the
 * level amplitudes (computed once); exp is a fixed Taylor series. Uniforms come from SHA-512.
 */
import { createHash } from "node:crypto";
import type { FeederObservation, FeederRequest, FeederSmile, FeederSource, FeederSpot } from "./types.js";

export interface SimMarket {
  /** USD per whole unit at height 0. */
  startPrice: number;
  /** Annualized volatility of the simulated spot path (0.55 = 55 %). */
  annualVol: number;
  /** Smile centre values: at-the-money vol, skew, curvature (fractions: 0.55, -0.08, 0.25). */
  atmVol: number;
  skew: number;
  curvature: number;
}

export const DEFAULT_SIM_MARKETS: Readonly<Record<string, SimMarket>> = {
  BTC: { startPrice: 60_000, annualVol: 0.55, atmVol: 0.55, skew: -0.08, curvature: 0.25 },
  ETH: { startPrice: 3_000, annualVol: 0.7, atmVol: 0.7, skew: -0.1, curvature: 0.3 },
};

/** Used for an underlying the chain lists but the simulation has no market for. */
export const FALLBACK_SIM_MARKET: SimMarket = { startPrice: 100, annualVol: 0.8, atmVol: 0.8, skew: -0.05, curvature: 0.3 };

export interface SimSourceOptions {
  /** This validator's address: seeds its private noise only. */
  validatorAddress: Uint8Array;
  /** The market seed, the same on every validator. */
  seed?: string;
  /** Per-validator noise: uniform in ±noisePpm, relative on prices and ATM vols, absolute (ppm) on skew and curvature; default 200. */
  noisePpm?: number;
  /** Nominal block interval, for converting annual vol to per-block vol; default 1 s. */
  blockSeconds?: number;
  markets?: Readonly<Record<string, SimMarket>>;
  /** Expiries (Unix s) to report smiles for; default: the next `weeklyExpiries` Fridays 08:00 UTC. */
  expiries?: (req: FeederRequest) => readonly bigint[];
  weeklyExpiries?: number;
  /** Clock for the default weekly expiries (the price path never reads it). */
  nowMs?: () => number;
}

export const DEFAULT_SIM_SEED = "vanna-sim-v1";
const LEVELS = 25;
const SLOW_MIN_LEVEL = 6;
const SECONDS_PER_YEAR = 365 * 86_400;
const LN2 = 0.6931471805599453;
/** 2 Jan 1970 08:00 UTC, a Friday. */
const FIRST_FRIDAY_0800_S = 115_200;
const WEEK_S = 604_800;

/** e^x with a fixed algorithm (range reduction by ln 2, 24-term Taylor series): same bits on every engine. */
export function detExp(x: number): number {
  if (!Number.isFinite(x)) throw new Error("detExp: non-finite argument");
  if (x > 700 || x < -700) throw new Error("detExp: argument out of range");
  const k = Math.round(x / LN2);
  const r = x - k * LN2;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 24; n++) {
    term = (term * r) / n;
    sum += term;
  }
  let scale = 1;
  for (let i = 0; i < Math.abs(k); i++) scale *= 2;
  return k >= 0 ? sum * scale : sum / scale;
}

/** The next `count` weekly expiries (Friday 08:00 UTC) strictly after `nowS`. */
export function weeklyExpiries(nowS: number, count: number): bigint[] {
  const next = Math.floor((nowS - FIRST_FRIDAY_0800_S) / WEEK_S) + 1;
  return Array.from({ length: count }, (_, i) => BigInt(FIRST_FRIDAY_0800_S + (next + i) * WEEK_S));
}

/** 16 uniforms in [0, 1) from SHA-512 of the key. */
function uniforms(key: string): number[] {
  const digest = createHash("sha512").update(key).digest();
  const out: number[] = [];
  for (let i = 0; i < 16; i++) out.push(digest.readUInt32BE(i * 4) / 4_294_967_296);
  return out;
}

/** Approximately standard normal (Irwin–Hall: the sum of 12 uniforms minus 6). */
function gaussian(key: string): number {
  const u = uniforms(key);
  let sum = -6;
  for (let i = 0; i < 12; i++) sum += u[i]!;
  return sum;
}

const AMPLITUDE = Array.from({ length: LEVELS }, (_, level) => Math.sqrt(2 ** level / 4));
const SLOW_NORM = Math.sqrt(AMPLITUDE.slice(SLOW_MIN_LEVEL).reduce((s, a) => s + (a * a * 2) / 3, 0));

/** Multi-scale value noise at height h over levels [minLevel, LEVELS). */
function fractal(key: string, h: number, minLevel: number): number {
  let sum = 0;
  for (let level = minLevel; level < LEVELS; level++) {
    const spacing = 2 ** level;
    const i = Math.floor(h / spacing);
    const f = (h - i * spacing) / spacing;
    const g0 = gaussian(`${key}|${level}|${i}`);
    const g1 = f === 0 ? 0 : gaussian(`${key}|${level}|${i + 1}`);
    sum += AMPLITUDE[level]! * (f === 0 ? g0 : g0 + (g1 - g0) * f);
  }
  return sum;
}

function toUnits(x: number): bigint {
  return BigInt(Math.round(x * 1_000_000));
}

export class SimSource implements FeederSource {
  readonly name = "sim";
  private readonly seed: string;
  private readonly noise: number;
  private readonly blockVol: (m: SimMarket) => number;
  private readonly markets: Readonly<Record<string, SimMarket>>;
  private readonly validatorHex: string;

  constructor(private readonly opts: SimSourceOptions) {
    this.seed = opts.seed ?? DEFAULT_SIM_SEED;
    this.noise = (opts.noisePpm ?? 200) / 1_000_000;
    const perYear = SECONDS_PER_YEAR / (opts.blockSeconds ?? 1);
    this.blockVol = (m) => m.annualVol / Math.sqrt(perYear);
    this.markets = opts.markets ?? DEFAULT_SIM_MARKETS;
    this.validatorHex = Buffer.from(opts.validatorAddress).toString("hex");
  }

  /** The noiseless ("true") price of an underlying at a height, in USD. */
  truePrice(underlying: string, height: bigint): number {
    const m = this.market(underlying);
    const h = Number(height);
    const key = `${this.seed}|spot|${underlying}`;
    return m.startPrice * detExp(this.blockVol(m) * (fractal(key, h, 0) - fractal(key, 0, 0)));
  }

  observe(req: FeederRequest): FeederObservation {
    const h = Number(req.height);
    const spots: FeederSpot[] = req.underlyings.map((u) => ({
      underlying: u,
      priceMicroUsd: toUnits(this.truePrice(u, req.height) * (1 + this.validatorNoise(`spot|${u}`, h))),
    }));
    // The chain's listed expiries when it has any for an underlying; else the next weekly expiries.
    let fallback: readonly bigint[] | undefined;
    const expiriesOf = (u: string) =>
      (req.expiries?.get(u) ?? (fallback ??= this.opts.expiries?.(req) ?? weeklyExpiries(Math.floor((this.opts.nowMs ?? Date.now)() / 1000), this.opts.weeklyExpiries ?? 4))).slice(
        0,
        req.maxExpiries,
      );
    const smiles: FeederSmile[] = [];
    for (const u of req.underlyings) {
      const m = this.market(u);
      const slow = (what: string) => fractal(`${this.seed}|${what}|${u}`, h, SLOW_MIN_LEVEL) / SLOW_NORM;
      const atmShift = detExp(0.12 * slow("atm"));
      const skewShift = 0.03 * slow("skew");
      const curvatureShift = 0.05 * slow("curvature");
      for (const expiry of expiriesOf(u)) {
        // A fixed per-expiry term premium, so that expiries differ but never jump as the calendar rolls.
        const term = uniforms(`${this.seed}|term|${u}|${expiry}`);
        const atm = m.atmVol * (1 + 0.1 * (term[0]! - 0.5)) * atmShift * (1 + this.validatorNoise(`atm|${u}|${expiry}`, h));
        const skew = m.skew + skewShift + 0.02 * (term[1]! - 0.5) + this.validatorNoise(`skew|${u}|${expiry}`, h);
        const curvature = m.curvature + curvatureShift + 0.04 * (term[2]! - 0.5) + this.validatorNoise(`curv|${u}|${expiry}`, h);
        smiles.push({ underlying: u, expiryUnixS: expiry, atmVolPpm: toUnits(atm), skewPpm: toUnits(skew), curvaturePpm: toUnits(curvature) });
      }
    }
    return { spots, smiles };
  }

  private market(underlying: string): SimMarket {
    return this.markets[underlying] ?? FALLBACK_SIM_MARKET;
  }

  /** Uniform in ±noise, private to this validator, height and value. */
  private validatorNoise(what: string, h: number): number {
    return this.noise * (2 * uniforms(`${this.seed}|noise|${this.validatorHex}|${what}|${h}`)[0]! - 1);
  }
}
