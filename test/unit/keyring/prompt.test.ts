import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PASSPHRASE_ENV, readLine, resolvePassphrase, type PromptInput } from "../../../node/keyring/prompt.js";

function fakeTty(): PromptInput & PassThrough & { rawModes: boolean[] } {
  const stream = new PassThrough() as PassThrough & PromptInput & { rawModes: boolean[] };
  stream.isTTY = true;
  stream.rawModes = [];
  stream.setRawMode = (mode: boolean) => stream.rawModes.push(mode);
  return stream;
}

function sink(): { write(s: string): void; text: string } {
  return {
    text: "",
    write(s: string) {
      this.text += s;
    },
  };
}

describe("resolvePassphrase", () => {
  it("prefers the flag, then the environment", async () => {
    const out = sink();
    expect(await resolvePassphrase({ flag: "from-flag", env: { [PASSPHRASE_ENV]: "from-env" }, prompt: out })).toBe("from-flag");
    expect(await resolvePassphrase({ env: { [PASSPHRASE_ENV]: "from-env" }, prompt: out })).toBe("from-env");
    await expect(resolvePassphrase({ flag: "", env: {}, prompt: out })).rejects.toThrow(/empty/);
  });

  it("fails clearly when there is no source and stdin is not a terminal", async () => {
    const notTty = new PassThrough();
    await expect(resolvePassphrase({ env: {}, stdin: notTty, prompt: sink() })).rejects.toThrow(/--keyring-passphrase or set \$VANNA_KEYRING_PASSPHRASE/);
    await expect(resolvePassphrase({ env: {}, prompt: sink() })).rejects.toThrow(/needs a passphrase/);
  });

  it("prompts on a terminal in raw mode without echoing, handling backspace", async () => {
    const tty = fakeTty();
    const out = sink();
    const pending = resolvePassphrase({ env: {}, stdin: tty, prompt: out });
    tty.write("secretX\u007f-pass\r");
    expect(await pending).toBe("secret-pass");
    expect(out.text).toBe("Enter keyring passphrase: \n");
    expect(tty.rawModes).toEqual([true, false]);
  });

  it("asks twice when confirming and rejects a mismatch; Ctrl-C aborts", async () => {
    const tty = fakeTty();
    const pending = resolvePassphrase({ env: {}, stdin: tty, prompt: sink(), confirm: true });
    tty.write("one-pass\r");
    await new Promise((r) => setImmediate(r));
    tty.write("two-pass\r");
    await expect(pending).rejects.toThrow(/do not match/);

    const tty2 = fakeTty();
    const aborted = resolvePassphrase({ env: {}, stdin: tty2, prompt: sink() });
    tty2.write("abc\u0003");
    await expect(aborted).rejects.toThrow(/aborted/);
  });
});

describe("readLine", () => {
  it("reads the first line of piped input", async () => {
    const input = new PassThrough();
    const pending = readLine(input, sink(), "ignored: ");
    input.end("first line\r\nsecond\n");
    expect(await pending).toBe("first line");
  });

  it("accepts input without a trailing newline and rejects no input", async () => {
    const a = new PassThrough();
    const pa = readLine(a, sink(), "");
    a.end("words");
    expect(await pa).toBe("words");
    const b = new PassThrough();
    const pb = readLine(b, sink(), "");
    b.end();
    await expect(pb).rejects.toThrow(/no input/);
  });
});
