/** cosmos.base.abci.v1beta1 result types and the tendermint.abci event messages. */
import type { Event, EventAttribute } from "../../types/events.js";
import { codecFor } from "../codec.js";
import type { Any } from "../google.js";

/** tendermint.abci.Event: the same shape as src/types/events.ts Event. */
export type AbciEvent = Event;
export type AbciEventAttribute = EventAttribute;

export interface TxResponse {
  height: bigint;
  txhash: string;
  codespace: string;
  code: number;
  data: string;
  rawLog: string;
  logs: ABCIMessageLog[];
  info: string;
  gasWanted: bigint;
  gasUsed: bigint;
  tx: Any | undefined;
  timestamp: string;
  events: Event[];
}

export interface ABCIMessageLog {
  msgIndex: number;
  log: string;
  events: StringEvent[];
}

export interface StringEvent {
  type: string;
  attributes: Attribute[];
}

export interface Attribute {
  key: string;
  value: string;
}

export interface GasInfo {
  gasWanted: bigint;
  gasUsed: bigint;
}

export interface Result {
  data: Uint8Array;
  log: string;
  events: Event[];
  msgResponses: Any[];
}

export interface SimulationResponse {
  gasInfo: GasInfo | undefined;
  result: Result | undefined;
}

export interface MsgData {
  msgType: string;
  data: Uint8Array;
}

/** A tx result's `data`: one Any per executed message in msgResponses (data is deprecated, left empty). */
export interface TxMsgData {
  data: MsgData[];
  msgResponses: Any[];
}

export const AbciEvent = codecFor<AbciEvent>("tendermint.abci.Event");
export const AbciEventAttribute = codecFor<AbciEventAttribute>("tendermint.abci.EventAttribute");
export const TxResponse = codecFor<TxResponse>("cosmos.base.abci.v1beta1.TxResponse");
export const ABCIMessageLog = codecFor<ABCIMessageLog>("cosmos.base.abci.v1beta1.ABCIMessageLog");
export const StringEvent = codecFor<StringEvent>("cosmos.base.abci.v1beta1.StringEvent");
export const Attribute = codecFor<Attribute>("cosmos.base.abci.v1beta1.Attribute");
export const GasInfo = codecFor<GasInfo>("cosmos.base.abci.v1beta1.GasInfo");
export const Result = codecFor<Result>("cosmos.base.abci.v1beta1.Result");
export const SimulationResponse = codecFor<SimulationResponse>("cosmos.base.abci.v1beta1.SimulationResponse");
export const MsgData = codecFor<MsgData>("cosmos.base.abci.v1beta1.MsgData");
export const TxMsgData = codecFor<TxMsgData>("cosmos.base.abci.v1beta1.TxMsgData");
