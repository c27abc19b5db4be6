/**
 * The modules' wire types (decoded shapes and codecs), the only thing the client takes from modules/: just the
 * codec files, never keepers or module code. This is the one file of node/client that imports modules/.
 */
export * as SubaccountsCodec from "../../modules/subaccounts/codec.js";
export * as OracleCodec from "../../modules/oracle/types.js";
export * as OptionsCodec from "../../modules/options/codec.js";
export * as ClobCodec from "../../modules/clob/codec.js";
export * as MarginCodec from "../../modules/margin/codec.js";
export * as LiquidationCodec from "../../modules/liquidation/codec.js";
