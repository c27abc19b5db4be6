/**
 * Signed bank sends per second through CheckTx + block execution + commit + mempool recheck, in one process
 * (the in-process BaseApp and the node's real Mempool), side by side with raw secp256k1 verifications per
 * second of the same signatures (our node:crypto path and noble), measured in the same rounds. Target: at
 * least 75% of the node:crypto verification rate (each tx is verified once: CheckTx results are cached).
 *
 * Headline schedule (steady state, one block of backlog): CheckTx of block 0's txs; then for each block k,
 * CheckTx ("new") of block k+1's txs as they arrive, FinalizeBlock of the first BLOCK_TXS mempool txs, Commit,
 * and the mempool's update (drop committed, re-check the rest: block k+1's txs). Every phase is timed. One more
 * round runs the "backlog" schedule (CheckTx of all txs first, then the blocks) for comparison.
 *
 * A separate, untimed round runs under the V8 CPU profiler and attributes samples to phases (checkTx new,
 * finalizeBlock, commit, recheck) and stages (decode, ante, signature verification, message execution,
 * state commitment hashing, ...), plus self time by subsystem and the hottest functions: where a tx's cost goes.
 */
import { Session } from "node:inspector/promises";
import type { Profiler } from "node:inspector";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { AuthInfo, Secp256k1PubKey, SignDoc, TxRaw } from "../../src/codec/index.js";
import { verifySecp256k1 } from "../../src/crypto/secp256k1.js";
import type { BaseApp } from "../../src/app/baseApp.js";
import { Mempool } from "../../node/mempool/mempool.js";
import { header, newTestApp, TEST_CHAIN_ID } from "../support/devChain.js";
import { collectGarbage, devSigners, median, msSince, nowNs, opsPerSec, ratio, round, signSend } from "./harness.js";

const ACCOUNTS = 10;
const TOTAL_TXS = Number(process.env.VANNA_BENCH_TXS ?? 6000);
const BLOCK_TXS = 1000;
const ROUNDS = Number(process.env.VANNA_BENCH_ROUNDS ?? 3);
const GAS_PER_TX = 200_000n;
/** noble is ~4x slower than node:crypto; 1 in NOBLE_FRACTION of the same signatures keeps rounds short. */
const NOBLE_FRACTION = 5;

interface SigCase {
  pub: Uint8Array;
  signBytes: Uint8Array;
  sig: Uint8Array;
}

/**
 * steady: CheckTx of block k+1's txs while block k is produced, so one block of backlog is re-checked after
 * each commit (about one recheck per tx, whatever the tx count). backlog: CheckTx of all txs first, then the
 * blocks; after each commit every tx still waiting is re-checked (quadratic in txs / block size).
 */
type Schedule = "steady" | "backlog";

interface PipelineTimes {
  checkTxMs: number;
  finalizeBlockMs: number;
  commitMs: number;
  recheckMs: number;
  totalMs: number;
  blocks: number;
  rechecks: number;
}

/** N MsgSends, round-robin over the dev accounts (tx i: account i % 10, sequence i / 10). */
async function signTxs(count: number): Promise<Uint8Array[]> {
  const signers = await devSigners(ACCOUNTS);
  const txs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const from = signers[i % ACCOUNTS]!;
    const to = signers[(i + 1) % ACCOUNTS]!;
    txs.push(await signSend(from, to.address, { denom: "uusdc", amount: "1" }, Math.floor(i / ACCOUNTS), TEST_CHAIN_ID));
  }
  return txs;
}

/** The (pubKey, signBytes, signature) each tx's ante handler verifies. */
function sigCases(txs: readonly Uint8Array[]): SigCase[] {
  return txs.map((bytes, i) => {
    const raw = TxRaw.decode(bytes);
    const authInfo = AuthInfo.decode(raw.authInfoBytes);
    const pkAny = authInfo.signerInfos[0]?.publicKey;
    if (pkAny === undefined) throw new Error("tx without a public key");
    const signBytes = SignDoc.encode({ bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, chainId: TEST_CHAIN_ID, accountNumber: BigInt(i % ACCOUNTS) });
    return { pub: Secp256k1PubKey.decode(pkAny.value).key, signBytes, sig: raw.signatures[0]! };
  });
}

