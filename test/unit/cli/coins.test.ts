import { describe, expect, it } from "vitest";
import { feeFor, gasLimitOf, parseCoinsArg, parseFeeFlags } from "../../../node/cli/coins.js";
import { UsageError } from "../../../node/cli/command.js";

const defaults = { gas: "auto", defaultGasPrice: "0.0025uvanna", defaultGasAdjustment: "1.4" };

describe("parseCoinsArg", () => {
  it("parses one or more coins, sorted by denom, amounts as exact strings", () => {
    expect(parseCoinsArg("100uusdc")).toEqual([{ denom: "uusdc", amount: "100" }]);
    expect(parseCoinsArg("5uvanna,1000uusdc")).toEqual([
      { denom: "uusdc", amount: "1000" },
      { denom: "uvanna", amount: "5" },
    ]);
    const big = "123456789012345678901234567890";
    expect(parseCoinsArg(`${big}uusdc`)[0]?.amount).toBe(big);
  });

  it.each([
    ["1e3uvanna", /scientific notation/],
    ["1e3", /scientific notation/],
    ["1.5e3uvanna", /scientific notation/],
    ["-5uvanna", /sign/],
    ["+5uvanna", /sign/],
    ["0x10uvanna", /decimal integers/],
    ["0x10", /decimal integers/],
    ["1.5uvanna", /not decimals/],
    ["0uvanna", /positive/],
    ["010uvanna", /leading zeros/],
    ["100", /expected <integer><denom>/],
    ["uvanna", /expected <integer><denom>/],
    ["100 uvanna", /expected <integer><denom>/],
    ["100uu", /expected <integer><denom>/],
    ["", /empty/],
    ["1uvanna,", /stray comma/],
    ["1uvanna,2uvanna", /twice/],
    [`${"9".repeat(78)}uvanna`, /256 bits/],
  ])("rejects %j", (text, message) => {
    expect(() => parseCoinsArg(text)).toThrow(UsageError);
    expect(() => parseCoinsArg(text)).toThrow(message);
  });
});

describe("fees", () => {
  it("auto gas: simulated gas times the adjustment, fee = ceil(limit * price)", async () => {
    const plan = parseFeeFlags(defaults);
    const limit = await gasLimitOf(plan, async () => 73_480);
    expect(limit).toBe(102_872n); // ceil(73480 * 1.4), as cosmjs computes it
    expect(feeFor(plan, limit)).toEqual({ amount: [{ denom: "uvanna", amount: "258" }], gas: "102872" }); // ceil(257.18)
  });

  it("a fixed gas limit never simulates; fixed fees are used as given", async () => {
    const plan = parseFeeFlags({ ...defaults, gas: "200000", fees: "5000uvanna" });
    const limit = await gasLimitOf(plan, async () => {
      throw new Error("must not simulate");
    });
    expect(feeFor(plan, limit)).toEqual({ amount: [{ denom: "uvanna", amount: "5000" }], gas: "200000" });
    const priced = parseFeeFlags({ ...defaults, gas: "200000", gasPrices: "0.01uusdc" });
    expect(feeFor(priced, 200_000n)).toEqual({ amount: [{ denom: "uusdc", amount: "2000" }], gas: "200000" });
  });

  it("rejects contradictory or malformed fee flags", () => {
    expect(() => parseFeeFlags({ ...defaults, fees: "1uvanna", gasPrices: "0.1uvanna" })).toThrow(/mutually exclusive/);
    expect(() => parseFeeFlags({ ...defaults, gas: "100", gasAdjustment: "1.5" })).toThrow(/only applies with --gas auto/);
    for (const gas of ["0", "-1", "1e5", "abc", "99999999999999999"]) expect(() => parseFeeFlags({ ...defaults, gas })).toThrow(/invalid --gas/);
    for (const adj of ["0.5", "x", "1e1"]) expect(() => parseFeeFlags({ ...defaults, gasAdjustment: adj })).toThrow(/--gas-adjustment/);
    for (const price of ["uvanna", "0.0025", "-1uvanna", "1e-3uvanna", "0x1uvanna", ".5uvanna"]) expect(() => parseFeeFlags({ ...defaults, gasPrices: price })).toThrow(/--gas-prices/);
  });
});
