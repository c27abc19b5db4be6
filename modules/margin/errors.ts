import { ErrorKind } from "../../src/errors.js";

/** x/margin codespace. Codes are stable: clients match on them. */
export const MarginErrors = {
  belowInitialMargin: new ErrorKind("margin", 2, "equity below initial margin"),
  noPrice: new ErrorKind("margin", 3, "no price: new risk is not accepted"),
  unknownSeries: new ErrorKind("margin", 4, "unknown series"),
  seriesSettled: new ErrorKind("margin", 5, "series is settled"),
  invalidOrder: new ErrorKind("margin", 6, "invalid order"),
  invalidParams: new ErrorKind("margin", 7, "invalid margin params"),
  invalidMode: new ErrorKind("margin", 8, "invalid margin mode"),
  modeChangeRefused: new ErrorKind("margin", 9, "margin mode change refused"),
} as const;