function newApp(addresses: readonly string[]): { app: BaseApp; mempool: Mempool } {
  const app = newTestApp(addresses);
  const mempool = new Mempool(app, { maxTxs: 1_000_000, maxTxsBytes: 1 << 30, maxTxBytes: 1 << 20, cacheSize: 1_000_000 });
  return { app, mempool };
}

/**
 * Runs the whole schedule over txs on a fresh chain; throws if any tx fails. `afterStep(k)`, untimed, runs
 * after each block's step (the verification peers interleave there, so noise hits both alike).
 */
function runPipeline(addresses: readonly string[], txs: readonly Uint8Array[], schedule: Schedule, afterStep?: (block: number) => void): PipelineTimes {
  const { app, mempool } = newApp(addresses);
  const times: PipelineTimes = { checkTxMs: 0, finalizeBlockMs: 0, commitMs: 0, recheckMs: 0, totalMs: 0, blocks: 0, rechecks: 0 };
  const blocks = Math.ceil(txs.length / BLOCK_TXS);
  const admit = (from: number, count = BLOCK_TXS) => {
    const start = nowNs();
    for (const tx of txs.slice(from, from + count)) {
      const { result } = mempool.add(tx);
      if (result.code !== 0) throw new Error(`CheckTx failed (code ${result.code}): ${result.log}`);
    }
    times.checkTxMs += msSince(start);
  };
  if (schedule === "backlog") admit(0, txs.length);
  else admit(0);
  for (let k = 0; k < blocks; k++) {
    if (schedule === "steady") admit((k + 1) * BLOCK_TXS);
    const blockTxs = mempool.reap(Number.MAX_SAFE_INTEGER, BigInt(BLOCK_TXS) * GAS_PER_TX);
    const height = app.info().lastBlockHeight + 1n;

    let start = nowNs();
    const result = app.finalizeBlock({ header: header(height), txs: blockTxs });
    times.finalizeBlockMs += msSince(start);
    const failed = result.txResults.find((r) => r.code !== 0);
    if (failed !== undefined) throw new Error(`tx failed in block ${height} (code ${failed.code}): ${failed.log}`);

    start = nowNs();
    app.commit();
    times.commitMs += msSince(start);

    const pending = mempool.size - blockTxs.length;
    start = nowNs();
    const { removed, evicted } = mempool.update(blockTxs);
    times.recheckMs += msSince(start);
    if (removed !== blockTxs.length || evicted !== 0) throw new Error(`mempool update removed ${removed}/${blockTxs.length}, evicted ${evicted}`);
    times.rechecks += pending;
    times.blocks++;
    afterStep?.(k);
  }
  if (mempool.size !== 0) throw new Error(`${mempool.size} txs left in the mempool`);
  times.totalMs = times.checkTxMs + times.finalizeBlockMs + times.commitMs + times.recheckMs;
  return times;
}

/** Verifies every case once; returns the milliseconds taken. */
function timeVerifies(cases: readonly SigCase[], verify: (c: SigCase) => boolean): number {
  const start = nowNs();
  let ok = 0;
  for (const c of cases) if (verify(c)) ok++;
  const ms = msSince(start);
  if (ok !== cases.length) throw new Error(`${cases.length - ok} signatures failed to verify`);
  return ms;
}

const nodeVerify = (c: SigCase) => verifySecp256k1(c.pub, c.signBytes, c.sig);
const nobleVerify = (c: SigCase) => secp256k1.verify(c.sig, c.signBytes, c.pub, { prehash: true, lowS: true });

// ---- CPU profile attribution ------------------------------------------------------------------------------

const DIST_ROOT = `${pathToFileURL(resolve(import.meta.dirname, "../..")).href}/`;

interface Frame {
  fn: string;
  /** Path relative to dist/ for our code, "node_modules/<pkg>/..." for dependencies, else the raw url. */
  file: string;
  line: number;
  firstParty: boolean;
}

function frameOf(cf: Profiler.ProfileNode["callFrame"]): Frame {
  let file = cf.url;
  let firstParty = false;
  const nm = file.lastIndexOf("/node_modules/");
  if (nm >= 0) file = file.slice(nm + 1);
  else if (file.startsWith(DIST_ROOT)) {
    file = file.slice(DIST_ROOT.length);
    firstParty = !file.startsWith("test/");
  }
  return { fn: cf.functionName, file, line: cf.lineNumber + 1, firstParty };
}

function frameName(f: Frame): string {
  return `${f.fn || "(anonymous)"} ${f.file || "(native)"}${f.file ? `:${f.line}` : ""}`;
}

