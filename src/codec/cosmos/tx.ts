/** cosmos.tx.v1beta1 transaction messages and cosmos.tx.signing.v1beta1.SignMode. */
import { codecFor } from "../codec.js";
import type { Any, Timestamp } from "../google.js";
import type { Coin } from "./base.js";
import type { CompactBitArray } from "./crypto.js";

export enum SignMode {
  SIGN_MODE_UNSPECIFIED = 0,
  SIGN_MODE_DIRECT = 1,
  SIGN_MODE_TEXTUAL = 2,
  SIGN_MODE_DIRECT_AUX = 3,
  SIGN_MODE_LEGACY_AMINO_JSON = 127,
  SIGN_MODE_EIP_191 = 191,
}

export interface Tx {
  body: TxBody | undefined;
  authInfo: AuthInfo | undefined;
  signatures: Uint8Array[];
}

/** The broadcast form; bodyBytes and authInfoBytes are exactly the signed bytes. */
export interface TxRaw {
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  signatures: Uint8Array[];
}

/** SIGN_MODE_DIRECT signs SignDoc.encode(...) of this. */
export interface SignDoc {
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  chainId: string;
  accountNumber: bigint;
}

export interface TxBody {
  messages: Any[];
  memo: string;
  timeoutHeight: bigint;
  unordered: boolean;
  timeoutTimestamp: Timestamp | undefined;
  extensionOptions: Any[];
  nonCriticalExtensionOptions: Any[];
}

export interface AuthInfo {
  signerInfos: SignerInfo[];
  fee: Fee | undefined;
  tip: Tip | undefined;
}

export interface SignerInfo {
  publicKey: Any | undefined;
  modeInfo: ModeInfo | undefined;
  sequence: bigint;
}

/** A oneof: at most one of single / multi is set (the last one on the wire wins). */
export interface ModeInfo {
  single?: ModeInfoSingle | undefined;
  multi?: ModeInfoMulti | undefined;
}

export interface ModeInfoSingle {
  mode: SignMode;
}

export interface ModeInfoMulti {
  bitarray: CompactBitArray | undefined;
  modeInfos: ModeInfo[];
}

export interface Fee {
  amount: Coin[];
  gasLimit: bigint;
  payer: string;
  granter: string;
}

export interface Tip {
  amount: Coin[];
  tipper: string;
}

export const Tx = codecFor<Tx>("cosmos.tx.v1beta1.Tx");
export const TxRaw = codecFor<TxRaw>("cosmos.tx.v1beta1.TxRaw");
export const SignDoc = codecFor<SignDoc>("cosmos.tx.v1beta1.SignDoc");
export const TxBody = codecFor<TxBody>("cosmos.tx.v1beta1.TxBody");
export const AuthInfo = codecFor<AuthInfo>("cosmos.tx.v1beta1.AuthInfo");
export const SignerInfo = codecFor<SignerInfo>("cosmos.tx.v1beta1.SignerInfo");
export const ModeInfo = codecFor<ModeInfo>("cosmos.tx.v1beta1.ModeInfo");
export const ModeInfoSingle = codecFor<ModeInfoSingle>("cosmos.tx.v1beta1.ModeInfo.Single");
export const ModeInfoMulti = codecFor<ModeInfoMulti>("cosmos.tx.v1beta1.ModeInfo.Multi");
export const Fee = codecFor<Fee>("cosmos.tx.v1beta1.Fee");
export const Tip = codecFor<Tip>("cosmos.tx.v1beta1.Tip");
