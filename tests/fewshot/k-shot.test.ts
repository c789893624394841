import { test } from "node:test";
import assert from "node:assert/strict";
import { sampleKShot, sampleKShotDev } from "../../lib/fewshot/k-shot";

const split = (counts: number[], tag: string) => counts.flatMap((n, label) => Array.from({ length: n }, (_, i) => ({ text: `${tag}-${label}-${i}`, label })));

test("sampleKShot draws k of each class, seeded, and names a class that is too small", () => {
  const examples = split([10, 10, 10], "t");
  const picked = sampleKShot(examples, 4, 3, 7);
  assert.deepEqual([0, 1, 2].map((c) => picked.filter((e) => e.label === c).length), [4, 4, 4]);
  assert.deepEqual(sampleKShot(examples, 4, 3, 7), picked);
  assert.throws(() => sampleKShot(split([3, 10], "t"), 4, 2, 0), /class 0 has 3 examples, fewer than k = 4/);
});

test("sampleKShotDev uses the validation split when every class has k examples there", () => {
  const train = split([50, 50], "train");
  const validation = split([8, 8], "val");
  const picked = sampleKShot(train, 8, 2, 1);
  const { dev, source } = sampleKShotDev(validation, train, picked, 8, 2, 101);
  assert.equal(source, "validation");
  assert.deepEqual(dev, sampleKShot(validation, 8, 2, 101));
});

test("sampleKShotDev falls back to training examples outside the k-shot set when validation is short of a class", () => {
  // FPB's case: 30 negative sentences in its validation split, k = 32.
  const validation = split([30, 200], "val");
  const train = split([80, 100], "train");
  const picked = sampleKShot(train, 32, 2, 3);
  const { dev, source } = sampleKShotDev(validation, train, picked, 32, 2, 103);
  assert.equal(source, "train");
  assert.deepEqual([0, 1].map((c) => dev.filter((e) => e.label === c).length), [32, 32]);
  const inTrain = new Set(picked.map((e) => e.text));
  assert.ok(dev.every((e) => e.text.startsWith("train-") && !inTrain.has(e.text)), "the dev set overlaps the k-shot training set");
  assert.deepEqual(sampleKShotDev(validation, train, picked, 32, 2, 103).dev, dev);
  // Neither split has 32 more negatives: the error names the class.
  const small = split([40, 100], "train");
  assert.throws(() => sampleKShotDev(validation, small, sampleKShot(small, 32, 2, 3), 32, 2, 103), /class 0 has 8 examples, fewer than k = 32/);
});
