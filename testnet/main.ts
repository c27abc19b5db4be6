#!/usr/bin/env node
/**
 * The `vanna` binary: every node and client command, plus `vanna testnet`, which sits in the top layer because
 * it launches nodes.
 */
import "../node/polyfills.js";
import { commands, runAsProcess } from "../node/cli/main.js";
import { testnetCommands } from "./commands.js";

await runAsProcess([...commands, ...testnetCommands]);
