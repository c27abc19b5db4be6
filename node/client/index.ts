/**
 * `vanna/client`: what a trader's program needs to talk to a Vanna chain with cosmjs — the message registry,
 * typed message builders, typed queries of every module, a one-call connection, and readers of order events
 * and Msg responses. Imports cosmjs, our codecs and the modules' wire types only (no node, disk or p2p code).
 */
export { connectVanna, vannaQueryClient, DEFAULT_GAS_PRICE, FEE_DENOM, type ConnectVannaOptions, type VannaConnection, type VannaQueryClient } from "./connect.js";
export { createVannaRegistry, decodeMsgResponses, generatedType, vannaMsgCodecs, vannaMsgResponseCodecs, vannaMsgTypes, vannaRegistryTypes } from "./registry.js";
export {
  cancelSpec,
  msgs,
  orderSpec,
  usdc,
  ORDER_TYPE_WIRE,
  SIDE_WIRE,
  TIF_WIRE,
  type MarginModeName,
  type OptionKindName,
  type OrderInput,
  type OrderRef,
  type OrderType,
  type Side,
  type TimeInForce,
  type VannaEncodeObject,
} from "./msgs.js";
export { optionKindName, seriesStatusName, setupVannaExtension, sideName, type FillsFilter, type SeriesFilter, type VannaExtension } from "./queries.js";
export {
  fillsOf,
  orderEventsOf,
  parseOrderAmended,
  parseOrderCancelled,
  parseOrderExpired,
  parseOrderFilled,
  parseOrderPlaced,
  type OrderAmendedEvent,
  type OrderCancelledEvent,
  type OrderEvents,
  type OrderExpiredEvent,
  type OrderFilledEvent,
  type OrderPlacedEvent,
  type TxEvent,
} from "./events.js";
export {
  formatMicro,
  InputError,
  parseDecimalUnits,
  parseExpiry,
  parseSeriesName,
  parseUsd,
  parseUsdc,
  priceToTicks,
  seriesName,
  ticksToUsdc,
  yyyymmdd,
  EXPIRY_SECOND_OF_DAY,
  type SeriesNameParts,
} from "./units.js";
/** The wire types (decoded shapes and codecs) of each module, for typing results and decoding raw bytes. */
export { ClobCodec, LiquidationCodec, MarginCodec, OptionsCodec, OracleCodec, SubaccountsCodec } from "./wire.js";
