/**
 * The same bits from every execution tier: the golden vectors recomputed by the compiled code (dist/, built by
 * `npm test`) in a child process under --jitless (bytecode interpreter only) and, after a warm-up, as
 * TurboFan-optimised code, must be identical to each other and to the file. JavaScript forbids fused
 * multiply-add contraction and extended precision, so an optimiser may not change a single rounding.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { doubleToHex } from "../../../src/math/fixed.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const DIST = resolve(ROOT, "dist");
const VECTORS = resolve(ROOT, "test/vectors/pricing.json");
const CHILD = resolve(import.meta.dirname, "tiers.child.mjs");
const SOURCES = ["float", "blackScholes", "fixed"];

/** The compiled math exists and is at least as new as its sources (a stale build would compare old code). */
const distFresh = SOURCES.every((f) => {
  const js = resolve(DIST, `src/math/${f}.js`);
  return existsSync(js) && statSync(js).mtimeMs >= statSync(resolve(ROOT, `src/math/${f}.ts`)).mtimeMs;
});

function run(flags: string[], warm: boolean): string[] {
  const out = execFileSync(process.execPath, [...flags, CHILD, DIST, VECTORS, warm ? "warm" : "cold"], { encoding: "utf8", timeout: 120_000 });
  return JSON.parse(out) as string[];
}

describe.skipIf(!distFresh)("execution tiers", () => {
  it("interpreter and optimised code reproduce the golden vectors bit for bit", () => {
    const v = JSON.parse(readFileSync(VECTORS, "utf8")) as Record<string, Array<{ y: string; out: Record<string, string> }>>;
    const expected = [
      ...["exp", "ln", "sqrt", "normCdf", "normPdf"].flatMap((n) => v[n]!.map((r) => r.y)),
      ...v.blackScholes!.flatMap((r) => ["price", "delta", "gamma", "vega", "theta"].map((k) => r.out[k]!)),
    ];
    const interpreted = run(["--jitless"], false);
    const optimised = run([], true);
    expect(interpreted).toEqual(expected);
    expect(optimised).toEqual(expected);
    expect(doubleToHex(0.1)).toBe("0x3fb999999999999a");
  }, 180_000);
});
