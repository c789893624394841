// The paired bootstrap of a seed-averaged score (lib/eval/paired-bootstrap.ts: pairedBootstrapAccuracySeeds,
// pairedBootstrapEntityF1Seeds), what bench/pretrain-objectives.ts reports for pretrained vs scratch over seeds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../lib/core/rng";
import { pairedBootstrapAccuracy, pairedBootstrapAccuracySeeds, pairedBootstrapEntityF1, pairedBootstrapEntityF1Seeds } from "../../lib/eval";
import { entityScores } from "../../lib/metrics";

/** Predictions for `labels` that are right with probability `p` (wrong ones: the next class). */
function run(labels: number[], p: number, seed: number): number[] {
  const rng = new Rng(seed);
  return labels.map((y) => (rng.uniform() < p ? y : (y + 1) % 3));
}

const accuracy = (pred: number[], labels: number[]) => pred.filter((p, i) => p === labels[i]).length / labels.length;

test("seed-averaged accuracy: the scores are the means over seeds, δ their difference; a better recipe wins", () => {
  const labels = Array.from({ length: 400 }, (_, i) => i % 3);
  const a = [run(labels, 0.6, 1), run(labels, 0.7, 2)];
  const b = [run(labels, 0.8, 3), run(labels, 0.85, 4), run(labels, 0.75, 5)];
  const r = pairedBootstrapAccuracySeeds(a, b, labels);
  const meanA = (accuracy(a[0]!, labels) + accuracy(a[1]!, labels)) / 2;
  const meanB = (accuracy(b[0]!, labels) + accuracy(b[1]!, labels) + accuracy(b[2]!, labels)) / 3;
  assert.ok(Math.abs(r.scoreA - meanA) < 1e-12 && Math.abs(r.scoreB - meanB) < 1e-12);
  assert.ok(Math.abs(r.difference.value - (meanB - meanA)) < 1e-12);
  assert.ok(r.difference.low > 0 && r.pValue < 0.01, JSON.stringify(r));
  assert.ok(r.difference.low <= r.difference.value && r.difference.value <= r.difference.high);
  const swapped = pairedBootstrapAccuracySeeds(b, a, labels);
  assert.ok(swapped.difference.value < 0 && swapped.pValue > 0.99, "B worse than A: δ < 0 on (nearly) every resample");
});

test("seed-averaged accuracy: repeated identical seeds give the single-run paired bootstrap exactly", () => {
  const labels = Array.from({ length: 120 }, (_, i) => i % 3);
  const [a, b] = [run(labels, 0.6, 7), run(labels, 0.7, 8)];
  assert.deepEqual(pairedBootstrapAccuracySeeds([a, a], [b, b, b], labels, { seed: 3 }), pairedBootstrapAccuracy(a, b, labels, { seed: 3 }));
});

test("seed-averaged entity F1: each run's whole-set score is conlleval's micro F1; the mean is compared", () => {
  const gold = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? ["B-PER", "I-PER", "O"] : ["O", "B-LOC", "O"]));
  const miss = (every: number) => gold.map((g, i) => (i % every === 0 ? ["O", "O", "O"] : g));
  const a = [miss(2), miss(3)];
  const b = [miss(10), miss(7)];
  const f1 = (p: string[][]) => entityScores(gold, p, { scheme: "IOB2" }).overall.f1;
  const r = pairedBootstrapEntityF1Seeds(gold, a, b, { scheme: "IOB2" });
  assert.ok(Math.abs(r.scoreA - (f1(a[0]!) + f1(a[1]!)) / 2) < 1e-12);
  assert.ok(Math.abs(r.scoreB - (f1(b[0]!) + f1(b[1]!)) / 2) < 1e-12);
  assert.ok(r.difference.low > 0 && r.pValue < 0.01);
  assert.deepEqual(pairedBootstrapEntityF1Seeds(gold, [a[0]!], [b[0]!], { scheme: "IOB2" }), pairedBootstrapEntityF1(gold, a[0]!, b[0]!, { scheme: "IOB2" }));
});

test("seed-averaged paired bootstrap: a missing side or a run of another test set fails naming it", () => {
  const labels = [0, 1, 2, 0];
  assert.throws(() => pairedBootstrapAccuracySeeds([], [[0, 1, 2, 0]], labels), /needs at least one run of each model \(got 0 and 1\)/);
  assert.throws(() => pairedBootstrapAccuracySeeds([[0, 1, 2, 0]], [[0, 1, 2, 0], [0, 1]], labels), /run 1 of B has 2 predictions for 4 test examples/);
  assert.throws(() => pairedBootstrapEntityF1Seeds([["O"]], [[["O"], ["O"]]], [[["O"]]], { scheme: "IOB2" }), /run 0 of A has 2 predictions for 1 test examples/);
});
