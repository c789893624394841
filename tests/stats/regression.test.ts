import { test } from "node:test";
import assert from "node:assert/strict";
import { fitLinear, predictLinear } from "../../lib/stats/regression";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);

test("reproduces a hand-computed fit with its 95% slope interval", () => {
  // x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6 → b = 0.6, a = 2.2; SSE = 2.4, s² = 0.8, se(b) = √0.08; t(0.975, 3) = 3.182446.
  const fit = fitLinear([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
  close(fit.slope, 0.6, 1e-12, "slope");
  close(fit.intercept, 2.2, 1e-12, "intercept");
  close(fit.slopeStdError, Math.sqrt(0.08), 1e-12, "se");
  close(fit.rSquared, 0.6, 1e-12, "R²");
  assert.equal(fit.df, 3);
  close(fit.slopeCi[0], 0.6 - 3.182446 * Math.sqrt(0.08), 1e-5, "ci low");
  close(fit.slopeCi[1], 0.6 + 3.182446 * Math.sqrt(0.08), 1e-5, "ci high");
  close(predictLinear(fit, 10), 8.2, 1e-12, "prediction");
});

test("an exact line has zero standard error and is stable at year-sized x", () => {
  const x = [2015.1, 2016.7, 2019.2, 2023.9];
  const fit = fitLinear(x, x.map((v) => 3 - 0.25 * v));
  close(fit.slope, -0.25, 1e-12, "slope");
  close(fit.slopeStdError, 0, 1e-9, "se");
  close(fit.rSquared, 1, 1e-12, "R²");
});

test("a wider confidence level gives a wider interval", () => {
  const x = [1, 2, 3, 4, 5, 6];
  const y = [1.1, 1.9, 3.2, 3.8, 5.3, 5.9];
  const w = (level: number): number => { const f = fitLinear(x, y, { level }); return f.slopeCi[1] - f.slopeCi[0]; };
  assert.ok(w(0.99) > w(0.95) && w(0.95) > w(0.8));
});

test("refuses too few points, constant x, mismatched lengths and NaN, naming the problem", () => {
  assert.throws(() => fitLinear([1, 2], [1, 2]), /need at least 3/);
  assert.throws(() => fitLinear([1, 1, 1], [1, 2, 3]), /all 3 x values equal 1/);
  assert.throws(() => fitLinear([1, 2, 3], [1, 2]), /x has 3 values but y has 2/);
  assert.throws(() => fitLinear([1, 2, 3], [1, NaN, 3]), /point 1/);
});
