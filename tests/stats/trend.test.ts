import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { decimalYear } from "../../lib/stats/dates";
import { fitExponentialTrend, trendValueAt } from "../../lib/stats/trend";

const close = (actual: number, expected: number, tol: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);

test("decimalYear maps dates to fractions of their year", () => {
  assert.equal(decimalYear("2020-01-01"), 2020);
  close(decimalYear("2020-07-02"), 2020 + 183 / 366, 1e-12, "leap year: 183 days (Jan–Jun) before 2 July");
  close(decimalYear("2021-12-31"), 2021 + 364 / 365, 1e-12, "last day");
  assert.throws(() => decimalYear("not a date"), /"not a date"/);
});

test("a quantity that doubles every 6 months exactly has a 6-month doubling time and 4x growth per year", () => {
  const years = [2010, 2010.5, 2011.25, 2013, 2016.75];
  const trend = fitExponentialTrend(years, years.map((y) => 1e9 * 2 ** ((y - 2010) * 2)));
  close(trend.doublingMonths, 6, 1e-9, "doubling");
  close(trend.growthPerYear, 4, 1e-9, "growth");
  close(trend.doublingMonthsCi[0], 6, 1e-6, "ci low");
  close(trend.doublingMonthsCi[1], 6, 1e-6, "ci high");
  close(trendValueAt(trend, 2012) / (1e9 * 16), 1, 1e-12, "fitted value (relative)");
});

test("the 95% doubling-time interval covers the true value about 95% of the time", () => {
  const rng = new Rng(7);
  const truth = 18; // months
  let covered = 0;
  const runs = 1000;
  for (let r = 0; r < runs; r++) {
    const years = Array.from({ length: 6 }, () => 2000 + 20 * rng.uniform());
    const values = years.map((y) => 10 ** ((12 * Math.log10(2) / truth) * (y - 2000) + 3 + 0.4 * rng.normal()));
    const [lo, hi] = fitExponentialTrend(years, values).doublingMonthsCi;
    if (lo <= truth && truth <= hi) covered++;
  }
  // 6 points → df = 4, where t(0.975, 4) = 2.776 but z = 1.96: a normal quantile would cover only ≈ 88%.
  // Binomial(1000, 0.95) has sd ≈ 0.7%; 0.93–0.97 is about ±3 sd (the seed makes the run deterministic).
  assert.ok(covered / runs > 0.93 && covered / runs < 0.97, `coverage ${covered}/${runs}`);
});

test("no growth gives an infinite doubling time and an open-ended interval", () => {
  const trend = fitExponentialTrend([2000, 2001, 2002, 2003], [10, 5, 10, 5]);
  assert.ok(trend.log10PerYear <= 0);
  assert.equal(trend.doublingMonths, Infinity);
  assert.equal(trend.doublingMonthsCi[1], Infinity);
});

test("refuses non-positive values, naming the index", () => {
  assert.throws(() => fitExponentialTrend([1, 2, 3], [1, 0, 3]), /value 1 is 0/);
});
