import { beforeAll, describe, expect, it } from "vitest";
import { Mempool, MempoolError } from "../../../node/mempool/mempool.js";
import { devWallet, msgSend, newTestApp, signTx, header } from "../../support/devChain.js";

const limits = { maxTxs: 3, maxTxsBytes: 1 << 20, maxTxBytes: 1 << 16, cacheSize: 100 };
let addrs: string[];
beforeAll(async () => {
  addrs = (await devWallet()).addresses;
});

const send = (from: number, seq: number, amount = "1") =>
  signTx(addrs[from]!, [msgSend(addrs[from]!, addrs[(from + 1) % 4]!, [{ denom: "uusdc", amount }])], { accountNumber: from, sequence: seq });

describe("mempool", () => {
  it("accepts valid txs in arrival order and reaps them in that order", async () => {
    const pool = new Mempool(newTestApp(addrs), limits);
    const txs = [await send(0, 0), await send(1, 0), await send(0, 1)];
    for (const tx of txs) expect(pool.add(tx).result.code).toBe(0);
    expect(pool.size).toBe(3);
    expect(pool.reap(1 << 20, -1n)).toEqual(txs);
    expect(pool.reap(txs[0]!.length + txs[1]!.length, -1n)).toEqual(txs.slice(0, 2));
  });

  it("rejects a duplicate, a full pool and an oversize tx before CheckTx", async () => {
    const pool = new Mempool(newTestApp(addrs), limits);
    const t = await send(0, 0);
    pool.add(t);
    expect(() => pool.add(t)).toThrow(expect.objectContaining({ kind: "txInCache" }) as unknown as Error);
    pool.add(await send(1, 0));
    pool.add(await send(2, 0));
    const full = await send(3, 0);
    expect(() => pool.add(full)).toThrowError(MempoolError);
    expect(() => pool.add(full)).toThrow(/mempool is full/);
    expect(() => pool.add(new Uint8Array(limits.maxTxBytes + 1))).toThrow(/tx too large/);
    expect(pool.size).toBe(3);
  });

  it("refuses a bad sequence through CheckTx without adding it", async () => {
    const pool = new Mempool(newTestApp(addrs), limits);
    const { result } = pool.add(await send(0, 3));
    expect(result.code).toBe(32);
    expect(pool.size).toBe(0);
  });

  it("after a commit removes included txs and evicts those that became invalid", async () => {
    const app = newTestApp(addrs);
    const pool = new Mempool(app, { ...limits, maxTxs: 10 });
    const a0 = await send(0, 0);
    const a1 = await send(0, 1);
    const b0 = await send(1, 0);
    for (const tx of [a0, a1, b0]) expect(pool.add(tx).result.code).toBe(0);
    // A block (proposed elsewhere) spends account 0's sequence 0 and 1 with other txs: a0 and a1 are now stale.
    const other0 = await send(0, 0, "2");
    const other1 = await send(0, 1, "3");
    app.finalizeBlock({ header: header(1n), txs: [other0, other1, b0] });
    app.commit();
    const outcome = pool.update([other0, other1, b0]);
    expect(outcome).toEqual({ removed: 1, evicted: 2 });
    expect(pool.size).toBe(0);
    // The next sequence is accepted again.
    expect(pool.add(await send(0, 2)).result.code).toBe(0);
  });
});
