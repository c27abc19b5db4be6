/**
 * Automatic listing (BeginBlock, after settlement). For each underlying with auto_list and a fresh oracle
 * price: every expiry the policy wants (calendar.ts) and every live expiry at least min_time_to_expiry_s away
 * gets a call and a put at every grid strike within strikes_each_side steps of the spot's nearest grid strike.
 * Strikes are only ever added (a series is never removed by the policy), so as spot moves the listed range
 * widens. Idempotent: a series with the same terms (in any status, listed by policy or by the authority) is
 * never listed twice. When nothing is missing the cost is one index read per wanted series and no write.
 * Caps: an expiry that would exceed the oracle's max_expiries, or a series beyond max_live_series, is skipped.
 */
import type { Context } from "../../src/app/context.js";
import { policyExpiries } from "./calendar.js";
import { OptionsErrors } from "./errors.js";
import { MAX_STRIKE_MICRO_USD, type OptionsKeeper } from "./keeper.js";
import type { OptionKind, UnderlyingParams } from "./types.js";

const KINDS: readonly OptionKind[] = ["call", "put"];

/** Grid strikes within `strikesEachSide` steps of the grid strike nearest to spot (ties up), all positive. */
export function strikeWindow(spotMicroUsd: bigint, stepMicroUsd: bigint, strikesEachSide: number): bigint[] {
  let center = ((spotMicroUsd + stepMicroUsd / 2n) / stepMicroUsd) * stepMicroUsd;
  if (center < stepMicroUsd) center = stepMicroUsd; // spot below half a step: the first grid strike
  const n = BigInt(strikesEachSide);
  let lo = center - n * stepMicroUsd;
  if (lo < stepMicroUsd) lo = stepMicroUsd;
  const hi = center + n * stepMicroUsd;
  const out: bigint[] = [];
  for (let k = lo; k <= hi && k <= MAX_STRIKE_MICRO_USD; k += stepMicroUsd) out.push(k);
  return out;
}

/** The expiries auto-listing fills at nowS: policy expiries and live ones far enough away, ascending. */
export function targetExpiries(keeper: OptionsKeeper, ctx: Context, u: UnderlyingParams): bigint[] {
  const nowS = ctx.blockTimeNs / 1_000_000_000n;
  const set = new Set(policyExpiries(u, nowS));
  for (const e of keeper.liveExpiries(ctx.store, u.symbol)) if (e >= nowS + u.minTimeToExpiryS) set.add(e);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Returns the number of series listed. */
export function autoList(keeper: OptionsKeeper, ctx: Context): number {
  let listed = 0;
  for (const u of keeper.params(ctx.store).underlyings) {
    if (!u.autoList) continue;
    if (keeper.isStale(ctx.store, u.symbol, ctx.blockTimeNs)) continue;
    const price = keeper.deps.oracle.price(ctx.store, u.symbol);
    if (price === undefined) continue;
    const strikes = strikeWindow(price.priceMicroUsd, u.strikeStepMicroUsd, u.strikesEachSide);
    listed += fillUnderlying(keeper, ctx, u, strikes);
  }
  return listed;
}

function fillUnderlying(keeper: OptionsKeeper, ctx: Context, u: UnderlyingParams, strikes: bigint[]): number {
  let listed = 0;
  expiries: for (const expiryUnixS of targetExpiries(keeper, ctx, u)) {
    for (const strikeMicroUsd of strikes) {
      for (const kind of KINDS) {
        if (keeper.seriesIdOf(ctx.store, u.symbol, expiryUnixS, strikeMicroUsd, kind) !== undefined) continue;
        const n = { underlying: u.symbol, expiryUnixS, strikeMicroUsd, kind };
        const err = keeper.checkNewSeries(ctx.store, n, ctx.blockTimeNs);
        if (err === undefined) {
          keeper.listSeries(ctx, n, "policy");
          listed++;
          continue;
        }
        if (OptionsErrors.tooManySeries.is(err)) return listed; // nothing more fits for this underlying
        if (OptionsErrors.tooManyExpiries.is(err)) continue expiries; // this expiry does not fit: try the next one
      }
    }
  }
  return listed;
}
