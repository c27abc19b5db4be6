/** Hot keys are written into one buffer; they must equal the documented layouts built from their parts. */
import { describe, expect, it } from "vitest";
import { concat } from "../../../src/app/pagination.js";
import { ClobKeys, readU32be, readU64be, u64be } from "../../../modules/clob/keys.js";
import { decodeOrderRecord, encodeOrderRecord, type OrderRecord } from "../../../modules/clob/orderCodec.js";

const IDS = [0n, 1n, 255n, 256n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n + 12345n, 2n ** 64n - 1n];
const SUB = new Uint8Array([20, ...Array.from({ length: 20 }, (_, i) => i * 13), 0, 0, 1, 7]);

describe("clob keys", () => {
  it("order, subaccount index, client id, book entry and series state keys match their layouts", () => {
    for (const a of IDS) {
      for (const b of [IDS[1]!, IDS[7]!, IDS[10]!]) {
        expect(ClobKeys.order(a)).toEqual(concat(ClobKeys.orderPrefix, u64be(a)));
        expect(ClobKeys.bySubaccount(SUB, a, b)).toEqual(concat(ClobKeys.bySubaccountPrefix, SUB, u64be(a), u64be(b)));
        expect(ClobKeys.clientId(SUB, a)).toEqual(concat(ClobKeys.clientIdPrefix, SUB, u64be(a)));
        expect(ClobKeys.seriesState(a)).toEqual(concat(ClobKeys.seriesStatePrefix, u64be(a)));
        const price = b === 0n ? 1n : b;
        expect(ClobKeys.bookEntry(a, "sell", price, b)).toEqual(concat(ClobKeys.bookPrefix, u64be(a), new Uint8Array([1]), u64be(price), u64be(b)));
        expect(ClobKeys.bookEntry(a, "buy", price, b)).toEqual(concat(ClobKeys.bookPrefix, u64be(a), new Uint8Array([0]), u64be(2n ** 64n - 1n - price), u64be(b)));
      }
      expect(readU64be(u64be(a), 0)).toBe(a);
    }
    expect(readU32be(new Uint8Array([0xff, 0xfe, 0xfd, 0xfc]), 0)).toBe(0xfffefdfc);
    expect(() => readU32be(new Uint8Array(3), 0)).toThrow(RangeError);
  });

  it("order records round-trip through the fixed layout, large values and every time in force included", () => {
    const base: OrderRecord = {
      seriesId: 7n,
      sub: SUB,
      side: "sell",
      timeInForce: "GTC",
      postOnly: true,
      reduceOnly: false,
      priceTicks: 123n,
      remainingContracts: 5n,
      placedContracts: 9n,
      filledContracts: 4n,
      clientId: 0n,
      seq: 42n,
      goodTilBlock: undefined,
      goodTilTimeNs: undefined,
    };
    const cases: OrderRecord[] = [
      base,
      { ...base, side: "buy", postOnly: false, reduceOnly: true, clientId: 2n ** 64n - 1n, seriesId: 2n ** 53n + 3n },
      { ...base, timeInForce: "GTB", goodTilBlock: 2n ** 40n },
      { ...base, timeInForce: "GTT", goodTilTimeNs: 1_767_225_600_000_000_000n, priceTicks: 2n ** 63n },
    ];
    for (const c of cases) expect(decodeOrderRecord(encodeOrderRecord(c))).toEqual(c);
    expect(() => decodeOrderRecord(new Uint8Array([9, 1, 2]))).toThrow();
  });
});
