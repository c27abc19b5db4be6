/** The high-precision reference checks itself against independent computations before anything is judged by it. */
import { describe, expect, it } from "vitest";
import { Decimal, RefDecimal, dexp, exact, refCdf, refUpperTail } from "./reference.js";

/** Q(a) by the all-positive series at a precision that absorbs the cancellation, independent of the reference. */
function slowTail(a: number): InstanceType<typeof Decimal> {
  const prec = 80 + Math.ceil((a * a) / 4.6);
  const D = Decimal.clone({ precision: prec });
  const ad = new D(exact(a).toString());
  const a2 = ad.times(ad);
  let term = ad;
  let sum = ad;
  const tiny = new D(10).pow(-(prec + 5));
  for (let n = 1; n < 100000; n++) {
    term = term.times(a2).div(2 * n + 1);
    sum = sum.plus(term);
    if (term.lt(sum.times(tiny))) break;
  }
  const pdf = a2.div(-2).exp().div(D.acos(-1).times(2).sqrt());
  return new D(0.5).minus(pdf.times(sum));
}

describe("reference", () => {
  it("exp agrees with decimal.js's exp to 1e-45 relative", () => {
    for (const x of [-745, -700.5, -300.25, -30, -1, -1e-10, 0, 1e-20, 0.5, 1, 2.5, 37, 300.1, 709.78]) {
      const want = exact(x).exp();
      const got = dexp(exact(x));
      expect(got.minus(want).div(want).abs().toNumber(), `x = ${x}`).toBeLessThan(1e-45);
    }
  });

  it("the normal tail (series, continued fraction, asymptotic) agrees with a slow independent series to 1e-40", () => {
    for (const a of [0.1, 0.66291, 1, 2, 3.9, 4, 4.5, 5, 6, 7, 8, 10, 12, 14.9, 15, 17, 20, 30]) {
      const want = slowTail(a);
      const got = refUpperTail(exact(a));
      expect(new Decimal(got.toString()).minus(want).div(want).abs().toNumber(), `a = ${a}`).toBeLessThan(1e-40);
    }
    expect(refCdf(new RefDecimal(0)).toNumber()).toBe(0.5);
  });
});
