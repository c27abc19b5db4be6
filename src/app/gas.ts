/**
 * Gas: a deterministic cost for every byte and store access, from a static table (the Cosmos SDK defaults,
 * so cosmjs's fee "auto" multiplier of 1.4 behaves as users expect). Never derived from timing or caches.
 */
import { SdkErrors } from "../errors.js";
import type { Bytes, KVReader, KVStore } from "../store/types.js";

export const KV_GAS = {
  hasFlat: 1000n,
  deleteFlat: 1000n,
  readFlat: 1000n,
  readPerByte: 3n,
  writeFlat: 2000n,
  writePerByte: 30n,
  iterNextFlat: 30n,
} as const;

/** Gas limit used when none applies (simulation, genesis, block hooks). */
export const INFINITE_GAS = (1n << 63n) - 1n;

export class GasMeter {
  private consumedGas = 0n;
  constructor(readonly limit: bigint) {}

  get consumed(): bigint {
    return this.consumedGas;
  }

  consume(amount: bigint, descriptor: string): void {
    this.consumedGas += amount;
    if (this.consumedGas > this.limit) {
      throw SdkErrors.outOfGas.with(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.consumedGas}`);
    }
  }
}

/** A KVStore that charges the gas meter for every access before performing it. */
export class GasKVStore implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly meter: GasMeter,
  ) {}

  /** The same store without metering, for reads whose cost must not depend on node-local caches. */
  unmetered(): KVStore {
    return this.parent;
  }

  get(key: Bytes): Bytes | undefined {
    this.meter.consume(KV_GAS.readFlat, "ReadFlat");
    const value = this.parent.get(key);
    this.meter.consume(KV_GAS.readPerByte * BigInt(key.length + (value?.length ?? 0)), "ReadPerByte");
    return value;
  }

  has(key: Bytes): boolean {
    this.meter.consume(KV_GAS.hasFlat, "Has");
    return this.parent.has(key);
  }

  set(key: Bytes, value: Bytes): void {
    this.meter.consume(KV_GAS.writeFlat, "WriteFlat");
    this.meter.consume(KV_GAS.writePerByte * BigInt(key.length + value.length), "WritePerByte");
    this.parent.set(key, value);
  }

  delete(key: Bytes): void {
    this.meter.consume(KV_GAS.deleteFlat, "Delete");
    this.parent.delete(key);
  }

  *iterate(start?: Bytes, end?: Bytes, reverse?: boolean): IterableIterator<[Bytes, Bytes]> {
    for (const entry of this.parent.iterate(start, end, reverse)) {
      this.meter.consume(KV_GAS.iterNextFlat + KV_GAS.readPerByte * BigInt(entry[0].length + entry[1].length), "IterNext");
      yield entry;
    }
  }
}

/**
 * The store under any gas meter. A module that keeps a node-local cache of state (the order books) loads it
 * through this: whether a node has the cache warm must never change the gas a tx uses (it is in the results hash).
 */
export function unmeteredStore(store: KVReader): KVReader {
  return store instanceof GasKVStore ? store.unmetered() : store;
}
