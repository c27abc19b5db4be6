/**
 * Calendar arithmetic on integer Unix seconds (UTC, proleptic Gregorian, no leap seconds), for the listing
 * policy. Pure bigint math (Howard Hinnant's days-from-civil algorithms): no Date, identical on every node.
 */

export const SECONDS_PER_DAY = 86_400n;
/** Listed expiries are at 08:00 UTC. */
export const EXPIRY_SECOND_OF_DAY = 8n * 3_600n;
/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const FRIDAY = 5;

export interface CivilDate {
  year: bigint;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
};

/** Whole days since 1970-01-01 (floor, so negative times count backwards correctly). */
export function daysSinceEpoch(unixS: bigint): bigint {
  return floorDiv(unixS, SECONDS_PER_DAY);
}

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday. */
export function weekdayOfDay(days: bigint): number {
  const w = (days + 4n) % 7n;
  return Number(w < 0n ? w + 7n : w);
}

export function weekday(unixS: bigint): number {
  return weekdayOfDay(daysSinceEpoch(unixS));
}

/** Day number of a civil date. */
export function daysFromCivil(year: bigint, month: number, day: number): bigint {
  const y = month <= 2 ? year - 1n : year;
  const era = floorDiv(y, 400n);
  const yoe = y - era * 400n;
  const m = BigInt(month);
  const doy = (153n * (m > 2n ? m - 3n : m + 9n) + 2n) / 5n + BigInt(day) - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146_097n + doe - 719_468n;
}

/** Civil date of a day number. */
export function civilFromDays(days: bigint): CivilDate {
  const z = days + 719_468n;
  const era = floorDiv(z, 146_097n);
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1_460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const month = Number(mp < 10n ? mp + 3n : mp - 9n);
  const year = yoe + era * 400n + (month <= 2 ? 1n : 0n);
  return { year, month, day };
}

export function isLeapYear(year: bigint): boolean {
  return (year % 4n === 0n && year % 100n !== 0n) || year % 400n === 0n;
}

export function daysInMonth(year: bigint, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day number of the last Friday of a month. */
export function lastFridayOfMonth(year: bigint, month: number): bigint {
  const last = daysFromCivil(year, month, daysInMonth(year, month));
  const back = (weekdayOfDay(last) - FRIDAY + 7) % 7;
  return last - BigInt(back);
}

/** Unix seconds of 08:00 UTC on a day. */
export function expiryOnDay(days: bigint): bigint {
  return days * SECONDS_PER_DAY + EXPIRY_SECOND_OF_DAY;
}

export interface ExpiryPolicy {
  dailyExpiries: number;
  weeklyExpiries: number;
  monthlyExpiries: number;
  minTimeToExpiryS: bigint;
}

/**
 * The expiries the listing policy wants at `nowS`, ascending and distinct: the first `dailyExpiries` 08:00 UTC
 * times, the first `weeklyExpiries` Friday 08:00s and the first `monthlyExpiries` last-Friday-of-month 08:00s
 * that are at least `minTimeToExpiryS` after nowS. An expiry can be in several classes (counted once).
 */
export function policyExpiries(policy: ExpiryPolicy, nowS: bigint): bigint[] {
  const earliest = nowS + policy.minTimeToExpiryS;
  const out = new Set<bigint>();
  // The first candidate day: the day of `earliest`, or the next one when its 08:00 is already before it.
  let first = daysSinceEpoch(earliest);
  if (expiryOnDay(first) < earliest) first += 1n;
  for (let i = 0; i < policy.dailyExpiries; i++) out.add(expiryOnDay(first + BigInt(i)));
  const firstFriday = first + BigInt((FRIDAY - weekdayOfDay(first) + 7) % 7);
  for (let i = 0; i < policy.weeklyExpiries; i++) out.add(expiryOnDay(firstFriday + 7n * BigInt(i)));
  let { year, month } = civilFromDays(first);
  for (let found = 0; found < policy.monthlyExpiries; ) {
    const d = lastFridayOfMonth(year, month);
    if (d >= first) {
      out.add(expiryOnDay(d));
      found++;
    }
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1n;
    }
  }
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
