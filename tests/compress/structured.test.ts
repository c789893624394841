import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { headImportance, neuronImportance, pruneStructured, topIndices, classifierRunner } from "../../lib/compress";
import { examples, logitsOf, maxAbsDiff, randomClassifier, tinyConfig } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

/** Zeroes rows `[from, to)` of a `[rows, cols]` variable (or columns with axis 1). */
function zeroBlock(v: tf.Variable, from: number, to: number, axis: 0 | 1): void {
  const [rows, cols] = v.shape as [number, number];
  const data = Float32Array.from(v.dataSync());
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if ((axis === 0 ? r : c) >= from && (axis === 0 ? r : c) < to) data[r * cols + c] = 0;
  tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
}

test("keeping every head and neuron reproduces the model's logits (1e-5)", () => {
  const model = randomClassifier(1);
  const batch = examples(5);
  try {
    const pruned = pruneStructured(model);
    try {
      assert.ok(maxAbsDiff(logitsOf(pruned.model, batch), logitsOf(model, batch)) < 1e-5);
    } finally {
      pruned.model.dispose();
    }
  } finally {
    model.dispose();
  }
});

test("heads whose output rows are zero and neurons whose output rows are zero are the ones removed, and the logits do not change", () => {
  const model = randomClassifier(2); // 4 heads of D = 4, I = 32
  const batch = examples(6);
  try {
    const D = 4;
    // Layer 0 loses heads 1 and 3, layer 1 heads 0 and 2; each layer loses 12 neurons at a different place.
    const dead = [[1, 3], [0, 2]];
    dead.forEach((heads, i) => {
      for (const h of heads) zeroBlock(model.params.get(`bert.encoder.layer.${i}.attention.output.dense.weight`)!, h * D, (h + 1) * D, 0);
      zeroBlock(model.params.get(`bert.encoder.layer.${i}.output.dense.weight`)!, 10 * i, 10 * i + 12, 0);
    });
    const expected = logitsOf(model, batch);
    const start = tf.memory().numTensors;
    const pruned = pruneStructured(model, { heads: 2, intermediate: 20 });
    try {
      assert.deepEqual(pruned.keptHeads, [[0, 2], [1, 3]]);
      assert.deepEqual(pruned.keptNeurons[1], [...Array.from({ length: 10 }, (_, j) => j), ...Array.from({ length: 10 }, (_, j) => 22 + j)]);
      const diff = maxAbsDiff(logitsOf(pruned.model, batch), expected);
      assert.ok(diff < 1e-5, `max |Δlogits| ${diff}`);
      // The matrices shrank: Q [16, 2·4], W_O [8, 16], W₁ [16, 20], W₂ [20, 16].
      const p = pruned.model.params;
      assert.deepEqual(p.get("bert.encoder.layer.0.attention.self.query.weight")!.shape, [16, 8]);
      assert.deepEqual(p.get("bert.encoder.layer.0.attention.self.value.bias")!.shape, [8]);
      assert.deepEqual(p.get("bert.encoder.layer.1.attention.output.dense.weight")!.shape, [8, 16]);
      assert.deepEqual(p.get("bert.encoder.layer.1.intermediate.dense.weight")!.shape, [16, 20]);
      assert.deepEqual(p.get("bert.encoder.layer.1.output.dense.weight")!.shape, [20, 16]);
      assert.ok(!p.has("cls.predictions.bias"), "the MLM head is dropped");
      assert.ok(pruned.parametersAfter < pruned.parametersBefore);
    } finally {
      pruned.model.dispose();
    }
    assert.equal(tf.memory().numTensors, start, "pruneStructured + dispose leaks no tensor");
  } finally {
    model.dispose();
  }
});

test("pruning a live head changes the logits (the identity above is not vacuous)", () => {
  const model = randomClassifier(3);
  const batch = examples(4);
  try {
    const pruned = pruneStructured(model, { heads: 3 });
    try {
      assert.ok(maxAbsDiff(logitsOf(pruned.model, batch), logitsOf(model, batch)) > 1e-3);
    } finally {
      pruned.model.dispose();
    }
  } finally {
    model.dispose();
  }
});

test("a layer with every head pruned keeps only the attention output bias; forward passes and the runner leak nothing", async () => {
  const model = randomClassifier(4);
  try {
    const pruned = pruneStructured(model, { heads: 0, intermediate: 1 });
    try {
      assert.deepEqual(pruned.model.config.layers, [{ numHeads: 0, intermediateSize: 1 }, { numHeads: 0, intermediateSize: 1 }]);
      const start = tf.memory().numTensors;
      const logits = logitsOf(pruned.model, examples(3));
      assert.equal(logits.length, 9);
      assert.ok(logits.every(Number.isFinite));
      const runner = classifierRunner(pruned.model, "compact");
      await runner.forward({ batch: 2, seq: 5, inputIds: [2, 5, 6, 7, 3, 2, 8, 9, 3, 0], attentionMask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 0] });
      assert.equal(tf.memory().numTensors, start);
    } finally {
      pruned.model.dispose();
    }
  } finally {
    model.dispose();
  }
});

test("importance scores: L1 of each head's W_O rows, and ‖W₁[:, j]‖₁·‖W₂[j, :]‖₁ per neuron", () => {
  const model = randomClassifier(5, 3, tinyConfig({ numLayers: 1 }));
  try {
    const wo = model.params.get("bert.encoder.layer.0.attention.output.dense.weight")!.arraySync() as number[][];
    const heads = headImportance(model)[0]!;
    heads.forEach((s, h) => assert.ok(Math.abs(s - wo.slice(h * 4, h * 4 + 4).flat().reduce((a, b) => a + Math.abs(b), 0)) < 1e-4));
    const w1 = model.params.get("bert.encoder.layer.0.intermediate.dense.weight")!.arraySync() as number[][];
    const w2 = model.params.get("bert.encoder.layer.0.output.dense.weight")!.arraySync() as number[][];
    const neurons = neuronImportance(model)[0]!;
    for (const j of [0, 7, 31]) {
      const expected = w1.reduce((a, row) => a + Math.abs(row[j]!), 0) * w2[j]!.reduce((a, b) => a + Math.abs(b), 0);
      assert.ok(Math.abs(neurons[j]! - expected) < 1e-4 * expected);
    }
    assert.deepEqual(topIndices([0.1, 5, 3, 5, 0], 3), [1, 2, 3]);
  } finally {
    model.dispose();
  }
});
