/**
 * x/subaccounts through the real application: a BaseApp composed as modules/app.ts composes it (auth, bank,
 * ante chain) plus the subaccounts module, driven by txs the real cosmjs signer signs (SIGN_MODE_DIRECT) with
 * our message types in its registry. Every block is followed by the app's invariant check.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { BaseApp } from "../../src/app/baseApp.js";
import { SignatureCache } from "../../src/app/sigCache.js";
import type { Codec } from "../../src/codec/index.js";
import { TxMsgData } from "../../src/codec/index.js";
import { ACCOUNT_PREFIX, moduleAddress, toBech32Address } from "../../src/crypto/address.js";
import type { TxResult } from "../../src/app/application.js";
import { createAnteHandler, createAuthModule } from "../../modules/auth/index.js";
import { createBankModule } from "../../modules/bank/index.js";
import { APP_SEMVER, APP_VERSION, DEFAULT_MAX_BLOCK_GAS, DEFAULT_MAX_MSGS_PER_TX, DEFAULT_MAX_TX_BYTES, FEE_DENOM } from "../../modules/app.js";
import { createSubaccountsModule, SubaccountsCodec as C } from "../../modules/subaccounts/index.js";
import { buildAppState, devFunding } from "../../node/config/appState.js";
import { createVannaRegistry } from "../../node/client/index.js";
import { DEV_USDC_MICRO } from "../../node/config/devAccounts.js";
import { DEFAULT_FEE, devWallet, GENESIS_TIME_NS, header, msgSend, TEST_CHAIN_ID, testAppOptions } from "../support/devChain.js";
import { accountOf, balanceOf } from "../support/queries.js";

// ---- the app, composed as modules/app.ts does, with subaccounts added ----

function createApp(): BaseApp {
  const opts = testAppOptions();
  const auth = createAuthModule();
  const bank = createBankModule(auth.keeper);
  const subaccounts = createSubaccountsModule({ accounts: auth.keeper, bank: bank.keeper });
  const ante = createAnteHandler({
    auth: auth.keeper,
    bank: bank.keeper,
    sigCache: new SignatureCache(),
    minGasPrices: () => opts.minGasPrices,
    maxBlockGas: DEFAULT_MAX_BLOCK_GAS,
    feeDenom: FEE_DENOM,
  });
  return new BaseApp({
    chainId: opts.chainId,
    modules: [auth.module, bank.module, subaccounts.module],
    ante,
    limits: { maxTxBytes: DEFAULT_MAX_TX_BYTES, maxMsgsPerTx: DEFAULT_MAX_MSGS_PER_TX },
    appVersion: APP_VERSION,
    version: APP_SEMVER,
    minGasPrices: opts.minGasPrices,
  });
}

function newApp(appState: Record<string, unknown>): BaseApp {
  const app = createApp();
  app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState, validators: [] });
  app.commit();
  expect(app.checkInvariants()).toEqual([]);
  return app;
}

/** Executes and commits one block, then checks every module's invariants on the committed state. */
function block(app: BaseApp, txs: Uint8Array[]): TxResult[] {
  const height = app.info().lastBlockHeight + 1n;
  const result = app.finalizeBlock({ header: header(height), txs });
  app.commit();
  expect(app.checkInvariants()).toEqual([]);
  return result.txResults;
}

// ---- cosmjs signing with our message types ----

// The registry traders use (vanna/client): cosmjs's default types plus every Vanna Msg over our codecs.
const registry = createVannaRegistry();
let signer: SigningStargateClient;
let addrs: string[];

beforeAll(async () => {
  const dev = await devWallet();
  addrs = dev.addresses;
  signer = await SigningStargateClient.offline(dev.wallet, { registry });
});

async function sign(app: BaseApp, from: string, msgs: EncodeObject[], fee = DEFAULT_FEE): Promise<Uint8Array> {
  const account = accountOf(app, from)!;
  const raw = await signer.sign(from, msgs, fee, "", { accountNumber: account.accountNumber, sequence: Number(account.sequence), chainId: TEST_CHAIN_ID });
  return TxRaw.encode(raw).finish();
}

