/** The real keepers' shapes fit what the CLOB declares it needs, and the CLOB fits what margin needs from it. */
import { describe, expect, it } from "vitest";
import type { ClobKeeper, ClobSubaccountsKeeper, MarginGate, OptionsReader } from "../../../modules/clob/index.js";
import type { OptionsReader as RealOptionsReader } from "../../../modules/options/index.js";
import type { MarginClobReader, MarginGate as RealMarginGate } from "../../../modules/margin/index.js";
import type { SubaccountsKeeper } from "../../../modules/subaccounts/index.js";

type Fits<A, B> = A extends B ? true : false;

describe("clob: keeper shapes", () => {
  it("type-checks against the options, margin and subaccounts keepers", () => {
    const options: Fits<RealOptionsReader, OptionsReader> = true;
    const margin: Fits<RealMarginGate, MarginGate> = true;
    const subaccounts: Fits<SubaccountsKeeper, ClobSubaccountsKeeper> = true;
    const reader: Fits<ClobKeeper, MarginClobReader> = true;
    expect([options, margin, subaccounts, reader]).toEqual([true, true, true, true]);
  });
});
