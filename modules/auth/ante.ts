/**
 * The ante chain: every check a tx must pass before its messages run, in the Cosmos SDK's order. It runs on
 * its own branch; its writes (fee, sequence, public key) are kept even when a message later fails.
 */
import { SdkErrors } from "../../src/errors.js";
import type { Context } from "../../src/app/context.js";
import type { SignatureCache } from "../../src/app/sigCache.js";
import type { DecodedTx } from "../../src/tx/decode.js";
import { Secp256k1PubKey, SignDoc } from "../../src/codec/index.js";
import { isValidSecp256k1PubKey, verifySecp256k1 } from "../../src/crypto/secp256k1.js";
import { accAddressFromSecp256k1, ACCOUNT_PREFIX, toBech32Address } from "../../src/crypto/address.js";
import { formatCoins, parseCoins, type Coin } from "../../src/math/coins.js";
import { mulDecCeil, type DecCoin } from "../../src/math/decimal.js";
import { event } from "../../src/types/events.js";
import { SECP256K1_PUBKEY_TYPE_URL, type AuthKeeper } from "./keeper.js";
import { FEE_COLLECTOR_MODULE } from "./keys.js";

export const FEE_COLLECTOR = FEE_COLLECTOR_MODULE;
const SIGN_MODE_DIRECT = 1;
/** Bytes a real signature adds to a simulated tx (64-byte signature plus framing), charged in simulation. */
const SIMULATED_SIGNATURE_BYTES = 66n;

export interface FeeBank {
  sendToModule(ctx: Context, from: Uint8Array, moduleName: string, coins: readonly Coin[]): void;
}

export interface AnteOptions {
  auth: AuthKeeper;
  bank: FeeBank;
  sigCache: SignatureCache;
  /** Node-local minimum gas prices; checked in CheckTx only (never in block execution). */
  minGasPrices: () => readonly DecCoin[];
  maxBlockGas: bigint;
  /** The denom fees are paid in (for simulating the fee deduction). */
  feeDenom: string;
}

export type AnteHandler = (ctx: Context, tx: DecodedTx) => void;

