/**
 * Settlement of one taker order's fills: premium moves at the maker's price, fees go to the fee pool, and each
 * subaccount involved gets exactly one update in one applyUpdates call (kind "trade"): the taker first, then
 * makers in the order they were first filled.
 *
 * Fees (rounded UP to the micro-USDC, per fill): maker = ceil(premium × makerFeePpm / 1e6); taker =
 * min(ceil(premium × takerFeePpm / 1e6), ceil(spot × contractSizePpm × size × takerFeeCapNotionalPpm / 1e12))
 * (no cap when the cap parameter is 0 or the series has no mark).
 */
import { FillProto } from "./codec.js";
import * as events from "./events.js";
import type { SubaccountId, SubaccountUpdate } from "./expectedKeepers.js";
import { ClobKeys, decodeSubaccountKey } from "./keys.js";
import type { ClobOp } from "./op.js";
import type { Fill, Side } from "./orderbook/index.js";
import { ownerOf, sideToProto, subOf } from "./orderStore.js";
import type { ClobParams } from "./params.js";
import { FILLS_KEPT } from "./types.js";

const PPM = 1_000_000n;

export function ceilDiv(a: bigint, b: bigint): bigint {
  return a <= 0n ? -(-a / b) : (a + b - 1n) / b;
}

export interface FeeContext {
  params: ClobParams;
  tickSizeMicroUsdc: bigint;
  contractSizePpm: bigint;
  /** undefined: no mark, no taker fee cap. */
  spotMicroUsd: bigint | undefined;
}

export function feesOf(f: FeeContext, priceTicks: bigint, sizeContracts: bigint): { premium: bigint; makerFee: bigint; takerFee: bigint } {
  const premium = priceTicks * f.tickSizeMicroUsdc * sizeContracts;
  const makerFee = ceilDiv(premium * f.params.makerFeePpm, PPM);
  let takerFee = ceilDiv(premium * f.params.takerFeePpm, PPM);
  if (f.params.takerFeeCapNotionalPpm > 0n && f.spotMicroUsd !== undefined) {
    const cap = ceilDiv(f.spotMicroUsd * f.contractSizePpm * sizeContracts * f.params.takerFeeCapNotionalPpm, PPM * PPM);
    if (takerFee > cap) takerFee = cap;
  }
  return { premium, makerFee, takerFee };
}

/** What a maker subaccount did in one taker order (for MMP). */
export interface MakerFlow {
  sub: Uint8Array;
  id: SubaccountId;
  /** Σ |size| */
  contracts: bigint;
  /** Signed position change of the maker. */
  signedContracts: bigint;
}

interface Agg {
  id: SubaccountId;
  sub: Uint8Array;
  ring: Uint8Array;
  ringKey: string;
  name: string;
  size: bigint;
  cost: bigint;
  collateral: bigint;
  contracts: bigint;
}

export interface SettleDeps {
  /** `subs[i]`: the subaccount key of `updates[i]`. */
  applyUpdates(updates: SubaccountUpdate[], subs: Uint8Array[]): void;
  feePool: Uint8Array;
}

/** Applies the fills of one taker order; returns the makers' flows (taker excluded) for MMP. */
export function settleFills(op: ClobOp, deps: SettleDeps, fee: FeeContext, seriesId: bigint, takerSub: Uint8Array, takerId: SubaccountId, takerSide: Side, fills: readonly Fill[]): MakerFlow[] {
  if (fills.length === 0) return [];
  const sign = takerSide === "buy" ? 1n : -1n;
  const taker = { id: takerId, sub: takerSub, size: 0n, cost: 0n, collateral: 0n, contracts: 0n };
  const makers = new Map<string, Agg>();
  const ctx = op.ctx;
  const takerName = op.name(takerSub, takerId);
  const seriesRing = ClobKeys.seriesRing(seriesId);
  const takerRing = ClobKeys.subaccountRing(takerSub);
  // In-memory names of the rings (ring heads are kept per op by name): no byte conversion per fill.
  const seriesRingKey = `s${seriesId}`;
  const takerRingKey = `a${ownerOf(takerSub)}`;
  for (const f of fills) {
    const { premium, makerFee, takerFee } = feesOf(fee, f.priceTicks, f.sizeContracts);
    let m = makers.get(f.makerOwner);
    if (m === undefined) {
      const sub = subOf(f.makerOwner);
      const id = decodeSubaccountKey(sub, 0).id;
      m = { id, sub, ring: ClobKeys.subaccountRing(sub), ringKey: `a${f.makerOwner}`, name: op.name(sub, id), size: 0n, cost: 0n, collateral: 0n, contracts: 0n };
      makers.set(f.makerOwner, m);
    }
    taker.size += sign * f.sizeContracts;
    taker.cost += sign * premium;
    taker.collateral += -sign * premium - takerFee;
    m.size -= sign * f.sizeContracts;
    m.cost -= sign * premium;
    m.collateral += sign * premium - makerFee;
    m.contracts += f.sizeContracts;
    const makerName = m.name;
    ctx.events.push(
      events.orderFilled({
        seriesId,
        makerOrderId: f.makerOrderId,
        takerOrderId: f.takerOrderId,
        maker: makerName,
        taker: takerName,
        takerSide,
        priceTicks: f.priceTicks,
        sizeContracts: f.sizeContracts,
        premiumMicroUsdc: premium,
        makerFeeMicroUsdc: makerFee,
        takerFeeMicroUsdc: takerFee,
      }),
    );
    const sequence = op.nextFillSequence();
    const record = FillProto.encode({
      sequence,
      seriesId,
      makerOrderId: f.makerOrderId,
      takerOrderId: f.takerOrderId,
      maker: makerName.slice(0, makerName.lastIndexOf("/")),
      makerNumber: m.id.number,
      taker: takerName.slice(0, takerName.lastIndexOf("/")),
      takerNumber: takerId.number,
      takerSide: sideToProto(takerSide),
      priceTicks: f.priceTicks,
      sizeContracts: f.sizeContracts,
      premiumMicroUsdc: premium.toString(),
      makerFeeMicroUsdc: makerFee.toString(),
      takerFeeMicroUsdc: takerFee.toString(),
      height: ctx.height,
      timeNs: ctx.blockTimeNs,
    });
    const rings: Array<[Uint8Array, string]> = [[seriesRing, seriesRingKey], [takerRing, takerRingKey], [m.ring, m.ringKey]];
    for (const [ring, key] of rings) {
      const at = op.ringAppend(ring, key);
      ctx.store.set(ClobKeys.fillSlot(ring, Number(at % BigInt(FILLS_KEPT))), record);
    }
  }
  const updates: SubaccountUpdate[] = [{ id: taker.id, collateralDelta: taker.collateral, positionDeltas: [{ instrumentId: seriesId, sizeDelta: taker.size, costBasisDelta: taker.cost }] }];
  const subs = [takerSub];
  for (const m of makers.values()) {
    updates.push({ id: m.id, collateralDelta: m.collateral, positionDeltas: [{ instrumentId: seriesId, sizeDelta: m.size, costBasisDelta: m.cost }] });
    subs.push(m.sub);
  }
  deps.applyUpdates(updates, subs);
  return [...makers.values()].map((m) => ({ sub: m.sub, id: m.id, contracts: m.contracts, signedContracts: m.size }));
}
