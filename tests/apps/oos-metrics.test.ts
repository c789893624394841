import { test } from "node:test";
import assert from "node:assert/strict";
import { oosReport, thresholdAtPrecision } from "../../lib/apps/oos-metrics";

test("thresholdAtPrecision picks the lowest score whose accepted set is ≥ 95% in scope", () => {
  // Sorted by score: in 0.9, in 0.8, oos 0.7, in 0.6 … ; accepting down to 0.8 is 2/2, to 0.7 is 2/3, to 0.6 is 3/4, to 0.5 is 4/5.
  const inScope = [0.9, 0.8, 0.6, 0.5];
  const oos = [0.7, 0.1];
  assert.deepEqual(thresholdAtPrecision(inScope, oos, 0.95), { threshold: 0.8, precision: 1, coverage: 0.5 });
  assert.deepEqual(thresholdAtPrecision(inScope, oos, 0.75), { threshold: 0.5, precision: 0.8, coverage: 1 }); // 0.6 reaches 3/4 too, but 0.5 is lower
  assert.equal(thresholdAtPrecision(inScope, oos, 0.5).threshold, 0.1); // everything accepted: 4/6 ≥ 0.5
});

test("thresholdAtPrecision accepts tied scores together and returns Infinity when no threshold reaches the target", () => {
  assert.deepEqual(thresholdAtPrecision([0.9, 0.5], [0.9, 0.1], 0.95), { threshold: Infinity, precision: NaN, coverage: 0 });
  assert.throws(() => thresholdAtPrecision([], [0.1]), /needs in-scope and OOS scores/);
});

test("oosReport: τ from validation, recall, precision and coverage on test, AUROC by kind", () => {
  const r = oosReport({
    validation: { inScope: [0.9, 0.8, 0.6], oos: [0.7, 0.2] }, // τ = 0.8
    test: { inScope: [0.95, 0.85, 0.75, 0.3], idOos: [0.82, 0.5], oodOos: [0.1, 0.05] },
    testCorrect: [true, false, true, true],
  });
  assert.equal(r.threshold, 0.8);
  assert.equal(r.inScopeAccuracy, 0.75);
  assert.equal(r.oosRecall, 3 / 4); // 0.82 answered
  assert.equal(r.idOosRecall, 0.5);
  assert.equal(r.oodOosRecall, 1);
  assert.equal(r.testPrecision, 2 / 3);
  assert.equal(r.testCoverage, 0.5);
  assert.equal(r.answeredAccuracy, 0.25); // 0.95 correct and answered; 0.85 answered but wrong
  assert.equal(r.aurocOodOos, 1);
  assert.equal(r.aurocIdOos, 5 / 8); // OOS 0.82 is below 2 of the 4 in-scope scores, 0.5 below 3: 5 of 8 pairs ranked right
});

test("oosReport's intervals: bootstrap over test queries, AUROC stratified so every resample has both kinds", () => {
  // 300 in-scope and 300 OOS queries, Gaussian scores one sd apart: AUROC = Φ(1/√2) ≈ 0.760 in the population.
  let seed = 1;
  const uniform = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const inScope = Array.from({ length: 300 }, () => 1 + normal());
  const oos = Array.from({ length: 300 }, () => normal());
  const r = oosReport({
    validation: { inScope: inScope.slice(0, 100), oos: oos.slice(0, 100) },
    test: { inScope, idOos: oos.slice(0, 150), oodOos: oos.slice(150) },
    testCorrect: inScope.map((_, i) => i % 4 !== 0),
  }, { bootstrap: { samples: 400 } });
  const { inScopeAccuracy, auroc: a, oosRecall } = r.intervals;
  assert.equal(a.value, r.auroc);
  assert.equal(inScopeAccuracy.value, 0.75);
  assert.equal(oosRecall.value, r.oosRecall);
  for (const iv of [inScopeAccuracy, a, oosRecall]) assert.ok(iv.low < iv.value && iv.value < iv.high, JSON.stringify(iv));
  // The AUROC's standard error here is ≈ 0.02 (Hanley & McNeil 1982): a 95% interval about 0.08 wide, around 0.76.
  assert.ok(a.high - a.low > 0.04 && a.high - a.low < 0.12 && a.low < 0.76 && 0.76 < a.high + 0.03, JSON.stringify(a));
  // Four queries of each kind still give an interval (a plain bootstrap would draw one-kind resamples and fail).
  const tiny = oosReport({ validation: { inScope: [0.9, 0.8], oos: [0.2] }, test: { inScope: [0.9, 0.6, 0.4, 0.8], idOos: [0.5, 0.1], oodOos: [0.3, 0.7] }, testCorrect: [true, true, false, true] });
  assert.ok(tiny.intervals.auroc.low <= tiny.auroc && tiny.auroc <= tiny.intervals.auroc.high);
});
