/** Margin genesis: only params, in the proto-JSON shape (snake_case; uint32 as numbers or strings). */
import type { Context } from "../../src/app/context.js";
import { arr, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import { ChainError } from "../../src/errors.js";
import { portfolioFromJson, portfolioToJson } from "./portfolioParams.js";
import { portfolioParamsOf, DEFAULT_MARGIN_PARAMS, getMarginParams, setMarginParams, validateMarginParams, type MarginParams, type RiskParams } from "./params.js";

export interface MarginGenesis {
  params: MarginParams;
}

const MAX_U32 = 0xffff_ffffn;

function u32(value: unknown, path: string): bigint {
  const v = uint(value, path);
  if (v > MAX_U32) throw new GenesisError(`${path}: above uint32`);
  return v;
}

function riskFromJson(value: unknown, path: string): RiskParams {
  const o = obj(value, path);
  return {
    shortImFractionPpm: u32(o.short_im_fraction_ppm, `${path}.short_im_fraction_ppm`),
    shortImMinFractionPpm: u32(o.short_im_min_fraction_ppm, `${path}.short_im_min_fraction_ppm`),
    shortMmFractionPpm: u32(o.short_mm_fraction_ppm, `${path}.short_mm_fraction_ppm`),
    shortMmMinFractionPpm: u32(o.short_mm_min_fraction_ppm, `${path}.short_mm_min_fraction_ppm`),
  };
}

const riskToJson = (r: RiskParams): JsonObject => ({
  short_im_fraction_ppm: Number(r.shortImFractionPpm),
  short_im_min_fraction_ppm: Number(r.shortImMinFractionPpm),
  short_mm_fraction_ppm: Number(r.shortMmFractionPpm),
  short_mm_min_fraction_ppm: Number(r.shortMmMinFractionPpm),
});

export function paramsToJson(p: MarginParams): JsonObject {
  return {
    version: p.version,
    default_risk: riskToJson(p.defaultRisk),
    underlyings: p.underlyings.map((u) => ({ underlying: u.underlying, risk: riskToJson(u.risk) })),
    portfolio: portfolioToJson(portfolioParamsOf(p)),
  };
}

export function defaultMarginGenesis(): JsonObject {
  return { params: paramsToJson(DEFAULT_MARGIN_PARAMS) };
}

export function parseMarginGenesis(json: unknown): MarginGenesis {
  const g = obj(json ?? {}, "margin");
  if (g.params === undefined) return { params: DEFAULT_MARGIN_PARAMS };
  const p = obj(g.params, "margin.params");
  const params: MarginParams = {
    version: Number(u32(p.version, "margin.params.version")),
    defaultRisk: riskFromJson(p.default_risk, "margin.params.default_risk"),
    underlyings: arr(p.underlyings, "margin.params.underlyings").map((u, i) => {
      const path = `margin.params.underlyings[${i}]`;
      const o = obj(u, path);
      return { underlying: str(o.underlying, `${path}.underlying`), risk: riskFromJson(o.risk, `${path}.risk`) };
    }),
    portfolio: portfolioFromJson(p.portfolio, "margin.params.portfolio"),
  };
  try {
    validateMarginParams(params);
  } catch (err) {
    throw new GenesisError(`margin.params: ${err instanceof ChainError ? err.message : String(err)}`);
  }
  return { params };
}

export function initMarginGenesis(ctx: Context, json: unknown): void {
  setMarginParams(ctx.store, parseMarginGenesis(json).params);
}

export function exportMarginGenesis(ctx: Context): JsonObject {
  return { params: paramsToJson(getMarginParams(ctx.store)) };
}
