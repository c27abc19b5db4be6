/**
 * Economic stress through the full app (createVannaApp, dev genesis, oracle prices as vote extensions, cosmjs
 * txs): spot −30% in one block, spot +50%, volatility doubled, the oracle stale for 60 s, a cascade against a
 * thin book, and an exhausted fund so that deleveraging runs. After every block every invariant holds
 * (MarketChain.check: app.checkInvariants(), supply, Σ balances, collateral, net positions, fee pool); after
 * each shock the accounts that should be liquidated are, the healthy ones are untouched, and the fund's ledger
 * and the records account for bad debt to the uusdc. Last, a deliberately broken state is caught by the check
 * a node runs after every commit.
 */
import { describe, expect, it } from "vitest";
import { LiquidationCodec, msgs } from "../../../node/client/index.js";
import { BTC_100K } from "../../support/marketChain.js";
import { LiqChain, name, USD, type Acct } from "./appChain.js";

const big = (s: string) => BigInt(s);

interface Setup {
  L: LiqChain;
  series: bigint;
  shorts: Acct[];
  healthy: Acct;
  long: Acct;
  maker: Acct;
}

/** Shorts (tight collateral) and one healthy short opposite one long; a maker ask ladder rests on the book. */
async function setup(o: { kind: "call" | "put"; strikeUsd: bigint; shorts: number; shortUsd: bigint; size: bigint; ladder: { levels: number; size: bigint }; fundUsd?: bigint }): Promise<Setup> {
  const L = await LiqChain.create();
  const [, a1, a2, a3] = L.addrs as [string, string, string, string];
  const maker = { owner: a3, number: 0 };
  const long = { owner: a2, number: 0 };
  const healthy = { owner: a1, number: 9 };
  const shorts = Array.from({ length: o.shorts }, (_, i) => ({ owner: a1, number: i + 1 }));
  const series = await L.list(o.strikeUsd, o.kind);
  await L.deposit([[maker, 900_000n * USD], [long, 900_000n * USD], [healthy, 500_000n * USD], ...shorts.map((s) => [s, o.shortUsd] as [Acct, bigint])]);
  for (const s of shorts) await L.trade(long, s, series, o.size);
  await L.trade(long, healthy, series, 10n);
  const mark = await L.markTicks(series);
  await L.askLadder(maker, series, mark * 2n > 0n ? mark * 2n : 1n, o.ladder.levels, o.ladder.size);
  if (o.fundUsd !== undefined) await L.c.ok(L.authority, [msgs.depositInsurance({ sender: L.authority, amountMicroUsdc: o.fundUsd * USD })]);
  for (const s of [...shorts, healthy]) {
    const m = await L.margin(s);
    expect(m.equity).toBeGreaterThanOrEqual(m.mm);
  }
  return { L, series, shorts, healthy, long, maker };
}

/** Records of this block by subaccount. */
async function recordsAfter(L: LiqChain, from: number) {
  return (await L.records()).slice(from);
}

async function expectPartiallyLiquidated(s: Setup, size: bigint): Promise<void> {
  const { L } = s;
  for (const a of s.shorts) {
    const left = await L.position(a, s.series);
    const m = await L.margin(a);
    expect(left === 0n || m.equity >= m.mm, `${name(a)}: ${left} left, equity ${m.equity}, MM ${m.mm}`).toBe(true);
    expect(left, `${name(a)} was reduced`).toBeGreaterThan(-size);
  }
}

