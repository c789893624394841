import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { compareExponentialTrendsAtBreak, compareSlopes } from "../../lib/stats/breakpoint";
import { fitLinear } from "../../lib/stats/regression";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);

test("Welch comparison of two slopes matches a hand computation", () => {
  const a = fitLinear([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]); // b = 0.6, se² = 0.08, df = 3
  const b = fitLinear([1, 2, 3, 4, 5], [1, 3, 4, 6, 8]); // b = 1.7, SSE = 0.3 → s² = 0.1, se² = 0.01, df = 3
  close(b.slope, 1.7, 1e-12, "second slope");
  const c = compareSlopes(a, b);
  close(c.difference, 1.1, 1e-12, "difference");
  close(c.stdError, Math.sqrt(0.09), 1e-12, "se");
  close(c.df, (0.09 ** 2) / (0.08 ** 2 / 3 + 0.01 ** 2 / 3), 1e-9, "Welch df");
  close(c.t, 1.1 / 0.3, 1e-12, "t");
  assert.ok(c.pValue > 0 && c.pValue < 1);
});

test("finds a steeper slope after the break and no difference where there is none", () => {
  const rng = new Rng(11);
  const years = Array.from({ length: 80 }, (_, i) => 2000 + i * 0.25);
  const kinked = years.map((y) => 10 ** ((y < 2010 ? 0.2 * (y - 2000) : 2 + 0.6 * (y - 2010)) + 0.1 * rng.normal()));
  const result = compareExponentialTrendsAtBreak(years, kinked, 2010);
  close(result.before.log10PerYear, 0.2, 0.03, "slope before");
  close(result.after.log10PerYear, 0.6, 0.03, "slope after");
  assert.equal(result.before.fit.n + result.after.fit.n, 80);
  assert.ok(result.comparison.pValue < 1e-6, `p = ${result.comparison.pValue}`);

  const straight = years.map((y) => 10 ** (0.3 * (y - 2000) + 0.1 * rng.normal()));
  const same = compareExponentialTrendsAtBreak(years, straight, 2010);
  assert.ok(same.comparison.differenceCi[0] < 0 && same.comparison.differenceCi[1] > 0, "interval covers 0");
});

test("refuses a break with fewer than 3 points on a side", () => {
  assert.throws(() => compareExponentialTrendsAtBreak([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 2.5), /2 points before 2.5 and 3 after/);
});
