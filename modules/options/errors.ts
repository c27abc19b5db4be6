import { ErrorKind } from "../../src/errors.js";

/** x/options codespace. Codes are stable: clients match on them. */
export const OptionsErrors = {
  invalidParams: new ErrorKind("options", 2, "invalid options params"),
  unknownUnderlying: new ErrorKind("options", 3, "unknown underlying"),
  invalidExpiry: new ErrorKind("options", 4, "invalid expiry"),
  invalidStrike: new ErrorKind("options", 5, "invalid strike"),
  invalidKind: new ErrorKind("options", 6, "invalid option kind"),
  duplicateSeries: new ErrorKind("options", 7, "series already listed"),
  unknownSeries: new ErrorKind("options", 8, "unknown series"),
  seriesNotActive: new ErrorKind("options", 9, "series is not active"),
  tooManyExpiries: new ErrorKind("options", 10, "too many live expiries for the underlying"),
  tooManySeries: new ErrorKind("options", 11, "too many live series for the underlying"),
} as const;