const usdc = (amount: bigint | string, denom = "uusdc") => ({ denom, amount: amount.toString() });
const deposit = (sender: string, subaccountNumber: number, amount: { denom: string; amount: string }): EncodeObject => ({
  typeUrl: C.MsgDeposit.typeUrl,
  value: { sender, subaccountNumber, amount },
});
const withdraw = (sender: string, subaccountNumber: number, amount: { denom: string; amount: string }, recipient = ""): EncodeObject => ({
  typeUrl: C.MsgWithdraw.typeUrl,
  value: { sender, subaccountNumber, amount, recipient },
});
const transfer = (sender: string, fromNumber: number, toNumber: number, amount: { denom: string; amount: string }): EncodeObject => ({
  typeUrl: C.MsgTransfer.typeUrl,
  value: { sender, fromNumber, toNumber, amount },
});

// ---- reads through the app's query path ----

function query<Req, Res>(app: BaseApp, method: string, req: Codec<Req>, res: Codec<Res>, value: Req): Res {
  const r = app.query({ path: `/vanna.subaccounts.v1.Query/${method}`, data: req.encode(value), height: 0n, prove: false });
  if (r.code !== 0) throw new Error(`${method} query failed (${r.code}): ${r.log}`);
  return res.decode(r.value);
}

function collateral(app: BaseApp, owner: string, number: number): bigint {
  const s = query(app, "Subaccount", C.QuerySubaccountRequest, C.QuerySubaccountResponse, { owner, number }).subaccount!;
  expect(s.id).toEqual({ owner, number });
  return BigInt(s.quoteMicroUsdc);
}

const MODULE = toBech32Address(ACCOUNT_PREFIX, moduleAddress("subaccounts"));

/** Everything a subaccount message could touch, apart from the fee and sequence. */
function economicState(app: BaseApp) {
  return {
    usdc: addrs.map((a) => balanceOf(app, a, "uusdc")),
    module: balanceOf(app, MODULE, "uusdc"),
    subaccounts: addrs.map((a) => query(app, "Subaccounts", C.QuerySubaccountsRequest, C.QuerySubaccountsResponse, { owner: a, pagination: undefined }).subaccounts),
  };
}

// ---- tests ----

