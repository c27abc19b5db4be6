/**
 * Byte compatibility with cosmjs-types (ts-proto): for random full values of every Cosmos message we define,
 * our encoding equals cosmjs-types' encoding, and decoding cosmjs bytes gives the value cosmjs-types decodes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as ctAny from "cosmjs-types/google/protobuf/any";
import * as ctTimestamp from "cosmjs-types/google/protobuf/timestamp";
import * as ctDuration from "cosmjs-types/google/protobuf/duration";
import * as ctCoin from "cosmjs-types/cosmos/base/v1beta1/coin";
import * as ctPagination from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import * as ctAbci from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import * as ctTmAbci from "cosmjs-types/tendermint/abci/types";
import * as ctSecp from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import * as ctEd from "cosmjs-types/cosmos/crypto/ed25519/keys";
import * as ctMultisig from "cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig";
import * as ctTx from "cosmjs-types/cosmos/tx/v1beta1/tx";
import * as ctService from "cosmjs-types/cosmos/tx/v1beta1/service";
import * as ctAuth from "cosmjs-types/cosmos/auth/v1beta1/auth";
import * as ctAuthQuery from "cosmjs-types/cosmos/auth/v1beta1/query";
import * as ctAuthGenesis from "cosmjs-types/cosmos/auth/v1beta1/genesis";
import * as ctBank from "cosmjs-types/cosmos/bank/v1beta1/bank";
import * as ctBankTx from "cosmjs-types/cosmos/bank/v1beta1/tx";
import * as ctBankQuery from "cosmjs-types/cosmos/bank/v1beta1/query";
import * as ctBankGenesis from "cosmjs-types/cosmos/bank/v1beta1/genesis";
import * as codec from "../../../src/codec/index.js";
import type { Codec } from "../../../src/codec/index.js";
import { arbitraryMessage } from "./arbitrary.js";

/** The part of a cosmjs-types message object these tests use. */
interface TsProtoType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromPartial(object: unknown): unknown;
}

const pairs: [Codec<unknown>, unknown][] = [
  [codec.Any, ctAny.Any],
  [codec.Timestamp, ctTimestamp.Timestamp],
  [codec.Duration, ctDuration.Duration],
  [codec.Coin, ctCoin.Coin],
  [codec.DecCoin, ctCoin.DecCoin],
  [codec.PageRequest, ctPagination.PageRequest],
  [codec.PageResponse, ctPagination.PageResponse],
  [codec.AbciEvent, ctTmAbci.Event],
  [codec.AbciEventAttribute, ctTmAbci.EventAttribute],
  [codec.TxResponse, ctAbci.TxResponse],
  [codec.ABCIMessageLog, ctAbci.ABCIMessageLog],
  [codec.StringEvent, ctAbci.StringEvent],
  [codec.Attribute, ctAbci.Attribute],
  [codec.GasInfo, ctAbci.GasInfo],
  [codec.Result, ctAbci.Result],
  [codec.SimulationResponse, ctAbci.SimulationResponse],
  [codec.MsgData, ctAbci.MsgData],
  [codec.TxMsgData, ctAbci.TxMsgData],
  [codec.Secp256k1PubKey, ctSecp.PubKey],
  [codec.Secp256k1PrivKey, ctSecp.PrivKey],
  [codec.Ed25519PubKey, ctEd.PubKey],
  [codec.Ed25519PrivKey, ctEd.PrivKey],
  [codec.MultiSignature, ctMultisig.MultiSignature],
  [codec.CompactBitArray, ctMultisig.CompactBitArray],
  [codec.Tx, ctTx.Tx],
  [codec.TxRaw, ctTx.TxRaw],
  [codec.SignDoc, ctTx.SignDoc],
  [codec.TxBody, ctTx.TxBody],
  [codec.AuthInfo, ctTx.AuthInfo],
  [codec.SignerInfo, ctTx.SignerInfo],
  [codec.ModeInfo, ctTx.ModeInfo],
  [codec.ModeInfoSingle, ctTx.ModeInfo_Single],
  [codec.ModeInfoMulti, ctTx.ModeInfo_Multi],
  [codec.Fee, ctTx.Fee],
  [codec.Tip, ctTx.Tip],
  [codec.SimulateRequest, ctService.SimulateRequest],
  [codec.SimulateResponse, ctService.SimulateResponse],
  [codec.GetTxRequest, ctService.GetTxRequest],
  [codec.GetTxResponse, ctService.GetTxResponse],
  [codec.GetTxsEventRequest, ctService.GetTxsEventRequest],
  [codec.GetTxsEventResponse, ctService.GetTxsEventResponse],
  [codec.BroadcastTxRequest, ctService.BroadcastTxRequest],
  [codec.BroadcastTxResponse, ctService.BroadcastTxResponse],
  [codec.BaseAccount, ctAuth.BaseAccount],
  [codec.ModuleAccount, ctAuth.ModuleAccount],
  [codec.AuthParams, ctAuth.Params],
  [codec.AuthGenesisState, ctAuthGenesis.GenesisState],
  [codec.QueryAccountsRequest, ctAuthQuery.QueryAccountsRequest],
  [codec.QueryAccountsResponse, ctAuthQuery.QueryAccountsResponse],
  [codec.QueryAccountRequest, ctAuthQuery.QueryAccountRequest],
  [codec.QueryAccountResponse, ctAuthQuery.QueryAccountResponse],
  [codec.AuthQueryParamsRequest, ctAuthQuery.QueryParamsRequest],
  [codec.AuthQueryParamsResponse, ctAuthQuery.QueryParamsResponse],
  [codec.QueryModuleAccountByNameRequest, ctAuthQuery.QueryModuleAccountByNameRequest],
  [codec.QueryModuleAccountByNameResponse, ctAuthQuery.QueryModuleAccountByNameResponse],
  [codec.Bech32PrefixRequest, ctAuthQuery.Bech32PrefixRequest],
  [codec.Bech32PrefixResponse, ctAuthQuery.Bech32PrefixResponse],
  [codec.AddressBytesToStringRequest, ctAuthQuery.AddressBytesToStringRequest],
  [codec.AddressBytesToStringResponse, ctAuthQuery.AddressBytesToStringResponse],
  [codec.AddressStringToBytesRequest, ctAuthQuery.AddressStringToBytesRequest],
  [codec.AddressStringToBytesResponse, ctAuthQuery.AddressStringToBytesResponse],
  [codec.BankParams, ctBank.Params],
  [codec.SendEnabled, ctBank.SendEnabled],
  [codec.Input, ctBank.Input],
  [codec.Output, ctBank.Output],
  [codec.Supply, ctBank.Supply],
  [codec.DenomUnit, ctBank.DenomUnit],
  [codec.Metadata, ctBank.Metadata],
  [codec.MsgSend, ctBankTx.MsgSend],
  [codec.MsgSendResponse, ctBankTx.MsgSendResponse],
  [codec.MsgMultiSend, ctBankTx.MsgMultiSend],
  [codec.MsgMultiSendResponse, ctBankTx.MsgMultiSendResponse],
  [codec.Balance, ctBankGenesis.Balance],
  [codec.BankGenesisState, ctBankGenesis.GenesisState],
  [codec.QueryBalanceRequest, ctBankQuery.QueryBalanceRequest],
  [codec.QueryBalanceResponse, ctBankQuery.QueryBalanceResponse],
  [codec.QueryAllBalancesRequest, ctBankQuery.QueryAllBalancesRequest],
  [codec.QueryAllBalancesResponse, ctBankQuery.QueryAllBalancesResponse],
  [codec.QuerySpendableBalancesRequest, ctBankQuery.QuerySpendableBalancesRequest],
  [codec.QuerySpendableBalancesResponse, ctBankQuery.QuerySpendableBalancesResponse],
  [codec.QueryTotalSupplyRequest, ctBankQuery.QueryTotalSupplyRequest],
  [codec.QueryTotalSupplyResponse, ctBankQuery.QueryTotalSupplyResponse],
  [codec.QuerySupplyOfRequest, ctBankQuery.QuerySupplyOfRequest],
  [codec.QuerySupplyOfResponse, ctBankQuery.QuerySupplyOfResponse],
  [codec.BankQueryParamsRequest, ctBankQuery.QueryParamsRequest],
  [codec.BankQueryParamsResponse, ctBankQuery.QueryParamsResponse],
  [codec.QueryDenomMetadataRequest, ctBankQuery.QueryDenomMetadataRequest],
  [codec.QueryDenomMetadataResponse, ctBankQuery.QueryDenomMetadataResponse],
  [codec.QueryDenomsMetadataRequest, ctBankQuery.QueryDenomsMetadataRequest],
  [codec.QueryDenomsMetadataResponse, ctBankQuery.QueryDenomsMetadataResponse],
];

