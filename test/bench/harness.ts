/**
 * Small helpers shared by the benchmarks: monotonic nanosecond clock, medians and percentiles, operations per
 * second, warm-up, and fast cosmjs offline signers for the dev accounts. Machines are noisy, so benches report
 * medians of repeated samples and compare against peers measured in the same run.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { DirectSecp256k1Wallet, type EncodeObject, type Registry } from "@cosmjs/proto-signing";
import { SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { DEV_MNEMONIC } from "../../node/config/devAccounts.js";

/** Monotonic clock in nanoseconds. */
export function nowNs(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds elapsed since startNs (a nowNs() value). */
export function msSince(startNs: bigint): number {
  return Number(nowNs() - startNs) / 1e6;
}

/** Runs fn once; returns its result and the elapsed milliseconds. */
export function timeSync<T>(fn: () => T): { value: T; ms: number } {
  const start = nowNs();
  const value = fn();
  return { value, ms: msSince(start) };
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = nowNs();
  const value = await fn();
  return { value, ms: msSince(start) };
}

/** Calls fn `iterations` times, discarding the result, so the JIT has seen the hot paths before timing. */
export function warmUp(fn: () => unknown, iterations: number): void {
  for (let i = 0; i < iterations; i++) fn();
}

/** Operations per second for `count` operations that took `ms` milliseconds. */
export function opsPerSec(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.POSITIVE_INFINITY;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error("no samples");
  return [...values].sort((a, b) => a - b);
}

/** Median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile, p in (0, 100]: the smallest value with at least p% of the samples at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const s = sorted(values);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

export interface Summary {
  n: number;
  median: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[], digits = 2): Summary {
  const s = sorted(values);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return {
    n: s.length,
    median: round(median(s), digits),
    p99: round(percentile(s, 99), digits),
    min: round(s[0]!, digits),
    max: round(s[s.length - 1]!, digits),
    mean: round(mean, digits),
  };
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Ratio a / b rounded to `digits` places. */
export function ratio(a: number, b: number, digits = 3): number {
  return round(a / b, digits);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `rounds` samples of fn (each returning one figure) and returns them in order. */
export function samples(rounds: number, fn: (round: number) => number): number[] {
  return Array.from({ length: rounds }, (_, i) => fn(i));
}

let gcFn: (() => void) | null | undefined;

/** Forces a full garbage collection between measured rounds (best effort: a no-op if V8 refuses). */
export function collectGarbage(): void {
  if (gcFn === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === "function") {
      gcFn = exposed;
    } else {
      try {
        setFlagsFromString("--expose-gc");
        gcFn = runInNewContext("gc") as () => void;
      } catch {
        gcFn = null;
      }
    }
  }
  gcFn?.();
}

// ---- Dev-account signers ----------------------------------------------------------------------------------

export const BENCH_FEE: StdFee = { amount: [{ denom: "uvanna", amount: "500" }], gas: "200000" };

export interface DevSigner {
  /** HD index: m/44'/118'/0'/0/<index> of the dev mnemonic. */
  index: number;
  address: string;
  /** For the 10 funded dev accounts, their genesis number: the index (node/config/appState.ts). */
  accountNumber: bigint;
  client: SigningStargateClient;
}

/**
 * cosmjs offline signers for HD indexes first..first+count-1 of the dev mnemonic, one single-key wallet each
 * (DirectSecp256k1HdWallet re-derives every HD path on each signature, ~40 ms a tx; a key wallet signs in
 * ~1 ms with the same signing code). Indexes 0..9 are the funded dev accounts.
 */
export async function devSigners(count = 10, first = 0, registry?: Registry): Promise<DevSigner[]> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(DEV_MNEMONIC));
  const out: DevSigner[] = [];
  for (let index = first; index < first + count; index++) {
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(index));
    const wallet = await DirectSecp256k1Wallet.fromKey(privkey, "vanna");
    const [account] = await wallet.getAccounts();
    if (account === undefined) throw new Error("wallet has no account");
    out.push({ index, address: account.address, accountNumber: BigInt(index), client: await SigningStargateClient.offline(wallet, registry === undefined ? {} : { registry }) });
  }
  return out;
}

export type Amount = { denom: string; amount: string };

export function msgSend(from: string, to: string, amount: readonly Amount[]): EncodeObject {
  return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: from, toAddress: to, amount: [...amount] } };
}

/** SIGN_MODE_DIRECT-signs msgs with the given sequence, encoded as TxRaw bytes. */
export async function signMsgs(signer: DevSigner, msgs: readonly EncodeObject[], sequence: number, chainId: string, fee: StdFee = BENCH_FEE): Promise<Uint8Array> {
  const raw = await signer.client.sign(signer.address, [...msgs], fee, "", { accountNumber: signer.accountNumber, sequence, chainId });
  return TxRaw.encode(raw).finish();
}

/** A signed MsgSend of `amount` from signer to `to` (the bench fee: 500uvanna for 200,000 gas). */
export function signSend(signer: DevSigner, to: string, amount: Amount, sequence: number, chainId: string): Promise<Uint8Array> {
  return signMsgs(signer, [msgSend(signer.address, to, [amount])], sequence, chainId);
}
