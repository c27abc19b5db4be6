/** Options messages: listing and delisting by params.authority only. */
import type { MsgRoute } from "../../src/app/module.js";
import { ACCOUNT_PREFIX, parseBech32Address } from "../../src/crypto/address.js";
import { SdkErrors } from "../../src/errors.js";
import type { KVReader } from "../../src/store/types.js";
import { kindFromWire, MsgDelistSeries, MsgDelistSeriesResponse, MsgListSeries, MsgListSeriesResponse } from "./codec.js";
import { OptionsErrors } from "./errors.js";
import type { OptionsKeeper } from "./keeper.js";
import type { OptionKind } from "./types.js";

function kindOf(k: number): OptionKind {
  const kind = kindFromWire(k);
  if (kind === undefined) throw OptionsErrors.invalidKind.with(`kind ${k}: expected OPTION_KIND_CALL (1) or OPTION_KIND_PUT (2)`);
  return kind;
}

function requireAuthority(keeper: OptionsKeeper, store: KVReader, signer: string): void {
  const authority = keeper.params(store).authority;
  if (signer !== authority) throw SdkErrors.unauthorized.with(`${signer} is not the options authority (expected ${authority})`);
}

export function msgListSeriesRoute(keeper: OptionsKeeper): MsgRoute<MsgListSeries> {
  return {
    typeUrl: MsgListSeries.typeUrl,
    decode: (bytes) => MsgListSeries.decodeCanonical(bytes),
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      parseBech32Address(msg.authority, ACCOUNT_PREFIX);
      if (msg.underlying === "") throw OptionsErrors.unknownUnderlying.with("underlying is required");
      if (msg.expiryUnixS <= 0n) throw OptionsErrors.invalidExpiry.with(`expiry ${msg.expiryUnixS} must be positive`);
      if (msg.strikeMicroUsd <= 0n) throw OptionsErrors.invalidStrike.with("strike must be positive");
      kindOf(msg.kind);
    },
    handle(ctx, msg) {
      requireAuthority(keeper, ctx.store, msg.authority);
      const s = keeper.listSeries(
        ctx,
        { underlying: msg.underlying, expiryUnixS: msg.expiryUnixS, strikeMicroUsd: msg.strikeMicroUsd, kind: kindOf(msg.kind) },
        "authority",
      );
      return { typeUrl: MsgListSeriesResponse.typeUrl, value: MsgListSeriesResponse.encode({ seriesId: s.id }) };
    },
  };
}

export function msgDelistSeriesRoute(keeper: OptionsKeeper): MsgRoute<MsgDelistSeries> {
  return {
    typeUrl: MsgDelistSeries.typeUrl,
    decode: (bytes) => MsgDelistSeries.decodeCanonical(bytes),
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      parseBech32Address(msg.authority, ACCOUNT_PREFIX);
      if (msg.seriesId === 0n) throw OptionsErrors.unknownSeries.with("series_id is required (ids start at 1)");
    },
    handle(ctx, msg) {
      requireAuthority(keeper, ctx.store, msg.authority);
      keeper.delistSeries(ctx, msg.seriesId);
      return { typeUrl: MsgDelistSeriesResponse.typeUrl, value: MsgDelistSeriesResponse.encode({}) };
    },
  };
}
