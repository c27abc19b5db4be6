/** Public surface of hashing, signatures and addresses. */
export { sha256, ripemd160 } from "./hash.js";
export { verifySecp256k1, isValidSecp256k1PubKey } from "./secp256k1.js";
export { ed25519PublicKeyFromSeed, signEd25519, verifyEd25519 } from "./ed25519.js";
export {
  ACCOUNT_PREFIX,
  VALOPER_PREFIX,
  accAddressFromSecp256k1,
  validatorAddressFromEd25519,
  moduleAddress,
  toBech32Address,
  parseBech32Address,
} from "./address.js";
