/**
 * Consensus on a fake clock: real state machines, real signatures, real apps; an in-memory network that tests
 * can partition and filter. Each scenario is deterministic and runs in well under a second of real time.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { blockIdKey, blockIdOf } from "../../../src/chain/hashes.js";
import { signBytesOfVote } from "../../../src/chain/signBytes.js";
import { signEd25519 } from "../../../src/crypto/ed25519.js";
import { VoteType, type Vote } from "../../../src/types/consensus.js";
import { ConsensusNet } from "../../support/consensusNet.js";
import { ValidatorSet } from "../../../src/chain/validatorSet.js";
import { devWallet, TEST_CHAIN_ID } from "../../support/devChain.js";

let addresses: string[];
let net: ConsensusNet | undefined;
beforeAll(async () => {
  addresses = (await devWallet()).addresses;
});
afterEach(() => net?.stop());

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Every pair of nodes that committed a height committed the same block and reached the same app hash. */
function expectNoFork(n: ConsensusNet): void {
  const heights = new Set(n.nodes.flatMap((node) => [...node.blocks.keys()]));
  for (const h of heights) {
    const ids = new Set(n.nodes.map((node) => node.blocks.get(h)).filter((b) => b !== undefined).map((b) => blockIdKey(blockIdOf(b!.block))));
    const apps = new Set(n.nodes.map((node) => node.blocks.get(h)).filter((b) => b !== undefined).map((b) => hex(b!.result.appHash)));
    expect(ids.size, `blocks at height ${h}`).toBe(1);
    expect(apps.size, `app hashes at height ${h}`).toBe(1);
  }
}

describe("consensus (fake clock)", () => {
  it("commits blocks with four validators; every node holds the same chain", async () => {
    net = new ConsensusNet(4, { addresses });
    net.start();
    await net.run(3000);
    for (const node of net.nodes) expect(node.head()).toBeGreaterThanOrEqual(5n);
    expectNoFork(net);
    // Commits carry +2/3 signatures and blocks carry the previous commit.
    const b3 = net.nodes[0]!.blocks.get(3n)!;
    expect(b3.block.lastCommit.height).toBe(2n);
    expect(b3.block.lastCommit.signatures.filter((s) => s.blockIdFlag === 2).length).toBeGreaterThanOrEqual(3);
    // BFT time strictly increases.
    const times = [...net.nodes[0]!.blocks.values()].map((b) => b.block.header.timeNs);
    for (let i = 1; i < times.length; i++) expect(times[i]! > times[i - 1]!).toBe(true);
  });

  it("a single validator commits alone (the dev chain runs the same code)", async () => {
    net = new ConsensusNet(1, { addresses });
    net.start();
    await net.run(1000);
    expect(net.nodes[0]!.head()).toBeGreaterThanOrEqual(3n);
  });

  it("proposer failure: the round times out and the next proposer's block is committed", async () => {
    net = new ConsensusNet(4, { addresses });
    net.start();
    await net.run(600);
    const h = net.nodes[1]!.consensus.currentHeight;
    // Take offline whichever validator proposes the next height at round 0.
    const proposerAddr = (net.nodes[0]!.consensus as unknown as { proposerSet(): { proposer(r: number): { address: Uint8Array } } }).proposerSet().proposer(0).address;
    const offline = net.nodes.find((n) => hex(n.key.address) === hex(proposerAddr))!;
    offline.online = false;
    await net.run(6000);
    const alive = net.nodes.filter((n) => n.online);
    for (const node of alive) expect(node.head()).toBeGreaterThan(h);
    const committed = alive[0]!.blocks.get(h)!;
    expect(hex(committed.block.header.proposerAddress)).not.toBe(hex(offline.key.address));
    expect(committed.commit.round).toBeGreaterThanOrEqual(1);
    expectNoFork(net);
  });

  it("validators locked on a block in one round commit that same block in a later round", async () => {
    net = new ConsensusNet(4, { addresses });
    net.start();
    await net.run(600);
    const n = net;
    const target = n.nodes[0]!.consensus.currentHeight + 1n;
    // Roles at the target height: P proposes round 0; D never gets P's block in round 0 (prevotes nil); C misses
    // P's prevote (so C sees no polka). P and the fourth validator see a polka for the block and lock on it.
    const proposer = new ValidatorSet(n.validators).advanced(Number(target)).proposer(0).address;
    const P = n.nodes.find((x) => hex(x.key.address) === hex(proposer))!.index;
    const others = n.nodes.map((x) => x.index).filter((i) => i !== P);
    const [C, D] = [others[0]!, others[1]!];
    n.filter = (msg, from, to) => {
      const round0 = (h: bigint, r: number) => h === target && r === 0;
      if ((msg.kind === "proposal" && round0(msg.proposal.height, msg.proposal.round)) || (msg.kind === "blockPart" && round0(msg.height, msg.round))) return to !== D;
      if (msg.kind === "vote" && round0(msg.vote.height, msg.vote.round) && msg.vote.type === VoteType.Prevote) return !(from === P && to === C);
      return true;
    };
    let locked: string | undefined;
    for (let i = 0; i < 100; i++) {
      await n.run(100);
      const rs = n.nodes[P]!.consensus.roundState();
      if (rs.height === target && rs.lockedRound === 0 && rs.lockedBlockId !== undefined) locked = blockIdKey(rs.lockedBlockId);
      if (rs.height === target && rs.round >= 1) break;
    }
    expect(locked, "the proposer locked in round 0").toBeDefined();
    // Round 0 cannot commit (only two precommits for the block); round 1 may already have.
    expect(n.nodes[P]!.blocks.get(target)?.commit.round ?? 1, "round 0 did not commit").toBeGreaterThanOrEqual(1);
    n.filter = () => true;
    await n.run(10_000);
    const committed = n.nodes[0]!.blocks.get(target)!;
    expect(committed.commit.round).toBeGreaterThanOrEqual(1);
    expect(blockIdKey(blockIdOf(committed.block))).toBe(locked);
    expectNoFork(n);
  });

  it("an equivocating validator is caught: evidence is committed in a block", async () => {
    net = new ConsensusNet(4, { addresses });
    net.start();
    await net.run(600);
    const byz = net.nodes[3]!;
    const h = net.nodes[0]!.consensus.currentHeight;
    // The byzantine validator signs two different prevotes for the same height and round, bypassing any guard.
    const base: Vote = {
      type: VoteType.Prevote,
      height: h,
      round: 0,
      blockId: undefined,
      timestampNs: net.clock.nowNs(),
      validatorAddress: byz.key.address,
      validatorIndex: indexOf(net, byz.key.address),
      signature: new Uint8Array(),
      extension: new Uint8Array(),
      extensionSignature: new Uint8Array(),
    };
    const other: Vote = { ...base, blockId: { hash: new Uint8Array(32).fill(7), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(8) } } };
    for (const v of [base, other]) {
      const signed = { ...v, signature: signEd25519(byz.key.seed, signBytesOfVote(TEST_CHAIN_ID, v)) };
      for (const n of net.nodes.slice(0, 3)) n.consensus.enqueue({ kind: "message", message: { kind: "vote", vote: signed }, from: "byzantine" });
    }
    await net.run(4000);
    const withEvidence = [...net.nodes[0]!.blocks.values()].filter((b) => b.block.evidence.length > 0);
    expect(withEvidence.length).toBe(1);
    const ev = withEvidence[0]!.block.evidence[0]!;
    expect(hex(ev.voteA.validatorAddress)).toBe(hex(byz.key.address));
    expect(ev.voteA.height).toBe(h);
    expectNoFork(net);
  });

  it("a minority partition cannot commit; the majority can; after healing the minority catches up without a fork", async () => {
    net = new ConsensusNet(4, { addresses });
    net.start();
    await net.run(600);
    const isolated = 0;
    net.linked = (from, to) => from !== isolated && to !== isolated;
    const before = net.nodes[isolated]!.head();
    await net.run(4000);
    expect(net.nodes[isolated]!.head()).toBeLessThanOrEqual(before + 1n);
    for (const n of net.nodes.slice(1)) expect(n.head()).toBeGreaterThan(before + 3n);
    net.linked = () => true;
    await net.run(5000);
    const heads = net.nodes.map((n) => n.head());
    expect(Math.min(...heads.map(Number))).toBeGreaterThan(Number(before) + 3);
    expectNoFork(net);
  });

  it("a 2-2 split halts everyone, with no fork, and the chain resumes after healing", async () => {
    net = new ConsensusNet(4, { addresses });
    net.start();
    await net.run(600);
    net.linked = (from, to) => (from < 2) === (to < 2);
    await net.run(500);
    const frozen = net.nodes.map((n) => n.head());
    await net.run(5000);
    expect(net.nodes.map((n) => n.head())).toEqual(frozen);
    net.linked = () => true;
    await net.run(6000);
    for (const n of net.nodes) expect(n.head()).toBeGreaterThan(frozen[0]! + 1n);
    expectNoFork(net);
  });
});

