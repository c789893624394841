import { test } from "node:test";
import assert from "node:assert/strict";
import { runActiveLearning, summarizeLearningCurves, ACQUISITION_STRATEGIES } from "../../lib/active";
import type { LabelPool, Learner } from "../../lib/active";
import { trainTfidfBaseline } from "../../lib/baseline";

// Two classes with their own cue words, plus neutral filler so the texts differ.
const WORDS = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"];
const make = (n: number, offset: number) =>
  Array.from({ length: n }, (_, i) => {
    const label = (i + offset) % 2;
    return { text: `${label ? "good great" : "bad awful"} ${WORDS[(i * 3 + offset) % 8]} ${WORDS[(i * 5 + 1) % 8]} item${i}`, label };
  });
const POOL = make(60, 0);
const TEST = make(20, 1);

/** A pool whose oracle records every label it reveals. */
function spyPool(): LabelPool & { asked: number[] } {
  const asked: number[] = [];
  return { texts: POOL.map((e) => e.text), label: (i) => (asked.push(i), POOL[i]!.label), asked };
}
const learner: Learner = (train) => trainTfidfBaseline(train, { numClasses: 2, model: { maxIter: 50 } });

test("each strategy: the loop never acquires an example twice and reads only the labels it acquired", () => {
  for (const strategy of ACQUISITION_STRATEGIES) {
    const pool = spyPool();
    const run = runActiveLearning(pool, learner, { strategy, test: TEST, initialSize: 4, batchSize: 5, rounds: 4, seed: 1 });
    const all = run.acquired.flat();
    assert.equal(new Set(all).size, all.length, `${strategy}: no duplicates`);
    assert.deepEqual(run.acquired.map((b) => b.length), [4, 5, 5, 5, 5]);
    assert.deepEqual(pool.asked, all, `${strategy}: the oracle was asked exactly for the acquired examples, in order`);
    assert.deepEqual(run.labelsUsed, [4, 9, 14, 19, 24]);
    assert.equal(run.scores.length, 5);
    assert.ok(run.scores.every((s) => s >= 0 && s <= 1));
  }
});

test("the learner sees exactly the acquired examples with their true labels", () => {
  const seen: number[] = [];
  const spy: Learner = (train) => {
    seen.push(train.length);
    for (const e of train) assert.equal(e.label, POOL.find((p) => p.text === e.text)!.label);
    return learner(train);
  };
  runActiveLearning(spyPool(), spy, { strategy: "entropy", test: TEST, initialSize: 6, batchSize: 3, rounds: 2 });
  assert.deepEqual(seen, [6, 9, 12]);
});

test("same seed, same run; another seed, another initial set", () => {
  const opts = { strategy: "margin" as const, test: TEST, initialSize: 4, batchSize: 4, rounds: 2 };
  const a = runActiveLearning(spyPool(), learner, { ...opts, seed: 5 });
  assert.deepEqual(runActiveLearning(spyPool(), learner, { ...opts, seed: 5 }), a);
  assert.notDeepEqual(runActiveLearning(spyPool(), learner, { ...opts, seed: 6 }).acquired[0], a.acquired[0]);
});

test("uncertainty sampling asks for the examples the model is least sure about", () => {
  // A fake learner: confident on even pool indices, unsure on odd ones → least confidence takes odd indices only.
  const texts = Array.from({ length: 20 }, (_, i) => `t${i}`);
  const fake: Learner = () => ({ predictProba: (ts) => ts.map((t) => (Number(t.slice(1)) % 2 ? [0.55, 0.45] : [0.95, 0.05])) });
  const run = runActiveLearning({ texts, label: () => 0 }, fake, { strategy: "least-confidence", test: [{ text: "t0", label: 0 }], initialSize: 2, batchSize: 4, rounds: 2, seed: 0 });
  for (const batch of run.acquired.slice(1)) assert.ok(batch.every((i) => i % 2 === 1), `acquired ${batch}`);
});

test("too small a pool and bad sizes are refused with the way out", () => {
  assert.throws(() => runActiveLearning(spyPool(), learner, { strategy: "random", test: TEST, initialSize: 10, batchSize: 10, rounds: 6 }), /60 texts but 10 \+ 6×10 = 70.*lower rounds/);
  assert.throws(() => runActiveLearning(spyPool(), learner, { strategy: "random", test: TEST, batchSize: 0 }), /batchSize must be a positive integer/);
  assert.throws(() => runActiveLearning(spyPool(), learner, { strategy: "random", test: [], rounds: 1 }), /test set is empty/);
});

test("summarizeLearningCurves: mean, sample std, min and max per point", () => {
  const base = { strategy: "entropy" as const, labelsUsed: [10, 20], acquired: [] };
  const s = summarizeLearningCurves([
    { ...base, seed: 0, scores: [0.5, 0.7] },
    { ...base, seed: 1, scores: [0.6, 0.9] },
    { ...base, seed: 2, scores: [0.7, 0.8] },
  ]);
  assert.deepEqual(s.labelsUsed, [10, 20]);
  assert.ok(Math.abs(s.mean[0]! - 0.6) < 1e-12 && Math.abs(s.mean[1]! - 0.8) < 1e-12);
  assert.ok(Math.abs(s.std[0]! - 0.1) < 1e-12 && Math.abs(s.std[1]! - 0.1) < 1e-12);
  assert.deepEqual([s.min, s.max], [[0.5, 0.7], [0.7, 0.9]]);
  assert.throws(() => summarizeLearningCurves([{ ...base, seed: 0, scores: [1, 1] }, { ...base, strategy: "margin", seed: 1, scores: [1, 1] }]), /mixed strategies/);
  assert.throws(() => summarizeLearningCurves([]), /no runs/);
});