/** What each stage of the breakdown covers. */
export const STAGES: readonly string[] = [
  "sigVerify: verifySecp256k1 (node:crypto ECDSA, key parse cache, low-S check)",
  "decode: decodeTx: TxRaw, TxBody, AuthInfo (canonical), msg decode, SHA-256 tx hash",
  "ante: ante handler except verification: params, pubkey, address, account, fee deduction, sign bytes, sequence",
  "msgExec: message handlers (bank send) and their message events",
  "runTxOther: runTx itself: branches, branch writes, events, TxMsgData",
  "checkTxOther: BaseApp.checkTx itself: check-state branch, priority, sender",
  "finalizeOther: BaseApp.finalizeBlock/deliverTx itself, begin/end block",
  "stateCommit: RootStore.commit: apply block changes to the tree and rehash the commitment (app hash)",
  "appCommit: BaseApp.commit: new check-state branch",
  "mempool: Mempool.add/update themselves: tx hashing, maps",
  "gc: garbage collector",
  "other: anything else (bench driver)",
];

const PHASES: Array<[file: string, fn: string, phase: string]> = [
  ["node/mempool/mempool.js", "add", "checkTxNew"],
  ["node/mempool/mempool.js", "update", "recheck"],
  ["src/app/baseApp.js", "finalizeBlock", "finalizeBlock"],
  ["src/app/baseApp.js", "commit", "commit"],
];

/** Innermost stage marker wins: e.g. a store read inside the ante handler counts as ante. */
function stageOf(f: Frame): string | undefined {
  switch (f.file) {
    case "src/crypto/secp256k1.js":
      return f.fn === "verifySecp256k1" ? "sigVerify" : undefined;
    case "src/tx/decode.js":
      return f.fn === "decodeTx" ? "decode" : undefined;
    case "src/store/rootStore.js":
      return f.fn === "commit" ? "stateCommit" : undefined;
    case "modules/auth/ante.js":
      return "ante";
    case "src/app/txRunner.js":
      if (f.fn === "runTx") return "runTxOther";
      return f.fn === "errorResult" ? undefined : "msgExec"; // the anonymous per-message callback
    case "src/app/baseApp.js":
      if (f.fn === "checkTx") return "checkTxOther";
      if (f.fn === "finalizeBlock" || f.fn === "deliverTx") return "finalizeOther";
      return f.fn === "commit" ? "appCommit" : undefined;
    case "node/mempool/mempool.js":
      return f.fn === "add" || f.fn === "update" ? "mempool" : undefined;
    default:
      return undefined;
  }
}

