import { SdkErrors } from "../../src/errors.js";

/** Auth parameters (cosmos.auth.v1beta1.Params), with the SDK's defaults. */
export interface AuthParams {
  maxMemoCharacters: bigint;
  txSigLimit: bigint;
  txSizeCostPerByte: bigint;
  sigVerifyCostEd25519: bigint;
  sigVerifyCostSecp256k1: bigint;
}

export const DEFAULT_AUTH_PARAMS: AuthParams = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
};

export function validateAuthParams(p: AuthParams): void {
  for (const [name, value] of Object.entries(p)) {
    if (typeof value !== "bigint" || value <= 0n) throw SdkErrors.invalidRequest.with(`auth param ${name} must be positive`);
  }
}
