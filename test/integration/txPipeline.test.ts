import { beforeAll, describe, expect, it } from "vitest";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { TxRaw, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { moduleAddress, toBech32Address } from "../../src/crypto/address.js";
import type { BaseApp } from "../../src/app/baseApp.js";
import { devWallet, msgSend, newTestApp, runBlock, signTx, TEST_CHAIN_ID } from "../support/devChain.js";
import { accountOf, balanceOf } from "../support/queries.js";

let addrs: string[];
beforeAll(async () => {
  addrs = (await devWallet()).addresses;
});

const send = (amount: string, denom = "uusdc") => [{ denom, amount }];

describe("tx pipeline: a valid send", () => {
  it("moves exactly the amount, charges exactly the fee, bumps the sequence and stores the pubkey", async () => {
    const app = newTestApp(addrs);
    const [a, b] = [addrs[0]!, addrs[1]!];
    const before = { aU: balanceOf(app, a, "uusdc"), bU: balanceOf(app, b, "uusdc"), aV: balanceOf(app, a, "uvanna") };
    const tx = await signTx(a, [msgSend(a, b, send("1234"))], { accountNumber: 0, sequence: 0 });
    const check = app.checkTx(tx, "new");
    expect(check.code, check.log).toBe(0);
    const result = runBlock(app, [tx]);
    expect(result.txResults[0]!.code, result.txResults[0]!.log).toBe(0);
    expect(balanceOf(app, a, "uusdc")).toBe(before.aU - 1234n);
    expect(balanceOf(app, b, "uusdc")).toBe(before.bU + 1234n);
    expect(balanceOf(app, a, "uvanna")).toBe(before.aV - 500n);
    const acct = accountOf(app, a)!;
    expect(acct.sequence).toBe(1n);
    expect(acct.hasPubKey).toBe(true);
    const types = result.txResults[0]!.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["coin_spent", "coin_received", "transfer", "message", "tx"]));
    expect(result.txResults[0]!.gasUsed).toBeGreaterThan(0n);
  });

  it("charges the fee and bumps the sequence even when the message fails", async () => {
    const app = newTestApp(addrs);
    const [a, b] = [addrs[0]!, addrs[1]!];
    const tooMuch = (balanceOf(app, a, "uusdc") + 1n).toString();
    const tx = await signTx(a, [msgSend(a, b, send(tooMuch))], { accountNumber: 0, sequence: 0 });
    const vBefore = balanceOf(app, a, "uvanna");
    const result = runBlock(app, [tx]);
    expect(result.txResults[0]!.code).toBe(5);
    expect(result.txResults[0]!.log).toMatch(/insufficient funds/);
    expect(balanceOf(app, a, "uvanna")).toBe(vBefore - 500n);
    expect(accountOf(app, a)!.sequence).toBe(1n);
  });

  it("tracks mempool sequences in CheckTx so a sender can queue several txs", async () => {
    const app = newTestApp(addrs);
    const [a, b] = [addrs[0]!, addrs[1]!];
    const t0 = await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: 0 });
    const t1 = await signTx(a, [msgSend(a, b, send("2"))], { accountNumber: 0, sequence: 1 });
    expect(app.checkTx(t0, "new").code).toBe(0);
    expect(app.checkTx(t1, "new").code).toBe(0);
    const results = runBlock(app, [t0, t1]).txResults;
    expect(results.map((r) => r.code)).toEqual([0, 0]);
  });
});