function subsystemOf(f: Frame): string {
  const parts = f.file.split("/");
  if (parts[0] === "node_modules") return parts[1]?.startsWith("@") ? `${parts[1]}/${parts[2]}` : (parts[1] ?? f.file);
  if (f.file.startsWith("node:")) return parts.slice(0, 2).join("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : f.file;
}

export interface ProfileBreakdown {
  sampledMs: number;
  /** phase -> stage -> microseconds per tx */
  byPhase: Record<string, Record<string, number>>;
  /** stage -> microseconds per tx, all phases */
  byStage: Record<string, number>;
  /** self time by subsystem (natives count towards their nearest JS caller), microseconds per tx */
  selfBySubsystem: Record<string, number>;
  /** inclusive time of our own functions (src/, modules/, node/), microseconds per tx */
  inclusiveFirstParty: Record<string, number>;
  /** dependency / node-internal self time by the first-party function that called it, microseconds per tx */
  dependencyCallers: Record<string, number>;
  /** self time of the hottest functions, microseconds per tx */
  hotFunctionsSelf: Record<string, number>;
}

function top(m: Map<string, number>, n: number, txCount: number, rest = false): Record<string, number> {
  const entries = [...m].sort((a, b) => b[1] - a[1]);
  const out: Record<string, number> = {};
  for (const [k, us] of entries.slice(0, n)) out[k] = round(us / txCount, 1);
  if (rest && entries.length > n) out["(rest)"] = round(entries.slice(n).reduce((a, e) => a + e[1], 0) / txCount, 1);
  return out;
}

function analyseProfile(profile: Profiler.Profile, txCount: number): ProfileBreakdown {
  const parent = new Map<number, number>();
  const frames = new Map<number, Frame>();
  for (const n of profile.nodes) {
    frames.set(n.id, frameOf(n.callFrame));
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const byPhase = new Map<string, Map<string, number>>();
  const byStage = new Map<string, number>();
  const bySubsystem = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const depCallers = new Map<string, number>();
  const bySelf = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let totalUs = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time after it (deltas[i + 1]) is what sample i stands for.
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    const leafId = samples[i]!;
    const leaf = frames.get(leafId)!;
    if (leaf.fn === "(idle)" || leaf.fn === "(root)") continue;
    totalUs += us;
    let phase: string | undefined;
    let stage: string | undefined;
    let subsystem: string | undefined;
    let leafSubsystem: string | undefined;
    let caller: Frame | undefined;
    const seen = new Set<string>();
    for (let id: number | undefined = leafId; id !== undefined; id = parent.get(id)) {
      const f = frames.get(id)!;
      if (subsystem === undefined && f.file !== "") subsystem = leafSubsystem = subsystemOf(f);
      if (f.firstParty) {
        caller ??= f;
        const name = frameName(f);
        if (!seen.has(name)) {
          seen.add(name);
          add(inclusive, name, us);
        }
      }
      stage ??= stageOf(f);
      phase ??= PHASES.find(([file, fn]) => f.file === file && f.fn === fn)?.[2];
    }
    if (leaf.fn === "(garbage collector)") phase = stage = subsystem = "gc";
    phase ??= "other";
    stage ??= "other";
    subsystem ??= leaf.fn;
    const stages = byPhase.get(phase) ?? new Map<string, number>();
    byPhase.set(phase, stages);
    add(stages, stage, us);
    add(byStage, stage, us);
    add(bySubsystem, subsystem, us);
    add(bySelf, frameName(leaf), us);
    if (caller !== undefined && leafSubsystem !== undefined && !frames.get(leafId)!.firstParty && caller !== leaf) {
      add(depCallers, `${leafSubsystem} <- ${frameName(caller)}`, us);
    }
  }
  const phaseTotal = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    sampledMs: round(totalUs / 1000, 1),
    byPhase: Object.fromEntries(
      [...byPhase].sort((a, b) => phaseTotal(b[1]) - phaseTotal(a[1])).map(([p, m]) => [p, { total: round(phaseTotal(m) / txCount, 1), ...top(m, 20, txCount) }]),
    ),
    byStage: top(byStage, 20, txCount),
    selfBySubsystem: top(bySubsystem, 12, txCount, true),
    inclusiveFirstParty: top(inclusive, 30, txCount),
    dependencyCallers: top(depCallers, 12, txCount),
    hotFunctionsSelf: top(bySelf, 15, txCount),
  };
}

async function profiledPipeline(addresses: readonly string[], txs: readonly Uint8Array[]): Promise<ProfileBreakdown> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    collectGarbage();
    await session.post("Profiler.start");
    runPipeline(addresses, txs, "steady");
    const { profile } = await session.post("Profiler.stop");
    return analyseProfile(profile, txs.length);
  } finally {
    await session.post("Profiler.disable").catch(() => undefined);
    session.disconnect();
  }
}

// ---- Bench ------------------------------------------------------------------------------------------------

