/**
 * Liquidation genesis (proto-JSON shape, snake_case, 64-bit and signed integers as strings): params, the
 * insurance fund's history and the liquidation records. The fund's balance itself is a bank balance (bank
 * genesis); a balance with no history is ledgered as an opening deposit at init.
 */
import type { Context } from "../../src/app/context.js";
import { arr, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import { ChainError } from "../../src/errors.js";
import { entryFromProto, entryToProto, importLedger, iterateEntries, iterateRecords, recordFromProto, recordToProto } from "./ledger.js";
import type { LiquidationKeeper } from "./keeper.js";
import { DEFAULT_LIQUIDATION_PARAMS, validateLiquidationParams, type LiquidationParams } from "./params.js";
import type { InsuranceEntry, LiquidationRecord } from "./types.js";

export interface LiquidationGenesis {
  params: LiquidationParams;
  history: InsuranceEntry[];
  records: LiquidationRecord[];
}

const SIGNED_RE = /^-?(0|[1-9][0-9]{0,77})$/;
const signed = (v: unknown, path: string): string => {
  const t = str(v ?? "0", path);
  if (!SIGNED_RE.test(t)) throw new GenesisError(`${path}: expected a signed integer string`);
  return t;
};
const ENTRY_KINDS = ["deposit", "withdrawal", "liquidation_fee", "takeover", "claim_paid", "fund_topup", "fund_sweep"];
const RECORD_KINDS = ["partial", "takeover", "deleverage"];

export function paramsToJson(p: LiquidationParams): JsonObject {
  return {
    authority: p.authority,
    max_liquidations_per_block: p.maxLiquidationsPerBlock,
    max_liquidation_orders_per_block: p.maxLiquidationOrdersPerBlock,
    price_band_ppm: p.priceBandPpm.toString(),
    min_price_band_ticks: p.minPriceBandTicks.toString(),
    target_buffer_ppm: p.targetBufferPpm.toString(),
    liquidation_fee_ppm: p.liquidationFeePpm.toString(),
  };
}

function parseParams(v: unknown): LiquidationParams {
  const o = obj(v, "liquidation.params");
  const d = DEFAULT_LIQUIDATION_PARAMS;
  const p: LiquidationParams = {
    authority: o.authority === undefined ? d.authority : str(o.authority, "liquidation.params.authority"),
    maxLiquidationsPerBlock: Number(uint(o.max_liquidations_per_block, "liquidation.params.max_liquidations_per_block", BigInt(d.maxLiquidationsPerBlock))),
    maxLiquidationOrdersPerBlock: Number(uint(o.max_liquidation_orders_per_block, "liquidation.params.max_liquidation_orders_per_block", BigInt(d.maxLiquidationOrdersPerBlock))),
    priceBandPpm: uint(o.price_band_ppm, "liquidation.params.price_band_ppm", d.priceBandPpm),
    minPriceBandTicks: uint(o.min_price_band_ticks, "liquidation.params.min_price_band_ticks", d.minPriceBandTicks),
    targetBufferPpm: uint(o.target_buffer_ppm, "liquidation.params.target_buffer_ppm", d.targetBufferPpm),
    liquidationFeePpm: uint(o.liquidation_fee_ppm, "liquidation.params.liquidation_fee_ppm", d.liquidationFeePpm),
  };
  try {
    validateLiquidationParams(p);
  } catch (err) {
    throw new GenesisError(`liquidation.params: ${err instanceof ChainError ? err.message : String(err)}`);
  }
  return p;
}

export function parseLiquidationGenesis(json: unknown): LiquidationGenesis {
  const g = obj(json ?? {}, "liquidation");
  const params = g.params === undefined ? DEFAULT_LIQUIDATION_PARAMS : parseParams(g.params);
  const history = arr(g.insurance_history, "liquidation.insurance_history").map((v, i) => {
    const path = `liquidation.insurance_history[${i}]`;
    const o = obj(v, path);
    const kind = str(o.kind, `${path}.kind`);
    if (!ENTRY_KINDS.includes(kind)) throw new GenesisError(`${path}.kind: unknown ${kind.slice(0, 40)}`);
    return entryFromProto({
      id: uint(o.id, `${path}.id`),
      kind,
      amountMicroUsdc: signed(o.amount_micro_usdc, `${path}.amount_micro_usdc`),
      counterparty: str(o.counterparty ?? "", `${path}.counterparty`),
      seriesId: uint(o.series_id, `${path}.series_id`, 0n),
      height: uint(o.height, `${path}.height`, 0n),
      timeNs: uint(o.time_ns, `${path}.time_ns`, 0n),
      balanceAfterMicroUsdc: signed(o.balance_after_micro_usdc, `${path}.balance_after_micro_usdc`),
    });
  });
  const records = arr(g.liquidations, "liquidation.liquidations").map((v, i) => {
    const path = `liquidation.liquidations[${i}]`;
    const o = obj(v, path);
    const kind = str(o.kind, `${path}.kind`);
    if (!RECORD_KINDS.includes(kind)) throw new GenesisError(`${path}.kind: unknown ${kind.slice(0, 40)}`);
    return recordFromProto({
      id: uint(o.id, `${path}.id`),
      height: uint(o.height, `${path}.height`, 0n),
      timeNs: uint(o.time_ns, `${path}.time_ns`, 0n),
      kind,
      subaccount: str(o.subaccount, `${path}.subaccount`),
      seriesId: uint(o.series_id, `${path}.series_id`, 0n),
      sizeDeltaContracts: signed(o.size_delta_contracts, `${path}.size_delta_contracts`),
      cashMicroUsdc: signed(o.cash_micro_usdc, `${path}.cash_micro_usdc`),
      feeMicroUsdc: signed(o.fee_micro_usdc, `${path}.fee_micro_usdc`),
      counterparty: str(o.counterparty ?? "", `${path}.counterparty`),
      equityBeforeMicroUsdc: signed(o.equity_before_micro_usdc, `${path}.equity_before_micro_usdc`),
      maintenanceMarginBeforeMicroUsdc: signed(o.maintenance_margin_before_micro_usdc, `${path}.maintenance_margin_before_micro_usdc`),
      lossMicroUsdc: signed(o.loss_micro_usdc, `${path}.loss_micro_usdc`),
    });
  });
  const unique = (ids: bigint[], what: string) => {
    ids.forEach((id, i) => {
      if (i > 0 && id <= ids[i - 1]!) throw new GenesisError(`liquidation.${what}: ids must increase (${id} after ${ids[i - 1]})`);
    });
  };
  unique(history.map((e) => e.id), "insurance_history");
  unique(records.map((r) => r.id), "liquidations");
  return { params, history, records };
}

export function defaultLiquidationGenesis(): JsonObject {
  return { params: paramsToJson(DEFAULT_LIQUIDATION_PARAMS), insurance_history: [], liquidations: [] };
}

export function initLiquidationGenesis(ctx: Context, keeper: LiquidationKeeper, json: unknown): void {
  const g = parseLiquidationGenesis(json);
  keeper.setParams(ctx.store, g.params);
  importLedger(ctx.store, g.history, g.records);
  keeper.openFund(ctx, g.history.length === 0);
}

const snake = (o: Record<string, unknown>): JsonObject => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = typeof v === "bigint" ? v.toString() : v;
  return out;
};

export function exportLiquidationGenesis(ctx: Context, keeper: LiquidationKeeper): JsonObject {
  return {
    params: paramsToJson(keeper.params(ctx.store)),
    insurance_history: [...iterateEntries(ctx.store)].map((e) => snake({ ...entryToProto(e) })),
    liquidations: [...iterateRecords(ctx.store)].map((r) => snake({ ...recordToProto(r) })),
  };
}