describe("byte compatibility with cosmjs-types", () => {
  it("covers every non-vanna message in the descriptor", () => {
    const covered = new Set(pairs.map(([ours]) => ours.typeName));
    const all: string[] = [];
    const walk = (ns: import("protobufjs").NamespaceBase): void => {
      for (const nested of ns.nestedArray) {
        if ("fieldsArray" in nested) all.push(nested.fullName.slice(1));
        if ("nestedArray" in nested) walk(nested as import("protobufjs").NamespaceBase);
      }
    };
    walk(codec.protoRoot);
    expect(all.length).toBeGreaterThan(90);
    const missing = all.filter((name) => !name.startsWith("vanna.") && !covered.has(name));
    expect(missing).toEqual([]);
  });

  for (const [ours, theirsUnknown] of pairs) {
    const theirs = theirsUnknown as TsProtoType;
    describe(ours.typeName, () => {
      it("encodes random values to the same bytes and decodes cosmjs bytes to the same value", () => {
        fc.assert(
          fc.property(arbitraryMessage(ours.typeName), (value) => {
            const expected = theirs.encode(value).finish();
            expect(ours.encode(value)).toEqual(new Uint8Array(expected));
            // Our decode returns exactly the value (shape included); cosmjs-types sees the same value in it.
            expect(ours.decode(expected)).toStrictEqual(value);
            expect(ours.decodeCanonical(expected)).toStrictEqual(value);
            expect(theirs.fromPartial(ours.decode(expected))).toStrictEqual(theirs.decode(expected));
          }),
          { numRuns: 40 },
        );
      });

      it("uses cosmjs-types' field names and defaults", () => {
        const ourDefault = ours.fromPartial({}) as Record<string, unknown>;
        const theirDefault = theirs.fromPartial({}) as Record<string, unknown>;
        expect(Object.keys(ourDefault).sort()).toEqual(Object.keys(theirDefault).sort());
        // cosmjs-types fills non-nullable (gogoproto) sub-messages where we leave undefined; values agree otherwise.
        expect(theirs.fromPartial(ourDefault)).toStrictEqual(theirDefault);
        expect(ours.decode(new Uint8Array(0))).toStrictEqual(ourDefault);
        expect(ours.encode(ourDefault)).toEqual(new Uint8Array(0));
      });
    });
  }
});
