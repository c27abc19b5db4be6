/**
 * Helpers for the economic stress e2e (test/e2e/stress.test.ts) on a real testnet: the oracle file every
 * validator's `file:` feeder reads (rewritten atomically: temp file + rename, so a validator never reads half a
 * file), a genesis patch that turns the options auto-listing off (the test lists exactly the series it trades,
 * so a 50% spot move does not list hundreds of series no one holds), and a thin wrapper over the client
 * connection for trading setups and liquidation/insurance queries. Accounts are (dev address, subaccount number)
 * pairs so that a few keys give many subaccounts.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { DeliverTxResponse } from "@cosmjs/stargate";
import { expect } from "vitest";
import { homePaths } from "../../node/home.js";
import { msgs, usdc, type LiquidationCodec, type OrderInput, type VannaConnection } from "../../node/client/index.js";
import { DEFAULT_OPTIONS_PARAMS, optionsParamsToJson } from "../../modules/options/index.js";
import { sleep, type Testnet } from "./testnet.js";

export const USD = 1_000_000n;
/** BTC and ETH genesis defaults: uusdc per contract per tick. */
export const TICK = 10_000n;

export interface Acct {
  owner: string;
  number: number;
}
export const name = (a: Acct): string => `${a.owner}/${a.number}`;

/** Turns auto-listing off for every underlying in every node's genesis (before the nodes first start). */
export function disableAutoListing(net: Testnet, authority: string): void {
  const params = optionsParamsToJson({ ...DEFAULT_OPTIONS_PARAMS, authority, underlyings: DEFAULT_OPTIONS_PARAMS.underlyings.map((u) => ({ ...u, autoList: false })) });
  for (const n of net.nodes) {
    const path = homePaths(n.home).genesis;
    const g = JSON.parse(readFileSync(path, "utf8")) as { app_state: Record<string, Record<string, unknown>> };
    g.app_state["options"] = { ...(g.app_state["options"] ?? {}), params };
    writeFileSync(path, `${JSON.stringify(g, null, 2)}\n`);
  }
}

export interface Market {
  spots: Record<string, string>;
  /** atmVol per underlying, applied to every listed expiry (skew and curvature 0). */
  vols: Record<string, string>;
}

/** The one JSON file every validator's feeder re-reads each block. */
export class OracleFile {
  private seq = 0;
  constructor(readonly path: string) {}

  write(m: Market): void {
    const smiles = Object.entries(m.vols).map(([underlying, atmVol]) => ({ underlying, expiry: "listed", atmVol, skew: 0, curvature: 0 }));
    this.atomic(JSON.stringify({ spots: m.spots, smiles }));
  }

