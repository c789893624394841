import { test } from "node:test";
import assert from "node:assert/strict";
import { mcnemar, mcnemarFromCounts, mcnemarRange } from "../../lib/eval";

// Golden p-values from scipy 1.10 (/usr/bin/python3): exact = stats.binomtest(min(b,c), b+c, 0.5).pvalue,
// chi2 = stats.chi2.sf((|b−c|−1)²/(b+c), 1) — statsmodels' mcnemar(exact=True) and mcnemar(exact=False).
const GOLDEN: [number, number, number, number, number][] = [
  // b, c, exact p, corrected χ², χ² p
  [3, 9, 0.14599609375, 2.0833333333333335, 0.14891467317876161],
  [0, 5, 0.0625, 3.2, 0.07363827012030258],
  [10, 10, 1.0, 0.05, 0.8230632737581214],
  [7, 1, 0.0703125, 3.125, 0.07709987174354202],
  [30, 45, 0.10534226887460482, 2.6133333333333333, 0.10596880912720207],
  [20, 5, 0.004077315330505371, 7.84, 0.005110260660855866],
  [100, 130, 0.05561357778139239, 3.6565217391304348, 0.055850113675743426],
];

test("exact and corrected chi-squared p-values equal scipy's", () => {
  for (const [b, c, exact, chi2, chi2p] of GOLDEN) {
    const e = mcnemarFromCounts(b, c, { method: "exact" });
    assert.ok(Math.abs(e.pValue - exact) < 1e-12, `exact b=${b} c=${c}: ${e.pValue} vs ${exact}`);
    const x = mcnemarFromCounts(b, c, { method: "chi2" });
    assert.ok(Math.abs(x.statistic - chi2) < 1e-12, `χ² b=${b} c=${c}`);
    assert.ok(Math.abs(x.pValue - chi2p) < 1e-9, `χ² p b=${b} c=${c}: ${x.pValue} vs ${chi2p}`);
  }
});

test("the exact test is chosen below 25 discordant examples, chi-squared from 25", () => {
  assert.equal(mcnemarFromCounts(3, 9).method, "exact");
  assert.equal(mcnemarFromCounts(20, 4).method, "exact");
  assert.equal(mcnemarFromCounts(20, 5).method, "chi2");
  assert.equal(mcnemarFromCounts(0, 0).pValue, 1);
});

test("mcnemar counts only discordant examples from predictions", () => {
  //            0  1  2  3  4  5  6  7
  const labels = [1, 1, 0, 0, 1, 0, 1, 0];
  const a = [1, 0, 0, 1, 1, 0, 0, 1]; // right on 0, 2, 4, 5
  const b = [1, 1, 1, 0, 0, 0, 1, 0]; // right on 0, 1, 3, 5, 6, 7
  const r = mcnemar(a, b, labels);
  assert.deepEqual([r.b, r.c], [2, 4]); // only A: 2, 4; only B: 1, 3, 6, 7
  assert.equal(r.method, "exact");
  assert.throws(() => mcnemar([1], [1, 0], [1, 0]), /same test set/);
  assert.throws(() => mcnemarFromCounts(-1, 2), /non-negative integer/);
});

test("mcnemarRange brackets the McNemar p of every pairing the two correct counts allow", () => {
  // A pairing of two prediction vectors is fixed by its four cells: both right, only A (b), only B (c), both
  // wrong. With A right 30 times and B 24 times out of 40, every feasible table is enumerated here.
  const n = 40;
  const range = mcnemarRange(n, 30, 24);
  const ps: number[] = [];
  for (let bothRight = 0; bothRight <= 24; bothRight++) {
    const b = 30 - bothRight;
    const c = 24 - bothRight;
    if (n - bothRight - b - c < 0) continue; // both wrong would be negative
    ps.push(mcnemarFromCounts(b, c).pValue);
  }
  assert.ok(ps.length > 3);
  assert.equal(range.low.pValue, Math.min(...ps));
  assert.equal(range.high.pValue, Math.max(...ps));
  assert.equal(range.low.b - range.low.c, 6);
  // Banking77 in the README's full table (n = 3080, 0.769 vs 0.712): significant whatever the pairing.
  assert.ok(mcnemarRange(3080, Math.round(0.769 * 3080), Math.round(0.712 * 3080)).high.pValue < 1e-3);
  // Equal counts: the least significant pairing has p = 1.
  assert.equal(mcnemarRange(10, 5, 5).high.pValue, 1);
  assert.throws(() => mcnemarRange(10, 11, 5), /correctA = 11/);
});
