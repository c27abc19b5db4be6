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
import { loadValidatorKey, type ValidatorKey } from "./privval/validatorKey.js";
import { loadOrCreateNodeKey } from "./nodeKey.js";
import { homePaths } from "./home.js";
import { NodeDb } from "./storage/db.js";
import { Bucket } from "./storage/buckets.js";
import { BlockStore } from "./storage/blockStore.js";
import { TxIndex } from "./storage/txIndex.js";
import { loadState, putStateChanges } from "./storage/stateStore.js";
import { Mempool } from "./mempool/mempool.js";
import { NodeEventBus } from "./events.js";
import { BlockExecutor } from "./chain/executor.js";
import { SoloProducer } from "./chain/soloProducer.js";
import { createNodeBackend } from "./nodeBackend.js";
import { startRpcServer, type RpcServer } from "./rpc/server.js";
import { createLogger, type Logger } from "./logger.js";
import { APP_PROTOCOL_VERSION } from "./chain/soloProducer.js";

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
    private readonly producer: SoloProducer,
    private readonly db: NodeDb,
    private readonly log: Logger,
  ) {}

  static async start(opts: NodeStartOptions): Promise<VannaNode> {
    const log = opts.logger ?? createLogger();
    const paths = homePaths(opts.home);
    mkdirSync(paths.dataDir, { recursive: true });
    const genesis = loadGenesis(paths.genesis);
    const key = loadValidatorKey(paths.validatorKey);
    const nodeKey = loadOrCreateNodeKey(paths.nodeKey);
    const config = opts.config;
    const minGasPrices = parseMinGasPrices(config.minGasPrices);
    const db = await NodeDb.open(paths.db);
    try {
      const blocks = new BlockStore(db);
      const app = await restoreApp(db, blocks, genesis, minGasPrices, config, log);
      const validators: Validator[] = genesis.validators.map((v) => ({
        address: v.address,
        pubKeyEd25519: v.pubKeyEd25519,
        votingPower: v.power,
        proposerPriority: 0n,
        name: v.name,
      }));
      const self = validators.find((v) => Buffer.from(v.address).equals(Buffer.from(key.address))) ?? {
        address: key.address,
        pubKeyEd25519: key.pubKey,
        votingPower: 0n,
        proposerPriority: 0n,
      };
      const mempool = new Mempool(app, config.mempool);
      const events = new NodeEventBus(log.child("events"));
      const txIndex = new TxIndex(db, blocks);
      const onFatal = opts.onFatal ?? ((err: unknown) => {
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
        ...(config.checkInvariants ? { checkInvariants: () => app.checkInvariants() } : {}),
      });
      const producer = new SoloProducer(
        { chainId: genesis.chainId, initialHeight: genesis.initialHeight, blockTimeMs: config.consensus.blockTimeMs, consensusParams: genesis.consensusParams, validators, key },
        { app, blocks, mempool, executor, log: log.child("producer"), onFatal },
      );
      const backend = createNodeBackend({
        app,
        blocks,
        txIndex,
        mempool,
        events,
        genesis,
        validators,
        self,
        catchingUp: () => false,
        nodeInfo: {
          nodeId: nodeKey.nodeId,
          moniker: config.moniker,
          chainId: genesis.chainId,
          listenAddr: `tcp://${config.p2p.host}:${config.p2p.port}`,
          rpcAddr: `tcp://${config.rpc.host}:${config.rpc.port}`,
          appVersion: APP_PROTOCOL_VERSION,
          txIndexEnabled: true,
        },
      });
      const rpc = await startRpcServer(
        { host: config.rpc.host, port: config.rpc.port, maxBodyBytes: config.rpc.maxBodyBytes, maxConnections: config.rpc.maxConnections },
        backend,
      );
      producer.start();
      log.info("node started", { chainId: genesis.chainId, height: blocks.head()?.height ?? 0n, rpc: `http://${config.rpc.host}:${rpc.port}` });
      return new VannaNode(genesis, app, blocks, mempool, rpc, producer, db, log);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.producer.stop();
    await this.rpc.close();
    await this.db.close();
    this.log.info("node stopped");
  }
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
): Promise<BaseApp> {
  const appOptions = { chainId: genesis.chainId, minGasPrices, maxTxBytes: config.mempool.maxTxBytes };
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
  const store = RootStore.restore(await loadState(db), height);
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
