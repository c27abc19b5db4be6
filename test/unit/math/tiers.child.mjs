// Child process for tiers.test.ts: recomputes every golden vector's outputs with the compiled src/math (dist/)
// and prints them, optionally after a long warm-up so that the hot functions run as optimised machine code.
import { readFileSync } from "node:fs";

const [dist, vectorsFile, warm] = process.argv.slice(2);
const float = await import(`${dist}/src/math/float.js`);
const { blackScholes } = await import(`${dist}/src/math/blackScholes.js`);
const { doubleFromHex, doubleToHex } = await import(`${dist}/src/math/fixed.js`);
const v = JSON.parse(readFileSync(vectorsFile, "utf8"));

function all() {
  const out = [];
  for (const name of ["exp", "ln", "sqrt", "normCdf", "normPdf"]) for (const row of v[name]) out.push(doubleToHex(float[name](doubleFromHex(row.x))));
  for (const row of v.blackScholes) {
    const p = Object.fromEntries(["spot", "strike", "timeYears", "vol", "rate"].map((k) => [k, doubleFromHex(row.in[k])]));
    const g = blackScholes({ ...p, isCall: row.in.isCall });
    for (const k of ["price", "delta", "gamma", "vega", "theta"]) out.push(doubleToHex(g[k]));
  }
  return out;
}

if (warm === "warm") for (let i = 0; i < 300; i++) all();
process.stdout.write(JSON.stringify(all()));
