export { createMarginModule, type MarginDeps } from "./module.js";
export { MarginKeeper, summaryOf, orderRiskOf, type MarginKeeperDeps, type SweepResult } from "./keeper.js";
export { MarginErrors } from "./errors.js";
export { MARGIN_STORE_PREFIX } from "./keys.js";
export * as MarginCodec from "./codec.js";
export {
  DEFAULT_MARGIN_PARAMS,
  DEFAULT_RISK_PARAMS,
  riskParamsFor,
  validateMarginParams,
  type MarginParams,
  type RiskParams,
  type UnderlyingRiskParams,
} from "./params.js";
export { parseMarginGenesis, type MarginGenesis } from "./genesis.js";
export { marginInvariants } from "./invariants.js";
export { STANDARD_MODEL, StandardSession } from "./standardModel.js";
export type { PricedSeries, RiskModel, RiskModelName, RiskSession, SeriesPricer } from "./riskModel.js";
export { createPricer } from "./pricing.js";
export { HealthScan, type AccountHealth, type HealthLine } from "./health.js";
export {
  ceilDiv,
  emptyAggregate,
  floorDiv,
  intrinsicMicroUsd,
  intrinsicPerContract,
  isEmptyAggregate,
  ordersInitialMargin,
  otmAmountMicroUsd,
  positionInitialMargin,
  positionMaintenanceMargin,
  positionValue,
  seriesRisk,
  shortAddOnPerContract,
  type SeriesOrderAggregate,
  type SeriesRisk,
  type SeriesRiskInput,
} from "./standard.js";
export type {
  ClobReader as MarginClobReader,
  MarkView,
  OpenOrder as MarginOpenOrder,
  OptionsReader as MarginOptionsReader,
  SpotReader as MarginSpotReader,
  SubaccountsReader as MarginSubaccountsReader,
} from "./expectedKeepers.js";
export {
  UNMEETABLE_MARGIN_MICRO_USDC,
  type MarginGate,
  type MarginReport,
  type MarginSummary,
  type NewOrderRisk,
  type OrderMarginSession,
  type PositionMarginLine,
  type SeriesOrdersMarginLine,
} from "./types.js";
export { DEFAULT_PORTFOLIO_PARAMS, DEFAULT_SCENARIO_GRID, scenariosOf, gridFor, validatePortfolioParams, type PortfolioParams, type Scenario, type ScenarioGrid, type ScenarioKind, type UnderlyingScenarioGrid } from "./scenarios.js";
export { computeSeriesScenarios, ScenarioCache, bucketStartNs, shockScale, type SeriesScenarios, type SeriesTerms, type ScenarioPricingInput } from "./scenarioValues.js";
export { evaluatePortfolio, buildBooks, totalOf, definedMaxLoss, ordersIncrement, UnderlyingBook, type PortfolioLine, type OrdersAggregate, type PortfolioMargin, type UnderlyingMargin } from "./portfolio.js";
export { maintenanceMarginFast } from "./portfolioFast.js";
export { PortfolioEngine, type EnginePosition } from "./portfolioEngine.js";
export { capitalEfficiency, markOf, referenceBooks, trueMaxLossAtExpiry, type EfficiencyBook, type EfficiencyMarket, type EfficiencyLeg, type EfficiencyRow } from "./portfolioEfficiency.js";
export { PortfolioSession, portfolioModel, riskOfPriced, type ScenarioSource } from "./portfolioModel.js";
export { getMarginMode, parseMarginMode, PortfolioState } from "./portfolioKeeper.js";
export { portfolioParamsOf } from "./params.js";
export { msgSetMarginModeRoute } from "./msgs.js";
export type { MarginMode } from "./types.js";
