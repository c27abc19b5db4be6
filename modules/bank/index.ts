export { createBankModule, bankInvariants } from "./module.js";
export { BankKeeper } from "./keeper.js";
export { BankErrors } from "./errors.js";
