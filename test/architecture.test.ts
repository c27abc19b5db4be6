/**
 * The architecture rules of DEVELOPERS.md, enforced: the import direction src -> modules -> node -> testnet,
 * a pure state machine (no disk, network, clocks, randomness or engine-approximated math in src/ or modules/),
 * and consensus/p2p/rpc/mempool seeing the application only through the Application interface.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const LAYERS = ["src", "modules", "node", "testnet"] as const;
type Layer = (typeof LAYERS)[number];

function tsFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.includes("/gen/"))
    .map((f) => join(dir, f));
}

interface Import {
  file: string;
  spec: string;
  /** Repo-relative target for relative imports. */
  target?: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: Import[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;
  for (const m of text.matchAll(re)) {
    const spec = (m[1] ?? m[2] ?? m[3])!;
    const target = spec.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : undefined;
    out.push(target === undefined ? { file, spec } : { file, spec, target });
  }
  return out;
}

function layerOf(path: string): Layer | undefined {
  return LAYERS.find((l) => path === l || path.startsWith(`${l}/`));
}

/** Source text with comments and string/template literals blanked, so rules match code only. */
function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, " ")
    .replace(/\/\/[^\n]*/g, " ")
    .replace(/`(?:\\.|[^`\\])*`/g, '""')
    .replace(/"(?:\\.|[^"\\\n])*"/g, '""')
    .replace(/'(?:\\.|[^'\\\n])*'/g, "''");
}

const PURE_PACKAGES = new Set(["protobufjs", "protobufjs/minimal.js", "sorted-btree", "@cosmjs/encoding", "node:crypto", "long"]);
const isPurePackage = (spec: string) => PURE_PACKAGES.has(spec) || spec.startsWith("@noble/") || spec.startsWith("sorted-btree/");

const allFiles = LAYERS.flatMap((l) => tsFiles(l));

describe("architecture", () => {
  it("finds the source tree", () => {
    expect(allFiles.filter((f) => f.startsWith("src/")).length).toBeGreaterThan(10);
    expect(allFiles.filter((f) => f.startsWith("modules/")).length).toBeGreaterThan(5);
    expect(allFiles.filter((f) => f.startsWith("node/")).length).toBeGreaterThan(10);
  });

  it("imports flow src -> modules -> node -> testnet", () => {
    const order: Record<Layer, number> = { src: 0, modules: 1, node: 2, testnet: 3 };
    const violations = allFiles.flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target !== undefined)
        .filter((i) => {
          const from = layerOf(file)!;
          const to = layerOf(i.target!);
          if (to === undefined) return !i.target!.startsWith("proto");
          return order[to] > order[from];
        })
        .map((i) => `${i.file} imports ${i.spec}`),
    );
    expect(violations).toEqual([]);
  });

  it("src/ and modules/ use only pure packages (no disk, network, database or process access)", () => {
    const violations = allFiles
      .filter((f) => layerOf(f) === "src" || layerOf(f) === "modules")
      .flatMap((file) => importsOf(file).filter((i) => i.target === undefined && !isPurePackage(i.spec)).map((i) => `${i.file} imports ${i.spec}`));
    expect(violations).toEqual([]);
  });

  it("src/ and modules/ use no clock, randomness, timers or implementation-approximated math", () => {
    const forbidden: Array<[RegExp, string]> = [
      [/\bMath\.(random|exp|expm1|log|log1p|log2|log10|pow|sqrt|cbrt|hypot|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|fround)\s*\(/, "Math.*"],
      [/\bDate\.now\s*\(|\bnew\s+Date\b|\bDate\s*\(/, "Date"],
      [/\bperformance\.now\b|\bprocess\.hrtime\b/, "clock"],
      [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, "timer"],
      [/\bparseFloat\s*\(|\bNumber\.parseFloat\b/, "parseFloat"],
      [/\brandom(Bytes|UUID|Int|Fill)\b|getRandomValues/, "randomness"],
      [/\bWeakRef\b|\bFinalizationRegistry\b/, "GC-dependent"],
      [/\blocaleCompare\b|\bIntl\./, "locale-dependent"],
      [/\bfor\s*\([^)]*\bin\b/, "for...in"],
      [/\bprocess\.(env|argv|exit|cwd)\b/, "process"],
      [/\*\*/, "** (use bigint-only helpers; float powers are implementation-approximated)"],
    ];
    const violations: string[] = [];
    for (const file of allFiles.filter((f) => layerOf(f) === "src" || layerOf(f) === "modules")) {
      const lines = codeOnly(readFileSync(join(ROOT, file), "utf8")).split("\n");
      lines.forEach((line, i) => {
        for (const [re, what] of forbidden) if (re.test(line)) violations.push(`${file}:${i + 1} uses ${what}`);
      });
    }
    expect(violations).toEqual([]);
  });

  it("a module imports another module only through its index.ts", () => {
    const violations = allFiles
      .filter((f) => layerOf(f) === "modules")
      .flatMap((file) =>
        importsOf(file)
          .filter((i) => i.target?.startsWith("modules/"))
          .filter((i) => {
            const own = file.split("/")[1];
            const parts = i.target!.split("/");
            const other = parts[1]!;
            const isSharedFile = parts.length === 2; // modules/app.ts, modules/prefixes.ts
            return other !== own && !isSharedFile && parts.slice(2).join("/") !== "index.js" && parts.slice(2).join("/") !== "index.ts";
          })
          .map((i) => `${i.file} imports ${i.spec}`),
      );
    expect(violations).toEqual([]);
  });

  it("only the node's composition root and the CLI import the application's modules (the client: wire types only)", () => {
    const violations = allFiles
      .filter((f) => layerOf(f) === "node" || layerOf(f) === "testnet")
      .flatMap((file) => importsOf(file).filter((i) => i.target?.startsWith("modules/")).map((i) => `${i.file} imports ${i.spec}`))
      .filter((v) => !v.startsWith("node/node.ts ") && !v.startsWith("node/cli/"))
      // The trader client (vanna/client) needs the modules' wire codecs, all through this one file, nothing else.
      .filter((v) => !/^node\/client\/wire\.ts imports \.\.\/\.\.\/modules\/[a-z]+\/(codec|types)\.js$/.test(v));
    expect(violations).toEqual([]);
  });

  it("consensus, p2p, rpc, mempool and block execution see the app only through the Application interface", () => {
    const engine = allFiles.filter((f) => /^node\/(consensus|p2p|rpc|mempool|chain|sync)\//.test(f));
    expect(engine.length).toBeGreaterThan(5);
    const violations = engine.flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target !== undefined && (i.target.startsWith("src/app/") || i.target.startsWith("modules/")))
        .filter((i) => i.target !== "src/app/application.js")
        .map((i) => `${i.file} imports ${i.spec}`),
    );
    expect(violations).toEqual([]);
  });

  it("libp2p stays behind node/p2p and LevelDB behind node/storage", () => {
    const violations = allFiles.flatMap((file) =>
      importsOf(file)
        .filter((i) => i.target === undefined)
        .filter((i) => (/libp2p|@chainsafe\//.test(i.spec) && !file.startsWith("node/p2p/")) || (i.spec === "classic-level" && !file.startsWith("node/storage/")))
        .map((i) => `${i.file} imports ${i.spec}`),
    );
    expect(violations).toEqual([]);
  });
});