export async function run(): Promise<Record<string, unknown>> {
  let start = nowNs();
  const txs = await signTxs(TOTAL_TXS);
  const signMs = msSince(start);
  const addresses = (await devSigners(ACCOUNTS)).map((s) => s.address);
  const cases = sigCases(txs);

  // Warm-up: the first block's worth through the pipeline, and both verifiers.
  runPipeline(addresses, txs.slice(0, BLOCK_TXS), "steady");
  timeVerifies(cases.slice(0, 500), nodeVerify);
  timeVerifies(cases.slice(0, 200), nobleVerify);

  // Each round: the pipeline on a fresh chain, with the raw verification peers interleaved after every block
  // (node:crypto over that block's signatures, noble over a fifth of them), so both see the same machine.
  const measureRound = (schedule: Schedule) => {
    collectGarbage();
    const node = { count: 0, ms: 0 };
    const noble = { count: 0, ms: 0 };
    const times = runPipeline(addresses, txs, schedule, (k) => {
      const blockCases = cases.slice(k * BLOCK_TXS, (k + 1) * BLOCK_TXS);
      const nobleCases = blockCases.slice(0, Math.ceil(blockCases.length / NOBLE_FRACTION));
      node.ms += timeVerifies(blockCases, nodeVerify);
      node.count += blockCases.length;
      noble.ms += timeVerifies(nobleCases, nobleVerify);
      noble.count += nobleCases.length;
    });
    return {
      ...times,
      txsPerSec: opsPerSec(txs.length, times.totalMs),
      nodeVerifiesPerSec: opsPerSec(node.count, node.ms),
      nobleVerifiesPerSec: opsPerSec(noble.count, noble.ms),
    };
  };
  const rounds = Array.from({ length: ROUNDS }, () => measureRound("steady"));
  const backlog = measureRound("backlog");

  start = nowNs();
  const profile = await profiledPipeline(addresses, txs);
  const profileWallMs = msSince(start);

  const med = (pick: (r: (typeof rounds)[number]) => number) => median(rounds.map(pick));
  const txsPerSec = med((r) => r.txsPerSec);
  const nodeVps = med((r) => r.nodeVerifiesPerSec);
  const nobleVps = med((r) => r.nobleVerifiesPerSec);
  const perTxMicros = (pick: (r: (typeof rounds)[number]) => number) => round((med(pick) * 1000) / txs.length, 1);
  const ratioToNode = med((r) => r.txsPerSec / r.nodeVerifiesPerSec);
  return {
    txs: txs.length,
    blockTxs: BLOCK_TXS,
    rounds: ROUNDS,
    schedule: "steady: CheckTx of block k+1 while block k executes; one block of backlog re-checked per commit",
    txsPerSec: Math.round(txsPerSec),
    secpVerifiesPerSecNode: Math.round(nodeVps),
    secpVerifiesPerSecNoble: Math.round(nobleVps),
    ratioTxsToNodeVerifies: round(ratioToNode, 3),
    targetRatio: 0.75,
    meetsTarget: ratioToNode >= 0.75,
    ratioNodeToNobleVerifies: ratio(nodeVps, nobleVps, 2),
    perTxMicros: {
      total: perTxMicros((r) => r.totalMs),
      checkTxNew: perTxMicros((r) => r.checkTxMs),
      finalizeBlock: perTxMicros((r) => r.finalizeBlockMs),
      commit: perTxMicros((r) => r.commitMs),
      mempoolUpdateAndRecheck: perTxMicros((r) => r.recheckMs),
      nodeVerifyAlone: round(1e6 / nodeVps, 1),
    },
    rechecksPerRound: rounds[0]?.rechecks,
    // From the profile: verification should appear in CheckTx (new) only, the cache serving block execution
    // and recheck.
    sigVerifyMicrosPerTxByPhase: Object.fromEntries(Object.entries(profile.byPhase).map(([phase, stages]) => [phase, stages.sigVerify ?? 0])),
    backlogSchedule: {
      note: "one round: CheckTx of all txs first, then the blocks (every waiting tx re-checked after each commit)",
      txsPerSec: Math.round(backlog.txsPerSec),
      ratioTxsToNodeVerifies: round(backlog.txsPerSec / backlog.nodeVerifiesPerSec, 3),
      rechecks: backlog.rechecks,
      perTxMicros: {
        total: round((backlog.totalMs * 1000) / txs.length, 1),
        checkTxNew: round((backlog.checkTxMs * 1000) / txs.length, 1),
        finalizeBlock: round((backlog.finalizeBlockMs * 1000) / txs.length, 1),
        mempoolUpdateAndRecheck: round((backlog.recheckMs * 1000) / txs.length, 1),
      },
    },
    perRound: rounds.map((r) => ({
      txsPerSec: Math.round(r.txsPerSec),
      nodeVerifiesPerSec: Math.round(r.nodeVerifiesPerSec),
      nobleVerifiesPerSec: Math.round(r.nobleVerifiesPerSec),
      ratio: round(r.txsPerSec / r.nodeVerifiesPerSec, 3),
      checkTxMs: round(r.checkTxMs, 1),
      finalizeBlockMs: round(r.finalizeBlockMs, 1),
      commitMs: round(r.commitMs, 1),
      recheckMs: round(r.recheckMs, 1),
    })),
    profile: {
      note: "one extra round under the V8 sampling profiler (100 us; adds overhead); all figures in microseconds per tx",
      wallMs: round(profileWallMs, 0),
      stages: STAGES,
      ...profile,
    },
    signingMsPerTx: round(signMs / txs.length, 2),
  };
}
