/**
 * Portfolio margin state and evaluation for the keeper: the per-subaccount mode, the scenario-value cache (one
 * entry per series, repriced only when its spot, vol, time bucket or params change) and the engine that keeps
 * every asked account's MM (portfolioEngine.ts), recomputed only when its positions or its series' values change.
 */
import type { KVReader, KVStore } from "../../src/store/types.js";
import type { Subaccount, SubaccountId } from "../subaccounts/index.js";
import type { OptionsReader } from "./expectedKeepers.js";
import { modeKey } from "./keys.js";
import { portfolioParamsOf, type MarginParams } from "./params.js";
import { PortfolioEngine } from "./portfolioEngine.js";
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

export class PortfolioState {
  readonly scenarios = new ScenarioCache();
  /** Per-account MMs, kept by the engine for one params version (a new version starts a new engine). */
  private engineOf: { version: number; engine: PortfolioEngine } | undefined;

  constructor(private readonly options: () => OptionsReader) {}

  /** Accounts recomputed / answered from the cache (for benches and tests). */
  get recomputed(): number {
    return this.engineOf?.engine.recomputed ?? 0;
  }

  get reused(): number {
    return this.engineOf?.engine.reused ?? 0;
  }

  engine(params: MarginParams): PortfolioEngine {
    if (this.engineOf === undefined || this.engineOf.version !== params.version) {
      this.engineOf = { version: params.version, engine: new PortfolioEngine(portfolioParamsOf(params)) };
    }
    return this.engineOf.engine;
  }

  source(store: KVReader, nowNs: bigint, params: MarginParams): ScenarioSource {
    const pp = portfolioParamsOf(params);
    return (priced) => {
      const s = priced.series;
      const spot = priced.mark?.spotMicroUsd ?? priced.spotMicroUsd ?? 0n;
      const settled = s.status === "settled";
      const volPpm = settled || priced.mark === undefined ? undefined : this.options().mark(store, s.id, nowNs)?.volPpm;
      return this.scenarios.get(
        {
          ...{ seriesId: s.id, underlying: s.underlying, kind: s.kind, strikeMicroUsd: s.strikeMicroUsd, expiryUnixS: s.expiryUnixS, contractSizePpm: priced.contractSizePpm, spotMicroUsd: spot, volPpm, settled, nowNs },
          ...(priced.settlement === undefined ? {} : { settlement: priced.settlement }),
        },
        gridFor(pp, s.underlying),
        pp,
        params.version,
      );
    };
  }

  /**
   * Positions-only MM (unpriced series count zero). Each position's series is resolved (its scenario values come
   * from the cache); the engine recomputes the account only when its positions or a series' values changed.
   */
  maintenanceMargin(pricer: SeriesPricer, source: ScenarioSource, params: MarginParams, sub: Subaccount): bigint {
    const engine = this.engine(params);
    // Positions go straight into the engine's scratch arrays (no per-position objects). setSeries between them is
    // fine: a series keeps its slot, only its row's values change.
    engine.beginAccount();
    for (const p of sub.positions) {
      if (p.sizeContracts === 0n) continue;
      const priced = pricer.price(p.instrumentId);
      if (priced.status !== "priced") continue;
      const risk = riskOfPriced(priced);
      const scen = risk === undefined ? undefined : source(priced);
      if (risk === undefined || scen === undefined) continue;
      engine.setSeries(scen, risk.markLongMicroUsdc, risk.markShortMicroUsdc);
      engine.addPosition(p.instrumentId, p.sizeContracts);
    }
    const key = accountKey(sub.id);
    engine.commitAccount(key);
    return engine.maintenanceMargin(key)!;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function accountKey(id: SubaccountId): string {
  let s = "";
  for (const b of id.owner) s += HEX[b]!;
  return `${s}/${id.number}`;
}
