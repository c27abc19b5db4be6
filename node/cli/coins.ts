/**
 * Strict parsing of amounts and fees typed on the command line. Amounts are integers in base denoms kept as
 * decimal strings (never Number: "1e3", "0x10" and "" all mean something to Number). Anything that is not
 * plainly "<digits><denom>" is rejected with a message that says what is wrong.
 */
import type { StdFee } from "@cosmjs/stargate";
import { MAX_AMOUNT } from "../../src/math/coins.js";
import { DEC_SCALE, formatDec, mulDecCeil, parseDec, parseDecCoin, type DecAtto, type DecCoin } from "../../src/math/decimal.js";
import { UsageError } from "./command.js";

export interface CliCoin {
  readonly denom: string;
  /** base-10 integer string */
  readonly amount: string;
}

const COIN_RE = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;

/** Parses "100uusdc" or "1000uusdc,5uvanna": positive amounts, distinct denoms, sorted by denom. */
export function parseCoinsArg(text: string, what = "amount"): CliCoin[] {
  if (text === "") throw new UsageError(`${what} is empty; expected e.g. 100uusdc`);
  const coins = text.split(",").map((part) => parseCoinArg(part, what));
  coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  for (let i = 1; i < coins.length; i++) {
    if (coins[i]?.denom === coins[i - 1]?.denom) throw new UsageError(`${what} lists denom ${coins[i]?.denom} twice`);
  }
  return coins;
}

function parseCoinArg(part: string, what: string): CliCoin {
  const bad = (why: string): UsageError => new UsageError(`invalid ${what} "${part}": ${why}`);
  if (part === "") throw bad("empty coin (stray comma?)");
  if (/^[+-]/.test(part)) throw bad("amounts must not have a sign");
  if (/^0[xXoObB]/.test(part)) throw bad("only decimal integers are accepted (no 0x/0o/0b)");
  if (/^[0-9]*\.?[0-9]+[eE][+-]?[0-9]/.test(part)) throw bad("scientific notation is not accepted; write all digits");
  if (/^[0-9]*\.[0-9]/.test(part)) throw bad("amounts are integers in the base denom (e.g. uvanna), not decimals");
  const m = COIN_RE.exec(part);
  if (m === null) throw bad("expected <integer><denom>, e.g. 100uusdc");
  const amount = m[1] ?? "";
  const denom = m[2] ?? "";
  if (amount.length > 1 && amount.startsWith("0")) throw bad("leading zeros are not accepted");
  if (BigInt(amount) === 0n) throw bad("amount must be positive");
  if (BigInt(amount) > MAX_AMOUNT) throw bad("amount does not fit in 256 bits");
  return { denom, amount };
}

export interface FeeFlags {
  readonly fees?: string;
  readonly gas: string;
  readonly gasPrices?: string;
  readonly gasAdjustment?: string;
  readonly defaultGasPrice: string;
  readonly defaultGasAdjustment: string;
}

export interface FeePlan {
  /** "auto" = simulate, then multiply by adjustment */
  readonly gas: "auto" | bigint;
  readonly adjustment: DecAtto;
  /** Fixed fees (--fees), or undefined to compute them from the gas price. */
  readonly fees?: readonly CliCoin[];
  readonly gasPrice: DecCoin;
}

/** Validates the fee flags up front, so that mistakes surface before any network call or passphrase prompt. */
export function parseFeeFlags(flags: FeeFlags): FeePlan {
  if (flags.fees !== undefined && flags.gasPrices !== undefined) {
    throw new UsageError("--fees and --gas-prices are mutually exclusive: give the total fee or a price per gas unit");
  }
  const gas = parseGas(flags.gas);
  if (gas !== "auto" && flags.gasAdjustment !== undefined) throw new UsageError("--gas-adjustment only applies with --gas auto");
  const adjustmentText = flags.gasAdjustment ?? flags.defaultGasAdjustment;
  const adjustment = parseDec(adjustmentText);
  if (adjustment === undefined || adjustment < DEC_SCALE) {
    throw new UsageError(`invalid --gas-adjustment "${adjustmentText}": expected a decimal of at least 1, e.g. 1.4`);
  }
  const priceText = flags.gasPrices ?? flags.defaultGasPrice;
  // "1e-3uvanna" / "0x1uvanna" would otherwise parse as 1 of denom "e-3uvanna" / 0 of denom "x1uvanna".
  const tricky = /^[0-9.]*[0-9][eE][+-]?[0-9]/.test(priceText) || /^0[xXoObB]/.test(priceText);
  const gasPrice = !tricky && /^[0-9.]+[a-zA-Z]/.test(priceText) ? parseDecCoin(priceText) : undefined;
  if (gasPrice === undefined) throw new UsageError(`invalid --gas-prices "${priceText}": expected e.g. 0.0025uvanna`);
  const fees = flags.fees === undefined ? undefined : parseCoinsArg(flags.fees, "--fees");
  return { gas, adjustment, fees, gasPrice };
}

function parseGas(text: string): "auto" | bigint {
  if (text === "auto") return "auto";
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`invalid --gas "${text}": expected "auto" or a positive integer gas limit`);
  }
  return BigInt(text);
}

/** The gas limit of a plan; `simulate` (returns gas used) is only called for --gas auto. */
export async function gasLimitOf(plan: FeePlan, simulate: () => Promise<number>): Promise<bigint> {
  if (plan.gas !== "auto") return plan.gas;
  const used = await simulate();
  const limit = mulDecCeil(BigInt(used), plan.adjustment);
  if (limit > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`simulated gas ${used} is too large`);
  return limit;
}

export function feeFor(plan: FeePlan, gasLimit: bigint): StdFee {
  if (plan.fees !== undefined) return { amount: [...plan.fees], gas: gasLimit.toString() };
  const amount = mulDecCeil(gasLimit, plan.gasPrice.amount);
  return { amount: amount === 0n ? [] : [{ denom: plan.gasPrice.denom, amount: amount.toString() }], gas: gasLimit.toString() };
}

export function describeFee(fee: StdFee, plan: FeePlan): string {
  const coins = fee.amount.map((c) => `${c.amount}${c.denom}`).join(",") || "0";
  const how = plan.fees !== undefined ? "fixed" : `${formatDec(plan.gasPrice.amount)}${plan.gasPrice.denom} per gas`;
  return `fee ${coins} (${how}), gas limit ${fee.gas}`;
}
