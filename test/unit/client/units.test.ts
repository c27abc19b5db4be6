import { describe, expect, it } from "vitest";
import { formatMicro, InputError, parseDecimalUnits, parseExpiry, parseSeriesName, priceToTicks, seriesName, ticksToUsdc } from "../../../node/client/index.js";

describe("exact unit conversions", () => {
  it("parses decimals digit by digit, refusing more precision than the unit has", () => {
    expect(parseDecimalUnits("12.34", 6)).toBe(12_340_000n);
    expect(parseDecimalUnits("0.000001", 6)).toBe(1n);
    expect(parseDecimalUnits("7", 6)).toBe(7_000_000n);
    expect(parseDecimalUnits("1.500000000", 6)).toBe(1_500_000n); // trailing zeros are not precision
    expect(parseDecimalUnits("123456789012345678901234567890", 0)).toBe(123456789012345678901234567890n);
    expect(() => parseDecimalUnits("0.0000001", 6)).toThrow(/at most 6 decimal places/);
    for (const bad of ["", "-1", "1e3", "0x10", ".5", "5.", "1,5", " 1", "Infinity", "NaN"]) expect(() => parseDecimalUnits(bad, 6), bad).toThrow(InputError);
  });

  it("formats micro-units without trailing zeros, signed", () => {
    expect(formatMicro(12_340_000n)).toBe("12.34");
    expect(formatMicro(5n)).toBe("0.000005");
    expect(formatMicro(-1_500_000n)).toBe("-1.5");
    expect(formatMicro(0n)).toBe("0");
    expect(formatMicro(23_000n, 9)).toBe("0.000023");
  });

  it("converts a USDC price to ticks only when it is exactly on the tick", () => {
    expect(priceToTicks("12.35", 50_000n)).toBe(247n);
    expect(priceToTicks("1250.5", 100_000n)).toBe(12_505n);
    expect(() => priceToTicks("12.34", 50_000n)).toThrow("price 12.34 USDC is not on the tick of 0.05 USDC (nearest: 12.3 or 12.35)");
    expect(() => priceToTicks("1.0000001", 1n)).toThrow(/decimal places/);
    expect(ticksToUsdc(247n, 50_000n)).toBe("12.35");
    // round trip over many ticks
    for (let t = 0n; t < 2000n; t += 37n) expect(priceToTicks(ticksToUsdc(t, 50_000n), 50_000n)).toBe(t);
  });

  it("expiries: dates at 08:00 UTC, or Unix seconds", () => {
    expect(parseExpiry("2026-01-30")).toBe(1_769_760_000n);
    expect(parseExpiry("20260130")).toBe(1_769_760_000n);
    expect(parseExpiry("1769760000")).toBe(1_769_760_000n);
    expect(() => parseExpiry("2026-02-30")).toThrow(/no such date/);
    expect(() => parseExpiry("tomorrow")).toThrow(/expected YYYY-MM-DD/);
  });

  it("series names round-trip", () => {
    const s = { underlying: "BTC", expiryUnixS: 1_769_760_000n, strikeMicroUsd: 100_000_000_000n, kind: "call" as const };
    expect(seriesName(s)).toBe("BTC-20260130-100000-C");
    expect(seriesName({ ...s, underlying: "ETH", strikeMicroUsd: 2_450_500_000n, kind: "put" })).toBe("ETH-20260130-2450.5-P");
    expect(parseSeriesName("BTC-20260130-100000-C")).toEqual({ underlying: "BTC", date: "20260130", strikeMicroUsd: 100_000_000_000n, kind: "call" });
    expect(parseSeriesName("eth-20260130-2450.5-p")).toEqual({ underlying: "ETH", date: "20260130", strikeMicroUsd: 2_450_500_000n, kind: "put" });
    expect(parseSeriesName("12")).toBeUndefined();
    expect(parseSeriesName("BTC-20260130-100000-X")).toBeUndefined();
    expect(() => parseSeriesName("BTC-20261330-100000-C")).toThrow(/no such date/);
  });
});
