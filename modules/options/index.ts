/** The options module's public surface: other modules read series and marks through `OptionsReader`. */
export { createOptionsModule, optionsBeginBlock, OPTIONS_MODULE_NAME, type OptionsDeps } from "./module.js";
export { OptionsKeeper, MAX_STRIKE_MICRO_USD, MAX_TIME_TO_EXPIRY_S, type NewSeries } from "./keeper.js";
export { OptionsErrors } from "./errors.js";
export { optionsInvariants } from "./invariants.js";
export type { OracleKeeper as OptionsOracleKeeper, SubaccountsKeeper as OptionsSubaccountsKeeper } from "./expectedKeepers.js";
export {
  DEFAULT_OPTIONS_AUTHORITY,
  DEFAULT_OPTIONS_PARAMS,
  getOptionsParams,
  setOptionsParams,
  validateOptionsParams,
} from "./params.js";
export { defaultOptionsGenesis, exportOptionsGenesis, parseOptionsGenesis, parseOptionsParams, optionsParamsToJson, type OptionsGenesis } from "./genesis.js";
export { OPTIONS_STORE_PREFIX } from "./keys.js";
export { OPTIONS_QUERY_SERVICE } from "./queries.js";
export { computeMark, markFloats, smileVol, timeToExpiryYears, MarkCache, NS_PER_YEAR, type MarkFloats, type MarkInputs } from "./marks.js";
export { autoList, strikeWindow, targetExpiries } from "./listing.js";
export { intrinsicMicroUsd, payoutPerContract, proRata, settleDue } from "./settlement.js";
export {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  daysSinceEpoch,
  expiryOnDay,
  isLeapYear,
  lastFridayOfMonth,
  policyExpiries,
  weekday,
  weekdayOfDay,
  EXPIRY_SECOND_OF_DAY,
  SECONDS_PER_DAY,
  type CivilDate,
  type ExpiryPolicy,
} from "./calendar.js";
export * as OptionsCodec from "./codec.js";
export {
  NO_HOOKS,
  type OptionKind,
  type OptionsParams,
  type OptionsReader,
  type Series,
  type SeriesLifecycleHooks,
  type SeriesMark,
  type SeriesStatus,
  type SettlementRecord,
  type ShortfallClaim,
  type UnderlyingParams,
} from "./types.js";
