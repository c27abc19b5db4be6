/**
 * A feeder that re-reads a JSON file on every call (for operators who run their own price pipeline, and for
 * tests):
 *
 *   { "spots": { "BTC": "60000.5", "ETH": 3000.25 },
 *     "smiles": [ { "underlying": "BTC", "expiry": 1767254400, "atmVol": 0.55, "skew": -0.1, "curvature": 0.2 },
 *                 { "underlying": "ETH", "expiry": "listed", "atmVol": 0.7, "skew": -0.1, "curvature": 0.3 } ] }
 *
 * `"expiry": "listed"` applies the smile to every expiry the chain lists for that underlying (an entry with an
 * explicit expiry wins over it), so a test or an operator can drive the whole surface without knowing the
 * listing calendar.
 *
 * Spot prices are USD per whole unit with at most 6 decimals; atmVol, skew and curvature are fractions with at
 * most 6 decimals (0.55 = 55 %); expiry is Unix seconds. Numbers may be JSON numbers or strings; they are
 * parsed as decimals into integer units (never through floating point arithmetic). Both sections are
 * optional; unknown keys are errors. A missing, unreadable or invalid file means "no observation" (the
 * validator precommits with an empty extension) and is reported through `onError` once per distinct problem.
 */
import { readFileSync } from "node:fs";
import { parseDecimalUnits } from "./decimal.js";
import type { FeederObservation, FeederRequest, FeederSmile, FeederSource, FeederSpot } from "./types.js";

const SYMBOL_RE = /^[A-Z][A-Z0-9]{0,15}$/;
const MAX_FILE_BYTES = 1 << 20;
const MAX_EXPIRY_UNIX_S = 7_258_118_400; // 2200-01-01

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new Error(`${where}: unknown key "${k.slice(0, 40)}"`);
}

function field<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/** A parsed file: explicit smiles, plus per-underlying smiles for every listed expiry. */
export interface ObservationFile extends FeederObservation {
  listedSmiles: Array<Omit<FeederSmile, "expiryUnixS">>;
}

/** The observation for a request: explicit smiles, then the "listed" smiles for the chain's other expiries. */
export function observationFor(file: ObservationFile, req: Pick<FeederRequest, "expiries">): FeederObservation {
  const smiles = [...file.smiles];
  for (const template of file.listedSmiles) {
    for (const expiryUnixS of req.expiries?.get(template.underlying) ?? []) {
      if (!smiles.some((s) => s.underlying === template.underlying && s.expiryUnixS === expiryUnixS)) smiles.push({ ...template, expiryUnixS });
    }
  }
  return { spots: file.spots, smiles };
}

/** Parses the file format above; throws an Error naming the first problem. */
export function parseObservationFile(text: string): ObservationFile {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw new Error("not valid JSON");
  }
  if (!isObject(root)) throw new Error("expected a JSON object");
  onlyKeys(root, ["spots", "smiles"], "file");
  const spots: FeederSpot[] = [];
  if (root.spots !== undefined) {
    if (!isObject(root.spots)) throw new Error('"spots": expected an object of symbol → price');
    for (const [underlying, value] of Object.entries(root.spots)) {
      if (!SYMBOL_RE.test(underlying)) throw new Error(`spots: "${underlying.slice(0, 40)}" is not a symbol like BTC`);
      const priceMicroUsd = field(`spots.${underlying}`, () => parseDecimalUnits(value, 6));
      if (priceMicroUsd <= 0n) throw new Error(`spots.${underlying}: must be positive`);
      spots.push({ underlying, priceMicroUsd });
    }
  }
  const smiles: FeederSmile[] = [];
  const listedSmiles: ObservationFile["listedSmiles"] = [];
  if (root.smiles !== undefined) {
    if (!Array.isArray(root.smiles)) throw new Error('"smiles": expected an array');
    root.smiles.forEach((s: unknown, i) => {
      const where = `smiles[${i}]`;
      if (!isObject(s)) throw new Error(`${where}: expected an object`);
      onlyKeys(s, ["underlying", "expiry", "atmVol", "skew", "curvature"], where);
      const underlying = s.underlying;
      if (typeof underlying !== "string" || !SYMBOL_RE.test(underlying)) throw new Error(`${where}.underlying: expected a symbol like BTC`);
      const expiry = s.expiry;
      const expiryText = typeof expiry === "number" || typeof expiry === "string" ? String(expiry) : "";
      const listed = expiryText === "listed";
      if (!listed && (!/^[1-9][0-9]{0,11}$/.test(expiryText) || Number(expiryText) > MAX_EXPIRY_UNIX_S)) throw new Error(`${where}.expiry: expected Unix seconds or "listed"`);
      const atmVolPpm = field(`${where}.atmVol`, () => parseDecimalUnits(s.atmVol, 6));
      if (atmVolPpm <= 0n) throw new Error(`${where}.atmVol: must be positive`);
      const values = {
        underlying,
        atmVolPpm,
        skewPpm: field(`${where}.skew`, () => parseDecimalUnits(s.skew, 6, { allowNegative: true })),
        curvaturePpm: field(`${where}.curvature`, () => parseDecimalUnits(s.curvature, 6, { allowNegative: true })),
      };
      if (listed) listedSmiles.push(values);
      else smiles.push({ ...values, expiryUnixS: BigInt(expiryText) });
    });
  }
  return { spots, smiles, listedSmiles };
}

export interface FileSourceOptions {
  /** Called with a description of the problem when the file cannot be used (once per distinct problem). */
  onError?: (message: string) => void;
  /** Called when the file becomes usable again after a problem. */
  onRecovered?: () => void;
}

export class FileSource implements FeederSource {
  readonly name: string;
  private lastProblem: string | undefined;

  constructor(
    readonly path: string,
    private readonly opts: FileSourceOptions = {},
  ) {
    this.name = `file:${path}`;
  }

  observe(req: FeederRequest): FeederObservation | undefined {
    let text: string;
    try {
      const buf = readFileSync(this.path);
      if (buf.length > MAX_FILE_BYTES) return this.problem(`${this.path}: larger than ${MAX_FILE_BYTES} bytes`);
      text = buf.toString("utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return this.problem(`${this.path}: cannot read (${code ?? (err as Error).message})`);
    }
    let obs: FeederObservation;
    try {
      obs = observationFor(parseObservationFile(text), req);
    } catch (err) {
      return this.problem(`${this.path}: ${(err as Error).message}`);
    }
    if (this.lastProblem !== undefined) {
      this.lastProblem = undefined;
      this.opts.onRecovered?.();
    }
    return obs;
  }

  private problem(message: string): undefined {
    if (message !== this.lastProblem) {
      this.lastProblem = message;
      this.opts.onError?.(message);
    }
    return undefined;
  }
}
