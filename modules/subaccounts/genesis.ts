/**
 * Subaccounts genesis in the proto-JSON shape of its types (snake_case; 64-bit and signed integers as strings):
 * params and every non-empty subaccount with its positions. Open interest is derived, not exported.
 */
import type { Context } from "../../src/app/context.js";
import { arr, bool, GenesisError, obj, str, uint, type JsonObject } from "../../src/app/genesisJson.js";
import { ACCOUNT_PREFIX, parseBech32Address, toBech32Address } from "../../src/crypto/address.js";
import type { AccountKeeper } from "./expectedKeepers.js";
import type { OpenInterest, SubaccountsKeeper } from "./keeper.js";
import { DEFAULT_SUBACCOUNTS_PARAMS, getSubaccountsParams, setSubaccountsParams, type SubaccountsParams } from "./params.js";
import {
  COLLATERAL_DENOM,
  MAX_INSTRUMENT_ID,
  MAX_MAGNITUDE,
  MAX_SUBACCOUNT_NUMBER,
  SUBACCOUNTS_MODULE_ACCOUNT,
  type Position,
  type Subaccount,
} from "./types.js";

export interface SubaccountsGenesis {
  params: SubaccountsParams;
  subaccounts: Subaccount[];
}

export function defaultSubaccountsGenesis(): JsonObject {
  return { params: paramsToJson(DEFAULT_SUBACCOUNTS_PARAMS), subaccounts: [] };
}

const SIGNED_RE = /^-?(0|[1-9][0-9]{0,77})$/;

function signed(value: unknown, path: string): bigint {
  const text = str(value ?? "0", path);
  if (!SIGNED_RE.test(text) || text === "-0") throw new GenesisError(`${path}: expected a signed integer string`);
  const v = BigInt(text);
  if ((v < 0n ? -v : v) > MAX_MAGNITUDE) throw new GenesisError(`${path}: overflows 256 bits`);
  return v;
}

export function parseSubaccountsGenesis(json: unknown): SubaccountsGenesis {
  const g = obj(json ?? {}, "subaccounts");
  const p = g.params === undefined ? undefined : obj(g.params, "subaccounts.params");
  const params: SubaccountsParams =
    p === undefined
      ? DEFAULT_SUBACCOUNTS_PARAMS
      : {
          depositsEnabled: bool(p.deposits_enabled, "subaccounts.params.deposits_enabled", true),
          withdrawalsEnabled: bool(p.withdrawals_enabled, "subaccounts.params.withdrawals_enabled", true),
        };
  const seen = new Set<string>();
  const sums = new Map<bigint, bigint>();
  const subaccounts = arr(g.subaccounts, "subaccounts.subaccounts").map((s, i): Subaccount => {
    const path = `subaccounts.subaccounts[${i}]`;
    const o = obj(s, path);
    const idObj = obj(o.id, `${path}.id`);
    const ownerText = str(idObj.owner, `${path}.id.owner`);
    const owner = parseBech32Address(ownerText, ACCOUNT_PREFIX);
    const number = uint(idObj.number, `${path}.id.number`, 0n);
    if (number > BigInt(MAX_SUBACCOUNT_NUMBER)) throw new GenesisError(`${path}.id.number: above ${MAX_SUBACCOUNT_NUMBER}`);
    const key = `${ownerText}/${number}`;
    if (seen.has(key)) throw new GenesisError(`${path}: duplicate subaccount ${key}`);
    seen.add(key);
    const instruments = new Set<bigint>();
    const positions = arr(o.positions, `${path}.positions`).map((q, j): Position => {
      const pp = `${path}.positions[${j}]`;
      const po = obj(q, pp);
      const instrumentId = uint(po.instrument_id, `${pp}.instrument_id`);
      if (instrumentId > MAX_INSTRUMENT_ID) throw new GenesisError(`${pp}.instrument_id: above uint64`);
      if (instruments.has(instrumentId)) throw new GenesisError(`${pp}: duplicate instrument ${instrumentId}`);
      instruments.add(instrumentId);
      const sizeContracts = signed(po.size_contracts, `${pp}.size_contracts`);
      if (sizeContracts === 0n) throw new GenesisError(`${pp}.size_contracts: a stored position is never zero`);
      sums.set(instrumentId, (sums.get(instrumentId) ?? 0n) + sizeContracts);
      return { instrumentId, sizeContracts, costBasisMicroUsdc: signed(po.cost_basis_micro_usdc, `${pp}.cost_basis_micro_usdc`) };
    });
    positions.sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : 0));
    const quoteMicroUsdc = signed(o.quote_micro_usdc, `${path}.quote_micro_usdc`);
    if (quoteMicroUsdc === 0n && positions.length === 0) throw new GenesisError(`${path}: empty subaccount ${key} (empty subaccounts are not stored)`);
    if (quoteMicroUsdc < 0n && positions.length === 0) throw new GenesisError(`${path}: negative collateral without positions`);
    return { id: { owner, number: Number(number) }, quoteMicroUsdc, positions };
  });
  for (const [instrumentId, sum] of sums) {
    if (sum !== 0n) throw new GenesisError(`subaccounts: positions in instrument ${instrumentId} sum to ${sum}, not zero`);
  }
  return { params, subaccounts };
}

export function initSubaccountsGenesis(ctx: Context, keeper: SubaccountsKeeper, accounts: AccountKeeper, json: unknown): void {
  const g = parseSubaccountsGenesis(json);
  setSubaccountsParams(ctx.store, g.params);
  // The module account exists from genesis, so bank refuses MsgSend to it (a donation would break Σ == balance).
  accounts.ensureModuleAccount(ctx.store, SUBACCOUNTS_MODULE_ACCOUNT);
  const oi = new Map<bigint, OpenInterest>();
  let total = 0n;
  for (const s of g.subaccounts) {
    keeper.setSubaccount(ctx.store, s);
    total += s.quoteMicroUsdc;
    for (const p of s.positions) {
      const o = oi.get(p.instrumentId) ?? { longContracts: 0n, shortContracts: 0n };
      if (p.sizeContracts > 0n) o.longContracts += p.sizeContracts;
      else o.shortContracts -= p.sizeContracts;
      oi.set(p.instrumentId, o);
    }
  }
  for (const [instrumentId, o] of oi) keeper.setOpenInterest(ctx.store, instrumentId, o);
  const held = keeper.moduleBalance(ctx.store);
  if (held !== total) {
    throw new GenesisError(
      `subaccounts: collateral sums to ${total}${COLLATERAL_DENOM} but the ${SUBACCOUNTS_MODULE_ACCOUNT} module account holds ${held}${COLLATERAL_DENOM} (bank genesis must fund it)`,
    );
  }
}

export function exportSubaccountsGenesis(ctx: Context, keeper: SubaccountsKeeper): JsonObject {
  const subaccounts = [...keeper.iterateSubaccounts(ctx.store)].map((s) => ({
    id: { owner: toBech32Address(ACCOUNT_PREFIX, s.id.owner), number: s.id.number },
    quote_micro_usdc: s.quoteMicroUsdc.toString(),
    positions: s.positions.map((p) => ({
      instrument_id: p.instrumentId.toString(),
      size_contracts: p.sizeContracts.toString(),
      cost_basis_micro_usdc: p.costBasisMicroUsdc.toString(),
    })),
  }));
  return { params: paramsToJson(getSubaccountsParams(ctx.store)), subaccounts };
}

function paramsToJson(p: SubaccountsParams): JsonObject {
  return { deposits_enabled: p.depositsEnabled, withdrawals_enabled: p.withdrawalsEnabled };
}
