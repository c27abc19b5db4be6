/**
 * Random op streams through the keeper's messages (places of every kind, cancels, amends, batches, cancel-all,
 * blocks with expiry, and injected settlement failures): after every step the stored books equal the cached
 * engines, all invariants hold, positions net to zero, and collateral plus fees is conserved.
 */
import { describe, expect, it } from "vitest";
import { ClobErrors } from "../../../modules/clob/index.js";
import { Prng } from "../math/prng.js";
import { addr, bech, clobFixture, GENESIS_NS } from "./fixture.js";

function run(seed: number, steps: number): void {
  const rnd = new Prng(seed);
  const int = (n: number) => Math.floor(rnd.next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const f = clobFixture();
  const owners = [1, 2, 3, 4];
  const total = () => owners.reduce((s, n) => s + f.collateral(n), 0n) + f.feePool();
  const initial = total();
  const real = f.subaccounts.keeper.applyUpdates.bind(f.subaccounts.keeper);
  let failNext = false;
  f.subaccounts.keeper.applyUpdates = ((ctx, updates, opts) => {
    if (failNext) {
      failNext = false;
      failures++;
      throw ClobErrors.overflow.with("injected");
    }
    return real(ctx, updates, opts);
  }) as typeof real;
  let fills = 0;
  let failures = 0;
  let height = 1n;
  let time = GENESIS_NS;
  const liveIds = () => owners.flatMap((n) => f.keeper.openOrdersOf(f.store, { owner: addr(n), number: 0 }).map((o) => ({ n, o })));
  const randomSpec = () => {
    const tif = pick([0, 0, 0, 1, 2, 3, 4]);
    return {
      seriesId: pick([1n, 2n]),
      side: pick([1, 2]),
      priceTicks: BigInt(95 + int(11)),
      sizeContracts: BigInt(1 + int(5)),
      timeInForce: tif,
      goodTilBlock: tif === 3 ? height + BigInt(int(3)) : 0n,
      goodTilTimeNs: tif === 4 ? time + BigInt(int(3)) * 1_000_000_000n : 0n,
      postOnly: tif !== 1 && tif !== 2 && int(4) === 0,
      reduceOnly: int(6) === 0,
      clientId: int(3) === 0 ? BigInt(1 + int(4)) : 0n,
    };
  };
  for (let step = 0; step < steps; step++) {
    const r = int(100);
    const n = pick(owners);
    if (r < 45) {
      failNext = int(6) === 0;
      const res = f.place(n, randomSpec());
      if (res.ok) fills += res.events.filter((e) => e.type === "order_filled").length;
    } else if (r < 60) {
      const live = liveIds();
      if (live.length > 0) {
        const { n: owner, o } = pick(live);
        f.exec(f.C.MsgCancelOrder.typeUrl, { owner: bech(owner), subaccountNumber: 0, orderId: o.orderId, clientId: 0n });
      }
    } else if (r < 72) {
      const live = liveIds();
      if (live.length > 0) {
        const { n: owner, o } = pick(live);
        failNext = int(10) === 0;
        const keep = int(2) === 0;
        f.exec(f.C.MsgAmendOrder.typeUrl, {
          owner: bech(owner),
          subaccountNumber: 0,
          orderId: o.orderId,
          clientId: 0n,
          newSizeContracts: keep ? BigInt(1 + int(Number(o.remainingContracts))) : BigInt(1 + int(6)),
          newPriceTicks: keep ? 0n : BigInt(95 + int(11)),
        });
      }
    } else if (r < 85) {
      const live = liveIds().filter((x) => x.n === n);
      failNext = int(6) === 0;
      f.exec(f.C.MsgBatch.typeUrl, {
        owner: bech(n),
        subaccountNumber: 0,
        cancels: live.slice(0, int(3)).map((x) => ({ orderId: x.o.orderId, clientId: 0n })),
        places: Array.from({ length: 1 + int(6) }, () => f.spec(randomSpec())),
      });
    } else if (r < 90) {
      f.exec(f.C.MsgCancelAll.typeUrl, { owner: bech(n), subaccountNumber: 0, underlying: "", expiryUnixS: 0n, seriesId: pick([0n, 1n, 2n]) });
    } else {
      height += 1n;
      time += BigInt(1 + int(2)) * 1_000_000_000n;
      f.beginBlock(height, time);
    }
    failNext = false;
    const broken = f.invariants();
    if (broken.length > 0) throw new Error(`seed ${seed} step ${step}: ${broken.join("; ")}`);
    expect(total()).toBe(initial);
    // Store == engine, compared directly whenever the cache is current.
    for (const series of [1n, 2n]) {
      const cached = f.keeper.cache.peek(series);
      const l3 = f.query("BookL3", f.C.QueryBookL3Request, f.C.QueryBookL3Response, { seriesId: series, limit: 1000 });
      const stored = [...l3.bids, ...l3.asks].map((o) => `${o.orderId}:${o.priceTicks}:${o.remainingContracts}`);
      const state = f.store.get(new Uint8Array([0x06, 0x06, 0, 0, 0, 0, 0, 0, 0, Number(series)]));
      if (cached !== undefined && state !== undefined && cached.counter === f.C.SeriesBookState.decode(state).mutationCounter) {
        expect(cached.book.snapshot().orders.map((o) => `${o.orderId}:${o.priceTicks}:${o.sizeContracts}`)).toEqual(stored);
      }
    }
  }
  // The stream must actually trade and exercise the failed-tx reload path.
  expect(fills).toBeGreaterThan(10);
  expect(failures).toBeGreaterThan(0);
  expect(f.keeper.cache.reloads).toBeGreaterThan(0);
}

describe("clob keeper: random op streams", () => {
  for (const seed of [1, 2, 3]) {
    it(`keeps store, engine and balances consistent (seed ${seed})`, () => run(seed, 250));
  }
});