describe("economic stress through the full app", () => {
  it("spot −30% in one block: the tight short puts are partially liquidated against the book, the healthy one untouched", async () => {
    const s = await setup({ kind: "put", strikeUsd: 70_000n, shorts: 3, shortUsd: 8_000n * USD, size: 100n, ladder: { levels: 18, size: 100n } });
    const { L } = s;
    const healthyBefore = [await L.position(s.healthy, s.series), await L.collateral(s.healthy)];
    const fund0 = await L.fundBalance();
    const n0 = (await L.records()).length;
    L.c.feed.spots.BTC = (BTC_100K * 70n) / 100n;
    const b = L.c.block();
    const recs = await recordsAfter(L, n0);
    expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set(s.shorts.map(name)));
    expect(recs.every((r) => r.kind === "partial" && r.height === b.height)).toBe(true);
    await expectPartiallyLiquidated(s, 100n);
    for (const a of s.shorts) expect(await L.position(a, s.series)).toBeLessThan(0n);
    expect([await L.position(s.healthy, s.series), await L.collateral(s.healthy)]).toEqual(healthyBefore);
    // Every fee went into the fund, to the uusdc.
    const fees = recs.reduce((a, r) => a + big(r.feeMicroUsdc), 0n);
    expect(fees).toBeGreaterThan(0n);
    expect((await L.fundBalance()) - fund0).toBe(fees);
    // The next block (fresh price, same level) liquidates no one.
    L.c.block();
    expect((await L.records()).length).toBe(n0 + recs.length);
  });

  it("spot +50%: short calls are liquidated; vol doubled: short puts are liquidated with spot unchanged", async () => {
    const calls = await setup({ kind: "call", strikeUsd: 130_000n, shorts: 2, shortUsd: 11_000n * USD, size: 100n, ladder: { levels: 22, size: 100n } });
    const n0 = (await calls.L.records()).length;
    calls.L.c.feed.spots.BTC = (BTC_100K * 150n) / 100n;
    calls.L.c.block();
    const recs = await recordsAfter(calls.L, n0);
    expect(new Set(recs.map((r) => r.subaccount))).toEqual(new Set(calls.shorts.map(name)));
    await expectPartiallyLiquidated(calls, 100n);
    expect(await calls.L.position(calls.healthy, calls.series)).toBe(-10n);

    const vol = await setup({ kind: "put", strikeUsd: 90_000n, shorts: 2, shortUsd: 14_000n * USD, size: 100n, ladder: { levels: 12, size: 100n } });
    const v0 = (await vol.L.records()).length;
    vol.L.c.feed.smile.atmVolPpm *= 2n;
    vol.L.c.block();
    const vrecs = await recordsAfter(vol.L, v0);
    expect(new Set(vrecs.map((r) => r.subaccount))).toEqual(new Set(vol.shorts.map(name)));
    await expectPartiallyLiquidated(vol, 100n);
    expect(await vol.L.position(vol.healthy, vol.series)).toBe(-10n);
  });

  it("oracle stale for 60 s: an underwater account holding a stale underlying is not liquidated until the price is fresh", async () => {
    const s = await setup({ kind: "put", strikeUsd: 70_000n, shorts: 1, shortUsd: 8_000n * USD, size: 100n, ladder: { levels: 18, size: 100n } });
    const { L } = s;
    const short = s.shorts[0]!;
    // The short also holds a small ETH position; then ETH's feed stops (BTC's goes on) and BTC crashes.
    const eth = await L.list(3_000n, "call", "ETH");
    await L.trade(short, s.maker, eth, 10n);
    const n0 = (await L.records()).length;
    delete L.c.feed.spots.ETH;
    L.c.advanceTo(L.c.timeNs + 32n * 1_000_000_000n);
    expect((await L.c.q.oracle.price("ETH")).stale).toBe(true);
    L.c.feed.spots.BTC = (BTC_100K * 70n) / 100n;
    const skipped: string[] = [];
    const start = L.c.timeNs;
    while (L.c.timeNs < start + 60n * 1_000_000_000n) {
      const b = L.c.block();
      for (const e of b.events) if (e.type === "liquidation_skipped") skipped.push(e.attributes.find((a) => a.key === "subaccount")!.value);
    }
    const m = await L.margin(short);
    expect(m.equity).toBeLessThan(m.mm);
    expect(await L.position(short, s.series)).toBe(-100n);
    expect((await L.records()).length).toBe(n0);
    expect(skipped.length).toBeGreaterThan(0);
    expect(new Set(skipped)).toEqual(new Set([name(short)]));
    // ETH fresh again: the next block liquidates.
    L.c.feed.spots.ETH = 3_000_000_000n;
    L.c.block();
    expect((await L.records()).length).toBeGreaterThan(n0);
    expect(await L.position(short, s.series)).toBeGreaterThan(-100n);
  });

  it("a cascade against a thin book: partial fills exhaust the book, the fund takes the rest over; bad debt accounted to the uusdc", async () => {
    const s = await setup({ kind: "put", strikeUsd: 70_000n, shorts: 5, shortUsd: 8_000n * USD, size: 100n, ladder: { levels: 18, size: 3n }, fundUsd: 300_000n });
    const { L } = s;
    const hist0 = (await L.c.q.liquidation.insuranceHistory()).entries.length;
    const n0 = (await L.records()).length;
    L.c.feed.spots.BTC = (BTC_100K * 65n) / 100n;
    L.c.block();
    const recs = await recordsAfter(L, n0);
    expect(recs.some((r) => r.kind === "partial")).toBe(true);
    expect(recs.some((r) => r.kind === "takeover")).toBe(true);
    for (const a of s.shorts) {
      const left = await L.position(a, s.series);
      const m = await L.margin(a);
      if (left === 0n) expect(await L.collateral(a)).toBe(0n);
      else expect(m.equity).toBeGreaterThanOrEqual(m.mm);
    }
    expect(await L.position(s.healthy, s.series)).toBe(-10n);
    const fund = await L.c.q.liquidation.insuranceFund();
    expect(fund.subaccountPositions).toBe(1);
    // The fund paid exactly the takeover deficits: Σ takeover entries == −Σ takeover record losses.
    const entries = (await L.c.q.liquidation.insuranceHistory({ key: new Uint8Array(), offset: BigInt(hist0), limit: 1000n, countTotal: false, reverse: false })).entries;
    const paid = entries.filter((e) => e.kind === "takeover").reduce((a, e) => a - big(e.amountMicroUsdc), 0n);
    const losses = recs.filter((r) => r.kind === "takeover").reduce((a, r) => a + big(r.lossMicroUsdc), 0n);
    expect(paid).toBe(losses);
    // The book was used up within the band (mark + 10%) before any takeover: what rests is priced above it.
    const bandTop = (((await L.markTicks(s.series)) * 110n) / 100n);
    for (const a of (await L.c.q.clob.bookL2(s.series)).asks) expect(a.priceTicks).toBeGreaterThan(bandTop);
  });

  it("the fund exhausted: deleveraging closes the bankrupt's contracts against the longs; no one ends negative; Σ losses + fund paid == deficit", async () => {
    const s = await setup({ kind: "put", strikeUsd: 100_000n, shorts: 1, shortUsd: 22_000n * USD, size: 100n, ladder: { levels: 1, size: 1n }, fundUsd: 1_000n });
    const { L } = s;
    const short = s.shorts[0]!;
    const n0 = (await L.records()).length;
    L.c.feed.spots.BTC = BTC_100K / 2n;
    L.c.block();
    const recs = (await recordsAfter(L, n0)).filter((r) => r.subaccount === name(short));
    const adl = recs.filter((r) => r.kind === "deleverage");
    expect(adl.length).toBeGreaterThan(0);
    expect(adl.every((r) => r.counterparty === name(s.long))).toBe(true);
    expect(await L.position(short, s.series)).toBe(0n);
    expect(await L.collateral(short)).toBe(0n);
    expect(await L.fundBalance()).toBe(0n);
    // Bankrupt at the scan (equity < 0): no partial order, straight to the waterfall.
    expect(recs.filter((r) => r.kind === "partial")).toEqual([]);
    const equityBefore = big(recs[0]!.equityBeforeMicroUsdc);
    expect(equityBefore).toBeLessThan(0n);
    const fundPaid = await takeoverPaid(L);
    expect(fundPaid).toBe(1_000n * USD);
    const losses = recs.reduce((a, r) => a + big(r.lossMicroUsdc), 0n);
    expect(losses + fundPaid).toBe(-equityBefore);
    for (const a of [s.long, s.healthy, s.maker]) expect((await L.margin(a)).equity).toBeGreaterThanOrEqual(0n);
  });

  it("a node's invariant check catches a deliberately broken state (a forged insurance-fund entry)", async () => {
    const L = await LiqChain.create();
    await L.c.ok(L.addrs[1]!, [msgs.depositInsurance({ sender: L.addrs[1]!, amountMicroUsdc: 10n * USD })]);
    expect(L.c.app.checkInvariants()).toEqual([]);
    const key = new Uint8Array([0x08, 0x02, 0, 0, 0, 0, 0, 0, 0, 0]);
    const entry = LiquidationCodec.InsuranceEntryProto.decode(L.c.store.reader().get(key)!);
    L.c.store.commit([{ key, value: LiquidationCodec.InsuranceEntryProto.encode({ ...entry, amountMicroUsdc: (11n * USD).toString() }) }], L.c.height);
    const broken = L.c.app.checkInvariants();
    expect(broken).toContain(`liquidation: fund history sums to ${11n * USD}uusdc, fund balance is ${10n * USD}uusdc`);
  });
});

/** Σ the fund paid into bankrupt accounts (its "takeover" entries). */
async function takeoverPaid(L: LiqChain): Promise<bigint> {
  const e = (await L.c.q.liquidation.insuranceHistory({ key: new Uint8Array(), offset: 0n, limit: 1000n, countTotal: false, reverse: false })).entries;
  return e.filter((x) => x.kind === "takeover").reduce((a, x) => a - big(x.amountMicroUsdc), 0n);
}
