import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { fitMahalanobis, intentForward, maxSoftmax } from "../../lib/apps/oos-scores";
import { applyTemperature } from "../../lib/eval/temperature";
import { Rng } from "../../lib/core/rng";
import { batchTensors, padBatch } from "../../lib/tasks/batching";
import { randomTaskModel } from "../export/helpers";

const PYTHON = "/usr/bin/python3";

test("maxSoftmax(z, T) is the top probability of lib/eval's applyTemperature (1e-12)", () => {
  const logits = [[2, 0.5, -1], [0, 0, 0], [10, 9.5, -3]];
  for (const t of [1, 0.5, 2.7]) {
    const expected = applyTemperature(logits, t).map((row) => Math.max(...row));
    maxSoftmax(logits, t).forEach((v, i) => assert.ok(Math.abs(v - (expected[i] as number)) < 1e-12));
  }
  assert.throws(() => maxSoftmax(logits, 0), /temperature must be > 0/);
});

test("Mahalanobis score = −min_c (x−μ_c)ᵀ Σ⁻¹ (x−μ_c) with the shared covariance, as numpy computes it (1e-6 relative)", () => {
  const rng = new Rng(3);
  const h = 6;
  const labels = Array.from({ length: 90 }, (_, i) => i % 3);
  const features = labels.map((y) => Array.from({ length: h }, (_, k) => rng.normal() + (k === y ? 3 : 0)));
  const queries = Array.from({ length: 5 }, () => Array.from({ length: h }, () => 2 * rng.normal()));
  const shrinkage = 1e-3;
  const ours = fitMahalanobis(features, labels, 3, { shrinkage }).score(queries);
  const py = `
import json, sys, numpy as np
d = json.load(sys.stdin); X = np.array(d['X']); y = np.array(d['y']); Q = np.array(d['Q'])
mu = np.stack([X[y == c].mean(0) for c in range(3)]); R = X - mu[y]; S = R.T @ R / len(X)
S += d['s'] * np.trace(S) / S.shape[0] * np.eye(S.shape[0]); P = np.linalg.inv(S)
print(json.dumps([-min(float((q - m) @ P @ (q - m)) for m in mu) for q in Q]))`;
  const r = spawnSync(PYTHON, ["-c", py], { input: JSON.stringify({ X: features, y: labels, Q: queries, s: shrinkage }), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const theirs = JSON.parse(r.stdout) as number[];
  ours.forEach((v, i) => assert.ok(Math.abs(v - (theirs[i] as number)) < 1e-6 * Math.abs(theirs[i] as number), `${v} vs ${theirs[i]}`));
  assert.throws(() => fitMahalanobis(features, labels, 4), /class 3 has no training example/);
});

test("intentForward: logits equal model.logits and features the pooled [CLS] vector, in input order; leaks nothing", () => {
  const model = randomTaskModel("sequence", 4, 1);
  try {
    const examples = [{ inputIds: [2, 5, 6, 7, 8, 3], target: 0 }, { inputIds: [2, 9, 3], target: 0 }, { inputIds: [2, 12, 13, 14, 15, 3], target: 0 }];
    const before = tf.memory().numTensors;
    const out = intentForward(model, examples, 0, { batchSize: 2 });
    assert.equal(tf.memory().numTensors, before);
    examples.forEach((e, i) => {
      const [z, f] = tf.tidy(() => {
        const inputs = batchTensors(padBatch([e], [0], 0));
        return [model.logits(inputs).dataSync(), model.bert.pool(model.bert.encode(inputs).hidden).dataSync()];
      }) as unknown as [Float32Array, Float32Array];
      assert.equal(out.logits[i]?.length, 4);
      assert.equal(out.features[i]?.length, model.bert.config.hiddenSize);
      z.forEach((v, k) => assert.ok(Math.abs(v - (out.logits[i]?.[k] as number)) < 1e-4));
      f.forEach((v, k) => assert.ok(Math.abs(v - (out.features[i]?.[k] as number)) < 1e-4));
    });
  } finally {
    model.dispose();
  }
});
