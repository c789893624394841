import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { accuracy, classificationReport, entityScores } from "../../lib/metrics";
import { accuracyInterval, accuracyIntervalFromCount, classificationIntervals, entityF1Interval, macroF1Interval, pairedBootstrapAccuracy, pairedBootstrapEntityF1 } from "../../lib/eval";

function fakeClassifier(n: number, numClasses: number, accuracyRate: number, seed: number): { predictions: number[]; labels: number[] } {
  const rng = new Rng(seed);
  const labels = Array.from({ length: n }, () => rng.int(numClasses));
  const predictions = labels.map((l) => (rng.uniform() < accuracyRate ? l : (l + 1 + rng.int(numClasses - 1)) % numClasses));
  return { predictions, labels };
}

test("accuracy and macro-F1 intervals hold the full-set score, which equals lib/metrics'", () => {
  const { predictions, labels } = fakeClassifier(300, 3, 0.7, 1);
  const acc = accuracyInterval(predictions, labels);
  assert.equal(acc.value, accuracy(predictions, labels));
  assert.ok(acc.low < acc.value && acc.value < acc.high);
  // Binomial standard error √(p(1−p)/n) ≈ 0.026: the 95% interval is about ±1.96 of it.
  assert.ok(Math.abs((acc.high - acc.low) / 2 - 1.96 * Math.sqrt((acc.value * (1 - acc.value)) / 300)) < 0.01, `${acc.low} ${acc.high}`);
  const f1 = macroF1Interval(predictions, labels, 3);
  assert.equal(f1.value, classificationReport(predictions, labels, { numClasses: 3 }).macro.f1);
  assert.ok(f1.low < f1.value && f1.value < f1.high);
  const both = classificationIntervals(predictions, labels, 3, { seed: 5 });
  assert.deepEqual(both.accuracy, accuracyInterval(predictions, labels, { seed: 5 }));
});

test("intervals shrink as the test set grows (about 1/√n)", () => {
  const small = fakeClassifier(100, 2, 0.8, 2);
  const large = fakeClassifier(1600, 2, 0.8, 2);
  const w = (x: { low: number; high: number }) => x.high - x.low;
  const ratio = w(accuracyInterval(small.predictions, small.labels)) / w(accuracyInterval(large.predictions, large.labels));
  assert.ok(ratio > 3 && ratio < 5, `width ratio ${ratio}, expected ≈ √16 = 4`);
});

test("entity F1 resamples sentences: the point estimate is entityScores' overall line", () => {
  const gold = [
    ["B-PER", "I-PER", "O", "B-LOC"],
    ["O", "B-ORG", "O"],
    ["B-LOC", "O", "B-PER"],
    ["O", "O"],
    ["B-MISC", "I-MISC", "O", "B-PER"],
  ];
  const predicted = [
    ["B-PER", "I-PER", "O", "O"],
    ["O", "B-ORG", "O"],
    ["B-LOC", "O", "B-LOC"],
    ["O", "B-PER"],
    ["B-MISC", "O", "O", "B-PER"],
  ];
  const full = entityScores(gold, predicted, { scheme: "IOB2" }).overall;
  const r = entityF1Interval(gold, predicted, { scheme: "IOB2" }, { samples: 500 });
  assert.ok(Math.abs(r.f1.value - full.f1) < 1e-12 && Math.abs(r.precision.value - full.precision) < 1e-12 && Math.abs(r.recall.value - full.recall) < 1e-12);
  // Every resample's F1 lies in [0, 1]; with 5 sentences the interval is wide.
  assert.ok(r.f1.low >= 0 && r.f1.high <= 1 && r.f1.high - r.f1.low > 0.2, JSON.stringify(r.f1));
  assert.throws(() => entityF1Interval(gold, predicted.slice(1), { scheme: "IOB2" }), /predictions but/);
});

test("paired bootstrap: a better model B gets a positive difference and a small p-value; equal models do not", () => {
  const { labels, predictions: a } = fakeClassifier(500, 2, 0.75, 3);
  const rng = new Rng(9);
  const b = a.map((p, i) => (p !== labels[i] && rng.uniform() < 0.4 ? labels[i]! : p)); // B fixes 40% of A's errors
  const r = pairedBootstrapAccuracy(a, b, labels);
  assert.ok(r.difference.value > 0.05 && r.difference.low > 0, JSON.stringify(r.difference));
  assert.ok(r.pValue < 0.01);
  const same = pairedBootstrapAccuracy(a, a, labels);
  assert.equal(same.difference.value, 0);
  assert.equal(same.pValue, 1); // δ = 0 on every resample: never better
});

test("paired bootstrap of entity F1 resamples sentences: the whole-set difference is conlleval's, a better tagger wins", () => {
  const gold = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? ["B-PER", "I-PER", "O"] : ["O", "B-LOC", "O"]));
  const a = gold.map((g, i) => (i % 2 === 0 ? ["O", "O", "O"] : g)); // misses every entity of even sentences
  const b = gold.map((g, i) => (i % 10 === 0 ? ["O", "O", "O"] : g)); // misses one sentence in ten
  const r = pairedBootstrapEntityF1(gold, a, b, { scheme: "IOB2" });
  assert.equal(r.scoreA, entityScores(gold, a, { scheme: "IOB2" }).overall.f1);
  assert.equal(r.scoreB, entityScores(gold, b, { scheme: "IOB2" }).overall.f1);
  assert.ok(r.difference.low > 0 && r.pValue < 0.01, JSON.stringify(r));
  assert.equal(pairedBootstrapEntityF1(gold, a, a, { scheme: "IOB2" }).pValue, 1);
  assert.throws(() => pairedBootstrapEntityF1(gold, a.slice(1), b, { scheme: "IOB2" }), /59 and 60 predicted sentences for 60/);
});

test("accuracyIntervalFromCount agrees with accuracyInterval on predictions with that many right, up to Monte Carlo noise", () => {
  const { labels, predictions } = fakeClassifier(300, 3, 0.7, 5);
  const correct = predictions.filter((p, i) => p === labels[i]).length;
  const fromCount = accuracyIntervalFromCount(correct, labels.length, { samples: 4000 });
  const fromPredictions = accuracyInterval(predictions, labels, { samples: 4000 });
  assert.equal(fromCount.value, fromPredictions.value);
  // Binomial standard error of the accuracy is 0.026 here; the percentile ends agree to well within a tenth of it.
  assert.ok(Math.abs(fromCount.low - fromPredictions.low) <= 0.006 && Math.abs(fromCount.high - fromPredictions.high) <= 0.006, JSON.stringify([fromCount, fromPredictions]));
  assert.throws(() => accuracyIntervalFromCount(301, 300), /301 correct of 300/);
});