  private atomic(text: string): void {
    const tmp = `${this.path}.${process.pid}.${this.seq++}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.path);
  }
}

type Msg = { typeUrl: string; value: unknown };

/** Trading and queries over a client connection; txs of one owner must not overlap (sequence numbers). */
export class StressClient {
  constructor(readonly v: VannaConnection) {}

  get q() {
    return this.v.query;
  }

  async ok(from: string, messages: Msg[]): Promise<DeliverTxResponse> {
    const res = await this.v.signing!.signAndBroadcast(from, messages, "auto");
    expect(res.code, res.rawLog).toBe(0);
    return res;
  }

  /** Deposits grouped into one tx per owner, owners in parallel. */
  async deposit(rows: Array<[Acct, bigint]>): Promise<void> {
    const byOwner = new Map<string, Msg[]>();
    for (const [a, amount] of rows) byOwner.set(a.owner, [...(byOwner.get(a.owner) ?? []), msgs.deposit({ sender: a.owner, subaccountNumber: a.number, amount: usdc(amount) })]);
    await Promise.all([...byOwner].map(([o, m]) => this.ok(o, m)));
  }

  async list(authority: string, underlying: string, expiryUnixS: bigint, strikeUsd: bigint, kind: "call" | "put"): Promise<bigint> {
    const r = await this.ok(authority, [msgs.listSeries({ authority, underlying, expiryUnixS, strikeMicroUsd: strikeUsd * USD, kind })]);
    return BigInt(r.events.find((e) => e.type === "series_listed")!.attributes.find((a) => a.key === "series_id")!.value);
  }

  /** The mark in ticks (waits for the first fresh one of a new series). */
  async markTicks(seriesId: bigint, timeoutMs = 20_000): Promise<bigint> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.q.options.mark(seriesId);
      if (m.mark !== undefined && !m.stale) return BigInt(m.mark.markMicroUsdcPerContract) / TICK;
      if (Date.now() > deadline) throw new Error(`no fresh mark for series ${seriesId}`);
      await sleep(200);
    }
  }

  order(a: Acct, o: Partial<OrderInput> & Pick<OrderInput, "seriesId" | "side" | "priceTicks" | "sizeContracts">): Msg {
    return msgs.placeOrder({ owner: a.owner, subaccountNumber: a.number, order: { timeInForce: "gtc", ...o } });
  }

  /** Resting asks of `levels` prices from `fromTicks`, each ×stepPct%, `size` contracts each. */
  ladder(maker: Acct, seriesId: bigint, fromTicks: bigint, levels: number, size: bigint, stepPct = 130n): Msg {
    const places: OrderInput[] = [];
    let p = fromTicks;
    for (let i = 0; i < levels; i++) {
      places.push({ seriesId, side: "sell", priceTicks: p, sizeContracts: size, timeInForce: "gtc", postOnly: true });
      p = (p * stepPct) / 100n;
    }
    return msgs.batch({ owner: maker.owner, subaccountNumber: maker.number, places });
  }

  async margin(a: Acct): Promise<{ equity: bigint; mm: bigint }> {
    const m = await this.q.margin.subaccountMargin(a.owner, a.number);
    return { equity: BigInt(m.equityMicroUsdc), mm: BigInt(m.maintenanceMarginMicroUsdc) };
  }

  async position(a: Acct, seriesId: bigint): Promise<bigint> {
    const s = await this.q.subaccounts.subaccount(a.owner, a.number);
    return BigInt(s?.positions.find((p) => p.instrumentId === seriesId)?.sizeContracts ?? "0");
  }

  async collateral(a: Acct): Promise<bigint> {
    return BigInt((await this.q.subaccounts.subaccount(a.owner, a.number))?.quoteMicroUsdc ?? "0");
  }

  /** Every liquidation record, oldest first (all pages). */
  async records(): Promise<LiquidationCodec.LiquidationRecordProto[]> {
    const out: LiquidationCodec.LiquidationRecordProto[] = [];
    let key: Uint8Array = new Uint8Array();
    for (;;) {
      const r = await this.q.liquidation.liquidations({ key, offset: 0n, limit: 100n, countTotal: false, reverse: false });
      out.push(...r.liquidations);
      if (r.pagination === undefined || r.pagination.nextKey.length === 0) return out;
      key = r.pagination.nextKey;
    }
  }

  /** Every insurance-fund movement, oldest first (all pages). */
  async history(): Promise<LiquidationCodec.InsuranceEntryProto[]> {
    const out: LiquidationCodec.InsuranceEntryProto[] = [];
    let key: Uint8Array = new Uint8Array();
    for (;;) {
      const r = await this.q.liquidation.insuranceHistory({ key, offset: 0n, limit: 100n, countTotal: false, reverse: false });
      out.push(...r.entries);
      if (r.pagination === undefined || r.pagination.nextKey.length === 0) return out;
      key = r.pagination.nextKey;
    }
  }

  async fundBalance(): Promise<bigint> {
    return BigInt((await this.q.liquidation.insuranceFund()).balanceMicroUsdc);
  }

  async price(underlying: string): Promise<{ priceMicroUsd: bigint | undefined; stale: boolean }> {
    const p = await this.q.oracle.price(underlying);
    return { priceMicroUsd: p.price?.priceMicroUsd, stale: p.stale };
  }
}
