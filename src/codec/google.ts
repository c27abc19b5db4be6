/** google.protobuf well-known types used by the Cosmos schemas. */
import { codecFor } from "./codec.js";

export interface Any {
  typeUrl: string;
  value: Uint8Array;
}

export interface Timestamp {
  seconds: bigint;
  nanos: number;
}

export interface Duration {
  seconds: bigint;
  nanos: number;
}

export const Any = codecFor<Any>("google.protobuf.Any");
export const Timestamp = codecFor<Timestamp>("google.protobuf.Timestamp");
export const Duration = codecFor<Duration>("google.protobuf.Duration");
