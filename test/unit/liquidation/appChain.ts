/**
 * The full app (modules/app.ts createVannaApp) for liquidation tests, on test/support/marketChain.ts: genesis
 * from node/config buildAppState(devFunding(...)) with the liquidation authority set, cosmjs-signed txs, oracle
 * prices and smiles fed as vote extensions in lastCommitVotes, and every invariant (app.checkInvariants() plus
 * supply, Σ balances, collateral = module account, positions net to zero, fee pool) checked after every block.
 * Accounts are (dev address, subaccount number) pairs so that a few keys give many subaccounts.
 */
import { expect } from "vitest";
import { msgs, usdc, type LiquidationCodec, type OptionsCodec, type OrderInput } from "../../../node/client/index.js";
import { GENESIS_TIME_NS } from "../../support/devChain.js";
import { MarketChain, responsesOf, SEC } from "../../support/marketChain.js";

export const USD = 1_000_000n;
/** A 30-day expiry at 08:00 UTC (the smile is fed for every live expiry). */
export const EXPIRY_S = GENESIS_TIME_NS / SEC + 30n * 86_400n + 8n * 3600n;

export interface Acct {
  owner: string;
  number: number;
}

export class LiqChain {
  private constructor(readonly c: MarketChain) {}

  static async create(liquidationParams: Record<string, unknown> = {}): Promise<LiqChain> {
    const c = await MarketChain.create({
      appState: (s, a) => ({ ...s, liquidation: { params: { authority: a[0], ...liquidationParams } } }),
    });
    return new LiqChain(c);
  }

  get addrs(): string[] {
    return this.c.addrs;
  }
  get authority(): string {
    return this.c.addrs[0]!;
  }

  /** The authority lists a series; a block passes so that the feed reports its expiry's smile. */
  async list(strikeUsd: bigint, kind: "call" | "put", underlying = "BTC"): Promise<bigint> {
    const r = await this.c.ok(this.authority, [msgs.listSeries({ authority: this.authority, underlying, expiryUnixS: EXPIRY_S, strikeMicroUsd: strikeUsd * USD, kind })]);
    const id = (responsesOf(r)[0] as OptionsCodec.MsgListSeriesResponse).seriesId;
    this.c.block();
    return id;
  }

  /** Deposits into many subaccounts in one block (one tx per owner). */
  async deposit(rows: Array<[Acct, bigint]>): Promise<void> {
    const byOwner = new Map<string, ReturnType<typeof msgs.deposit>[]>();
    for (const [a, amount] of rows) {
      const list = byOwner.get(a.owner) ?? [];
      list.push(msgs.deposit({ sender: a.owner, subaccountNumber: a.number, amount: usdc(amount) }));
      byOwner.set(a.owner, list);
    }
    const txs = await Promise.all([...byOwner].map(([o, m]) => this.c.sign(o, m)));
    const b = this.c.block(txs);
    for (const r of b.txResults) expect([r.code, r.log]).toEqual([0, expect.anything()]);
  }

  async markTicks(seriesId: bigint): Promise<bigint> {
    const m = (await this.c.q.options.mark(seriesId)).mark!;
    return BigInt(m.markMicroUsdcPerContract) / 10_000n;
  }

  order(a: Acct, o: Partial<OrderInput> & Pick<OrderInput, "seriesId" | "side" | "priceTicks" | "sizeContracts">) {
    return msgs.placeOrder({ owner: a.owner, subaccountNumber: a.number, order: { timeInForce: "gtc", ...o } });
  }

  /** Opens `size` contracts between a long and a short at the mark: the short rests, the long takes, one block. */
  async trade(long: Acct, short: Acct, seriesId: bigint, size: bigint): Promise<void> {
    const price = await this.markTicks(seriesId);
    const b = this.c.block([await this.c.sign(short.owner, [this.order(short, { seriesId, side: "sell", priceTicks: price, sizeContracts: size })])]);
    expect(b.txResults[0]!.code, b.txResults[0]!.log).toBe(0);
    const t = this.c.block([await this.c.sign(long.owner, [this.order(long, { seriesId, side: "buy", priceTicks: price, sizeContracts: size, timeInForce: "ioc" })])]);
    expect(t.txResults[0]!.code, t.txResults[0]!.log).toBe(0);
  }

  /** Resting asks: `levels` prices from `fromTicks`, each ×`stepPct`%, `size` contracts each, one tx. */
  async askLadder(maker: Acct, seriesId: bigint, fromTicks: bigint, levels: number, size: bigint, stepPct = 130n): Promise<void> {
    const places: OrderInput[] = [];
    let p = fromTicks;
    for (let i = 0; i < levels; i++) {
      places.push({ seriesId, side: "sell", priceTicks: p, sizeContracts: size, timeInForce: "gtc", postOnly: true });
      p = (p * stepPct) / 100n;
    }
    const b = this.c.block([await this.c.sign(maker.owner, [msgs.batch({ owner: maker.owner, subaccountNumber: maker.number, places })])]);
    expect(b.txResults[0]!.code, b.txResults[0]!.log).toBe(0);
  }

  async margin(a: Acct) {
    const m = await this.c.q.margin.subaccountMargin(a.owner, a.number);
    return { equity: BigInt(m.equityMicroUsdc), mm: BigInt(m.maintenanceMarginMicroUsdc) };
  }

  position(a: Acct, seriesId: bigint): Promise<bigint> {
    return this.c.position(a.owner, seriesId, a.number);
  }

  collateral(a: Acct): Promise<bigint> {
    return this.c.collateral(a.owner, a.number);
  }

  /** Every liquidation record (all pages). */
  async records(): Promise<LiquidationCodec.LiquidationRecordProto[]> {
    const out: LiquidationCodec.LiquidationRecordProto[] = [];
    let key: Uint8Array = new Uint8Array();
    for (;;) {
      const r = await this.c.q.liquidation.liquidations({ key, offset: 0n, limit: 100n, countTotal: false, reverse: false });
      out.push(...r.liquidations);
      if (r.pagination === undefined || r.pagination.nextKey.length === 0) return out;
      key = r.pagination.nextKey;
    }
  }

  async fundBalance(): Promise<bigint> {
    return BigInt((await this.c.q.liquidation.insuranceFund()).balanceMicroUsdc);
  }
}

export const name = (a: Acct) => `${a.owner}/${a.number}`;
