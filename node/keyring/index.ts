/** The keyring's public surface, for the CLI and the node commands (e.g. `dev` creating funded test keys). */
export { DEFAULT_SCRYPT, type ScryptParams } from "./crypto.js";
export { ADDRESS_PREFIX, deriveAccount, generateMnemonic, hdPathForIndex, isAccountAddress, MnemonicError, normalizeMnemonic } from "./hd.js";
export { checkKeyName, KeyringError, type KeyInfo, type KeyringBackend } from "./keyfile.js";
export { Keyring, keyringDir, type AddedKey, type AddKeyOptions, type KeyringOptions } from "./keyring.js";
export { PASSPHRASE_ENV, PromptError, readHidden, readLine, resolvePassphrase, type PassphraseSources } from "./prompt.js";
