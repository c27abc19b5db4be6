/**
 * How a proposer builds a block and how every node checks one: the header must commit to exactly the chain's
 * last block, last commit, BFT time, txs, validators, params, app hash, results and evidence. A proposal that
 * breaks any rule gets a nil prevote; a synced block that breaks one is refused.
 */
import type { Application } from "../../src/app/application.js";
import { VannaBlock } from "../../src/codec/index.js";
import { blockIdsEqual, bytesEqual, commitHash, consensusParamsHash, dataHash, evidenceHash, resultsHash, validatorsHash, type HashedConsensusParams } from "../../src/chain/hashes.js";
import { weightedMedianTimeNs, type ValidatorSet } from "../../src/chain/validatorSet.js";
import { BlockIdFlag, type Block, type Commit, type Header } from "../../src/types/block.js";
import type { CommitVote } from "../../src/app/application.js";
import type { DuplicateVoteEvidence } from "../../src/types/consensus.js";
import type { ChainView, EvidenceSource } from "./types.js";

export const BLOCK_PROTOCOL_VERSION = 11n;
export const APP_PROTOCOL_VERSION = 1n;
export const MAX_EVIDENCE_PER_BLOCK = 50;

export interface ChainRules {
  chainId: string;
  initialHeight: bigint;
  genesisTimeNs: bigint;
  params: HashedConsensusParams;
  validators: ValidatorSet;
  app: Application;
  evidence: EvidenceSource;
}

export function emptyCommit(): Commit {
  return { height: 0n, round: 0, blockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } }, signatures: [] };
}

/** The time a block at `height` must carry: genesis time first, then the weighted median of the last commit. */
export function expectedBlockTimeNs(rules: ChainRules, height: bigint, lastCommit: Commit): bigint {
  return height === rules.initialHeight ? rules.genesisTimeNs : weightedMedianTimeNs(lastCommit, rules.validators);
}

export function createBlock(rules: ChainRules, chain: ChainView, height: bigint, txs: Uint8Array[], evidence: DuplicateVoteEvidence[], proposer: Uint8Array): Block {
  const lastCommit = height === rules.initialHeight ? emptyCommit() : chain.lastCommit();
  if (lastCommit === undefined) throw new Error(`no commit for height ${height - 1n}: cannot propose`);
  const vhash = validatorsHash(rules.validators.validators);
  const header: Header = {
    versionBlock: BLOCK_PROTOCOL_VERSION,
    versionApp: APP_PROTOCOL_VERSION,
    chainId: rules.chainId,
    height,
    timeNs: expectedBlockTimeNs(rules, height, lastCommit),
    lastBlockId: chain.lastBlockId(),
    lastCommitHash: commitHash(lastCommit),
    dataHash: dataHash(txs),
    validatorsHash: vhash,
    nextValidatorsHash: vhash,
    consensusHash: consensusParamsHash(rules.params),
    appHash: chain.appHash(),
    lastResultsHash: chain.lastResultsHash(),
    evidenceHash: evidenceHash(evidence),
    proposerAddress: proposer,
  };
  return { header, txs, lastCommit, evidence };
}

/** Returns why `block` cannot be the next block, or undefined when it is valid. */
export function validateBlock(rules: ChainRules, chain: ChainView, block: Block): string | undefined {
  const h = block.header;
  const height = chain.lastHeight() + 1n;
  if (h.chainId !== rules.chainId) return `wrong chain id ${h.chainId}`;
  if (h.height !== height) return `block height ${h.height}, expected ${height}`;
  if (h.versionBlock !== BLOCK_PROTOCOL_VERSION || h.versionApp !== APP_PROTOCOL_VERSION) return "unsupported block or app version";
  if (!blockIdsEqual(h.lastBlockId, chain.lastBlockId())) return "last block id does not match our last block";
  if (height === rules.initialHeight) {
    if (block.lastCommit.signatures.length !== 0 || block.lastCommit.height !== 0n) return "the first block cannot carry a last commit";
  } else {
    const lastBlockId = chain.lastBlockId();
    if (lastBlockId === undefined) return "no last block";
    const err = rules.validators.verifyCommit(rules.chainId, lastBlockId, height - 1n, block.lastCommit);
    if (err !== undefined) return `invalid last commit: ${err}`;
    for (const sig of block.lastCommit.signatures) {
      if (sig.blockIdFlag !== 2) continue;
      if (!rules.app.verifyVoteExtension({ height: height - 1n, validatorAddress: sig.validatorAddress, extension: sig.extension })) return "a vote extension in the last commit is invalid";
    }
    if (h.timeNs <= chain.lastBlockTimeNs()) return "block time is not after the last block's";
  }
  if (h.timeNs !== expectedBlockTimeNs(rules, height, block.lastCommit)) return "block time is not the weighted median of the last commit";
  if (!bytesEqual(h.lastCommitHash, commitHash(block.lastCommit))) return "wrong last commit hash";
  if (!bytesEqual(h.dataHash, dataHash(block.txs))) return "wrong data hash";
  const vhash = validatorsHash(rules.validators.validators);
  if (!bytesEqual(h.validatorsHash, vhash) || !bytesEqual(h.nextValidatorsHash, vhash)) return "wrong validators hash";
  if (!bytesEqual(h.consensusHash, consensusParamsHash(rules.params))) return "wrong consensus params hash";
  if (!bytesEqual(h.appHash, chain.appHash())) return "wrong app hash";
  if (!bytesEqual(h.lastResultsHash, chain.lastResultsHash())) return "wrong last results hash";
  if (!bytesEqual(h.evidenceHash, evidenceHash(block.evidence))) return "wrong evidence hash";
  if (rules.validators.indexOf(h.proposerAddress) === undefined) return "proposer is not a validator";
  if (block.evidence.length > MAX_EVIDENCE_PER_BLOCK) return "too much evidence";
  const offences = new Set(block.evidence.map((e) => `${e.voteA.validatorIndex}/${e.voteA.height}/${e.voteA.round}/${e.voteA.type}`));
  if (offences.size !== block.evidence.length) return "duplicate evidence";
  for (const e of block.evidence) {
    const err = rules.evidence.check(e, height);
    if (err !== undefined) return `invalid evidence: ${err}`;
  }
  if (BigInt(VannaBlock.encode(block).length) > rules.params.blockMaxBytes) return "block too large";
  if (!rules.app.processProposal({ header: h, txs: block.txs, lastCommitVotes: commitVotes(rules.validators, block.lastCommit) })) return "the application rejected the block";
  return undefined;
}

export function resultsHashOf(results: Parameters<typeof resultsHash>[0]): Uint8Array {
  return resultsHash(results);
}

/** The last commit as the application sees it: every validator, its power, whether it signed, its extension. */
export function commitVotes(validators: ValidatorSet, commit: Commit): CommitVote[] {
  if (commit.signatures.length !== validators.size) return [];
  return validators.validators.map((v, i) => {
    const sig = commit.signatures[i]!;
    const signed = sig.blockIdFlag === BlockIdFlag.Commit;
    return { validatorAddress: v.address, votingPower: v.votingPower, signed, extension: signed ? sig.extension : new Uint8Array() };
  });
}
