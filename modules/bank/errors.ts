import { ErrorKind } from "../../src/errors.js";

/** x/bank codespace, with the SDK's numbers. */
export const BankErrors = {
  noInputs: new ErrorKind("bank", 2, "no inputs to send transaction"),
  noOutputs: new ErrorKind("bank", 3, "no outputs to send transaction"),
  inputOutputMismatch: new ErrorKind("bank", 4, "sum inputs != sum outputs"),
  sendDisabled: new ErrorKind("bank", 5, "send transactions are disabled"),
  denomMetadataNotFound: new ErrorKind("bank", 6, "client denom metadata not found"),
  invalidKey: new ErrorKind("bank", 7, "invalid key"),
  duplicateEntry: new ErrorKind("bank", 8, "duplicate entry"),
  multipleSenders: new ErrorKind("bank", 9, "multiple senders not allowed"),
} as const;
