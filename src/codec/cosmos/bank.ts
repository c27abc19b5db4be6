/** cosmos.bank.v1beta1: bank types, messages and genesis. Queries are in bankQuery.ts. */
import { codecFor } from "../codec.js";
import type { Coin } from "./base.js";

export interface BankParams {
  /** Deprecated in the SDK (send-enabled entries moved to their own store). */
  sendEnabled: SendEnabled[];
  defaultSendEnabled: boolean;
}

export interface SendEnabled {
  denom: string;
  enabled: boolean;
}

export interface Input {
  address: string;
  coins: Coin[];
}

export interface Output {
  address: string;
  coins: Coin[];
}

export interface Supply {
  total: Coin[];
}

export interface DenomUnit {
  denom: string;
  exponent: number;
  aliases: string[];
}

export interface Metadata {
  description: string;
  denomUnits: DenomUnit[];
  base: string;
  display: string;
  name: string;
  symbol: string;
  uri: string;
  uriHash: string;
}

export interface MsgSend {
  fromAddress: string;
  toAddress: string;
  amount: Coin[];
}

export type MsgSendResponse = Record<string, never>;

export interface MsgMultiSend {
  inputs: Input[];
  outputs: Output[];
}

export type MsgMultiSendResponse = Record<string, never>;

export interface Balance {
  address: string;
  coins: Coin[];
}

export interface BankGenesisState {
  params: BankParams | undefined;
  balances: Balance[];
  supply: Coin[];
  denomMetadata: Metadata[];
  sendEnabled: SendEnabled[];
}

const p = "cosmos.bank.v1beta1";
export const BankParams = codecFor<BankParams>(`${p}.Params`);
export const SendEnabled = codecFor<SendEnabled>(`${p}.SendEnabled`);
export const Input = codecFor<Input>(`${p}.Input`);
export const Output = codecFor<Output>(`${p}.Output`);
export const Supply = codecFor<Supply>(`${p}.Supply`);
export const DenomUnit = codecFor<DenomUnit>(`${p}.DenomUnit`);
export const Metadata = codecFor<Metadata>(`${p}.Metadata`);
export const MsgSend = codecFor<MsgSend>(`${p}.MsgSend`);
export const MsgSendResponse = codecFor<MsgSendResponse>(`${p}.MsgSendResponse`);
export const MsgMultiSend = codecFor<MsgMultiSend>(`${p}.MsgMultiSend`);
export const MsgMultiSendResponse = codecFor<MsgMultiSendResponse>(`${p}.MsgMultiSendResponse`);
export const Balance = codecFor<Balance>(`${p}.Balance`);
export const BankGenesisState = codecFor<BankGenesisState>(`${p}.GenesisState`);
