/**
 * Every error a user can cause is a ChainError: a Cosmos-style (codespace, code) pair with a message.
 * Codes are stable: clients match on them. The message goes into tx logs and query logs.
 */
export class ChainError extends Error {
  override readonly name = "ChainError";
  constructor(
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    // A user error is an answer, not a bug: capturing a stack trace for each rejected tx would cost more than
    // checking the tx. The stack is left empty (the code, codespace and message say what happened).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  /** Same code and codespace, with more context in front of the message (like errors.Wrap in the SDK). */
  wrap(context: string): ChainError {
    return new ChainError(this.codespace, this.code, `${context}: ${this.message}`);
  }
}

/** A registered error kind; `.with(detail)` makes an instance whose log reads "detail: description". */
export class ErrorKind {
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly description: string,
  ) {}

  with(detail?: string): ChainError {
    const message = detail ? `${detail}: ${this.description}` : this.description;
    return new ChainError(this.codespace, this.code, message);
  }

  is(err: unknown): boolean {
    return err instanceof ChainError && err.codespace === this.codespace && err.code === this.code;
  }
}

/** Codes of the Cosmos SDK `sdk` codespace (types/errors/errors.go); cosmjs users know these numbers. */
export const SdkErrors = {
  txDecode: new ErrorKind("sdk", 2, "tx parse error"),
  invalidSequence: new ErrorKind("sdk", 3, "invalid sequence"),
  unauthorized: new ErrorKind("sdk", 4, "unauthorized"),
  insufficientFunds: new ErrorKind("sdk", 5, "insufficient funds"),
  unknownRequest: new ErrorKind("sdk", 6, "unknown request"),
  invalidAddress: new ErrorKind("sdk", 7, "invalid address"),
  invalidPubKey: new ErrorKind("sdk", 8, "invalid pubkey"),
  unknownAddress: new ErrorKind("sdk", 9, "unknown address"),
  invalidCoins: new ErrorKind("sdk", 10, "invalid coins"),
  outOfGas: new ErrorKind("sdk", 11, "out of gas"),
  memoTooLarge: new ErrorKind("sdk", 12, "memo too large"),
  insufficientFee: new ErrorKind("sdk", 13, "insufficient fee"),
  tooManySignatures: new ErrorKind("sdk", 14, "maximum number of signatures exceeded"),
  noSignatures: new ErrorKind("sdk", 15, "no signatures supplied"),
  invalidRequest: new ErrorKind("sdk", 18, "invalid request"),
  txInMempoolCache: new ErrorKind("sdk", 19, "tx already in mempool"),
  mempoolIsFull: new ErrorKind("sdk", 20, "mempool is full"),
  txTooLarge: new ErrorKind("sdk", 21, "tx too large"),
  keyNotFound: new ErrorKind("sdk", 22, "key not found"),
  invalidGasAdjustment: new ErrorKind("sdk", 25, "invalid gas adjustment"),
  invalidHeight: new ErrorKind("sdk", 26, "invalid height"),
  invalidType: new ErrorKind("sdk", 29, "invalid type"),
  txTimeoutHeight: new ErrorKind("sdk", 30, "tx timeout height"),
  unknownExtensionOptions: new ErrorKind("sdk", 31, "unknown extension options"),
  wrongSequence: new ErrorKind("sdk", 32, "incorrect account sequence"),
  invalidGasLimit: new ErrorKind("sdk", 41, "invalid gas limit"),
  panic: new ErrorKind("undefined", 111222, "panic"),
} as const;

/** Turns anything thrown while handling user input into a ChainError; unexpected throws become an internal error. */
export function toChainError(err: unknown): ChainError {
  if (err instanceof ChainError) return err;
  // An unexpected exception is a bug, not a user error; its engine-specific text must not enter consensus
  // data, so the log is fixed. The node logs the original separately.
  return new ChainError("sdk", 1, "internal error");
}
