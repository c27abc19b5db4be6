/**
 * Signature verification throughput (our node:crypto path vs noble on the same signatures) and the cost of
 * decoding a cosmjs-signed MsgSend (TxRaw + TxBody + AuthInfo).
 */
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { AuthInfo, TxBody, TxRaw } from "../../src/codec/index.js";
import { ed25519PublicKeyFromSeed, signEd25519, verifyEd25519, verifySecp256k1 } from "../../src/crypto/index.js";

const KEYS = 64;
const MESSAGE_BYTES = 300;

/** Runs fn over the cases repeatedly for about durationMs; returns operations per second. */
function opsPerSecond<C>(cases: C[], fn: (c: C) => boolean, durationMs: number): number {
  for (const c of cases.slice(0, 8)) if (!fn(c)) throw new Error("benchmark case failed to verify");
  let ops = 0;
  const start = process.hrtime.bigint();
  const budgetNs = BigInt(durationMs) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budgetNs) {
    for (const c of cases) if (fn(c)) ops++;
    elapsed = process.hrtime.bigint() - start;
  }
  return Math.round((ops * 1e9) / Number(elapsed));
}

function message(i: number): Uint8Array {
  return Uint8Array.from({ length: MESSAGE_BYTES }, (_, j) => (i * 31 + j) & 0xff);
}

function secpCases() {
  return Array.from({ length: KEYS }, (_, i) => {
    const secret = secp256k1.utils.randomSecretKey(new Uint8Array(48).fill(i + 1));
    const msg = message(i);
    return { pub: secp256k1.getPublicKey(secret, true), msg, sig: secp256k1.sign(msg, secret, { prehash: true, lowS: true }) };
  });
}

function edCases() {
  return Array.from({ length: KEYS }, (_, i) => {
    const seed = new Uint8Array(32).fill(i + 1);
    const msg = message(i);
    return { pub: ed25519PublicKeyFromSeed(seed), msg, sig: signEd25519(seed, msg) };
  });
}

async function cosmjsTx(): Promise<Uint8Array> {
  const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "vanna" });
  const [account] = await wallet.getAccounts();
  if (!account) throw new Error("no account");
  const client = await SigningStargateClient.offline(wallet);
  const raw = await client.sign(
    account.address,
    [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: account.address, toAddress: account.address, amount: [{ denom: "uvanna", amount: "1000" }] } }],
    { amount: [{ denom: "uvanna", amount: "500" }], gas: "200000" },
    "",
    { accountNumber: 1n, sequence: 0, chainId: "vanna-bench" },
  );
  return TxRaw.encode(raw);
}

/** Mean microseconds per call of fn over iterations, after a warm-up. */
function microsPerCall(fn: () => void, iterations: number): number {
  for (let i = 0; i < 2000; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

export async function run(): Promise<Record<string, unknown>> {
  const secp = secpCases();
  const secpNode = opsPerSecond(secp, (c) => verifySecp256k1(c.pub, c.msg, c.sig), 3000);
  const secpNoble = opsPerSecond(secp, (c) => secp256k1.verify(c.sig, c.msg, c.pub, { prehash: true, lowS: true }), 3000);

  const ed = edCases();
  const edNode = opsPerSecond(ed, (c) => verifyEd25519(c.pub, c.msg, c.sig), 3000);
  const edNoble = opsPerSecond(ed, (c) => ed25519.verify(c.sig, c.msg, c.pub, { zip215: true }), 3000);

  const txBytes = await cosmjsTx();
  const decodeCanonical = () => {
    const raw = TxRaw.decodeCanonical(txBytes);
    TxBody.decodeCanonical(raw.bodyBytes);
    AuthInfo.decodeCanonical(raw.authInfoBytes);
  };
  const decodeLenient = () => {
    const raw = TxRaw.decode(txBytes);
    TxBody.decode(raw.bodyBytes);
    AuthInfo.decode(raw.authInfoBytes);
  };

  return {
    secp256k1VerifiesPerSecNode: secpNode,
    secp256k1VerifiesPerSecNoble: secpNoble,
    secp256k1NodeOverNobleRatio: Number((secpNode / secpNoble).toFixed(2)),
    ed25519VerifiesPerSecNode: edNode,
    ed25519VerifiesPerSecNoble: edNoble,
    ed25519NodeOverNobleRatio: Number((edNode / edNoble).toFixed(2)),
    signedMessageBytes: MESSAGE_BYTES,
    distinctKeys: KEYS,
    cosmjsMsgSendTxBytes: txBytes.length,
    txDecodeCanonicalMicros: Number(microsPerCall(decodeCanonical, 20_000).toFixed(2)),
    txDecodeLenientMicros: Number(microsPerCall(decodeLenient, 20_000).toFixed(2)),
  };
}
