import { test } from "node:test";
import assert from "node:assert/strict";
import { charNoise, outOfDomainAccuracy, robustnessCurve, type PredictFn } from "../../lib/eval";

test("SST-2 model on FPB: neutral examples are dropped and the mapping says so", () => {
  const probs = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]];
  const gold = ["negative", "positive", "neutral", "negative"];
  const r = outOfDomainAccuracy(probs, ["negative", "positive"], gold);
  assert.equal(r.scored, 3);
  assert.deepEqual(r.dropped, { neutral: 1 });
  assert.equal(r.accuracy.value, 2 / 3);
  assert.match(r.mapping, /1 "neutral" examples dropped/);
});

test("FPB model on SST-2: the prediction is the most probable shared label; neutral tops are counted", () => {
  // model labels negative, neutral, positive; example 0's top is neutral but positive beats negative.
  const probs = [[0.1, 0.6, 0.3], [0.5, 0.3, 0.2], [0.2, 0.1, 0.7]];
  const r = outOfDomainAccuracy(probs, ["negative", "neutral", "positive"], ["positive", "negative", "negative"]);
  assert.equal(r.accuracy.value, 2 / 3);
  assert.ok(Math.abs(r.unmappedTopRate - 1 / 3) < 1e-12);
  assert.match(r.mapping, /neutral set aside/);
  assert.throws(() => outOfDomainAccuracy([[0.5, 0.5]], ["a", "b"], ["c"]), /share 0 name/);
});

test("robustness curve: strength 0 reproduces clean accuracy, and noise lowers a spelling-bound model's accuracy", () => {
  const texts = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? "what a good and pleasant film" : "what a bad and tedious film"));
  const labels = texts.map((_, i) => (i % 2 === 0 ? 1 : 0));
  const exact: PredictFn = (ts) => ts.map((t) => (/\bgood\b/.test(t) ? [0, 1] : /\bbad\b/.test(t) ? [1, 0] : [0.5 + 1e-9, 0.5]));
  const curve = robustnessCurve(exact, texts, labels, [0, 0.1, 0.5], (t, rng, s) => charNoise(t, rng, s), { samples: 200 });
  assert.equal(curve[0]!.accuracy.value, 1);
  assert.ok(curve[1]!.accuracy.value < 1 && curve[2]!.accuracy.value < curve[1]!.accuracy.value, curve.map((p) => p.accuracy.value).join(" "));
  assert.notEqual(curve[2]!.example, texts[0]);
});
