/**
 * Coins: amounts are non-negative bigints parsed strictly from base-10 strings (never Number/parseFloat:
 * `Number("0x10")` is 16 and `Number("")` is 0). Lists of coins are sorted by denom with no duplicates.
 */
import { SdkErrors } from "../errors.js";

export interface Coin {
  denom: string;
  amount: bigint;
}

/** Cosmos SDK caps amounts at 256 bits (sdk.Int); anything larger is an overflow, not a value. */
export const MAX_AMOUNT = (1n << 256n) - 1n;

const AMOUNT_RE = /^(0|[1-9][0-9]{0,77})$/;
const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

export function isValidDenom(denom: string): boolean {
  return DENOM_RE.test(denom);
}

/** Parses a Coin.amount string: plain base-10 digits, no sign, no leading zeros, at most 2^256-1. */
export function parseAmount(text: string, what = "amount"): bigint {
  if (!AMOUNT_RE.test(text)) throw SdkErrors.invalidCoins.with(`invalid ${what} "${truncate(text)}"`);
  const value = BigInt(text);
  if (value > MAX_AMOUNT) throw SdkErrors.invalidCoins.with(`${what} overflows 256 bits`);
  return value;
}

export function parseCoin(denom: string, amount: string): Coin {
  if (!isValidDenom(denom)) throw SdkErrors.invalidCoins.with(`invalid denom "${truncate(denom)}"`);
  return { denom, amount: parseAmount(amount) };
}

/**
 * Validates and converts a wire list of coins. Every amount must be positive and denoms strictly ascending,
 * as the SDK's Coins.Validate requires (unsorted input is a classic source of panics and double counting).
 */
export function parseCoins(wire: ReadonlyArray<{ denom: string; amount: string }>, allowEmpty = false): Coin[] {
  if (wire.length === 0 && !allowEmpty) throw SdkErrors.invalidCoins.with("no coins");
  const coins: Coin[] = [];
  for (const w of wire) {
    const coin = parseCoin(w.denom, w.amount);
    if (coin.amount === 0n) throw SdkErrors.invalidCoins.with(`zero amount of ${coin.denom}`);
    const prev = coins[coins.length - 1];
    if (prev !== undefined && !(prev.denom < coin.denom)) {
      throw SdkErrors.invalidCoins.with(`coins must be sorted by denom without duplicates (${prev.denom}, ${coin.denom})`);
    }
    coins.push(coin);
  }
  return coins;
}

export function coinsToWire(coins: readonly Coin[]): Array<{ denom: string; amount: string }> {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

/** The SDK text form: "12uusdc,5uvanna" (empty string for no coins). */
export function formatCoins(coins: readonly Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(",");
}

/** Adds two sorted coin lists into a sorted list (merge by denom). */
export function addCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const byDenom = new Map<string, bigint>();
  for (const c of [...a, ...b]) byDenom.set(c.denom, (byDenom.get(c.denom) ?? 0n) + c.amount);
  return [...byDenom.entries()]
    .filter(([, amount]) => amount !== 0n)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