describe("subaccounts through the app: deposit, withdraw, transfer", () => {
  let app: BaseApp;
  let a: string;
  let b: string;

  beforeAll(() => {
    app = newApp(buildAppState(devFunding(addrs)));
    [a, b] = [addrs[0]!, addrs[1]!];
  });

  it("creates the module account at genesis, so plain bank sends to it (donations) are refused", async () => {
    const res = app.query({ path: "/cosmos.auth.v1beta1.Query/ModuleAccountByName", data: new Uint8Array([0x0a, 11, ...new TextEncoder().encode("subaccounts")]), height: 0n, prove: false });
    expect(res.code, res.log).toBe(0);
    const [r] = block(app, [await sign(app, a, [msgSend(a, MODULE, [usdc(1n)])])]);
    expect([r!.code, r!.log]).toEqual([4, expect.stringMatching(/is not allowed to receive funds/)]);
    expect(balanceOf(app, MODULE, "uusdc")).toBe(0n);
  });

  it("deposit moves uusdc from the bank balance into the subaccount and the module account", async () => {
    const tx = await sign(app, a, [deposit(a, 0, usdc(5_000_000n))]);
    expect(app.checkTx(tx, "new").code).toBe(0);
    const [r] = block(app, [tx]);
    expect(r!.code, r!.log).toBe(0);
    expect(r!.gasUsed).toBeLessThan(150_000n); // well inside the default 200000 gas of a wallet's fee
    expect(balanceOf(app, a, "uusdc")).toBe(DEV_USDC_MICRO - 5_000_000n);
    expect(balanceOf(app, MODULE, "uusdc")).toBe(5_000_000n);
    expect(collateral(app, a, 0)).toBe(5_000_000n);
    // The response carries the new collateral; the events are Cosmos-shaped.
    const data = TxMsgData.decode(r!.data);
    expect(data.msgResponses[0]!.typeUrl).toBe("/vanna.subaccounts.v1.MsgDepositResponse");
    expect(C.MsgDepositResponse.decode(data.msgResponses[0]!.value).quoteMicroUsdc).toBe("5000000");
    const ev = r!.events.find((e) => e.type === "deposit")!;
    expect(Object.fromEntries(ev.attributes.map((x) => [x.key, x.value]))).toEqual({ sender: a, subaccount_number: "0", amount: "5000000uusdc", msg_index: "0" });
    const message = r!.events.find((e) => e.type === "message" && e.attributes.some((x) => x.key === "module"))!;
    expect(message.attributes.find((x) => x.key === "module")!.value).toBe("subaccounts");
    expect(r!.events.map((e) => e.type)).toEqual(expect.arrayContaining(["coin_spent", "coin_received", "transfer"]));
  });

  it("withdraw pays the sender by default, or another recipient", async () => {
    const [r1] = block(app, [await sign(app, a, [withdraw(a, 0, usdc(1_000_000n))])]);
    expect(r1!.code, r1!.log).toBe(0);
    expect(balanceOf(app, a, "uusdc")).toBe(DEV_USDC_MICRO - 4_000_000n);
    expect(collateral(app, a, 0)).toBe(4_000_000n);
    const ev = r1!.events.find((e) => e.type === "withdraw")!;
    expect(Object.fromEntries(ev.attributes.map((x) => [x.key, x.value]))).toMatchObject({ sender: a, recipient: a, subaccount_number: "0", amount: "1000000uusdc" });

    const bBefore = balanceOf(app, b, "uusdc");
    const [r2] = block(app, [await sign(app, a, [withdraw(a, 0, usdc(250_000n), b)])]);
    expect(r2!.code, r2!.log).toBe(0);
    expect(balanceOf(app, b, "uusdc")).toBe(bBefore + 250_000n);
    expect(balanceOf(app, a, "uusdc")).toBe(DEV_USDC_MICRO - 4_000_000n);
    expect(collateral(app, a, 0)).toBe(3_750_000n);
    expect(balanceOf(app, MODULE, "uusdc")).toBe(3_750_000n);
  });

  it("withdraws the whole collateral (no positions, no margin requirement) and the subaccount disappears", async () => {
    const [r0] = block(app, [await sign(app, b, [deposit(b, 9, usdc(10n))])]);
    expect(r0!.code, r0!.log).toBe(0);
    const [r] = block(app, [await sign(app, b, [withdraw(b, 9, usdc(10n))])]);
    expect(r!.code, r!.log).toBe(0);
    expect(collateral(app, b, 9)).toBe(0n);
    expect(query(app, "Subaccounts", C.QuerySubaccountsRequest, C.QuerySubaccountsResponse, { owner: b, pagination: undefined }).subaccounts).toEqual([]);
  });

  it("transfer moves collateral between the sender's own subaccounts, and the owner's list pages in number order", async () => {
    const [r] = block(app, [await sign(app, a, [transfer(a, 0, 300, usdc(750_000n)), transfer(a, 0, 2, usdc(1n))])]);
    expect(r!.code, r!.log).toBe(0);
    expect([collateral(app, a, 0), collateral(app, a, 2), collateral(app, a, 300)]).toEqual([2_999_999n, 1n, 750_000n]);
    expect(balanceOf(app, MODULE, "uusdc")).toBe(3_750_000n);
    const ev = r!.events.filter((e) => e.type === "transfer" && e.attributes.some((x) => x.key === "from_subaccount_number"));
    expect(ev.map((e) => Object.fromEntries(e.attributes.map((x) => [x.key, x.value])))).toEqual([
      { sender: a, from_subaccount_number: "0", to_subaccount_number: "300", amount: "750000uusdc", msg_index: "0" },
      { sender: a, from_subaccount_number: "0", to_subaccount_number: "2", amount: "1uusdc", msg_index: "1" },
    ]);
    const page1 = query(app, "Subaccounts", C.QuerySubaccountsRequest, C.QuerySubaccountsResponse, {
      owner: a,
      pagination: { key: new Uint8Array(), offset: 0n, limit: 2n, countTotal: true, reverse: false },
    });
    expect(page1.subaccounts.map((s) => [s.id!.number, s.quoteMicroUsdc])).toEqual([
      [0, "2999999"],
      [2, "1"],
    ]);
    expect(page1.pagination!.total).toBe(3n);
    const page2 = query(app, "Subaccounts", C.QuerySubaccountsRequest, C.QuerySubaccountsResponse, {
      owner: a,
      pagination: { key: page1.pagination!.nextKey, offset: 0n, limit: 2n, countTotal: false, reverse: false },
    });
    expect(page2.subaccounts.map((s) => s.id!.number)).toEqual([300]);
    expect(page2.pagination!.nextKey.length).toBe(0);
  });

  it("answers Positions and Params, and refuses malformed queries", () => {
    expect(query(app, "Positions", C.QueryPositionsRequest, C.QueryPositionsResponse, { owner: a, number: 0, pagination: undefined }).positions).toEqual([]);
    expect(query(app, "Params", C.QueryParamsRequest, C.QueryParamsResponse, {}).params).toEqual({ depositsEnabled: true, withdrawalsEnabled: true });
    const bad = app.query({ path: "/vanna.subaccounts.v1.Query/Subaccount", data: C.QuerySubaccountRequest.encode({ owner: "vanna1nope", number: 0 }), height: 0n, prove: false });
    expect([bad.code, bad.log]).toEqual([18, expect.stringMatching(/InvalidArgument.*invalid owner/)]);
    const range = app.query({ path: "/vanna.subaccounts.v1.Query/Subaccount", data: C.QuerySubaccountRequest.encode({ owner: a, number: 128_000 }), height: 0n, prove: false });
    expect(range.code).toBe(18);
  });

  it("exports a genesis that a new chain imports with the same subaccounts and balances", () => {
    const exported = JSON.parse(JSON.stringify(app.exportAppState())) as Record<string, unknown>;
    const copy = newApp(exported);
    expect(economicState(copy)).toEqual(economicState(app));
    expect((exported.subaccounts as { subaccounts: unknown[] }).subaccounts.length).toBe(3);
  });
});

