/** vanna.types.v1 codecs over the shared block types. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BlockResults,
  ExecTxResult,
  TxLocation,
  VannaBlock,
  VannaCommit,
  VannaHeader,
  VannaValidator,
} from "../../../src/codec/index.js";
import { BlockIdFlag, type Block } from "../../../src/types/block.js";
import { arbitraryMessage } from "./arbitrary.js";

const hash = (b: number) => new Uint8Array(32).fill(b);

const block: Block = {
  header: {
    versionBlock: 11n,
    versionApp: 1n,
    chainId: "vanna-1",
    height: 42n,
    timeNs: 1_700_000_000_123_456_789n,
    lastBlockId: { hash: hash(1), partSetHeader: { total: 1, hash: hash(2) } },
    lastCommitHash: hash(3),
    dataHash: hash(4),
    validatorsHash: hash(5),
    nextValidatorsHash: hash(5),
    consensusHash: hash(6),
    appHash: hash(7),
    lastResultsHash: hash(8),
    evidenceHash: new Uint8Array(0),
    proposerAddress: new Uint8Array(20).fill(9),
  },
  txs: [new Uint8Array([1, 2, 3]), new Uint8Array([4])],
  lastCommit: {
    height: 41n,
    round: 2,
    blockId: { hash: hash(1), partSetHeader: { total: 1, hash: hash(2) } },
    signatures: [
      { blockIdFlag: BlockIdFlag.Commit, validatorAddress: new Uint8Array(20).fill(9), timestampNs: 5n, signature: hash(10), extension: hash(11), extensionSignature: hash(12) },
      { blockIdFlag: BlockIdFlag.Absent, validatorAddress: new Uint8Array(0), timestampNs: 0n, signature: new Uint8Array(0), extension: new Uint8Array(0), extensionSignature: new Uint8Array(0) },
    ],
  },
  evidence: [],
};

describe("vanna block codecs", () => {
  it("round-trips a block canonically", () => {
    const bytes = VannaBlock.encode(block);
    expect(VannaBlock.decodeCanonical(bytes)).toStrictEqual(block);
  });

  it("fills required sub-messages when absent and always encodes them", () => {
    const empty = VannaBlock.decode(new Uint8Array(0));
    expect(empty.header.height).toBe(0n);
    expect(empty.header.lastBlockId).toBeUndefined();
    expect(empty.lastCommit.blockId.partSetHeader).toStrictEqual({ total: 0, hash: new Uint8Array(0) });
    expect(empty.txs).toEqual([]);
    expect(empty.evidence).toEqual([]);
    expect(VannaBlock.fromPartial({})).toStrictEqual(empty);
    // header {} , data {}, last_commit { block_id { part_set_header {} } }, evidence {}
    expect([...VannaBlock.encode(empty)]).toEqual([0x0a, 0x00, 0x12, 0x00, 0x1a, 0x04, 0x1a, 0x02, 0x12, 0x00, 0x22, 0x00]);
  });

  it("keeps negative int64 values and large nanosecond times exact", () => {
    const header = { ...block.header, timeNs: (1n << 62n) + 7n };
    expect(VannaHeader.decodeCanonical(VannaHeader.encode(header)).timeNs).toBe((1n << 62n) + 7n);
    const validator = { address: hash(1).subarray(0, 20), pubKeyEd25519: hash(2), votingPower: 10n, proposerPriority: -5n };
    expect(VannaValidator.decodeCanonical(VannaValidator.encode(validator))).toStrictEqual(validator);
  });

  it("maps an empty validator name to an absent one", () => {
    const base = { address: hash(1), pubKeyEd25519: hash(2), votingPower: 1n, proposerPriority: 0n };
    expect(VannaValidator.decode(VannaValidator.encode({ ...base, name: "" }))).toStrictEqual(base);
    expect(VannaValidator.decode(VannaValidator.encode({ ...base, name: "val-0" })).name).toBe("val-0");
  });

  it("round-trips random commits, tx results, block results and tx locations", () => {
    fc.assert(
      fc.property(arbitraryMessage("vanna.types.v1.ExecTxResult"), (r) => {
        expect(ExecTxResult.decodeCanonical(ExecTxResult.encode(r as never))).toStrictEqual(r);
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(arbitraryMessage("vanna.types.v1.Commit"), (raw) => {
        const commit = VannaCommit.fromPartial(raw as never);
        expect(VannaCommit.decodeCanonical(VannaCommit.encode(commit))).toStrictEqual(commit);
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(arbitraryMessage("vanna.types.v1.BlockResults"), (raw) => {
        const results = BlockResults.fromPartial(raw as never);
        expect(BlockResults.decodeCanonical(BlockResults.encode(results))).toStrictEqual(results);
      }),
      { numRuns: 50 },
    );
    expect(TxLocation.decodeCanonical(TxLocation.encode({ height: 9n, index: 3 }))).toStrictEqual({ height: 9n, index: 3 });
  });
});
