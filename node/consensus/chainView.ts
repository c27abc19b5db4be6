/** The committed chain as consensus needs it, read from the block store and the application. */
import type { Application } from "../../src/app/application.js";
import { bytesEqual, resultsHash } from "../../src/chain/hashes.js";
import type { Commit } from "../../src/types/block.js";
import type { ChainView } from "./types.js";

export interface HeadSource {
  head(): { height: bigint; blockId: Commit["blockId"]; timeNs: bigint; appHash: Uint8Array } | undefined;
  commit(height: bigint): Commit | undefined;
  results(height: bigint): { txResults: Parameters<typeof resultsHash>[0] } | undefined;
  block(height: bigint): { header: { appHash: Uint8Array } } | undefined;
}

export function createChainView(blocks: HeadSource, app: Application, initialHeight: bigint, genesisTimeNs: bigint): ChainView {
  let cached: { height: bigint; resultsHash: Uint8Array } | undefined;
  return {
    lastHeight: () => blocks.head()?.height ?? initialHeight - 1n,
    lastBlockTimeNs: () => blocks.head()?.timeNs ?? genesisTimeNs,
    lastBlockId: () => blocks.head()?.blockId,
    lastCommit: () => {
      const head = blocks.head();
      return head === undefined ? undefined : blocks.commit(head.height);
    },
    lastResultsHash: () => {
      const head = blocks.head();
      if (head === undefined) return resultsHash([]);
      if (cached?.height !== head.height) cached = { height: head.height, resultsHash: resultsHash(blocks.results(head.height)?.txResults ?? []) };
      return cached.resultsHash;
    },
    appHash: () => app.info().lastBlockAppHash,
    needProofBlock: () => {
      const head = blocks.head();
      if (head === undefined) return true;
      // The last block's header carries the app hash from before it; if executing it changed the state, the
      // next block must be made to commit the new hash.
      const lastHeader = blocks.block(head.height)?.header;
      return lastHeader === undefined || !bytesEqual(lastHeader.appHash, head.appHash);
    },
  };
}
