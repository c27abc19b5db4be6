export { createAuthModule } from "./module.js";
export { AuthKeeper, type Account } from "./keeper.js";
export { createAnteHandler, FEE_COLLECTOR, type AnteHandler, type AnteOptions } from "./ante.js";
export { DEFAULT_AUTH_PARAMS, type AuthParams } from "./params.js";
