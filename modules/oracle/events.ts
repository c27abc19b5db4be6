/** Oracle block events (attribute names as in vanna/oracle/v1/events.proto). */
import { event, type Event } from "../../src/types/events.js";
import type { Price, Smile } from "./types.js";

export const priceUpdated = (p: Price): Event =>
  event("oracle_price", {
    underlying: p.underlying,
    price_micro_usd: p.priceMicroUsd.toString(),
    reporting_power_ppm: p.reportingPowerPpm.toString(),
  });

export const smileUpdated = (s: Smile): Event =>
  event("oracle_smile", {
    underlying: s.underlying,
    expiry_unix_s: s.expiryUnixS.toString(),
    atm_vol_ppm: s.atmVolPpm.toString(),
    skew_ppm: s.skewPpm.toString(),
    curvature_ppm: s.curvaturePpm.toString(),
    reporting_power_ppm: s.reportingPowerPpm.toString(),
  });

export const priceMissing = (underlying: string, reportingPowerPpm: number): Event =>
  event("oracle_price_missing", { underlying, reporting_power_ppm: reportingPowerPpm.toString() });
