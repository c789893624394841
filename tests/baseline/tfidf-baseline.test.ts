import { test } from "node:test";
import assert from "node:assert/strict";
import { trainTfidfBaseline } from "../../lib/baseline";
import { accuracy } from "../../lib/metrics";

// Three classes, each with its own words: linearly separable.
const TRAIN = [
  { text: "great wonderful film", label: 2 },
  { text: "wonderful acting great", label: 2 },
  { text: "a great story", label: 2 },
  { text: "terrible boring film", label: 0 },
  { text: "boring awful acting", label: 0 },
  { text: "an awful story", label: 0 },
  { text: "the film was released on friday", label: 1 },
  { text: "acting credits released friday", label: 1 },
  { text: "the story runs two hours", label: 1 },
];

test("separable toy data: 100% on train and on new texts made of the same cue words", () => {
  const baseline = trainTfidfBaseline(TRAIN, { numClasses: 3 });
  assert.equal(accuracy(baseline.predict(TRAIN.map((e) => e.text)), TRAIN.map((e) => e.label)), 1);
  assert.deepEqual(baseline.predict(["great film", "awful film", "released on friday"]), [2, 0, 1]);
  const losses = baseline.model.trainInfo!.losses;
  assert.ok(losses[losses.length - 1]! < 0.5 * losses[0]!, "training lowered the loss"); // starts at ln 3
  assert.ok(Math.abs(losses[0]! - Math.log(3)) < 1e-12);
});

test("stronger regularisation (smaller C) shrinks the weights", () => {
  const norm = (C: number): number => {
    const m = trainTfidfBaseline(TRAIN, { model: { C } }).model;
    return Math.sqrt(m.weights.reduce((s, w) => s + w * w, 0));
  };
  const [small, medium, large] = [norm(0.01), norm(1), norm(100)];
  assert.ok(small < medium && medium < large, `‖W‖: C=0.01 → ${small}, C=1 → ${medium}, C=100 → ${large}`);
  assert.ok(small < 0.1 * large);
});

test("deterministic: two fits give bit-identical weights (zero init, full batch, no randomness)", () => {
  const a = trainTfidfBaseline(TRAIN).model;
  const b = trainTfidfBaseline([...TRAIN]).model;
  assert.deepEqual(Array.from(a.weights), Array.from(b.weights));
  assert.deepEqual(Array.from(a.bias), Array.from(b.bias));
  assert.ok(a.weights.some((w) => w !== 0));
});