describe("tx pipeline: bad input is refused with a clear error and changes nothing", () => {
  let app: BaseApp;
  let a: string;
  let b: string;

  /** Runs the tx through CheckTx and through a block; both must fail with `code` and state must not move. */
  async function expectRejected(tx: Uint8Array, code: number, logPattern: RegExp) {
    const hashBefore = app.info().lastBlockAppHash;
    const check = app.checkTx(tx, "new");
    expect(check.code, check.log).toBe(code);
    expect(check.log).toMatch(logPattern);
    const result = runBlock(app, [tx]).txResults[0]!;
    expect(result.code, result.log).toBe(code);
    expect(Buffer.from(app.info().lastBlockAppHash).equals(Buffer.from(hashBefore))).toBe(true);
  }

  beforeAll(() => {
    app = newTestApp(addrs);
    [a, b] = [addrs[0]!, addrs[1]!];
  });

  it("malformed bytes", async () => {
    await expectRejected(new Uint8Array([0x0a, 0xff, 0xff, 0x01]), 2, /tx parse error/);
    await expectRejected(new TextEncoder().encode("not a tx at all"), 2, /tx parse error/);
  });

  it("non-canonical encoding (an unknown field appended)", async () => {
    const tx = await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: 0 });
    await expectRejected(new Uint8Array([...tx, 0x78, 0x01]), 2, /tx parse error/);
  });

  it("oversize tx", async () => {
    const big = new Uint8Array(1024 * 1024 + 1);
    await expectRejected(big, 21, /tx too large/);
  });

  it("wrong chain id", async () => {
    await expectRejected(await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: 0, chainId: "other-chain" }), 4, /signature verification failed.*chain-id \(vanna-test-1\)/);
  });

  it("wrong account number", async () => {
    await expectRejected(await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 7, sequence: 0 }), 4, /signature verification failed; please verify account number \(0\)/);
  });

  it("future sequence", async () => {
    await expectRejected(await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: 5 }), 32, /account sequence mismatch, expected 0, got 5/);
  });

  it("replayed tx (an old sequence)", async () => {
    const tx = await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: 0 });
    expect(runBlock(app, [tx]).txResults[0]!.code).toBe(0);
    await expectRejected(tx, 32, /account sequence mismatch, expected 1, got 0/);
  });

  it("bad signature and high-S signature", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    const tx = TxRaw.decode(await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: seq }));
    const flipped = Uint8Array.from(tx.signatures[0]!);
    flipped[10]! ^= 0x01;
    await expectRejected(TxRaw.encode({ ...tx, signatures: [flipped] }).finish(), 4, /signature verification failed/);
    // The same signature with s' = n - s verifies mathematically, but only low-S is canonical.
    const sig = tx.signatures[0]!;
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
    const highS = secp256k1.Point.CURVE().n - s;
    const twin = new Uint8Array(64);
    twin.set(sig.subarray(0, 32));
    twin.set(Buffer.from(highS.toString(16).padStart(64, "0"), "hex"), 32);
    await expectRejected(TxRaw.encode({ ...tx, signatures: [twin] }).finish(), 4, /signature verification failed/);
  });

  it("public key not matching the signer", async () => {
    // Account 1 signs (with its own key) a send whose from_address is account 0.
    await expectRejected(await signTx(b, [msgSend(a, b, send("1"))], { accountNumber: 1, sequence: 0 }), 8, /pubKey does not match signer address/);
  });

  it("unknown message type", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    const raw = TxRaw.decode(await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: seq }));
    const body = TxBody.decode(raw.bodyBytes);
    body.messages = [{ typeUrl: "/vanna.nope.v1.MsgNope", value: new Uint8Array([1]) }];
    await expectRejected(TxRaw.encode({ ...raw, bodyBytes: TxBody.encode(body).finish() }).finish(), 2, /unable to resolve type URL \/vanna.nope.v1.MsgNope/);
  });

  it("zero, negative and overflowing amounts", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    await expectRejected(await signTx(a, [msgSend(a, b, send("0"))], { accountNumber: 0, sequence: seq }), 10, /zero amount/);
    await expectRejected(await signTx(a, [msgSend(a, b, send("-5"))], { accountNumber: 0, sequence: seq }), 10, /invalid amount/);
    await expectRejected(await signTx(a, [msgSend(a, b, send((1n << 256n).toString()))], { accountNumber: 0, sequence: seq }), 10, /overflows 256 bits/);
  });

  it("insufficient funds for the amount (message fails, fee kept) and for the fee (tx refused)", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    const poor = await signTx(a, [msgSend(a, b, send("1"))], {
      accountNumber: 0,
      sequence: seq,
      fee: { amount: [{ denom: "uvanna", amount: (10n ** 12n).toString() }], gas: "200000" },
    });
    await expectRejected(poor, 5, /insufficient funds/);
  });

  it("fee below the minimum gas price", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    const tx = await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: seq, fee: { amount: [{ denom: "uvanna", amount: "499" }], gas: "200000" } });
    expect(app.checkTx(tx, "new")).toMatchObject({ code: 13, log: expect.stringMatching(/insufficient fees; got: 499uvanna required: 500uvanna/) });
  });

  it("gas limit too low", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    const tx = await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: seq, fee: { amount: [{ denom: "uvanna", amount: "500" }], gas: "1000" } });
    await expectRejected(tx, 11, /out of gas/);
  });

  it("invalid bech32 recipient", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    await expectRejected(await signTx(a, [msgSend(a, "vanna1notanaddress", send("1"))], { accountNumber: 0, sequence: seq }), 7, /invalid address/);
    await expectRejected(await signTx(a, [msgSend(a, "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4", send("1"))], { accountNumber: 0, sequence: seq }), 7, /invalid address/);
  });

  it("memo over the limit", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    await expectRejected(await signTx(a, [msgSend(a, b, send("1"))], { accountNumber: 0, sequence: seq, memo: "x".repeat(257) }), 12, /maximum number of characters is 256/);
  });

  it("sending to a module account", async () => {
    const seq = Number(accountOf(app, a)!.sequence);
    const feeCollector = toBech32Address("vanna", moduleAddress("fee_collector"));
    const tx = await signTx(a, [msgSend(a, feeCollector, send("1"))], { accountNumber: 0, sequence: seq });
    // CheckTx runs the ante chain only (as the SDK); the message fails in the block, fee and sequence charged.
    const result = runBlock(app, [tx]).txResults[0]!;
    expect([result.code, result.log]).toEqual([4, expect.stringMatching(/is not allowed to receive funds/)]);
    expect(accountOf(app, a)!.sequence).toBe(BigInt(seq + 1));
  });
});

describe("queries", () => {
  it("answers unknown accounts as cosmjs expects and refuses stale heights", () => {
    const app = newTestApp(addrs);
    const res = app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: new Uint8Array([0x0a, 0x02, 0x61, 0x62]), height: 0n, prove: false });
    expect(res.code).toBe(18);
    expect(res.log).toMatch(/InvalidArgument/);
    const unknownPath = app.query({ path: "/nope.Query/X", data: new Uint8Array(), height: 0n, prove: false });
    expect([unknownPath.code, unknownPath.log]).toEqual([6, expect.stringMatching(/unknown query path/)]);
    const stale = app.query({ path: "/cosmos.bank.v1beta1.Query/Balance", data: new Uint8Array(), height: 99n, prove: false });
    expect(stale.code).toBe(26);
    expect(TEST_CHAIN_ID).toBe(app.chainId);
  });
});
