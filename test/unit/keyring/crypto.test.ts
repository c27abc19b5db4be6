import { describe, expect, it } from "vitest";
import { DecryptionError, open, seal } from "../../../node/keyring/crypto.js";

const FAST = { n: 2 ** 10, r: 8, p: 1 };
const aad = new TextEncoder().encode("meta");
const secret = new TextEncoder().encode("the secret words");

describe("seal/open", () => {
  it("round-trips and uses a fresh salt and iv each time", async () => {
    const a = await seal(secret, "pass", aad, FAST);
    const b = await seal(secret, "pass", aad, FAST);
    expect(a.salt).not.toBe(b.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(new TextDecoder().decode(await open(a, "pass", aad))).toBe("the secret words");
  });

  it("rejects a wrong passphrase, other associated data and a flipped ciphertext bit", async () => {
    const sealed = await seal(secret, "pass", aad, FAST);
    await expect(open(sealed, "Pass", aad)).rejects.toBeInstanceOf(DecryptionError);
    await expect(open(sealed, "pass", new TextEncoder().encode("other"))).rejects.toBeInstanceOf(DecryptionError);
    const bytes = Buffer.from(sealed.ciphertext, "base64");
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await expect(open({ ...sealed, ciphertext: bytes.toString("base64") }, "pass", aad)).rejects.toBeInstanceOf(DecryptionError);
  });

  it("normalises the passphrase (NFKC) and bounds the KDF parameters read from files", async () => {
    const sealed = await seal(secret, "caf\u00e9", aad, FAST);
    expect(new TextDecoder().decode(await open(sealed, "cafe\u0301", aad))).toBe("the secret words");
    await expect(open({ ...sealed, n: 2 ** 24 }, "café", aad)).rejects.toThrow(/unsupported scrypt/);
    await expect(open({ ...sealed, n: 3000 }, "café", aad)).rejects.toThrow(/unsupported scrypt/);
    await expect(open({ ...sealed, iv: "AAAA" }, "café", aad)).rejects.toThrow(/malformed iv/);
  });
});