describe("vote extensions (fake clock)", () => {
  it("precommits carry signed extensions into the next block's last commit; an invalid one is not counted", async () => {
    // Validator i extends with its index; everyone accepts only single-byte extensions below 4 — except that
    // validator 3 extends with garbage, so its precommits are refused and never enter a commit.
    net = new ConsensusNet(4, {
      addresses,
      voteExtensions: (i) => ({
        extend: () => (i === 3 ? new Uint8Array(9).fill(0xee) : new Uint8Array([i])),
        verify: (req) => req.extension.length === 1 && req.extension[0]! < 4,
      }),
    });
    net.start();
    await net.run(3000);
    const node = net.nodes[0]!;
    expect(node.head()).toBeGreaterThanOrEqual(4n);
    const block = node.blocks.get(3n)!.block;
    const withExt = block.lastCommit.signatures.filter((s) => s.blockIdFlag === 2);
    expect(withExt.length).toBe(3);
    for (const sig of withExt) {
      expect(sig.extension.length).toBe(1);
      expect(sig.extensionSignature.length).toBe(64);
    }
    const byz = hex(net.nodes[3]!.key.address);
    expect(block.lastCommit.signatures.some((s) => s.blockIdFlag === 2 && hex(s.validatorAddress) === byz)).toBe(false);
    expectNoFork(net);
  });
});

function indexOf(n: ConsensusNet, address: Uint8Array): number {
  const sorted = [...n.validators].sort((a, b) => (a.votingPower !== b.votingPower ? (a.votingPower > b.votingPower ? -1 : 1) : Buffer.compare(Buffer.from(a.address), Buffer.from(b.address))));
  return sorted.findIndex((v) => hex(v.address) === hex(address));
}
