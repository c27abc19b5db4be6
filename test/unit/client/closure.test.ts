/**
 * `vanna/client` stays light: its import closure is cosmjs, protobufjs, our codec (src/codec, src/errors) and the
 * modules' wire-type files only — no libp2p, LevelDB, node: builtins, node/ server code, keepers or module logic.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../../..");

function closure(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const walk = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(ROOT, file), "utf8");
    // Type-only imports vanish at runtime and are not followed.
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?!type\b)[^;]*?from\s+["']([^"']+)["']/g)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) walk(relative(ROOT, resolve(ROOT, dirname(file), spec.replace(/\.js$/, ".ts"))));
      else packages.add(spec);
    }
  };
  walk(entry);
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe("vanna/client import closure", () => {
  const { files, packages } = closure("node/client/index.ts");

  it("uses only cosmjs and protobufjs", () => {
    expect(packages.filter((p) => !p.startsWith("@cosmjs/") && p !== "protobufjs")).toEqual([]);
  });

  it("reaches node/client, src/codec, src/errors and the modules' wire-type files only", () => {
    const allowed = (f: string) =>
      f.startsWith("node/client/") || f.startsWith("src/codec/") || f === "src/errors.ts" || /^modules\/[a-z]+\/(codec|types)\.ts$/.test(f);
    expect(files.filter((f) => !allowed(f))).toEqual([]);
    expect(files).toContain("modules/clob/codec.ts");
  });
});
