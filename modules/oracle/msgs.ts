/**
 * The oracle has no tx messages: observations arrive as vote extensions (voteExtension.ts) and are
 * aggregated in BeginBlock (keeper.applyVotes). Params change only through genesis.
 */
import type { MsgRoute } from "../../src/app/module.js";

export function oracleMsgRoutes(): ReadonlyArray<MsgRoute<unknown>> {
  return [];
}
