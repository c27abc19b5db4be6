/**
 * Portfolio margin state and evaluation for the keeper: the per-subaccount mode, the scenario-value cache (one
 * entry per series, repriced only when its spot, vol, time bucket or params change) and a per-subaccount cache of
 * maintenance margins keyed by the positions and the scenario epochs of their series, so asking again for an
 * unchanged account costs one pass over its positions (no scenario loop).
 */
import type { KVReader, KVStore } from "../../src/store/types.js";
import type { Subaccount, SubaccountId } from "../subaccounts/index.js";
import type { OptionsReader } from "./expectedKeepers.js";
import { modeKey } from "./keys.js";
import { portfolioParamsOf, type MarginParams } from "./params.js";
import type { PortfolioLine } from "./portfolio.js";
import { maintenanceMarginFast } from "./portfolioFast.js";
import { riskOfPriced, type ScenarioSource } from "./portfolioModel.js";
import type { SeriesPricer } from "./riskModel.js";
import { gridFor } from "./scenarios.js";
import { ScenarioCache } from "./scenarioValues.js";
import type { MarginMode } from "./types.js";

export function getMarginMode(store: KVReader, id: SubaccountId): MarginMode {
  return store.get(modeKey(id.owner, id.number)) === undefined ? "standard" : "portfolio";
}

export function setMarginModeState(store: KVStore, id: SubaccountId, mode: MarginMode): void {
  if (mode === "portfolio") store.set(modeKey(id.owner, id.number), new Uint8Array([1]));
  else store.delete(modeKey(id.owner, id.number));
}

export function parseMarginMode(text: string): MarginMode | undefined {
  return text === "standard" || text === "portfolio" ? text : undefined;
}

interface CachedMm {
  ids: bigint[];
  sizes: bigint[];
  epochs: number[];
  marks: bigint[];
  mm: bigint;
}

export class PortfolioState {
  readonly scenarios = new ScenarioCache();
  private readonly mmCache = new Map<string, CachedMm>();
  /** Accounts recomputed / answered from the cache (for benches and tests). */
  recomputed = 0;
  reused = 0;

  constructor(private readonly options: () => OptionsReader) {}

  source(store: KVReader, nowNs: bigint, params: MarginParams): ScenarioSource {
    const pp = portfolioParamsOf(params);
    return (priced) => {
      const s = priced.series;
      const spot = priced.mark?.spotMicroUsd ?? priced.spotMicroUsd ?? 0n;
      const settled = s.status === "settled";
      const volPpm = settled || priced.mark === undefined ? undefined : this.options().mark(store, s.id, nowNs)?.volPpm;
      return this.scenarios.get(
        { seriesId: s.id, underlying: s.underlying, kind: s.kind, strikeMicroUsd: s.strikeMicroUsd, expiryUnixS: s.expiryUnixS, contractSizePpm: priced.contractSizePpm, spotMicroUsd: spot, volPpm, settled, nowNs },
        gridFor(pp, s.underlying),
        pp,
        params.version,
      );
    };
  }

  /** Positions-only MM (unpriced series count zero), from the per-account cache when nothing changed. */
  maintenanceMargin(pricer: SeriesPricer, source: ScenarioSource, params: MarginParams, sub: Subaccount): bigint {
    const lines: PortfolioLine[] = [];
    const ids: bigint[] = [];
    const sizes: bigint[] = [];
    const epochs: number[] = [];
    const marks: bigint[] = [];
    for (const p of sub.positions) {
      if (p.sizeContracts === 0n) continue;
      const priced = pricer.price(p.instrumentId);
      if (priced.status !== "priced") continue;
      const risk = riskOfPriced(priced);
      const scen = risk === undefined ? undefined : source(priced);
      if (risk === undefined || scen === undefined) continue;
      ids.push(p.instrumentId);
      sizes.push(p.sizeContracts);
      epochs.push(scen.epoch);
      marks.push(risk.markLongMicroUsdc, risk.markShortMicroUsdc);
      lines.push({ s: scen, positionContracts: p.sizeContracts, markLongMicroUsdc: risk.markLongMicroUsdc, markShortMicroUsdc: risk.markShortMicroUsdc });
    }
    const key = `${sub.id.owner.join(",")}/${sub.id.number}/${params.version}`;
    const c = this.mmCache.get(key);
    if (c !== undefined && same(c.ids, ids) && same(c.sizes, sizes) && same(c.epochs, epochs) && same(c.marks, marks)) {
      this.reused++;
      return c.mm;
    }
    this.recomputed++;
    const mm = maintenanceMarginFast(lines, portfolioParamsOf(params));
    this.mmCache.set(key, { ids, sizes, epochs, marks, mm });
    return mm;
  }
}

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
