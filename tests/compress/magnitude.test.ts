import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { isEncoderLinearWeight, pruneMagnitude, weightSparsity } from "../../lib/compress";
import { randomClassifier } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

/** |w| of every encoder Linear weight, before pruning. */
function magnitudes(params: Map<string, tf.Variable>): Map<string, Float32Array> {
  return new Map([...params].filter(([n, v]) => isEncoderLinearWeight(n, v.shape)).map(([n, v]) => [n, (v.dataSync() as Float32Array).map(Math.abs)]));
}

test("pruneMagnitude reaches the requested sparsity exactly, globally, and zeroes the smallest weights", () => {
  for (const sparsity of [0, 0.3, 0.5, 0.9]) {
    const model = randomClassifier(1);
    try {
      const before = magnitudes(model.params);
      const total = [...before.values()].reduce((n, d) => n + d.length, 0);
      const report = pruneMagnitude(model, sparsity);
      assert.equal(report.pruned, Math.round(sparsity * total));
      assert.equal(report.total, total);
      assert.ok(Math.abs(weightSparsity(model.params) - sparsity) < 1 / total + 1e-12, `sparsity ${weightSparsity(model.params)} vs ${sparsity}`);
      // Every pruned |w| ≤ every kept |w| (one global threshold), and kept weights are unchanged.
      let maxPruned = 0;
      let minKept = Infinity;
      for (const [name, mags] of before) {
        const now = model.params.get(name)!.dataSync();
        mags.forEach((m, i) => {
          if (now[i] === 0) maxPruned = Math.max(maxPruned, m);
          else {
            minKept = Math.min(minKept, m);
            assert.equal(Math.abs(now[i]!), m);
          }
        });
      }
      assert.ok(maxPruned <= minKept, `pruned up to ${maxPruned} but kept ${minKept}`);
      if (sparsity > 0) assert.ok(report.threshold === maxPruned);
      report.dispose();
    } finally {
      model.dispose();
    }
  }
});

test("pruneMagnitude leaves embeddings, biases, LayerNorms, pooler and classifier alone", () => {
  const model = randomClassifier(2);
  try {
    const untouched = [...model.params].filter(([n, v]) => !isEncoderLinearWeight(n, v.shape)).map(([n, v]) => [n, Array.from(v.dataSync())] as const);
    pruneMagnitude(model, 0.8).dispose();
    for (const [name, values] of untouched) assert.deepEqual(Array.from(model.params.get(name)!.dataSync()), values, name);
  } finally {
    model.dispose();
  }
});

test("applyMasks re-zeroes pruned weights after an update moved them; no tensors leak", () => {
  const model = randomClassifier(3);
  try {
    const start = tf.memory().numTensors;
    const report = pruneMagnitude(model, 0.5);
    for (const [name] of report.masks) tf.tidy(() => model.params.get(name)!.assign(tf.add(model.params.get(name)!, 0.01)));
    assert.ok(weightSparsity(model.params) < 0.01);
    report.applyMasks();
    assert.equal(weightSparsity(model.params), 0.5);
    report.dispose();
    assert.equal(tf.memory().numTensors, start);
  } finally {
    model.dispose();
  }
});

test("pruneMagnitude rejects a sparsity outside [0, 1]", () => {
  const model = randomClassifier(4);
  try {
    assert.throws(() => pruneMagnitude(model, 1.5), /sparsity must be in \[0, 1\]/);
  } finally {
    model.dispose();
  }
});

test("ties at the threshold are broken so that exactly round(s · n) weights go", () => {
  const model = randomClassifier(5);
  try {
    // Every encoder weight is ±0.1 or ±0.2: a third of them at the smallest magnitude.
    for (const [name, v] of model.params) {
      if (!isEncoderLinearWeight(name, v.shape)) continue;
      tf.tidy(() => v.assign(tf.tensor(Array.from({ length: v.size }, (_, i) => (i % 3 === 0 ? 0.1 : 0.2) * (i % 2 ? -1 : 1)), v.shape)));
    }
    const report = pruneMagnitude(model, 0.25);
    assert.equal(report.pruned, Math.round(0.25 * report.total));
    assert.equal(report.threshold, Math.fround(0.1));
    assert.ok(Math.abs(weightSparsity(model.params) - 0.25) < 1 / report.total + 1e-12);
    report.dispose();
  } finally {
    model.dispose();
  }
});
