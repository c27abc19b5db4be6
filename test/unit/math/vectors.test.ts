/**
 * Golden vectors: test/vectors/pricing.json holds the exact IEEE 754 bits of every pricing function's output on
 * fixed inputs. Every engine and platform must reproduce them bit for bit, so any change to src/math that moves
 * a single bit fails here until the file is regenerated on purpose:
 *   VANNA_UPDATE_VECTORS=1 npx vitest run test/unit/math/vectors.test.ts
 * A second test checks the recorded values against the high-precision reference within the stated bounds.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { blackScholes } from "../../../src/math/blackScholes.js";
import { doubleFromHex, doubleToHex, fromUnits, toUnits, type RoundingMode } from "../../../src/math/fixed.js";
import { exp, ln, normCdf, normPdf, sqrt } from "../../../src/math/float.js";
import { exact, greekFloors, refBlackScholes, refCdf, refExp, refLn, refPdf, refSqrt, relErr } from "./reference.js";
import { EXP_INPUTS, FROM_UNITS_INPUTS, LN_INPUTS, NORM_CDF_INPUTS, NORM_PDF_INPUTS, SQRT_INPUTS, bsVectorInputs, toUnitsVectorInputs } from "./vectorInputs.js";

const FILE = resolve(import.meta.dirname, "../../vectors/pricing.json");
const BS_KEYS = ["price", "delta", "gamma", "vega", "theta"] as const;
const BS_INPUT_KEYS = ["spot", "strike", "timeYears", "vol", "rate"] as const;

interface UnaryVector {
  x: string;
  xDec: string;
  y: string;
  yDec: string;
}
interface BsVector {
  in: Record<(typeof BS_INPUT_KEYS)[number], string> & { isCall: boolean };
  inDec: string;
  out: Record<(typeof BS_KEYS)[number], string>;
}
interface Vectors {
  description: string;
  exp: UnaryVector[];
  ln: UnaryVector[];
  sqrt: UnaryVector[];
  normCdf: UnaryVector[];
  normPdf: UnaryVector[];
  blackScholes: BsVector[];
  toUnits: Array<{ x: string; xDec: string; scale: string; mode: RoundingMode; units: string }>;
  fromUnits: Array<{ units: string; scale: string; y: string; yDec: string }>;
}

const UNARY = { exp: [exp, EXP_INPUTS], ln: [ln, LN_INPUTS], sqrt: [sqrt, SQRT_INPUTS], normCdf: [normCdf, NORM_CDF_INPUTS], normPdf: [normPdf, NORM_PDF_INPUTS] } as const;
type UnaryName = keyof typeof UNARY;

function compute(): Vectors {
  const unary = (name: UnaryName): UnaryVector[] => {
    const [f, xs] = UNARY[name];
    return xs.map((x) => {
      const y = f(x);
      return { x: doubleToHex(x), xDec: String(x), y: doubleToHex(y), yDec: String(y) };
    });
  };
  return {
    description:
      "Golden vectors for src/math: inputs and outputs as the 0x-prefixed hex of their IEEE 754 bits (xDec/yDec are for reading only). " +
      "Checked bit for bit by test/unit/math/vectors.test.ts; regenerate deliberately with VANNA_UPDATE_VECTORS=1 npx vitest run test/unit/math/vectors.test.ts",
    exp: unary("exp"),
    ln: unary("ln"),
    sqrt: unary("sqrt"),
    normCdf: unary("normCdf"),
    normPdf: unary("normPdf"),
    blackScholes: bsVectorInputs().map((p) => {
      const g = blackScholes(p);
      return {
        in: { spot: doubleToHex(p.spot), strike: doubleToHex(p.strike), timeYears: doubleToHex(p.timeYears), vol: doubleToHex(p.vol), rate: doubleToHex(p.rate), isCall: p.isCall },
        inDec: `spot=${p.spot} strike=${p.strike} timeYears=${p.timeYears} vol=${p.vol} rate=${p.rate} ${p.isCall ? "call" : "put"}`,
        out: { price: doubleToHex(g.price), delta: doubleToHex(g.delta), gamma: doubleToHex(g.gamma), vega: doubleToHex(g.vega), theta: doubleToHex(g.theta) },
      };
    }),
    toUnits: toUnitsVectorInputs().map(({ x, scale, mode }) => ({ x: doubleToHex(x), xDec: String(x), scale: scale.toString(), mode, units: toUnits(x, scale, mode).toString() })),
    fromUnits: FROM_UNITS_INPUTS.map(({ units, scale }) => {
      const y = fromUnits(units, scale);
      return { units: units.toString(), scale: scale.toString(), y: doubleToHex(y), yDec: String(y) };
    }),
  };
}

/** One vector per line, so that a regenerated file diffs line by line. */
function serialize(v: Vectors): string {
  const lines = ["{", `  "description": ${JSON.stringify(v.description)},`];
  const sections = Object.keys(v).filter((k) => k !== "description") as Array<Exclude<keyof Vectors, "description">>;
  sections.forEach((name, i) => {
    const rows = v[name] as unknown[];
    lines.push(`  "${name}": [`);
    rows.forEach((row, j) => lines.push(`    ${JSON.stringify(row)}${j < rows.length - 1 ? "," : ""}`));
    lines.push(`  ]${i < sections.length - 1 ? "," : ""}`);
  });
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

if (process.env.VANNA_UPDATE_VECTORS === "1") writeFileSync(FILE, serialize(compute()));

const stored = JSON.parse(readFileSync(FILE, "utf8")) as Vectors;

describe("golden vectors (test/vectors/pricing.json)", () => {
  it("cover about 200 input sets of every function", () => {
    const counts = [stored.exp, stored.ln, stored.sqrt, stored.normCdf, stored.normPdf, stored.blackScholes].map((a) => a.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(200);
    expect(stored.blackScholes.length).toBeGreaterThanOrEqual(60);
  });

  it("are reproduced bit for bit (inputs included: the file and vectorInputs.ts must agree)", () => {
    // Field-by-field first for readable failures, then the whole file byte for byte.
    const now = compute();
    for (const name of Object.keys(UNARY) as UnaryName[]) {
      expect(now[name].length, name).toBe(stored[name].length);
      now[name].forEach((v, i) => expect(`${name}(${v.xDec}) = ${v.y}`).toBe(`${name}(${stored[name][i]!.xDec}) = ${stored[name][i]!.y}`));
    }
    expect(now.blackScholes.length).toBe(stored.blackScholes.length);
    now.blackScholes.forEach((v, i) => expect({ in: v.in, out: v.out }, v.inDec).toEqual({ in: stored.blackScholes[i]!.in, out: stored.blackScholes[i]!.out }));
    expect(now.toUnits).toEqual(stored.toUnits);
    expect(now.fromUnits).toEqual(stored.fromUnits);
    expect(serialize(now)).toBe(readFileSync(FILE, "utf8"));
  });

  it("agree with the high-precision reference within the stated error bounds", () => {
    const value = (hex: string) => doubleFromHex(hex);
    for (const v of stored.exp) {
      const y = value(v.y);
      if (y >= 2.2250738585072014e-308) expect(relErr(y, refExp(value(v.x))), v.xDec).toBeLessThan(1.5e-16);
      else expect(exact(y).minus(refExp(value(v.x))).abs().lte(exact(Number.MIN_VALUE)), v.xDec).toBe(true);
    }
    for (const v of stored.ln) if (value(v.x) !== 1) expect(relErr(value(v.y), refLn(value(v.x))), v.xDec).toBeLessThan(1.5e-16);
    for (const v of stored.sqrt) if (value(v.x) !== 0) expect(relErr(value(v.y), refSqrt(value(v.x))), v.xDec).toBeLessThanOrEqual(1.12e-16);
    for (const v of stored.normCdf) {
      const x = value(v.x);
      const ref = refCdf(exact(x));
      expect(exact(value(v.y)).minus(ref).abs().toNumber(), v.xDec).toBeLessThan(2e-16);
      if (x <= 0 && x >= -37.5) expect(relErr(value(v.y), ref), v.xDec).toBeLessThan(1e-15);
    }
    for (const v of stored.normPdf) if (Math.abs(value(v.x)) <= 37) expect(relErr(value(v.y), refPdf(exact(value(v.x)))), v.xDec).toBeLessThan(1e-15);
    for (const v of stored.blackScholes) {
      const [spot, strike, timeYears, vol, rate] = BS_INPUT_KEYS.map((k) => value(v.in[k]));
      if (vol! * Math.sqrt(timeYears!) < 1e-10) continue; // expired: checked exactly in blackScholes.test.ts
      const ref = refBlackScholes(spot!, strike!, timeYears!, vol!, rate!, v.in.isCall);
      const floors = greekFloors(spot!);
      for (const k of BS_KEYS) expect(relErr(value(v.out[k]), ref[k], floors[k]), `${k} of ${v.inDec}`).toBeLessThan(1e-9);
    }
    for (const v of stored.toUnits) expect(BigInt(v.units)).toBe(toUnits(value(v.x), BigInt(v.scale), v.mode));
  }, 60_000);
});
