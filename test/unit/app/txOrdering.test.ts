import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { classifyMessages, fairnessViolation, orderForFairness, type ClassifiedTx, type TradingClass } from "../../../src/app/txOrdering.js";

const tx = (signer: string, tradingClass: TradingClass, id = `${signer}-${tradingClass}`) => ({ signer, tradingClass, id });

describe("the in-block fairness rule", () => {
  it("classifies a tx as taker if any message may take, else maker if any message makes", () => {
    const classify = (typeUrl: string) => (typeUrl === "/place" ? "taker" : typeUrl === "/cancel" ? "maker" : "neutral");
    expect(classifyMessages(classify, [{ typeUrl: "/send", value: {} }])).toBe("neutral");
    expect(classifyMessages(classify, [{ typeUrl: "/send", value: {} }, { typeUrl: "/cancel", value: {} }])).toBe("maker");
    expect(classifyMessages(classify, [{ typeUrl: "/cancel", value: {} }, { typeUrl: "/place", value: {} }])).toBe("taker");
  });

  it("rejects a block where another trader's taker comes before a maker's cancel", () => {
    expect(fairnessViolation([tx("mm", "maker"), tx("t", "taker")])).toBeUndefined();
    expect(fairnessViolation([tx("t", "taker"), tx("mm", "maker")])).toMatch(/tx 1 \(maker, signer mm\) comes after tx 0/);
    // Neutral txs may sit anywhere.
    expect(fairnessViolation([tx("t", "taker"), tx("x", "neutral"), tx("y", "neutral")])).toBeUndefined();
  });

  it("lets a signer's own maker tx follow its own earlier taker tx (its nonce order), and nobody else's", () => {
    expect(fairnessViolation([tx("a", "taker"), tx("a", "maker")])).toBeUndefined();
    expect(fairnessViolation([tx("a", "taker"), tx("a", "maker"), tx("b", "maker")])).toMatch(/signer b/);
  });

  it("orders makers and neutral txs first without reordering any signer's txs", () => {
    const input = [tx("t", "taker", "t1"), tx("mm", "maker", "m1"), tx("t", "maker", "t2"), tx("n", "neutral", "n1"), tx("mm", "taker", "m2"), tx("mm", "maker", "m3")];
    expect(orderForFairness(input).map((t) => t.id)).toEqual(["m1", "n1", "t1", "t2", "m2", "m3"]);
  });

  it("always produces a valid order that is a permutation keeping each signer's order (property)", () => {
    const arb = fc.array(fc.record({ signer: fc.constantFrom("a", "b", "c", "d"), tradingClass: fc.constantFrom<TradingClass>("maker", "taker", "neutral") }), { maxLength: 40 });
    fc.assert(
      fc.property(arb, (raw) => {
        const txs: Array<ClassifiedTx & { id: number }> = raw.map((t, id) => ({ ...t, id }));
        const out = orderForFairness(txs);
        expect(fairnessViolation(out)).toBeUndefined();
        expect(out.map((t) => t.id).sort((x, y) => x - y)).toEqual(txs.map((t) => t.id));
        for (const s of ["a", "b", "c", "d"]) {
          const ids = out.filter((t) => t.signer === s).map((t) => t.id);
          expect(ids).toEqual([...ids].sort((x, y) => x - y));
        }
      }),
      { numRuns: 500 },
    );
  });
});
