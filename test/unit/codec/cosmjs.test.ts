/** Decoding a transaction signed by unmodified cosmjs (DirectSecp256k1HdWallet + SigningStargateClient). */
import { DirectSecp256k1HdWallet, makeSignBytes } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw as CosmjsTxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AuthInfo,
  MsgSend,
  Secp256k1PubKey,
  SignDoc,
  SignMode,
  TxBody,
  TxRaw,
  unpackAny,
} from "../../../src/codec/index.js";
import { verifySecp256k1 } from "../../../src/crypto/index.js";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const CHAIN_ID = "vanna-test-1";

let txBytes: Uint8Array;
let signer: { address: string; pubkey: Uint8Array };

beforeAll(async () => {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "vanna" });
  const [account] = await wallet.getAccounts();
  if (!account) throw new Error("wallet has no account");
  signer = { address: account.address, pubkey: account.pubkey };
  const client = await SigningStargateClient.offline(wallet);
  const raw = await client.sign(
    account.address,
    [
      {
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        value: { fromAddress: account.address, toAddress: account.address, amount: [{ denom: "uvanna", amount: "1234" }] },
      },
    ],
    { amount: [{ denom: "uvanna", amount: "500" }], gas: "200000" },
    "hello vanna",
    { accountNumber: 7n, sequence: 3, chainId: CHAIN_ID },
  );
  txBytes = CosmjsTxRaw.encode(raw).finish();
});

describe("a cosmjs-signed MsgSend", () => {
  it("decodes canonically at every level", () => {
    const raw = TxRaw.decodeCanonical(txBytes);
    expect(raw.signatures).toHaveLength(1);
    expect(raw.signatures[0]).toHaveLength(64);

    const body = TxBody.decodeCanonical(raw.bodyBytes);
    expect(body.memo).toBe("hello vanna");
    expect(body.timeoutHeight).toBe(0n);
    expect(body.messages).toHaveLength(1);
    const msg = unpackAny(body.messages[0]!, MsgSend);
    expect(msg).toStrictEqual({
      fromAddress: signer.address,
      toAddress: signer.address,
      amount: [{ denom: "uvanna", amount: "1234" }],
    });

    const authInfo = AuthInfo.decodeCanonical(raw.authInfoBytes);
    expect(authInfo.fee).toStrictEqual({
      amount: [{ denom: "uvanna", amount: "500" }],
      gasLimit: 200000n,
      payer: "",
      granter: "",
    });
    const [info] = authInfo.signerInfos;
    expect(info?.sequence).toBe(3n);
    expect(info?.modeInfo?.single?.mode).toBe(SignMode.SIGN_MODE_DIRECT);
    expect(unpackAny(info!.publicKey!, Secp256k1PubKey).key).toEqual(signer.pubkey);
  });

  it("re-encodes to the identical bytes", () => {
    const raw = TxRaw.decode(txBytes);
    expect(TxRaw.encode(raw)).toEqual(txBytes);
    expect(TxBody.encode(TxBody.decode(raw.bodyBytes))).toEqual(raw.bodyBytes);
    expect(AuthInfo.encode(AuthInfo.decode(raw.authInfoBytes))).toEqual(raw.authInfoBytes);
  });

  it("has sign bytes equal to cosmjs makeSignBytes, and the signature verifies", () => {
    const raw = TxRaw.decode(txBytes);
    const signDoc = { bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, chainId: CHAIN_ID, accountNumber: 7n };
    const signBytes = SignDoc.encode(signDoc);
    expect(signBytes).toEqual(makeSignBytes(signDoc));
    expect(verifySecp256k1(signer.pubkey, signBytes, raw.signatures[0]!)).toBe(true);
    // Bound to chain id and account number: either change breaks the signature.
    expect(verifySecp256k1(signer.pubkey, SignDoc.encode({ ...signDoc, chainId: "other" }), raw.signatures[0]!)).toBe(
      false,
    );
    expect(verifySecp256k1(signer.pubkey, SignDoc.encode({ ...signDoc, accountNumber: 8n }), raw.signatures[0]!)).toBe(
      false,
    );
  });
});
