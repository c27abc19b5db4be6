import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { toBech32 } from "@cosmjs/encoding";
import { bech32m } from "@scure/base";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { SdkErrors } from "../../../src/errors.js";
import {
  ACCOUNT_PREFIX,
  VALOPER_PREFIX,
  accAddressFromSecp256k1,
  moduleAddress,
  parseBech32Address,
  ripemd160,
  sha256,
  toBech32Address,
  validatorAddressFromEd25519,
} from "../../../src/crypto/index.js";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

function expectInvalidAddress(text: string, prefix: string, message: RegExp): void {
  let thrown: unknown;
  try {
    parseBech32Address(text, prefix);
  } catch (err) {
    thrown = err;
  }
  expect(SdkErrors.invalidAddress.is(thrown)).toBe(true);
  expect((thrown as Error).message).toMatch(message);
}

describe("hashes", () => {
  it("match known vectors", () => {
    const abc = new TextEncoder().encode("abc");
    expect(Buffer.from(sha256(abc)).toString("hex")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(Buffer.from(ripemd160(abc)).toString("hex")).toBe("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
    expect(Object.getPrototypeOf(sha256(abc))).toBe(Uint8Array.prototype);
  });
});

describe("addresses", () => {
  it("derive the same account address as the cosmjs wallet", async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: ACCOUNT_PREFIX });
    const [account] = await wallet.getAccounts();
    const address = toBech32Address(ACCOUNT_PREFIX, accAddressFromSecp256k1(account!.pubkey));
    expect(address).toBe(account!.address);
    expect(address.startsWith("vanna1")).toBe(true);
    expect(parseBech32Address(address, ACCOUNT_PREFIX)).toEqual(accAddressFromSecp256k1(account!.pubkey));
  });

  it("derive module and validator addresses as the SDK and CometBFT", () => {
    expect(toBech32("cosmos", moduleAddress("fee_collector"))).toBe("cosmos17xpfvakm2amg962yls6f84z3kell8c5lserqta");
    const pub = new Uint8Array(32).fill(5);
    expect(validatorAddressFromEd25519(pub)).toEqual(nobleSha256(pub).slice(0, 20));
    expect(() => validatorAddressFromEd25519(new Uint8Array(33))).toThrow(/32 bytes/);
    expect(() => accAddressFromSecp256k1(new Uint8Array(65))).toThrow(/33 bytes/);
  });

  it("parse only strict bech32 with the expected prefix", () => {
    const bytes = new Uint8Array(20).fill(1);
    const address = toBech32Address(ACCOUNT_PREFIX, bytes);
    expect(parseBech32Address(address, ACCOUNT_PREFIX)).toEqual(bytes);
    const valoper = toBech32Address(VALOPER_PREFIX, bytes);
    expect(parseBech32Address(valoper, VALOPER_PREFIX)).toEqual(bytes);

    expectInvalidAddress(valoper, ACCOUNT_PREFIX, /expected vanna, got vannavaloper/);
    expectInvalidAddress(address, VALOPER_PREFIX, /expected vannavaloper, got vanna/);
    expectInvalidAddress(toBech32("cosmos", bytes), ACCOUNT_PREFIX, /expected vanna, got cosmos/);
    const lastChar = address.at(-1) === "q" ? "p" : "q";
    expectInvalidAddress(address.slice(0, -1) + lastChar, ACCOUNT_PREFIX, /decoding bech32 failed/);
    expectInvalidAddress(address.toUpperCase(), ACCOUNT_PREFIX, /lowercase/);
    expectInvalidAddress(address.slice(0, 8) + address.slice(8, 9).toUpperCase() + address.slice(9), ACCOUNT_PREFIX, /lowercase/);
    expectInvalidAddress(toBech32Address(ACCOUNT_PREFIX, new Uint8Array(32)), ACCOUNT_PREFIX, /20 bytes, got 32/);
    expectInvalidAddress(toBech32Address(ACCOUNT_PREFIX, new Uint8Array(19)), ACCOUNT_PREFIX, /20 bytes, got 19/);
    expectInvalidAddress(bech32m.encode(ACCOUNT_PREFIX, bech32m.toWords(bytes)), ACCOUNT_PREFIX, /decoding bech32 failed/);
    expectInvalidAddress("", ACCOUNT_PREFIX, /empty/);
    expectInvalidAddress("vanna", ACCOUNT_PREFIX, /decoding bech32 failed/);
    expectInvalidAddress(`vanna1${"q".repeat(100)}`, ACCOUNT_PREFIX, /too long/);
  });
});
