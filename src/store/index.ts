/** Public surface of the state store. */
export type { Bytes, KVReader, KVStore, StoreChange } from "./types.js";
export { BranchStore, memoryStore } from "./branchStore.js";
export { PrefixStore } from "./prefixStore.js";
export { RootStore, RootStoreBuilder, type CommitOutcome, type KeyWithProof } from "./rootStore.js";
export { verifyKeyProof, decodeProof, type KeyProof, type ProofEntry } from "./proof.js";
export { EMPTY_HASHES, BUCKET_COUNT, bucketOfKey, leafHash } from "./hashing.js";
export { bytesToBinary, binaryToBytes, compareBytes, bytesEqual, concatBytes, prefixEnd } from "./bytes.js";
