/** A cosmjs CometClient stand-in that answers abci_query from an in-process app (all a QueryClient needs). */
import type { CometClient } from "@cosmjs/tendermint-rpc";
import type { BaseApp } from "../../../src/app/baseApp.js";

export function appComet(app: Pick<BaseApp, "query">): CometClient {
  return {
    abciQuery: async (p: { path: string; data: Uint8Array; height?: number; prove?: boolean }) => {
      const r = app.query({ path: p.path, data: p.data, height: BigInt(p.height ?? 0), prove: false });
      return { code: r.code, codespace: r.codespace, log: r.log, key: r.key, value: r.value, height: Number(r.height), index: 0, info: "" };
    },
    disconnect: () => undefined,
  } as unknown as CometClient;
}

/** Records each query and answers with the bytes `respond` returns for its path. */
export function recordingComet(respond: (path: string) => Uint8Array): { comet: CometClient; calls: Array<{ path: string; data: Uint8Array }> } {
  const calls: Array<{ path: string; data: Uint8Array }> = [];
  const comet = {
    abciQuery: async (p: { path: string; data: Uint8Array }) => {
      calls.push({ path: p.path, data: p.data });
      return { code: 0, codespace: "", log: "", key: new Uint8Array(), value: respond(p.path), height: 5, index: 0, info: "" };
    },
    disconnect: () => undefined,
  } as unknown as CometClient;
  return { comet, calls };
}
