/** Options events in Cosmos shapes (flat string attributes; amounts as "123uusdc"). */
import { event, type Event } from "../../src/types/events.js";
import type { Series, SettlementRecord } from "./types.js";

const USDC = "uusdc";
const seriesAttrs = (s: Series) => ({
  series_id: s.id.toString(),
  underlying: s.underlying,
  expiry_unix_s: s.expiryUnixS.toString(),
  strike_micro_usd: s.strikeMicroUsd.toString(),
  kind: s.kind,
});

export const seriesListed = (s: Series, by: "policy" | "authority"): Event => event("series_listed", { ...seriesAttrs(s), listed_by: by });

export const seriesDelisted = (s: Series): Event => event("series_delisted", seriesAttrs(s));

export const seriesExpired = (s: Series): Event => event("series_expired", seriesAttrs(s));

export const seriesSettled = (s: Series, r: SettlementRecord): Event =>
  event("series_settled", {
    ...seriesAttrs(s),
    settlement_price_micro_usd: r.settlementPriceMicroUsd.toString(),
    twap_start_ns: r.twapStartNs.toString(),
    twap_end_ns: r.twapEndNs.toString(),
    twap_samples: String(r.twapSamples),
    payout_per_contract: `${r.payoutPerContractMicroUsdc}${USDC}`,
    open_interest_contracts: r.openInterestContracts.toString(),
    total_shortfall: `${r.totalShortfallMicroUsdc}${USDC}`,
  });

/** `amount` is signed: received by a long (positive) or paid by a short (negative). */
export const positionSettled = (seriesId: bigint, subaccount: string, sizeContracts: bigint, amount: bigint, unpaid: bigint): Event =>
  event("position_settled", {
    series_id: seriesId.toString(),
    subaccount,
    size_contracts: sizeContracts.toString(),
    amount: amount.toString(),
    unpaid: `${unpaid}${USDC}`,
  });

export const settlementShortfall = (seriesId: bigint, owed: bigint, collected: bigint, shortfall: bigint): Event =>
  event("settlement_shortfall", {
    series_id: seriesId.toString(),
    owed: `${owed}${USDC}`,
    collected: `${collected}${USDC}`,
    shortfall: `${shortfall}${USDC}`,
  });