export function createAnteHandler(opts: AnteOptions): AnteHandler {
  return (ctx, tx) => {
    const simulate = ctx.mode === "simulate";
    const checking = ctx.mode === "check" || ctx.mode === "recheck";
    const params = opts.auth.getParams(ctx.store);
    const fee = tx.authInfo.fee;
    const gasLimit = fee?.gasLimit ?? 0n;
    if (!simulate) {
      if (gasLimit === 0n) throw SdkErrors.outOfGas.with("gas limit is zero");
      if (gasLimit > opts.maxBlockGas) throw SdkErrors.invalidGasLimit.with(`gas limit ${gasLimit} exceeds the block maximum ${opts.maxBlockGas}`);
    }

    // Signature count (ValidateBasic + ValidateSigCount).
    const signatures = tx.raw.signatures;
    const signerInfos = tx.authInfo.signerInfos;
    if (signatures.length === 0) throw SdkErrors.noSignatures.with();
    if (signatures.length !== signerInfos.length) {
      throw SdkErrors.unauthorized.with(`wrong number of signers; expected ${signerInfos.length}, got ${signatures.length}`);
    }
    if (BigInt(signerInfos.length) > params.txSigLimit) {
      throw SdkErrors.tooManySignatures.with(`signatures: ${signerInfos.length}, limit: ${params.txSigLimit}`);
    }
    if (signerInfos.length !== 1) throw SdkErrors.unauthorized.with("only single-signer transactions are supported");

    // Timeout height and memo.
    const timeoutHeight = tx.body.timeoutHeight;
    if (timeoutHeight !== 0n && ctx.height > timeoutHeight) {
      throw SdkErrors.txTimeoutHeight.with(`block height: ${ctx.height}, timeout height: ${timeoutHeight}`);
    }
    if (BigInt([...tx.body.memo].length) > params.maxMemoCharacters) {
      throw SdkErrors.memoTooLarge.with(`maximum number of characters is ${params.maxMemoCharacters} but received ${[...tx.body.memo].length} characters`);
    }

    // Tx size gas (simulation also pays for the signature the real tx will carry).
    const sizeBytes = BigInt(tx.bytes.length) + (simulate ? SIMULATED_SIGNATURE_BYTES : 0n);
    ctx.gasMeter.consume(params.txSizeCostPerByte * sizeBytes, "txSize");

    // Public key and signer address.
    const signer = signerInfos[0]!;
    const pkAny = signer.publicKey;
    if (pkAny === undefined || pkAny.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
      throw SdkErrors.invalidPubKey.with(`unsupported public key type ${pkAny?.typeUrl ?? "(none)"}; expected ${SECP256K1_PUBKEY_TYPE_URL}`);
    }
    const pubKey = Secp256k1PubKey.decodeCanonical(pkAny.value).key;
    if (!isValidSecp256k1PubKey(pubKey)) throw SdkErrors.invalidPubKey.with("public key is not a valid compressed secp256k1 point");
    const signerBytes = accAddressFromSecp256k1(pubKey);
    const signerAddress = toBech32Address(ACCOUNT_PREFIX, signerBytes);
    for (const m of tx.msgs) {
      for (const s of m.route.signers(m.msg)) {
        if (s !== signerAddress) throw SdkErrors.invalidPubKey.with(`pubKey does not match signer address ${s} with signer index: 0`);
      }
    }
    const account = opts.auth.getAccount(ctx.store, signerBytes);
    if (account === undefined) throw SdkErrors.unknownAddress.with(`account ${signerAddress} does not exist`);
    if (account.module !== undefined) throw SdkErrors.unauthorized.with("module accounts cannot sign transactions");
    if (account.pubKey !== undefined && !bytesEqual(account.pubKey, pubKey)) {
      throw SdkErrors.invalidPubKey.with(`pubKey does not match the key stored for ${signerAddress}`);
    }

    // Fee: at or above the node's minimum gas price (CheckTx only), then deducted into the fee collector.
    const feeCoins = parseCoins(fee?.amount ?? [], true);
    if (checking) checkMinGasPrice(feeCoins, gasLimit, opts.minGasPrices());
    if (feeCoins.length > 0) {
      opts.bank.sendToModule(ctx, signerBytes, FEE_COLLECTOR, feeCoins);
    } else if (simulate) {
      // cosmjs simulates with an empty fee; moving zero coins costs the same reads and writes as the real
      // deduction, so the gas estimate covers it (state and events are unchanged by a zero transfer).
      opts.bank.sendToModule({ ...ctx, events: [] }, signerBytes, FEE_COLLECTOR, [{ denom: opts.feeDenom, amount: 0n }]);
    }
    ctx.events.push(event("tx", { fee: formatCoins(feeCoins), fee_payer: signerAddress }));

    // Signature gas, sequence, signature.
    ctx.gasMeter.consume(params.sigVerifyCostSecp256k1, "ante verify: secp256k1");
    if (signer.sequence !== account.sequence) {
      throw SdkErrors.wrongSequence.with(`account sequence mismatch, expected ${account.sequence}, got ${signer.sequence}`);
    }
    const signature = signatures[0]!;
    if (!simulate) {
      const mode = signer.modeInfo?.single?.mode;
      if (mode !== SIGN_MODE_DIRECT) throw SdkErrors.unauthorized.with(`unsupported sign mode ${mode ?? "multi"}; only SIGN_MODE_DIRECT is accepted`);
      const cacheKey = Buffer.from(tx.hash).toString("latin1");
      if (!opts.sigCache.has(cacheKey, account.accountNumber)) {
        const signBytes = SignDoc.encode({
          bodyBytes: tx.raw.bodyBytes,
          authInfoBytes: tx.raw.authInfoBytes,
          chainId: ctx.chainId,
          accountNumber: account.accountNumber,
        });
        if (!verifySecp256k1(pubKey, signBytes, signature)) {
          throw SdkErrors.unauthorized.with(
            `signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.chainId})`,
          );
        }
        if (checking) opts.sigCache.add(cacheKey, account.accountNumber);
      }
    }

    account.pubKey = pubKey;
    account.sequence += 1n;
    opts.auth.setAccount(ctx.store, account);
    ctx.events.push(event("tx", { acc_seq: `${signerAddress}/${signer.sequence}` }));
    ctx.events.push(event("tx", { signature: Buffer.from(signature).toString("base64") }));
  };
}

function checkMinGasPrice(fee: readonly Coin[], gasLimit: bigint, minGasPrices: readonly DecCoin[]): void {
  const required = minGasPrices.filter((p) => p.amount > 0n).map((p) => ({ denom: p.denom, amount: mulDecCeil(gasLimit, p.amount) }));
  if (required.length === 0) return;
  // As in the SDK, paying any one of the accepted denoms at its price suffices.
  const ok = required.some((r) => (fee.find((c) => c.denom === r.denom)?.amount ?? 0n) >= r.amount);
  if (!ok) throw SdkErrors.insufficientFee.with(`insufficient fees; got: ${formatCoins(fee) || "0"} required: ${formatCoins(required)}`);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
