/** The insurance fund's history and the liquidation records: append-only, ids increasing from 0 (key order = time order). */
import type { Context } from "../../src/app/context.js";
import { prefixEnd } from "../../src/app/pagination.js";
import type { KVReader, KVStore } from "../../src/store/types.js";
import { InsuranceEntryProto, LiquidationRecordProto } from "./codec.js";
import * as events from "./events.js";
import { LiquidationKeys, readU64be, u64be } from "./keys.js";
import type { InsuranceEntry, InsuranceEntryKind, LiquidationKind, LiquidationRecord } from "./types.js";

function nextId(store: KVStore, key: Uint8Array): bigint {
  const raw = store.get(key);
  const id = raw === undefined ? 0n : readU64be(raw, 0);
  store.set(key, u64be(id + 1n));
  return id;
}

export const entryToProto = (e: InsuranceEntry): InsuranceEntryProto => ({
  ...e,
  amountMicroUsdc: e.amountMicroUsdc.toString(),
  balanceAfterMicroUsdc: e.balanceAfterMicroUsdc.toString(),
});

export const entryFromProto = (p: InsuranceEntryProto): InsuranceEntry => ({
  ...p,
  kind: p.kind as InsuranceEntryKind,
  amountMicroUsdc: BigInt(p.amountMicroUsdc || "0"),
  balanceAfterMicroUsdc: BigInt(p.balanceAfterMicroUsdc || "0"),
});

export const recordToProto = (r: LiquidationRecord): LiquidationRecordProto => ({
  ...r,
  sizeDeltaContracts: r.sizeDeltaContracts.toString(),
  cashMicroUsdc: r.cashMicroUsdc.toString(),
  feeMicroUsdc: r.feeMicroUsdc.toString(),
  equityBeforeMicroUsdc: r.equityBeforeMicroUsdc.toString(),
  maintenanceMarginBeforeMicroUsdc: r.maintenanceMarginBeforeMicroUsdc.toString(),
  lossMicroUsdc: r.lossMicroUsdc.toString(),
});

export const recordFromProto = (p: LiquidationRecordProto): LiquidationRecord => ({
  ...p,
  kind: p.kind as LiquidationKind,
  sizeDeltaContracts: BigInt(p.sizeDeltaContracts || "0"),
  cashMicroUsdc: BigInt(p.cashMicroUsdc || "0"),
  feeMicroUsdc: BigInt(p.feeMicroUsdc || "0"),
  equityBeforeMicroUsdc: BigInt(p.equityBeforeMicroUsdc || "0"),
  maintenanceMarginBeforeMicroUsdc: BigInt(p.maintenanceMarginBeforeMicroUsdc || "0"),
  lossMicroUsdc: BigInt(p.lossMicroUsdc || "0"),
});

/** Appends a fund movement (after the bank moved it) and emits its event. */
export function appendEntry(ctx: Context, e: Omit<InsuranceEntry, "id" | "height" | "timeNs">): InsuranceEntry {
  const entry: InsuranceEntry = { ...e, id: nextId(ctx.store, LiquidationKeys.nextEntryId), height: ctx.height, timeNs: ctx.blockTimeNs };
  ctx.store.set(LiquidationKeys.entry(entry.id), InsuranceEntryProto.encode(entryToProto(entry)));
  ctx.events.push(events.insurance(entry));
  return entry;
}

export function appendRecord(ctx: Context, r: Omit<LiquidationRecord, "id" | "height" | "timeNs">): LiquidationRecord {
  const rec: LiquidationRecord = { ...r, id: nextId(ctx.store, LiquidationKeys.nextRecordId), height: ctx.height, timeNs: ctx.blockTimeNs };
  ctx.store.set(LiquidationKeys.record(rec.id), LiquidationRecordProto.encode(recordToProto(rec)));
  ctx.events.push(events.liquidation(rec));
  return rec;
}

export function* iterateEntries(store: KVReader): IterableIterator<InsuranceEntry> {
  const p = LiquidationKeys.historyPrefix;
  for (const [, v] of store.iterate(p, prefixEnd(p))) yield entryFromProto(InsuranceEntryProto.decode(v));
}

export function* iterateRecords(store: KVReader, fromId = 0n): IterableIterator<LiquidationRecord> {
  const p = LiquidationKeys.recordPrefix;
  for (const [, v] of store.iterate(LiquidationKeys.record(fromId), prefixEnd(p))) yield recordFromProto(LiquidationRecordProto.decode(v));
}

/** Genesis import: stores entries and records as given and sets the next ids after the largest. */
export function importLedger(store: KVStore, entries: readonly InsuranceEntry[], records: readonly LiquidationRecord[]): void {
  let nextEntry = 0n;
  for (const e of entries) {
    store.set(LiquidationKeys.entry(e.id), InsuranceEntryProto.encode(entryToProto(e)));
    if (e.id + 1n > nextEntry) nextEntry = e.id + 1n;
  }
  let nextRecord = 0n;
  for (const r of records) {
    store.set(LiquidationKeys.record(r.id), LiquidationRecordProto.encode(recordToProto(r)));
    if (r.id + 1n > nextRecord) nextRecord = r.id + 1n;
  }
  if (nextEntry > 0n) store.set(LiquidationKeys.nextEntryId, u64be(nextEntry));
  if (nextRecord > 0n) store.set(LiquidationKeys.nextRecordId, u64be(nextRecord));
}

/** Id the next liquidation record will get (records of this block are those from the id at its start). */
export function nextRecordId(store: KVReader): bigint {
  const raw = store.get(LiquidationKeys.nextRecordId);
  return raw === undefined ? 0n : readU64be(raw, 0);
}
