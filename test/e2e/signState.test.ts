/** A validator that lost its last-sign state refuses to start rather than risk signing a height twice. */
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { freePort, removeHome, startDevNode, tempHome, VANNA_BIN, waitForHeight } from "../support/nodeProcess.js";

const home = tempHome("vanna-signstate-");
afterAll(() => removeHome(home));

describe("private validator state", () => {
  it("a missing state file on a chain this validator already signed stops the node with a clear error", async () => {
    const port = await freePort();
    const node = await startDevNode(home, port, ["--block-time", "100ms"]);
    await waitForHeight(node.rpcUrl, 3);
    await node.stop();
    rmSync(join(home, "data", "priv_validator_state.json"));
    const res = spawnSync(process.execPath, [VANNA_BIN, "start", "--home", home, "--rpc-port", String(await freePort())], { encoding: "utf8", timeout: 30_000 });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/priv_validator_state\.json was missing, but this validator signed block \d+: starting could double-sign/);
  });
});
