/**
 * Composition root of a node: opens the database, restores (or initialises) the application state, and starts
 * the mempool, block production and RPC. `close()` stops them in reverse order.
 */
import { mkdirSync } from "node:fs";
import type { BaseApp } from "../src/app/baseApp.js";
import { RootStore } from "../src/store/index.js";
import { createVannaApp } from "../modules/app.js";
import type { Validator } from "../src/types/block.js";
import { loadGenesis, type GenesisDoc } from "./config/genesis.js";
import { parseMinGasPrices, type NodeConfig } from "./config/nodeConfig.js";
import { loadOrCreateNodeKey } from "./nodeKey.js";
import { homePaths } from "./home.js";
import { NodeDb } from "./storage/db.js";
import { Bucket } from "./storage/buckets.js";
import { BlockStore } from "./storage/blockStore.js";
import { TxIndex } from "./storage/txIndex.js";
import { putStateChanges } from "./storage/stateStore.js";
import { Mempool, MempoolError } from "./mempool/mempool.js";
import { NodeEventBus } from "./events.js";
import { BlockExecutor } from "./chain/executor.js";
import { createNodeBackend } from "./nodeBackend.js";
import { startRpcServer, type RpcServer } from "./rpc/server.js";
import { createLogger, type Logger } from "./logger.js";
import { ValidatorSet } from "../src/chain/validatorSet.js";
import type { WalRecord } from "../src/codec/index.js";
import { APP_PROTOCOL_VERSION, commitVotes } from "./consensus/blockRules.js";
import { ConsensusState, type ConsensusDeps, type ConsensusInput } from "./consensus/state.js";
import { ConsensusReactor } from "./consensus/reactor.js";
import { EvidencePool } from "./consensus/evidencePool.js";
import { createChainView } from "./consensus/chainView.js";
import { RealTicker } from "./consensus/ticker.js";
import type { ConsensusTimeouts } from "./consensus/types.js";
import { Wal, readAfterEndHeight } from "./consensus/wal.js";
import { FilePrivValidator } from "./privval/filePV.js";
import { createP2PNetwork } from "./p2p/libp2pNetwork.js";
import type { P2PNetwork } from "./p2p/types.js";
import { BlockSync } from "./sync/blockSync.js";
import { nowNs } from "./util/time.js";
import { parseOracleSource, type FeederSource } from "./oracle/index.js";

const GENESIS_DONE = new TextEncoder().encode("genesis-initialized");

export interface NodeStartOptions {
  home: string;
  config: NodeConfig;
  logger?: Logger;
  /** Called when the node must stop (a broken invariant, a failed disk write). */
  onFatal?: (err: unknown) => void;
}

export class VannaNode {
  private constructor(
    readonly genesis: GenesisDoc,
    readonly app: BaseApp,
    readonly blocks: BlockStore,
    readonly mempool: Mempool,
    readonly rpc: RpcServer,
    readonly p2p: P2PNetwork,
    readonly consensus: ConsensusState,
    private readonly services: { reactor: ConsensusReactor; sync: BlockSync; wal: Wal },
    private readonly db: NodeDb,
    private readonly log: Logger,
  ) {}

