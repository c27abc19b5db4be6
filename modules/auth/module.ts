/** x/auth: accounts, account numbers, sequences and public keys; the ante chain lives beside it. */
import type { AppModule } from "../../src/app/module.js";
import { ModulePrefix } from "../prefixes.js";
import { AuthKeeper } from "./keeper.js";
import { authQueryRoutes } from "./queries.js";
import { defaultAuthGenesis, exportAuthGenesis, initAuthGenesis, parseAuthGenesis } from "./genesis.js";

export function createAuthModule(): { module: AppModule; keeper: AuthKeeper } {
  const keeper = new AuthKeeper();
  const module: AppModule = {
    name: "auth",
    storePrefix: ModulePrefix.auth,
    msgRoutes: [],
    queryRoutes: authQueryRoutes(keeper),
    defaultGenesis: defaultAuthGenesis,
    validateGenesis: (g) => void parseAuthGenesis(g),
    initGenesis: (ctx, g) => initAuthGenesis(ctx, keeper, g),
    exportGenesis: (ctx) => exportAuthGenesis(ctx, keeper),
  };
  return { module, keeper };
}
