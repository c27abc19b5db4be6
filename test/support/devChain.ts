/**
 * Test helpers for an in-process chain: a BaseApp with the dev accounts funded, blocks produced by hand, and
 * txs signed by the real cosmjs signer (SIGN_MODE_DIRECT), exactly as a wallet would.
 */
import { DirectSecp256k1HdWallet, type EncodeObject } from "@cosmjs/proto-signing";
import { SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { createVannaApp } from "../../modules/app.js";
import type { BaseApp } from "../../src/app/baseApp.js";
import { parseDec } from "../../src/math/decimal.js";
import { buildAppState, devFunding } from "../../node/config/appState.js";
import { DEV_MNEMONIC } from "../../node/config/devAccounts.js";
import type { Header } from "../../src/types/block.js";
import type { FinalizeBlockResult } from "../../src/app/application.js";
import type { StoreChange } from "../../src/store/types.js";

export const TEST_CHAIN_ID = "vanna-test-1";
export const GENESIS_TIME_NS = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z

export interface DevWallet {
  wallet: DirectSecp256k1HdWallet;
  addresses: string[];
  signer: SigningStargateClient;
}

let cachedWallet: Promise<DevWallet> | undefined;

export function devWallet(count = 4): Promise<DevWallet> {
  cachedWallet ??= (async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(DEV_MNEMONIC, {
      prefix: "vanna",
      hdPaths: Array.from({ length: count }, (_, i) => makeCosmoshubPath(i)),
    });
    const addresses = (await wallet.getAccounts()).map((a) => a.address);
    return { wallet, addresses, signer: await SigningStargateClient.offline(wallet) };
  })();
  return cachedWallet;
}

export function testAppOptions(minGasPrice = "0.0025") {
  return { chainId: TEST_CHAIN_ID, minGasPrices: [{ denom: "uvanna", amount: parseDec(minGasPrice)! }] };
}

export function newTestApp(addresses: readonly string[], minGasPrice = "0.0025"): BaseApp {
  return newTestAppWithGenesis(addresses, minGasPrice).app;
}

/** Also returns the genesis writes, which a node persists before the first block. */
export function newTestAppWithGenesis(addresses: readonly string[], minGasPrice = "0.0025"): { app: BaseApp; genesisChanges: StoreChange[] } {
  const app = createVannaApp(testAppOptions(minGasPrice));
  app.initChain({
    chainId: TEST_CHAIN_ID,
    genesisTimeNs: GENESIS_TIME_NS,
    initialHeight: 1n,
    appState: buildAppState(devFunding(addresses)),
    validators: [],
  });
  return { app, genesisChanges: app.commit().changes };
}

export function header(height: bigint, timeNs = GENESIS_TIME_NS + height * 1_000_000_000n, chainId = TEST_CHAIN_ID): Header {
  const empty = new Uint8Array();
  return {
    versionBlock: 11n,
    versionApp: 1n,
    chainId,
    height,
    timeNs,
    lastBlockId: undefined,
    lastCommitHash: empty,
    dataHash: empty,
    validatorsHash: empty,
    nextValidatorsHash: empty,
    consensusHash: empty,
    appHash: empty,
    lastResultsHash: empty,
    evidenceHash: empty,
    proposerAddress: new Uint8Array(20),
  };
}

/** Executes and commits one block of txs. */
export function runBlock(app: BaseApp, txs: Uint8Array[]): FinalizeBlockResult {
  const height = app.info().lastBlockHeight + 1n;
  const result = app.finalizeBlock({ header: header(height), txs });
  app.commit();
  return result;
}

export const DEFAULT_FEE: StdFee = { amount: [{ denom: "uvanna", amount: "500" }], gas: "200000" };

export interface SignOptions {
  accountNumber: number;
  sequence: number;
  chainId?: string;
  fee?: StdFee;
  memo?: string;
}

export async function signTx(from: string, msgs: EncodeObject[], o: SignOptions): Promise<Uint8Array> {
  const { signer } = await devWallet();
  const raw = await signer.sign(from, msgs, o.fee ?? DEFAULT_FEE, o.memo ?? "", {
    accountNumber: BigInt(o.accountNumber),
    sequence: o.sequence,
    chainId: o.chainId ?? TEST_CHAIN_ID,
  });
  return TxRaw.encode(raw).finish();
}

export function msgSend(from: string, to: string, amount: Array<{ denom: string; amount: string }>): EncodeObject {
  return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: from, toAddress: to, amount } };
}