  static async start(opts: NodeStartOptions): Promise<VannaNode> {
    const log = opts.logger ?? createLogger();
    const paths = homePaths(opts.home);
    mkdirSync(paths.dataDir, { recursive: true });
    const genesis = loadGenesis(paths.genesis);
    const privval = FilePrivValidator.load(paths.validatorKey, paths.privvalState);
    const nodeKey = loadOrCreateNodeKey(paths.nodeKey);
    const config = opts.config;
    const minGasPrices = parseMinGasPrices(config.minGasPrices);
    const db = await NodeDb.open(paths.db);
    const cleanup: Array<() => Promise<void>> = [() => db.close()];
    try {
      const blocks = new BlockStore(db);
      const oracleLog = log.child("oracle");
      const oracleSource = parseOracleSource(config.oracle.source, {
        validatorAddress: privval.address,
        baseDir: opts.home,
        onError: (problem) => oracleLog.warn("price feed unavailable: precommitting without an observation", { problem }),
        onRecovered: () => oracleLog.info("price feed available again"),
      });
      refuseIfSignStateLost(privval, blocks, paths.privvalState);
      const app = await restoreApp(db, blocks, genesis, minGasPrices, config, log, oracleSource);
      const validatorList: Validator[] = genesis.validators.map((v) => ({ address: v.address, pubKeyEd25519: v.pubKeyEd25519, votingPower: v.power, proposerPriority: 0n, name: v.name }));
      const valSet = new ValidatorSet(validatorList);
      const isValidator = valSet.indexOf(privval.address) !== undefined;
      const self = valSet.validators.find((v) => Buffer.from(v.address).equals(Buffer.from(privval.address))) ?? {
        address: privval.address,
        pubKeyEd25519: privval.pubKey,
        votingPower: 0n,
        proposerPriority: 0n,
      };
      const evidence = new EvidencePool(genesis.chainId, valSet, genesis.consensusParams.evidenceMaxAgeNumBlocks, {
        isCommitted: (key) => db.getSync(Bucket.EVIDENCE, key) !== undefined,
      });
      const mempool = new Mempool(app, config.mempool);
      const events = new NodeEventBus(log.child("events"));
      const txIndex = new TxIndex(db, blocks);
      const onFatal =
        opts.onFatal ??
        ((err: unknown) => {
          log.error("fatal error: stopping", {}, err);
          process.exit(1);
        });
      const executor = new BlockExecutor({
        app,
        db,
        blocks,
        txIndex,
        mempool,
        events,
        log: log.child("chain"),
        evidenceKeys: (block) => block.evidence.map((e) => EvidencePool.keyOf(e)),
        onCommitted: (block) => evidence.markCommitted(block.evidence),
        commitVotes: (block) => commitVotes(valSet, block.lastCommit),
        ...(config.checkInvariants ? { checkInvariants: () => app.checkInvariants() } : {}),
      });

      const wal = await Wal.open(paths.wal);
      cleanup.unshift(() => wal.close());
      const headHeight = blocks.head()?.height ?? genesis.initialHeight - 1n;
      const replay = (await readAfterEndHeight(paths.wal, headHeight))
        .filter((r): r is Extract<WalRecord, { kind: "message" }> => r.kind === "message")
        .map((r): ConsensusInput => ({ kind: "message", message: r.message, from: "wal" }));

      const p2p = createP2PNetwork(
        { chainId: genesis.chainId, nodeKeySeed: nodeKey.seed, listenHost: config.p2p.host, listenPort: config.p2p.port, persistentPeers: config.p2p.persistentPeers },
        log.child("p2p"),
      );
      let reactor: ConsensusReactor | undefined;
      let sync: BlockSync | undefined;
      const consensus = new ConsensusState({
        rules: {
          chainId: genesis.chainId,
          initialHeight: genesis.initialHeight,
          genesisTimeNs: genesis.genesisTimeNs,
          params: genesis.consensusParams,
          validators: valSet,
          app,
          evidence,
        },
        chain: createChainView(blocks, app, genesis.initialHeight, genesis.genesisTimeNs),
        // While catching up, blocks are not fsynced one by one: a lost tail is fetched again after a crash.
        sink: { applyBlock: (block, commit) => executor.applyBlock(block, commit, { sync: !(sync?.catchingUp() ?? false) }) },
        txs: mempool,
        ticker: new RealTicker(),
        clockNs: nowNs,
        broadcast: (m) => reactor?.broadcast(m),
        timeouts: consensusTimeouts(config),
        log: log.child("consensus"),
        ...(isValidator ? { signer: privval } : {}),
        wal: walAdapter(wal),
        maxBlockBytes: Number(genesis.consensusParams.blockMaxBytes) - 64 * 1024,
        maxBlockGas: genesis.consensusParams.blockMaxGas,
        onFatal,
      });
      reactor = new ConsensusReactor(p2p, consensus, evidence, log.child("reactor"), { regossipIntervalMs: Math.max(500, config.consensus.prevoteMs) });
      sync = new BlockSync(p2p, blocks, consensus, log.child("sync"));
      wireMempoolGossip(mempool, p2p, consensus, log);

      const backend = createNodeBackend({
        app,
        blocks,
        txIndex,
        mempool,
        events,
        genesis,
        validators: valSet.validators as Validator[],
        self,
        catchingUp: () => sync?.catchingUp() ?? false,
        nodeInfo: {
          nodeId: nodeKey.nodeId,
          moniker: config.moniker,
          chainId: genesis.chainId,
          listenAddr: `tcp://${config.p2p.host}:${config.p2p.port}`,
          rpcAddr: `tcp://${config.rpc.host}:${config.rpc.port}`,
          appVersion: APP_PROTOCOL_VERSION,
          txIndexEnabled: true,
        },
        p2p,
        consensus,
        unsafeRpc: config.rpc.unsafe,
        durable: () => executor.durable(),
      });
      await p2p.start();
      cleanup.unshift(() => p2p.stop());
      reactor.start();
      sync.start();
      consensus.start(replay);
      const rpc = await startRpcServer(
        { host: config.rpc.host, port: config.rpc.port, maxBodyBytes: config.rpc.maxBodyBytes, maxConnections: config.rpc.maxConnections },
        backend,
      );
      log.info("node started", {
        chainId: genesis.chainId,
        height: blocks.head()?.height ?? 0n,
        validator: isValidator,
        rpc: `http://${config.rpc.host}:${rpc.port}`,
        p2p: p2p.listenAddrs()[0] ?? "",
        replayed: replay.length,
      });
      return new VannaNode(genesis, app, blocks, mempool, rpc, p2p, consensus, { reactor, sync, wal }, db, log);
    } catch (err) {
      for (const c of cleanup) await c().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.consensus.stop();
    this.services.reactor.stop();
    this.services.sync.stop();
    await this.rpc.close();
    await this.p2p.stop();
    await this.consensus.idle();
    await this.services.wal.close();
    await this.db.close();
    this.log.info("node stopped");
  }
}

/**
 * A validator whose last-sign state was lost (file deleted, home restored from an old copy) could sign twice at a
 * height it already signed. If the state file had to be created but the chain already holds this validator's
 * signatures in its recent commits, refuse to start (CometBFT's double_sign_check_height idea).
 */
function refuseIfSignStateLost(privval: FilePrivValidator, blocks: BlockStore, statePath: string): void {
  const head = blocks.head();
  if (!privval.createdStateFile || head === undefined) return;
  const me = Buffer.from(privval.address);
  const from = head.height > 20n ? head.height - 20n : 1n;
  for (let h = head.height; h >= from; h--) {
    const signed = blocks.commit(h)?.signatures.some((s) => s.blockIdFlag !== 1 && me.equals(Buffer.from(s.validatorAddress)));
    if (signed) {
      throw new Error(
        `${statePath} was missing, but this validator signed block ${h}: starting could double-sign. Restore the state file from a backup (or, if you are sure no vote at height ${head.height + 1n} was signed, write one for height ${head.height})`,
      );
    }
  }
}

function consensusTimeouts(config: NodeConfig): ConsensusTimeouts {
  const c = config.consensus;
  return {
    proposeMs: c.proposeMs,
    proposeDeltaMs: c.proposeDeltaMs,
    prevoteMs: c.prevoteMs,
    prevoteDeltaMs: c.prevoteDeltaMs,
    precommitMs: c.precommitMs,
    precommitDeltaMs: c.precommitDeltaMs,
    commitMs: c.commitMs,
    emptyBlockIntervalMs: c.blockTimeMs,
  };
}

/** Maps consensus inputs onto WAL records; own messages are synced before they leave the node. */
function walAdapter(wal: Wal): NonNullable<ConsensusDeps["wal"]> {
  const toRecord = (input: ConsensusInput): WalRecord | undefined => {
    if (input.kind === "message") return input.from === "wal" ? undefined : { kind: "message", message: input.message };
    if (input.kind === "timeout") {
      const t = input.timeout;
      return { kind: "timeout", height: t.height, round: t.round, step: t.step, durationMs: BigInt(t.durationMs) };
    }
    return undefined;
  };
  return {
    write: (input) => {
      const r = toRecord(input);
      if (r !== undefined) wal.write(r);
    },
    writeSync: async (input) => {
      const r = toRecord(input);
      if (r !== undefined) await wal.writeSync(r);
    },
    endHeight: async (height, sync) => {
      if (sync) await wal.writeSync({ kind: "endHeight", height });
      else wal.write({ kind: "endHeight", height });
    },
  };
}

/**
 * Txs accepted from RPC are gossiped; txs from peers enter the mempool through CheckTx (the verdict scores the
 * peer); any new tx wakes a proposer that waits for txs.
 */
function wireMempoolGossip(mempool: Mempool, p2p: P2PNetwork, consensus: ConsensusState, log: Logger): void {
  mempool.onAdd((entry, source) => {
    consensus.enqueue({ kind: "txsAvailable" });
    if (source === "rpc") p2p.publish("tx", entry.tx).catch((err: unknown) => log.debug("tx gossip failed", { err: (err as Error).message }));
  });
  p2p.onGossip("tx", (tx) => {
    try {
      const { result } = mempool.add(tx, "peer");
      // A tx that fails CheckTx here may just be out of date for us (sequence); only undecodable bytes are spam.
      return result.code === 0 ? "accept" : result.code === 2 ? "reject" : "ignore";
    } catch (err) {
      if (err instanceof MempoolError) return err.kind === "txTooLarge" ? "reject" : "ignore";
      return "ignore";
    }
  });
}

/**
 * Loads committed state from disk and checks it against the stored head: the app hash recomputed from the
 * state must equal the one recorded with the last block, or the node refuses to start.
 */
export async function restoreApp(
  db: NodeDb,
  blocks: BlockStore,
  genesis: GenesisDoc,
  minGasPrices: ReturnType<typeof parseMinGasPrices>,
  config: NodeConfig,
  log: Logger,
  oracleSource?: FeederSource,
): Promise<BaseApp> {
  const appOptions = {
    chainId: genesis.chainId,
    minGasPrices,
    maxTxBytes: config.mempool.maxTxBytes,
    ...(oracleSource === undefined ? {} : { oracleSource }),
    onOracleError: (err: unknown) => log.child("oracle").warn("price feeder failed: precommitting without an observation", { err: (err as Error).message }),
  };
  const head = blocks.head();
  if (db.getSync(Bucket.META, GENESIS_DONE) === undefined) {
    const app = createVannaApp(appOptions);
    app.initChain({
      chainId: genesis.chainId,
      genesisTimeNs: genesis.genesisTimeNs,
      initialHeight: genesis.initialHeight,
      appState: genesis.appState,
      validators: [],
    });
    const committed = app.commit();
    const batch = db.batch();
    putStateChanges(batch, committed.changes);
    batch.put(Bucket.META, GENESIS_DONE, committed.appHash);
    await batch.write({ sync: true });
    log.info("initialised genesis state", { appHash: committed.appHash });
    return app;
  }
  const height = head?.height ?? genesis.initialHeight - 1n;
  // Stream the state into the store (no intermediate array of every entry).
  const builder = RootStore.builder();
  for await (const chunk of db.iterateChunks(Bucket.STATE)) for (const [key, value] of chunk) builder.add(key, value);
  const store = builder.finish(height);
  const app = createVannaApp(appOptions, { store, lastBlockTimeNs: head?.timeNs ?? genesis.genesisTimeNs });
  const expected = head?.appHash ?? db.getSync(Bucket.META, GENESIS_DONE)!;
  const actual = app.info().lastBlockAppHash;
  if (!Buffer.from(actual).equals(Buffer.from(expected))) {
    throw new Error(
      `state on disk does not match the chain head at height ${height}: app hash ${Buffer.from(actual).toString("hex")} != ${Buffer.from(expected).toString("hex")}`,
    );
  }
  log.info("restored state", { height, appHash: actual });
  return app;
}

/**
 * The chain's current state as a genesis document (`vanna export`): every module's export, the same chain id
 * and validators, and an initial height one above the last block. The node must not be running.
 */
export async function exportGenesis(home: string, config: NodeConfig, log: Logger): Promise<Record<string, unknown>> {
  const paths = homePaths(home);
  const genesis = loadGenesis(paths.genesis);
  const db = await NodeDb.open(paths.db);
  try {
    const blocks = new BlockStore(db);
    const app = await restoreApp(db, blocks, genesis, parseMinGasPrices(config.minGasPrices), config, log);
    const head = blocks.head();
    return {
      ...genesis.json,
      initial_height: ((head?.height ?? genesis.initialHeight - 1n) + 1n).toString(),
      app_state: app.exportAppState(),
    };
  } finally {
    await db.close();
  }
}
