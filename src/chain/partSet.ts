/**
 * A proposed block travels as parts of at most 64 KiB, each with a Merkle proof against the part-set hash in
 * the block id, so a peer can check every part as it arrives and a proposal's size is bounded per message.
 */
import type { PartSetHeader } from "../types/block.js";
import type { Part } from "../types/consensus.js";
import { merkleProofs, verifyMerkleProof } from "./merkle.js";

export const BLOCK_PART_BYTES = 65_536;
/** Upper bound on parts per block (1,600 × 64 KiB = 100 MiB, CometBFT's block size cap). */
export const MAX_BLOCK_PARTS = 1600;

export function splitIntoParts(blockBytes: Uint8Array): { header: PartSetHeader; parts: Part[] } {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < blockBytes.length || chunks.length === 0; offset += BLOCK_PART_BYTES) {
    chunks.push(blockBytes.subarray(offset, offset + BLOCK_PART_BYTES));
  }
  const { root, proofs } = merkleProofs(chunks);
  return {
    header: { total: chunks.length, hash: root },
    parts: chunks.map((bytes, index) => ({ index, bytes, proof: proofs[index]! })),
  };
}

/** Collects the parts of one block; `add` checks each part's proof before accepting it. */
export class PartSetBuilder {
  private readonly parts: Array<Uint8Array | undefined>;
  private received = 0;

  constructor(readonly header: PartSetHeader) {
    if (header.total < 1 || header.total > MAX_BLOCK_PARTS) throw new RangeError(`invalid part count ${header.total}`);
    this.parts = new Array<Uint8Array | undefined>(header.total).fill(undefined);
  }

  /** true: new valid part; false: duplicate; throws on an invalid part. */
  add(part: Part): boolean {
    if (part.index < 0 || part.index >= this.header.total) throw new RangeError(`part index ${part.index} out of range`);
    if (part.bytes.length > BLOCK_PART_BYTES) throw new RangeError("part too large");
    if (part.index !== this.header.total - 1 && part.bytes.length !== BLOCK_PART_BYTES) throw new RangeError("only the last part may be short");
    if (part.proof.index !== BigInt(part.index) || part.proof.total !== BigInt(this.header.total)) throw new RangeError("part proof does not match its index");
    if (!verifyMerkleProof(this.header.hash, part.bytes, part.proof)) throw new RangeError("invalid part proof");
    if (this.parts[part.index] !== undefined) return false;
    this.parts[part.index] = part.bytes.slice();
    this.received++;
    return true;
  }

  has(index: number): boolean {
    return this.parts[index] !== undefined;
  }

  get complete(): boolean {
    return this.received === this.header.total;
  }

  assemble(): Uint8Array {
    if (!this.complete) throw new Error("part set incomplete");
    const total = this.parts.reduce((n, p) => n + p!.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of this.parts) {
      out.set(p!, offset);
      offset += p!.length;
    }
    return out;
  }
}
