/**
 * Tx decoding, strict: TxRaw, TxBody and AuthInfo must be canonically encoded (ADR-027), so one logical tx has
 * exactly one byte form and one hash; every message type must be registered.
 */
import { SdkErrors } from "../errors.js";
import { AuthInfo, TxBody, TxRaw } from "../codec/index.js";
import type { AuthInfo as AuthInfoT, TxBody as TxBodyT, TxRaw as TxRawT } from "../codec/index.js";
import { sha256 } from "../crypto/hash.js";
import type { MsgRoute } from "../app/module.js";

export interface DecodedMsg {
  typeUrl: string;
  msg: unknown;
  route: MsgRoute<unknown>;
}

export interface DecodedTx {
  bytes: Uint8Array;
  /** SHA-256 of the exact tx bytes (the CometBFT tx hash). */
  hash: Uint8Array;
  raw: TxRawT;
  body: TxBodyT;
  authInfo: AuthInfoT;
  msgs: DecodedMsg[];
}

export interface TxDecodeLimits {
  maxTxBytes: number;
  maxMsgsPerTx: number;
}

export type MsgRouteLookup = (typeUrl: string) => MsgRoute<unknown> | undefined;

export function decodeTx(bytes: Uint8Array, lookup: MsgRouteLookup, limits: TxDecodeLimits): DecodedTx {
  if (bytes.length === 0) throw SdkErrors.txDecode.with("empty tx");
  if (bytes.length > limits.maxTxBytes) {
    throw SdkErrors.txTooLarge.with(`tx is ${bytes.length} bytes, limit ${limits.maxTxBytes}`);
  }
  const raw = TxRaw.decodeCanonical(bytes);
  const body = TxBody.decodeCanonical(raw.bodyBytes);
  const authInfo = AuthInfo.decodeCanonical(raw.authInfoBytes);
  if (body.messages.length === 0) throw SdkErrors.invalidRequest.with("must contain at least one message");
  if (body.messages.length > limits.maxMsgsPerTx) {
    throw SdkErrors.invalidRequest.with(`too many messages: ${body.messages.length} > ${limits.maxMsgsPerTx}`);
  }
  if (body.extensionOptions.length > 0) throw SdkErrors.unknownExtensionOptions.with("extension options are not supported");
  const msgs: DecodedMsg[] = body.messages.map((any) => {
    const route = lookup(any.typeUrl);
    if (route === undefined) throw SdkErrors.txDecode.with(`unable to resolve type URL ${truncate(any.typeUrl)}`);
    return { typeUrl: any.typeUrl, msg: route.decode(any.value), route };
  });
  return { bytes, hash: sha256(bytes), raw, body, authInfo, msgs };
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
