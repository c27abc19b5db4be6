/**
 * Runs a testnet's nodes as child processes (`vanna start --home <node home>`), each logging to
 * `<home>/node.log`, writes `<dir>/testnet.json` with their process ids and addresses, and stops them all on
 * request. A node that dies is reported, not restarted: the others keep running, as a real network would.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, writeFileSync, closeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestnetLayout, TestnetNode } from "./layout.js";

/** dist/testnet/launch.js → dist/node/cli/main.js */
export const NODE_MAIN = resolve(dirname(fileURLToPath(import.meta.url)), "../node/cli/main.js");

export interface RunningNode extends TestnetNode {
  pid: number;
  proc: ChildProcess;
  logFile: string;
}

export interface RunningTestnet {
  layout: TestnetLayout;
  nodes: RunningNode[];
  stop(): Promise<void>;
  /** Resolves when every node process has exited. */
  exited: Promise<void>;
}

export function startTestnet(layout: TestnetLayout, extraArgs: string[] = [], onExit?: (node: RunningNode, code: number | null) => void): RunningTestnet {
  const nodes: RunningNode[] = layout.nodes.map((node) => {
    const logFile = join(node.home, "node.log");
    const fd = openSync(logFile, "a");
    // VANNA_NODE_CPU_PROF_DIR=<dir>: every node writes a V8 CPU profile there when it stops (profiling a testnet).
    const profDir = process.env.VANNA_NODE_CPU_PROF_DIR;
    const nodeArgs = profDir === undefined || profDir === "" ? [] : ["--cpu-prof", `--cpu-prof-dir=${profDir}`];
    const proc = spawn(process.execPath, [...nodeArgs, NODE_MAIN, "start", "--home", node.home, ...extraArgs], { stdio: ["ignore", fd, fd] });
    closeSync(fd);
    const running: RunningNode = { ...node, pid: proc.pid ?? -1, proc, logFile };
    proc.once("exit", (code) => onExit?.(running, code));
    return running;
  });
  writeStatusFile(layout, nodes);
  const exited = Promise.all(nodes.map((n) => new Promise<void>((r) => (n.proc.exitCode !== null ? r() : n.proc.once("exit", () => r()))))).then(() => undefined);
  return {
    layout,
    nodes,
    exited,
    stop: async () => {
      for (const n of nodes) if (n.proc.exitCode === null) n.proc.kill("SIGTERM");
      const timer = setTimeout(() => {
        for (const n of nodes) if (n.proc.exitCode === null) n.proc.kill("SIGKILL");
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `<dir>/testnet.json`: what tools and tests need to reach each node. */
export function writeStatusFile(layout: TestnetLayout, nodes: readonly RunningNode[]): void {
  const json = {
    chainId: layout.chainId,
    nodes: nodes.map((n) => ({
      moniker: n.moniker,
      validator: n.validator,
      home: n.home,
      pid: n.pid,
      rpcUrl: n.rpcUrl,
      p2pAddress: n.p2pAddress,
      logFile: n.logFile,
    })),
  };
  writeFileSync(join(layout.dir, "testnet.json"), `${JSON.stringify(json, null, 2)}\n`);
}