describe("subaccounts through the app: bad input is refused with a clear code and changes nothing", () => {
  let app: BaseApp;
  let a: string;
  let b: string;

  beforeAll(async () => {
    app = newApp(buildAppState(devFunding(addrs)));
    [a, b] = [addrs[0]!, addrs[1]!];
    const [r1] = block(app, [await sign(app, a, [deposit(a, 0, usdc(1_000n))])]);
    const [r2] = block(app, [await sign(app, b, [deposit(b, 0, usdc(2_000n))])]);
    expect([r1!.code, r2!.code]).toEqual([0, 0]);
  });

  /** Stateless refusal: CheckTx and the block both fail with `code`; nothing is charged, the app hash stays. */
  async function refusedBeforeAnte(msgs: EncodeObject[], codespace: string, code: number, log: RegExp) {
    const tx = await sign(app, a, msgs);
    const hash = Buffer.from(app.info().lastBlockAppHash);
    const check = app.checkTx(tx, "new");
    expect([check.codespace, check.code, check.log]).toEqual([codespace, code, expect.stringMatching(log)]);
    const [r] = block(app, [tx]);
    expect([r!.codespace, r!.code, r!.log]).toEqual([codespace, code, expect.stringMatching(log)]);
    expect(Buffer.from(app.info().lastBlockAppHash).equals(hash)).toBe(true);
  }

  /** Refused while executing: the fee and sequence are charged (as in the SDK), nothing else moves. */
  async function refusedInBlock(from: string, msgs: EncodeObject[], codespace: string, code: number, log: RegExp) {
    const before = economicState(app);
    const seq = accountOf(app, from)!.sequence;
    const [r] = block(app, [await sign(app, from, msgs)]);
    expect([r!.codespace, r!.code, r!.log]).toEqual([codespace, code, expect.stringMatching(log)]);
    expect(economicState(app)).toEqual(before);
    expect(accountOf(app, from)!.sequence).toBe(seq + 1n);
  }

  it("zero, negative and overflowing amounts", async () => {
    for (const m of [deposit(a, 0, usdc("0")), withdraw(a, 0, usdc("0")), transfer(a, 0, 1, usdc("0"))]) await refusedBeforeAnte([m], "sdk", 10, /zero amount of uusdc/);
    for (const m of [deposit(a, 0, usdc("-5")), withdraw(a, 0, usdc("-5")), transfer(a, 0, 1, usdc("-5"))]) await refusedBeforeAnte([m], "sdk", 10, /invalid amount "-5"/);
    await refusedBeforeAnte([deposit(a, 0, usdc("00012"))], "sdk", 10, /invalid amount/);
    await refusedBeforeAnte([deposit(a, 0, usdc((1n << 256n).toString()))], "sdk", 10, /overflows 256 bits/);
    await refusedBeforeAnte([deposit(a, 0, { denom: "uusdc", amount: "" })], "sdk", 10, /invalid amount/);
  });

  it("a missing amount or the wrong denom", async () => {
    await refusedBeforeAnte([{ typeUrl: C.MsgDeposit.typeUrl, value: { sender: a, subaccountNumber: 0 } }], "sdk", 10, /amount is required/);
    await refusedBeforeAnte([deposit(a, 0, usdc(5n, "uvanna"))], "subaccounts", 3, /got "uvanna": invalid collateral denom; only uusdc is accepted/);
    await refusedBeforeAnte([withdraw(a, 0, usdc(5n, "uUSDC"))], "subaccounts", 3, /only uusdc/);
    await refusedBeforeAnte([transfer(a, 0, 1, usdc(5n, "ibc/ABC"))], "subaccounts", 3, /only uusdc/);
  });

  it("bad addresses", async () => {
    await refusedBeforeAnte([deposit("vanna1notanaddress", 0, usdc(5n))], "sdk", 7, /invalid address/);
    await refusedBeforeAnte([withdraw(a, 0, usdc(5n), "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4")], "sdk", 7, /invalid address/);
    await refusedBeforeAnte([withdraw(a, 0, usdc(5n), a.toUpperCase())], "sdk", 7, /invalid address/);
  });

  it("subaccount numbers out of range, and a transfer to the same subaccount", async () => {
    await refusedBeforeAnte([deposit(a, 128_000, usdc(5n))], "subaccounts", 2, /subaccount_number 128000 is above 127999/);
    await refusedBeforeAnte([transfer(a, 0, 4_294_967_295, usdc(5n))], "subaccounts", 2, /to_number/);
    await refusedBeforeAnte([transfer(a, 0, 0, usdc(5n))], "subaccounts", 8, /cannot transfer to the same subaccount/);
  });

  it("someone else's subaccount: a message whose sender did not sign", async () => {
    // a signs a withdrawal from b's subaccount (to a) and a transfer between b's subaccounts.
    for (const m of [withdraw(b, 0, usdc(5n), a), transfer(b, 0, 1, usdc(5n)), deposit(b, 0, usdc(5n))]) {
      const tx = await sign(app, a, [m]);
      const before = economicState(app);
      const check = app.checkTx(tx, "new");
      expect([check.code, check.log]).toEqual([8, expect.stringMatching(/pubKey does not match signer address/)]);
      const [r] = block(app, [tx]);
      expect(r!.code).toBe(8);
      expect(economicState(app)).toEqual(before);
    }
    expect(collateral(app, b, 0)).toBe(2_000n);
  });

  it("more than the collateral", async () => {
    await refusedInBlock(a, [withdraw(a, 0, usdc(1_001n))], "subaccounts", 5, /subaccount vanna1\w+\/0 has 1000uusdc collateral, needs 1001uusdc: insufficient collateral/);
    await refusedInBlock(a, [transfer(a, 0, 1, usdc(1_001n))], "subaccounts", 5, /insufficient collateral/);
    await refusedInBlock(a, [withdraw(a, 7, usdc(1n))], "subaccounts", 5, /has 0uusdc collateral/);
    // A deposit earlier in the same tx is rolled back with the failing withdrawal.
    await refusedInBlock(a, [deposit(a, 0, usdc(500n)), withdraw(a, 0, usdc(1_501n))], "subaccounts", 5, /message index: 1/);
  });

  it("more than the bank balance", async () => {
    await refusedInBlock(a, [deposit(a, 0, usdc(DEV_USDC_MICRO))], "sdk", 5, /spendable balance 999999999000uusdc is smaller than 1000000000000uusdc: insufficient funds/);
    await refusedInBlock(a, [deposit(a, 0, usdc((1n << 255n).toString()))], "sdk", 5, /insufficient funds/);
  });

  it("a withdrawal to a module account (which would break conservation for the subaccounts account itself)", async () => {
    await refusedInBlock(a, [withdraw(a, 0, usdc(5n), MODULE)], "sdk", 4, /is not allowed to receive funds/);
    const feeCollector = toBech32Address(ACCOUNT_PREFIX, moduleAddress("fee_collector"));
    await refusedInBlock(a, [withdraw(a, 0, usdc(5n), feeCollector)], "sdk", 4, /is not allowed to receive funds/);
  });

  it("after all of that, the accounts still hold exactly what was deposited", () => {
    expect([collateral(app, a, 0), collateral(app, b, 0)]).toEqual([1_000n, 2_000n]);
    expect(balanceOf(app, MODULE, "uusdc")).toBe(3_000n);
    expect(balanceOf(app, a, "uusdc")).toBe(DEV_USDC_MICRO - 1_000n);
  });
});

