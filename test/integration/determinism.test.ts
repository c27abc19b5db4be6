import { beforeAll, describe, expect, it } from "vitest";
import { createVannaApp } from "../../modules/app.js";
import { RootStore } from "../../src/store/index.js";
import type { StoreChange } from "../../src/store/types.js";
import { devWallet, header, msgSend, newTestApp, newTestAppWithGenesis, signTx, testAppOptions } from "../support/devChain.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Builds 12 blocks of sends between the first four dev accounts, some failing, signed by cosmjs. */
async function buildBlocks(addrs: string[]): Promise<Uint8Array[][]> {
  const seqs = [0, 0, 0, 0];
  const blocks: Uint8Array[][] = [];
  for (let h = 0; h < 12; h++) {
    const txs: Uint8Array[] = [];
    for (let i = 0; i < 4; i++) {
      if ((h + i) % 3 === 0) continue;
      const to = addrs[(i + 1 + h) % 4]!;
      // Every fifth send asks for more than the sender holds: it fails, but its fee and sequence still count.
      const amount = (h * 4 + i) % 5 === 4 ? "999999999999999" : String(1000 + h * 10 + i);
      txs.push(await signTx(addrs[i]!, [msgSend(addrs[i]!, to, [{ denom: "uusdc", amount }])], { accountNumber: i, sequence: seqs[i]! }));
      seqs[i]!++;
    }
    blocks.push(txs);
  }
  return blocks;
}

describe("determinism", () => {
  let addrs: string[];
  let blocks: Uint8Array[][];
  beforeAll(async () => {
    addrs = (await devWallet()).addresses;
    blocks = await buildBlocks(addrs);
  });

  it("two independent apps fed the same blocks reach the same app hash at every height", () => {
    const a = newTestApp(addrs);
    const b = newTestApp(addrs);
    // The second app's mempool saw txs in another order: CheckTx state must not leak into block execution.
    for (const tx of [...blocks.flat()].reverse()) b.checkTx(tx, "new");
    expect(hex(a.info().lastBlockAppHash)).toBe(hex(b.info().lastBlockAppHash));
    let failed = 0;
    blocks.forEach((txs, i) => {
      const height = BigInt(i + 1);
      const ra = a.finalizeBlock({ header: header(height), txs });
      const rb = b.finalizeBlock({ header: header(height), txs });
      a.commit();
      b.commit();
      expect(hex(ra.appHash), `height ${height}`).toBe(hex(rb.appHash));
      expect(ra.txResults.map((r) => [r.code, r.gasUsed])).toEqual(rb.txResults.map((r) => [r.code, r.gasUsed]));
      failed += ra.txResults.filter((r) => r.code !== 0).length;
    });
    expect(failed).toBeGreaterThan(0);
    expect(a.checkInvariants()).toEqual([]);
  });

  it("state rebuilt from the persisted changes reproduces the app hash, and the chain continues identically", () => {
    const live = newTestApp(addrs);
    const { app: writer, genesisChanges } = newTestAppWithGenesis(addrs);
    // What the node persists: the genesis writes, then every block's writes, applied in order.
    const persisted = new Map<string, Uint8Array>();
    const persist = (changes: StoreChange[]) => {
      for (const c of changes) {
        const k = Buffer.from(c.key).toString("latin1");
        if (c.value === undefined) persisted.delete(k);
        else persisted.set(k, c.value);
      }
    };
    persist(genesisChanges);
    for (let i = 0; i < 8; i++) {
      live.finalizeBlock({ header: header(BigInt(i + 1)), txs: blocks[i]! });
      live.commit();
      writer.finalizeBlock({ header: header(BigInt(i + 1)), txs: blocks[i]! });
      persist(writer.commit().changes);
    }
    const entries = [...persisted].map(([k, v]): [Uint8Array, Uint8Array] => [new Uint8Array(Buffer.from(k, "latin1")), v]);
    const restored = createVannaApp(testAppOptions(), { store: RootStore.restore(entries, 8n), lastBlockTimeNs: header(8n).timeNs });
    expect(hex(restored.info().lastBlockAppHash)).toBe(hex(live.info().lastBlockAppHash));
    expect(restored.info().lastBlockHeight).toBe(8n);
    for (let i = 8; i < 12; i++) {
      const ra = restored.finalizeBlock({ header: header(BigInt(i + 1)), txs: blocks[i]! });
      const rl = live.finalizeBlock({ header: header(BigInt(i + 1)), txs: blocks[i]! });
      restored.commit();
      live.commit();
      expect(hex(ra.appHash), `height ${i + 1}`).toBe(hex(rl.appHash));
    }
  });
});

describe("genesis export and import", () => {
  it("exporting state and starting a new chain from it preserves accounts, balances and supply", async () => {
    const addrs = (await devWallet()).addresses;
    const app = newTestApp(addrs);
    const blocks = await buildBlocks(addrs);
    blocks.slice(0, 6).forEach((txs, i) => {
      app.finalizeBlock({ header: header(BigInt(i + 1)), txs });
      app.commit();
    });
    const exported = JSON.parse(JSON.stringify(app.exportAppState())) as Record<string, unknown>;
    const imported = createVannaApp(testAppOptions());
    imported.initChain({ chainId: "vanna-test-1", genesisTimeNs: 0n, initialHeight: 7n, appState: exported, validators: [] });
    imported.commit();
    // Same state, so the same app hash: accounts (numbers, sequences, public keys), balances, supply, metadata.
    expect(hex(imported.info().lastBlockAppHash)).toBe(hex(app.info().lastBlockAppHash));
    expect(imported.exportAppState()).toEqual(app.exportAppState());
    expect(imported.checkInvariants()).toEqual([]);
  });

  it("rejects an invalid genesis with a message naming the field", () => {
    const app = createVannaApp(testAppOptions());
    const bad = { bank: { balances: [{ address: "vanna1xyz", coins: [{ denom: "uusdc", amount: "10" }] }] } };
    expect(() => app.initChain({ chainId: "vanna-test-1", genesisTimeNs: 0n, initialHeight: 1n, appState: bad, validators: [] })).toThrow(/invalid address/);
    const app2 = createVannaApp(testAppOptions());
    const badSupply = { bank: { balances: [], supply: [{ denom: "uusdc", amount: "5" }] } };
    expect(() => app2.initChain({ chainId: "vanna-test-1", genesisTimeNs: 0n, initialHeight: 1n, appState: badSupply, validators: [] })).toThrow(/supply/);
  });
});
