import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { incompleteBeta, lnGamma, normalQuantile, studentTCdf, studentTQuantile } from "../../lib/stats/student-t";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);

test("matches the printed two-sided t table (NIST/SEMATECH e-Handbook 1.3.6.7.2) to 4 decimals", () => {
  // [upper-tail probability p, df, t_{p, df}] as printed in the table.
  const table: [number, number, number][] = [
    [0.975, 1, 12.706], [0.975, 2, 4.303], [0.975, 3, 3.182], [0.975, 5, 2.571], [0.975, 10, 2.228],
    [0.975, 30, 2.042], [0.975, 100, 1.984], [0.95, 10, 1.812], [0.95, 1, 6.314], [0.995, 20, 2.845],
    [0.99, 7, 2.998], [0.9995, 1, 636.619], [0.9, 4, 1.533],
  ];
  for (const [p, df, t] of table) close(studentTQuantile(p, df), t, t > 100 ? 0.01 : 0.0006, `t(${p}, ${df})`);
});

test("agrees with closed forms for df = 1 (Cauchy) and df = 2", () => {
  fc.assert(fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p) => {
    close(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-7 * Math.max(1, Math.abs(Math.tan(Math.PI * (p - 0.5)))), "df=1");
    close(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-8 * Math.max(1, 1 / Math.sqrt(p * (1 - p))), "df=2");
  }));
});

test("the quantile inverts the CDF and is antisymmetric", () => {
  fc.assert(fc.property(fc.double({ min: 0.0005, max: 0.9995, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), (p, df) => {
    const t = studentTQuantile(p, df);
    close(studentTCdf(t, df), p, 1e-9, `cdf(quantile(${p}, ${df}))`);
    close(studentTQuantile(1 - p, df), -t, 1e-8 * Math.max(1, Math.abs(t)), "symmetry");
  }));
});

test("tends to the normal quantile as df grows", () => {
  close(normalQuantile(0.975), 1.959963985, 1e-8, "z(0.975)");
  close(normalQuantile(0.005), -2.575829304, 1e-8, "z(0.005)");
  close(studentTQuantile(0.975, 1e6), 1.959963985, 1e-5, "t(0.975, 1e6)");
  assert.equal(studentTQuantile(0.975, Infinity), normalQuantile(0.975));
  close(studentTCdf(1.959963985, Infinity), 0.975, 1e-9, "CDF(1.96, ∞)");
  close(studentTCdf(-2.575829304, Infinity), 0.005, 1e-10, "CDF(-2.58, ∞)");
});

test("lnGamma matches factorials and Γ(1/2) = √π", () => {
  close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12, "lnΓ(1/2)");
  close(lnGamma(10), Math.log(362880), 1e-11, "lnΓ(10)");
  close(lnGamma(1), 0, 1e-13, "lnΓ(1)");
});

test("incompleteBeta meets its closed forms: I_x(a, 1) = x^a and I_½(a, a) = ½", () => {
  for (const [x, a] of [[0.3, 2], [0.9, 0.5], [0.01, 7]] as const) close(incompleteBeta(x, a, 1), x ** a, 1e-14, `I_${x}(${a}, 1)`);
  for (const a of [0.5, 3, 40]) close(incompleteBeta(0.5, a, a), 0.5, 1e-14, `I_½(${a}, ${a})`);
});

test("rejects arguments out of range, naming the value (the library underneath would return NaN)", () => {
  assert.throws(() => studentTQuantile(1, 5), /p=1/);
  assert.throws(() => studentTQuantile(0.5, 0), /df=0/);
  assert.throws(() => studentTCdf(1, -2), /df=-2/);
  assert.throws(() => normalQuantile(0), /normalQuantile\(0\)/);
  assert.throws(() => lnGamma(-1), /lnGamma\(-1\)/);
  assert.throws(() => incompleteBeta(1.5, 1, 1), /x=1.5/);
  assert.throws(() => incompleteBeta(0.5, 0, 1), /a=0/);
});
