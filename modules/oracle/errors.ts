import { ErrorKind } from "../../src/errors.js";

/** The oracle codespace. */
export const OracleErrors = {
  invalidParams: new ErrorKind("oracle", 2, "invalid oracle params"),
  unknownUnderlying: new ErrorKind("oracle", 3, "unknown underlying"),
  invalidObservation: new ErrorKind("oracle", 4, "invalid oracle observation"),
  invalidGenesis: new ErrorKind("oracle", 5, "invalid oracle genesis"),
} as const;
