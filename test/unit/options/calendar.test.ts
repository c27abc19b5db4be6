import { describe, expect, it } from "vitest";
import {
  civilFromDays,
  daysFromCivil,
  daysSinceEpoch,
  lastFridayOfMonth,
  policyExpiries,
  weekday,
  weekdayOfDay,
} from "../../../modules/options/index.js";

const utcS = (y: number, m: number, d: number, h = 0, min = 0) => BigInt(Date.UTC(y, m - 1, d, h, min) / 1000);

describe("calendar", () => {
  it("knows fixed dates", () => {
    expect(daysFromCivil(1970n, 1, 1)).toBe(0n);
    expect(daysFromCivil(2000n, 3, 1)).toBe(11_017n);
    expect(daysFromCivil(2026n, 1, 1)).toBe(20_454n);
    expect(daysSinceEpoch(1_767_225_600n)).toBe(20_454n);
    expect(daysSinceEpoch(-1n)).toBe(-1n); // 1969-12-31T23:59:59
    expect(weekday(0n)).toBe(4); // Thursday
    expect(weekday(1_767_225_600n)).toBe(4); // 2026-01-01 Thursday
    expect(weekday(utcS(2024, 2, 29))).toBe(4);
    expect(weekdayOfDay(-1n)).toBe(3); // 1969-12-31 Wednesday
    expect(civilFromDays(20_454n)).toEqual({ year: 2026n, month: 1, day: 1 });
    expect(civilFromDays(daysFromCivil(2024n, 2, 29))).toEqual({ year: 2024n, month: 2, day: 29 });
  });

  it("finds the last Friday of a month", () => {
    const day = (y: number, m: number, d: number) => daysFromCivil(BigInt(y), m, d);
    expect(lastFridayOfMonth(2026n, 1)).toBe(day(2026, 1, 30));
    expect(lastFridayOfMonth(2026n, 2)).toBe(day(2026, 2, 27));
    expect(lastFridayOfMonth(2024n, 2)).toBe(day(2024, 2, 23)); // leap year: the 29th is a Thursday
    expect(lastFridayOfMonth(2027n, 12)).toBe(day(2027, 12, 31)); // the last day itself
    expect(lastFridayOfMonth(2025n, 10)).toBe(day(2025, 10, 31));
    expect(lastFridayOfMonth(2100n, 2)).toBe(day(2100, 2, 26)); // 2100 is not a leap year
  });

  it("agrees with Date.UTC over a wide range of days", () => {
    for (let d = -800_000; d <= 800_000; d += 997) {
      const date = new Date(d * 86_400_000);
      const civil = civilFromDays(BigInt(d));
      expect(civil).toEqual({ year: BigInt(date.getUTCFullYear()), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
      expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(BigInt(d));
      expect(weekdayOfDay(BigInt(d))).toBe(date.getUTCDay());
    }
  });

  it("lists daily, Friday and last-Friday expiries at 08:00 UTC", () => {
    const policy = { dailyExpiries: 2, weeklyExpiries: 2, monthlyExpiries: 2, minTimeToExpiryS: 3_600n };
    // Thursday 2026-01-01 00:00: the 1st and 2nd (dailies), Fridays 2nd and 9th, last Fridays Jan 30 and Feb 27.
    expect(policyExpiries(policy, utcS(2026, 1, 1))).toEqual([
      utcS(2026, 1, 1, 8),
      utcS(2026, 1, 2, 8),
      utcS(2026, 1, 9, 8),
      utcS(2026, 1, 30, 8),
      utcS(2026, 2, 27, 8),
    ]);
    // 07:30: today's 08:00 is closer than the minimum (1 hour), so the dailies start tomorrow.
    expect(policyExpiries(policy, utcS(2026, 1, 1, 7, 30))[0]).toBe(utcS(2026, 1, 2, 8));
    // Exactly one hour before: still listed (the minimum is inclusive).
    expect(policyExpiries(policy, utcS(2026, 1, 1, 7))[0]).toBe(utcS(2026, 1, 1, 8));
    // Friday Jan 30 after 08:00: the month's last Friday has passed, monthlies are Feb 27 and Mar 27.
    const late = policyExpiries({ dailyExpiries: 0, weeklyExpiries: 0, monthlyExpiries: 2, minTimeToExpiryS: 0n }, utcS(2026, 1, 30, 9));
    expect(late).toEqual([utcS(2026, 2, 27, 8), utcS(2026, 3, 27, 8)]);
    // December rolls into the next year.
    const dec = policyExpiries({ dailyExpiries: 0, weeklyExpiries: 1, monthlyExpiries: 2, minTimeToExpiryS: 0n }, utcS(2026, 12, 26));
    // Dec 25 2026 (the last Friday) has passed: Friday Jan 1 2027, last Fridays Jan 29 and Feb 26 2027.
    expect(dec).toEqual([utcS(2027, 1, 1, 8), utcS(2027, 1, 29, 8), utcS(2027, 2, 26, 8)]);
    expect(policyExpiries({ dailyExpiries: 0, weeklyExpiries: 0, monthlyExpiries: 0, minTimeToExpiryS: 0n }, 0n)).toEqual([]);
    for (const e of policyExpiries(policy, utcS(2026, 5, 17, 13))) {
      expect(e % 86_400n).toBe(8n * 3_600n);
    }
  });
});
