import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { proposalSignBytes, signBytesOfVote, voteExtensionSignBytes } from "../../../src/chain/signBytes.js";
import { verifyEd25519 } from "../../../src/crypto/ed25519.js";
import type { BlockId } from "../../../src/types/block.js";
import { VoteType, type Proposal, type Vote } from "../../../src/types/consensus.js";
import { DoubleSignError, FilePrivValidator, InvalidSignRequestError, PrivValPersistError, SignStateError, SignStep } from "../../../node/privval/filePV.js";
import { generateValidatorKey, saveValidatorKey } from "../../../node/privval/validatorKey.js";
import { useTempDirs } from "../storage/tmpdir.js";

const CHAIN = "vanna-test-1";
const EMPTY = new Uint8Array(0);

function blockId(n: number): BlockId {
  return { hash: new Uint8Array(32).fill(n), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(n + 100) } };
}

function vote(type: VoteType, height: bigint, round: number, block: BlockId | undefined, timestampNs = 1_000n): Vote {
  return { type, height, round, blockId: block, timestampNs, validatorAddress: EMPTY, validatorIndex: 0, signature: EMPTY, extension: EMPTY, extensionSignature: EMPTY };
}

function proposal(height: bigint, round: number, block: BlockId, timestampNs = 1_000n): Proposal {
  return { height, round, polRound: -1, blockId: block, timestampNs, signature: EMPTY };
}

function expectRefusal(fn: () => unknown, reason: string): DoubleSignError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DoubleSignError);
    expect((err as DoubleSignError).reason).toBe(reason);
    return err as DoubleSignError;
  }
  throw new Error(`expected a refusal (${reason})`);
}

