import { ErrorKind } from "../../src/errors.js";

/** x/subaccounts codespace. Codes are stable: clients match on them. */
export const SubaccountsErrors = {
  invalidSubaccountNumber: new ErrorKind("subaccounts", 2, "subaccount number out of range"),
  invalidCollateralDenom: new ErrorKind("subaccounts", 3, "invalid collateral denom; only uusdc is accepted"),
  belowInitialMargin: new ErrorKind("subaccounts", 4, "withdrawal would leave equity below initial margin"),
  insufficientCollateral: new ErrorKind("subaccounts", 5, "insufficient collateral"),
  depositsDisabled: new ErrorKind("subaccounts", 6, "deposits are disabled"),
  withdrawalsDisabled: new ErrorKind("subaccounts", 7, "withdrawals are disabled"),
  sameSubaccount: new ErrorKind("subaccounts", 8, "cannot transfer to the same subaccount"),
  invalidUpdate: new ErrorKind("subaccounts", 9, "invalid subaccount update"),
  overflow: new ErrorKind("subaccounts", 10, "amount overflows 256 bits"),
  updateBelowInitialMargin: new ErrorKind("subaccounts", 11, "update would leave equity below initial margin"),
  unbalancedPositions: new ErrorKind("subaccounts", 12, "position deltas do not sum to zero per instrument"),
  invalidCounterparty: new ErrorKind("subaccounts", 13, "invalid collateral counterparty"),
} as const;
