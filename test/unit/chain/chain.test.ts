import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { merkleProofs, merkleRoot, verifyMerkleProof } from "../../../src/chain/merkle.js";
import { PartSetBuilder, splitIntoParts, BLOCK_PART_BYTES } from "../../../src/chain/partSet.js";
import { ValidatorSet, weightedMedianTimeNs } from "../../../src/chain/validatorSet.js";
import { SignedMsgType, voteSignBytes } from "../../../src/chain/signBytes.js";
import { ed25519PublicKeyFromSeed, signEd25519 } from "../../../src/crypto/ed25519.js";
import { validatorAddressFromEd25519 } from "../../../src/crypto/address.js";
import { BlockIdFlag, type Commit, type Validator } from "../../../src/types/block.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("merkle proofs", () => {
  it("every leaf's proof verifies against the root, for trees of 1..40 leaves; tampering fails", () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = Array.from({ length: n }, (_, i) => new Uint8Array([i, n, 7]));
      const { root, proofs } = merkleProofs(leaves);
      expect(hex(root)).toBe(hex(merkleRoot(leaves)));
      proofs.forEach((p, i) => {
        expect(verifyMerkleProof(root, leaves[i]!, p)).toBe(true);
        expect(verifyMerkleProof(root, new Uint8Array([99]), p)).toBe(false);
        if (n > 1) expect(verifyMerkleProof(root, leaves[i]!, { ...p, index: BigInt((i + 1) % n) })).toBe(false);
      });
    }
  });
});

describe("block parts", () => {
  it("splits, proves and reassembles any block; rejects a forged part", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * BLOCK_PART_BYTES + 17 }), (size) => {
        const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31) & 0xff);
        const { header, parts } = splitIntoParts(bytes);
        const builder = new PartSetBuilder(header);
        for (const p of [...parts].reverse()) expect(builder.add(p)).toBe(true);
        expect(builder.add(parts[0]!)).toBe(false);
        expect(hex(builder.assemble())).toBe(hex(bytes));
        const forged = { ...parts[0]!, bytes: Uint8Array.from(parts[0]!.bytes, (b) => b ^ 1) };
        if (forged.bytes.length > 0) expect(() => new PartSetBuilder(header).add(forged)).toThrow(/invalid part proof/);
      }),
      { numRuns: 25 },
    );
  });
});

function makeValidators(powers: bigint[]) {
  return powers.map((power, i) => {
    const seed = new Uint8Array(32).fill(i + 1);
    const pub = ed25519PublicKeyFromSeed(seed);
    return { seed, v: { address: validatorAddressFromEd25519(pub), pubKeyEd25519: pub, votingPower: power, proposerPriority: 0n } as Validator };
  });
}

describe("validator set", () => {
  it("selects proposers in proportion to voting power (weighted round robin)", () => {
    const vals = makeValidators([10n, 20n, 30n, 40n]);
    let set = new ValidatorSet(vals.map((x) => x.v));
    const counts = new Map<string, number>();
    for (let h = 0; h < 1000; h++) {
      set = set.advanced(1);
      const p = hex(set.proposer().address);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (const { v } of vals) expect(counts.get(hex(v.address))).toBe(Number(v.votingPower) * 10);
    // Priorities stay centred on zero.
    expect(set.validators.reduce((n, v) => n + v.proposerPriority, 0n)).toBe(0n);
  });

  it("equal powers rotate the proposer; atHeight is the same as stepping height by height", () => {
    const vals = makeValidators([10n, 10n, 10n, 10n]).map((x) => x.v);
    const seen = new Set<string>();
    for (let h = 1n; h <= 4n; h++) seen.add(hex(ValidatorSet.atHeight(vals, 1n, h).proposer().address));
    expect(seen.size).toBe(4);
    expect(hex(ValidatorSet.atHeight(vals, 1n, 9n).proposer(2).address)).toBe(hex(new ValidatorSet(vals).advanced(9 + 2).proposer().address));
  });

  it("verifies a commit only with more than 2/3 of the power, from the right validators", () => {
    const vals = makeValidators([10n, 10n, 10n, 10n]);
    const set = new ValidatorSet(vals.map((x) => x.v));
    const blockId = { hash: new Uint8Array(32).fill(1), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(2) } };
    const seedOf = new Map(vals.map((x) => [hex(x.v.address), x.seed]));
    const sign = (signers: number) => ({
      height: 5n,
      round: 0,
      blockId,
      signatures: set.validators.map((v, i) => {
        const none = new Uint8Array();
        if (i >= signers) return { blockIdFlag: BlockIdFlag.Absent, validatorAddress: none, timestampNs: 0n, signature: none, extension: none, extensionSignature: none };
        const ts = 1000n + BigInt(i);
        const sig = signEd25519(seedOf.get(hex(v.address))!, voteSignBytes({ type: SignedMsgType.Precommit, height: 5n, round: 0, blockId, timestampNs: ts, chainId: "c" }));
        return { blockIdFlag: BlockIdFlag.Commit, validatorAddress: v.address, timestampNs: ts, signature: sig, extension: none, extensionSignature: none };
      }),
    }) satisfies Commit;
    expect(set.verifyCommit("c", blockId, 5n, sign(3))).toBeUndefined();
    expect(set.verifyCommit("c", blockId, 5n, sign(2))).toMatch(/only 20 of 40/);
    expect(set.verifyCommit("other-chain", blockId, 5n, sign(4))).toMatch(/invalid commit signature/);
    expect(set.verifyCommit("c", blockId, 6n, sign(4))).toMatch(/height/);
    const swapped = sign(4);
    swapped.signatures.reverse();
    expect(set.verifyCommit("c", blockId, 5n, swapped)).toMatch(/is not from validator/);
    // BFT time: the first timestamp at which strictly more than half the power is reached (equal powers:
    // 1000, 1001 give exactly half; 1002 is the first past it), so no half-or-less can set the time.
    expect(weightedMedianTimeNs(sign(4), set)).toBe(1002n);
  });
});