describe("FilePrivValidator", () => {
  const tempDir = useTempDirs();

  async function setup() {
    const home = await tempDir();
    const keyPath = join(home, "config_priv_validator_key.json");
    saveValidatorKey(keyPath, generateValidatorKey());
    const statePath = join(home, "data", "priv_validator_state.json");
    return { home, keyPath, statePath, load: () => FilePrivValidator.load(keyPath, statePath) };
  }

  it("creates an empty state file, signs a verifiable vote and persists the state before returning", async () => {
    const { statePath, load } = await setup();
    const pv = load();
    expect(pv.createdStateFile).toBe(true);
    expect(JSON.parse(readFileSync(statePath, "utf8"))).toEqual({ height: "0", round: 0, step: 0 });
    const v = vote(VoteType.Prevote, 5n, 0, blockId(1));
    const signed = pv.signVote(CHAIN, v);
    expect(signed.signature).toHaveLength(64);
    expect(verifyEd25519(pv.pubKey, signBytesOfVote(CHAIN, v), signed.signature)).toBe(true);
    expect(verifyEd25519(pv.pubKey, signBytesOfVote("other-chain", v), signed.signature)).toBe(false);
    const onDisk = JSON.parse(readFileSync(statePath, "utf8"));
    expect(onDisk).toEqual({
      height: "5",
      round: 0,
      step: SignStep.Prevote,
      signature: Buffer.from(signed.signature).toString("base64"),
      signBytes: Buffer.from(signBytesOfVote(CHAIN, v)).toString("hex").toUpperCase(),
    });
    expect(existsSync(`${statePath}.tmp`)).toBe(false);
    expect(pv.lastSignState()).toMatchObject({ height: 5n, round: 0, step: SignStep.Prevote });
    expect(load().createdStateFile).toBe(false);
  });

  it("re-releases the same signature for identical sign bytes, and the old timestamp for a timestamp-only change", async () => {
    const { load } = await setup();
    const pv = load();
    const first = pv.signVote(CHAIN, vote(VoteType.Precommit, 7n, 2, blockId(3), 111n));
    const again = pv.signVote(CHAIN, vote(VoteType.Precommit, 7n, 2, blockId(3), 111n));
    expect(again.signature).toEqual(first.signature);
    const later = pv.signVote(CHAIN, vote(VoteType.Precommit, 7n, 2, blockId(3), 999n));
    expect(later.timestampNs).toBe(111n);
    expect(later.signature).toEqual(first.signature);
    expect(verifyEd25519(pv.pubKey, signBytesOfVote(CHAIN, later), later.signature)).toBe(true);

    const p1 = pv.signProposal(CHAIN, proposal(8n, 0, blockId(4), 50n));
    const p2 = pv.signProposal(CHAIN, proposal(8n, 0, blockId(4), 60n));
    expect(p2.timestampNs).toBe(50n);
    expect(p2.signature).toEqual(p1.signature);
    expect(verifyEd25519(pv.pubKey, proposalSignBytes(CHAIN, p2), p2.signature)).toBe(true);
  });

  it("refuses conflicting data at the same height/round/step", async () => {
    const { load } = await setup();
    const pv = load();
    pv.signVote(CHAIN, vote(VoteType.Prevote, 3n, 1, blockId(1)));
    expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 3n, 1, blockId(2))), "conflicting data");
    expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 3n, 1, undefined)), "conflicting data");
    expectRefusal(() => pv.signVote("other-chain", vote(VoteType.Prevote, 3n, 1, blockId(1))), "conflicting data");
    // Conflict and timestamp change together is still a conflict.
    expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 3n, 1, blockId(2), 5n)), "conflicting data");
    pv.signProposal(CHAIN, proposal(4n, 0, blockId(1)));
    expectRefusal(() => pv.signProposal(CHAIN, proposal(4n, 0, blockId(2))), "conflicting data");
    pv.signProposal(CHAIN, proposal(5n, 2, blockId(1)));
    expectRefusal(() => pv.signProposal(CHAIN, { ...proposal(5n, 2, blockId(1)), polRound: 1 }), "conflicting data");
  });

  it("refuses height, round and step regressions", async () => {
    const { load } = await setup();
    const pv = load();
    pv.signVote(CHAIN, vote(VoteType.Precommit, 10n, 2, blockId(1)));
    const e = expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Precommit, 9n, 5, blockId(1))), "height regression");
    expect(e.message).toContain("height 9");
    expect(e.message).toContain("last signed Precommit at height 10 round 2");
    expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Precommit, 10n, 1, blockId(1))), "round regression");
    expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 10n, 2, blockId(1))), "step regression");
    expectRefusal(() => pv.signProposal(CHAIN, proposal(10n, 2, blockId(1))), "step regression");
    // Moving forward is fine, after which the old round is refused too.
    pv.signProposal(CHAIN, proposal(10n, 3, blockId(2)));
    expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 10n, 2, blockId(1))), "round regression");
    pv.signVote(CHAIN, vote(VoteType.Prevote, 10n, 3, blockId(2)));
    expect(pv.lastSignState()).toMatchObject({ height: 10n, round: 3, step: SignStep.Prevote });
  });

  it("keeps its guarantees across a crash (a new instance from the same files)", async () => {
    const { load } = await setup();
    const before = load();
    const signed = before.signVote(CHAIN, vote(VoteType.Prevote, 20n, 0, blockId(1), 5n));
    // No close, no shutdown: the process "dies" here and a new one loads the files.
    const after = load();
    expect(after.lastSignState()).toEqual(before.lastSignState());
    expectRefusal(() => after.signVote(CHAIN, vote(VoteType.Prevote, 20n, 0, blockId(2))), "conflicting data");
    const replay = after.signVote(CHAIN, vote(VoteType.Prevote, 20n, 0, blockId(1), 77n));
    expect(replay.signature).toEqual(signed.signature);
    expect(replay.timestampNs).toBe(5n);
    expectRefusal(() => after.signVote(CHAIN, vote(VoteType.Prevote, 19n, 0, blockId(1))), "height regression");
  });

  it("a state file written at a newer height makes an old vote refused", async () => {
    const { home, keyPath, statePath, load } = await setup();
    const other = join(home, "other_state.json");
    const ahead = FilePrivValidator.load(keyPath, other);
    ahead.signVote(CHAIN, vote(VoteType.Precommit, 100n, 0, blockId(9)));
    load().signVote(CHAIN, vote(VoteType.Prevote, 50n, 0, blockId(1)));
    copyFileSync(other, statePath); // e.g. the operator restores the newer state
    const pv = load();
    expectRefusal(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 60n, 0, blockId(1))), "height regression");
    expectRefusal(() => pv.signProposal(CHAIN, proposal(100n, 0, blockId(9))), "step regression");
  });

  it("signs vote extensions of non-nil precommits only, afresh on a same-step re-sign", async () => {
    const { load } = await setup();
    const pv = load();
    const ext = new TextEncoder().encode("oracle:42");
    const v = { ...vote(VoteType.Precommit, 30n, 0, blockId(1)), extension: ext };
    const signed = pv.signVote(CHAIN, v);
    expect(verifyEd25519(pv.pubKey, voteExtensionSignBytes(CHAIN, 30n, 0, ext), signed.extensionSignature)).toBe(true);
    expect(verifyEd25519(pv.pubKey, signBytesOfVote(CHAIN, v), signed.signature)).toBe(true);
    const ext2 = new TextEncoder().encode("oracle:43");
    const resigned = pv.signVote(CHAIN, { ...v, extension: ext2 });
    expect(resigned.signature).toEqual(signed.signature);
    expect(verifyEd25519(pv.pubKey, voteExtensionSignBytes(CHAIN, 30n, 0, ext2), resigned.extensionSignature)).toBe(true);
    expect(pv.signVote(CHAIN, vote(VoteType.Precommit, 31n, 0, blockId(1))).extensionSignature).toHaveLength(0);
    expect(() => pv.signVote(CHAIN, { ...vote(VoteType.Prevote, 32n, 0, blockId(1)), extension: ext })).toThrow(InvalidSignRequestError);
    expect(() => pv.signVote(CHAIN, { ...vote(VoteType.Precommit, 32n, 0, undefined), extension: ext })).toThrow(InvalidSignRequestError);
  });

  it("rejects malformed requests without touching the state", async () => {
    const { load } = await setup();
    const pv = load();
    expect(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 0n, 0, blockId(1)))).toThrow(InvalidSignRequestError);
    expect(() => pv.signVote(CHAIN, vote(VoteType.Prevote, 1n, -1, blockId(1)))).toThrow(InvalidSignRequestError);
    expect(() => pv.signVote(CHAIN, { ...vote(VoteType.Prevote, 1n, 0, blockId(1)), validatorAddress: new Uint8Array(20).fill(1) })).toThrow(InvalidSignRequestError);
    expect(() => pv.signProposal(CHAIN, { ...proposal(1n, 0, blockId(1)), polRound: 0 })).toThrow(InvalidSignRequestError);
    expect(pv.lastSignState().height).toBe(0n);
    const own = pv.signVote(CHAIN, { ...vote(VoteType.Prevote, 1n, 0, blockId(1)), validatorAddress: pv.address });
    expect(own.signature).toHaveLength(64);
  });

  it("refuses to load a damaged, inconsistent or foreign state file", async () => {
    const { home, keyPath, statePath, load } = await setup();
    load().signVote(CHAIN, vote(VoteType.Prevote, 5n, 0, blockId(1)));
    const good = readFileSync(statePath, "utf8");
    const cases: string[] = [
      "",
      "{",
      good.slice(0, good.length / 2),
      JSON.stringify({ ...JSON.parse(good), height: 5 }),
      JSON.stringify({ ...JSON.parse(good), height: "6" }), // signBytes say height 5
      JSON.stringify({ ...JSON.parse(good), step: 3 }), // signBytes are a prevote
      JSON.stringify({ ...JSON.parse(good), signature: undefined }),
      JSON.stringify({ ...JSON.parse(good), signBytes: "ZZ" }),
    ];
    for (const text of cases) {
      writeFileSync(statePath, text);
      expect(() => load(), text).toThrow(SignStateError);
    }
    // A valid state signed by another key.
    const otherKey = join(home, "other_key.json");
    saveValidatorKey(otherKey, generateValidatorKey());
    writeFileSync(statePath, good);
    expect(() => FilePrivValidator.load(otherKey, statePath)).toThrow(/does not verify/);
  });

  it("withholds the signature and disables itself when the state cannot be persisted", async () => {
    const { home, load } = await setup();
    const pv = load();
    pv.signVote(CHAIN, vote(VoteType.Prevote, 1n, 0, blockId(1)));
    rmSync(join(home, "data"), { recursive: true, force: true });
    expect(() => pv.signVote(CHAIN, vote(VoteType.Precommit, 1n, 0, blockId(1)))).toThrow(PrivValPersistError);
    expect(pv.lastSignState().step).toBe(SignStep.Prevote);
    expect(() => pv.signVote(CHAIN, vote(VoteType.Precommit, 2n, 0, blockId(1)))).toThrow(/disabled/);
  });

  it("never releases two different sign bytes for one height/round/step, across random requests and restarts", async () => {
    const request = fc.record({
      height: fc.bigInt({ min: 1n, max: 4n }),
      round: fc.integer({ min: 0, max: 2 }),
      kind: fc.constantFrom("proposal", "prevote", "precommit"),
      block: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
      ts: fc.bigInt({ min: 1n, max: 3n }),
      restart: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), async (reqs) => {
        const { load } = await setup();
        let pv = load();
        const released = new Map<string, { bytes: string; ts: bigint }>();
        let last = { h: 0n, r: -1, s: 0 };
        for (const q of reqs) {
          if (q.restart) pv = load();
          const step = q.kind === "proposal" ? 1 : q.kind === "prevote" ? 2 : 3;
          const key = `${q.height}/${q.round}/${step}`;
          let bytes: Uint8Array;
          let sig: Uint8Array;
          try {
            if (q.kind === "proposal") {
              const p = pv.signProposal(CHAIN, proposal(q.height, q.round, blockId(q.block ?? 1), q.ts));
              [bytes, sig] = [proposalSignBytes(CHAIN, p), p.signature];
            } else {
              const v = pv.signVote(CHAIN, vote(q.kind === "prevote" ? VoteType.Prevote : VoteType.Precommit, q.height, q.round, q.block === undefined ? undefined : blockId(q.block), q.ts));
              [bytes, sig] = [signBytesOfVote(CHAIN, v), v.signature];
            }
          } catch (err) {
            if (!(err instanceof DoubleSignError)) throw err;
            continue;
          }
          expect(verifyEd25519(pv.pubKey, bytes, sig)).toBe(true);
          const hex = Buffer.from(bytes).toString("hex");
          const prior = released.get(key);
          if (prior !== undefined) expect(hex).toBe(prior.bytes); // identical, including the timestamp
          released.set(key, { bytes: hex, ts: q.ts });
          const cmp = q.height !== last.h ? (q.height > last.h ? 1 : -1) : q.round !== last.r ? q.round - last.r : step - last.s;
          expect(cmp).toBeGreaterThanOrEqual(0); // never signed anything below the last signed step
          last = { h: q.height, r: q.round, s: step };
        }
      }),
      { numRuns: 40 },
    );
  });
});