describe("subaccounts through the app: governance switches", () => {
  it("refuses deposits and withdrawals when disabled in genesis, but allows transfers", async () => {
    const state = buildAppState(devFunding(addrs));
    const a = addrs[0]!;
    const moduleUsdc = 100n;
    // Genesis with a funded subaccount: the bank funds the module account with exactly its collateral.
    const bank = state.bank as { balances: Array<{ address: string; coins: Array<{ denom: string; amount: string }> }> };
    bank.balances.push({ address: MODULE, coins: [{ denom: "uusdc", amount: moduleUsdc.toString() }] });
    state.subaccounts = {
      params: { deposits_enabled: false, withdrawals_enabled: false },
      subaccounts: [{ id: { owner: a, number: 0 }, quote_micro_usdc: moduleUsdc.toString(), positions: [] }],
    };
    const app = newApp(state);
    const [d] = block(app, [await sign(app, a, [deposit(a, 0, usdc(1n))])]);
    expect([d!.codespace, d!.code]).toEqual(["subaccounts", 6]);
    const [w] = block(app, [await sign(app, a, [withdraw(a, 0, usdc(1n))])]);
    expect([w!.codespace, w!.code]).toEqual(["subaccounts", 7]);
    const [t] = block(app, [await sign(app, a, [transfer(a, 0, 1, usdc(40n))])]);
    expect(t!.code, t!.log).toBe(0);
    expect([collateral(app, a, 0), collateral(app, a, 1)]).toEqual([60n, 40n]);
  });

  it("refuses a genesis whose subaccounts the module account does not hold", () => {
    const state = buildAppState(devFunding(addrs));
    state.subaccounts = { subaccounts: [{ id: { owner: addrs[0]!, number: 0 }, quote_micro_usdc: "100" }] };
    const app = createApp();
    expect(() => app.initChain({ chainId: TEST_CHAIN_ID, genesisTimeNs: GENESIS_TIME_NS, initialHeight: 1n, appState: state, validators: [] })).toThrow(
      /collateral sums to 100uusdc but the subaccounts module account holds 0uusdc/,
    );
  });
});
