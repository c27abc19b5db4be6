/** Turns the keyring flags of a command (--home, --keyring-backend, --keyring-passphrase) into a Keyring. */
import { ADDRESS_PREFIX, isAccountAddress, Keyring, KeyringError, resolvePassphrase, type KeyInfo, type KeyringBackend } from "../keyring/index.js";
import { resolveHome, UsageError, type CommandContext } from "./command.js";

export const BACKEND_ENV = "VANNA_KEYRING_BACKEND";

export function keyringBackend(ctx: CommandContext): KeyringBackend {
  const chosen = ctx.opts.string("keyring-backend") ?? ctx.io.env[BACKEND_ENV] ?? "file";
  if (chosen !== "file" && chosen !== "test") throw new UsageError(`$${BACKEND_ENV} must be "file" or "test", got "${chosen}"`);
  return chosen;
}

export function openKeyring(ctx: CommandContext): Keyring {
  return new Keyring({ home: resolveHome(ctx), backend: keyringBackend(ctx) });
}

/** The passphrase for a file keyring (undefined for the test backend, which never asks). */
export async function keyringPassphrase(ctx: CommandContext, keyring: Keyring, confirm = false): Promise<string | undefined> {
  if (!keyring.needsPassphrase) return undefined;
  return resolvePassphrase({
    flag: ctx.opts.string("keyring-passphrase"),
    env: ctx.io.env,
    stdin: ctx.io.stdin,
    prompt: ctx.io.stderr,
    confirm,
  });
}

/**
 * An account address given on the command line: a "vanna1…" address, or the name of a key in the keyring
 * (read from the key's plain metadata, so no passphrase is needed).
 */
export async function resolveAddress(ctx: CommandContext, text: string, what = "address"): Promise<string> {
  if (isAccountAddress(text)) return text;
  const bech32 = /^([a-z0-9]+)1[02-9ac-hj-np-z]{6,}$/i.exec(text);
  if (bech32 !== null) {
    const prefix = (bech32[1] ?? "").toLowerCase();
    throw new UsageError(
      prefix === ADDRESS_PREFIX ? `invalid ${what} "${text}": bad checksum or length` : `invalid ${what} "${text}": prefix is "${prefix}", expected "${ADDRESS_PREFIX}"`,
    );
  }
  let key: KeyInfo | undefined;
  try {
    key = await openKeyring(ctx).find(text);
  } catch (err) {
    if (err instanceof KeyringError) throw new UsageError(`invalid ${what} "${text}": not an address or key name`);
    throw err;
  }
  if (key === undefined) throw new UsageError(`invalid ${what} "${text}": not a vanna1… address, nor a key in the ${keyringBackend(ctx)} keyring`);
  return key.address;
}
