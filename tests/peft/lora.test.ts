// lib/peft/lora.ts: identity at init, the Kaiming/zero initialisation, dropout on the LoRA input, target modules
// by name, merge/unmerge, a frozen base (no gradients, no optimiser state), one step lowers the loss, no leaks.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { Lora, createPeftModel, matchTargets } from "../../lib/peft";
import { AdamW, valueAndGrads } from "../../lib/train";
import { batchTensors, finetune, padBatch, weightedCrossEntropy } from "../../lib/tasks";
import { examples, logitsOf, maxAbsDiff, perturb, quietConfig, randomClassifier, randomPeft, trainingLoss } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

const batch = examples(6);

test("the adapted model equals the base model at step 0 (B = 0 so ΔW = 0)", () => {
  const task = randomClassifier(1, 3, quietConfig());
  const base = logitsOf(task, batch);
  const model = createPeftModel(task, (c) => new Lora(c, { r: 4, targetModules: ["query", "key", "value", "dense"] }, new Rng(5)));
  try {
    assert.equal(maxAbsDiff(logitsOf(model, batch), base), 0);
    perturb(model.adapter().method.params, 3); // a non-zero update must change the logits: the check can fail
    assert.ok(maxAbsDiff(logitsOf(model, batch), base) > 1e-3);
  } finally {
    model.dispose();
  }
});

test("A is Kaiming-uniform U(−1/√in, 1/√in), B is zero, and the update is scaled by α/r", () => {
  const lora = new Lora(quietConfig(), { r: 4, alpha: 12 }, new Rng(2));
  try {
    assert.equal(lora.scaling, 3);
    const a = lora.params.get("bert.encoder.layer.0.attention.self.query.lora_A.weight") as tf.Variable;
    const b = lora.params.get("bert.encoder.layer.0.attention.self.query.lora_B.weight") as tf.Variable;
    assert.deepEqual(a.shape, [16, 4]);
    assert.deepEqual(b.shape, [4, 16]);
    const values = Array.from(a.dataSync());
    const bound = 1 / Math.sqrt(16);
    assert.ok(values.every((v) => Math.abs(v) <= bound));
    assert.ok(Math.max(...values.map(Math.abs)) > 0.8 * bound, "spread over the whole interval");
    assert.ok(Array.from(b.dataSync()).every((v) => v === 0));
  } finally {
    lora.dispose();
  }
});

test("target modules match by name: query,value by default; `dense` picks three Linears per layer; a typo throws", () => {
  const config = quietConfig();
  const lora = new Lora(config, {}, new Rng(0));
  try {
    assert.deepEqual(lora.modules, ["bert.encoder.layer.0.attention.self.query", "bert.encoder.layer.0.attention.self.value", "bert.encoder.layer.1.attention.self.query", "bert.encoder.layer.1.attention.self.value"]);
  } finally {
    lora.dispose();
  }
  assert.deepEqual(matchTargets(config, ["dense"]).map((l) => l.name.replace("bert.encoder.layer.0.", "")).slice(0, 3), ["attention.output.dense", "intermediate.dense", "output.dense"]);
  assert.deepEqual(matchTargets(config, ["intermediate.dense"]).map((l) => [l.inSize, l.outSize]), [[16, 32], [16, 32]]);
  assert.throws(() => new Lora(config, { targetModules: ["qurey"] }, new Rng(0)), /"qurey" matches no Linear/);
});

test("dropout acts on the LoRA input only: training logits differ from evaluation only when lora_dropout > 0", () => {
  for (const p of [0, 0.5]) {
    const model = randomPeft(2, (c) => new Lora(c, { r: 4, dropout: p }, new Rng(1)));
    try {
      perturb(model.adapter().method.params, 4);
      const ids = tf.tensor2d([[2, 5, 6, 7, 3]], undefined, "int32");
      const evalLogits = tf.tidy(() => model.logits({ inputIds: ids }).dataSync());
      const trainLogits = tf.tidy(() => model.logits({ inputIds: ids }, { rng: new Rng(9) }).dataSync());
      ids.dispose();
      if (p === 0) assert.equal(maxAbsDiff(evalLogits, trainLogits), 0);
      else assert.ok(maxAbsDiff(evalLogits, trainLogits) > 1e-4);
    } finally {
      model.dispose();
    }
  }
});

test("merged and unmerged LoRA give the same logits within 1e-5; unmerge restores the base weights exactly", () => {
  const model = randomPeft(3, (c) => new Lora(c, { r: 4, targetModules: ["query", "value", "intermediate.dense"] }, new Rng(1)));
  try {
    const lora = model.adapter().method as Lora;
    perturb(lora.params, 6);
    const before = Array.from((model.bert.params.get("bert.encoder.layer.0.attention.self.query.weight") as tf.Variable).dataSync());
    const unmerged = logitsOf(model, batch);
    lora.merge(model.bert.params);
    assert.ok(lora.isMerged);
    const changed = Array.from((model.bert.params.get("bert.encoder.layer.0.attention.self.query.weight") as tf.Variable).dataSync());
    assert.ok(maxAbsDiff(changed, before) > 1e-3, "merging changes W");
    assert.ok(maxAbsDiff(logitsOf(model, batch), unmerged) < 1e-5);
    lora.unmerge();
    assert.deepEqual(Array.from((model.bert.params.get("bert.encoder.layer.0.attention.self.query.weight") as tf.Variable).dataSync()), before);
    assert.ok(maxAbsDiff(logitsOf(model, batch), unmerged) < 1e-6);
    assert.throws(() => {
      lora.merge(model.bert.params);
      lora.merge(model.bert.params);
    }, /already merged/);
  } finally {
    model.dispose();
  }
});

test("the base is frozen: gradients and AdamW moments exist for the adapter and head only", () => {
  const model = randomPeft(4, (c) => new Lora(c, { r: 2 }, new Rng(1)));
  try {
    const names = [...model.params.keys()].sort();
    assert.deepEqual(names.filter((n) => !n.includes("lora_")), ["classifier.bias", "classifier.weight"]);
    assert.ok([...model.bert.params.values()].every((v) => !v.trainable));
    const padded = padBatch(batch, batch.map((_, i) => i), 0);
    const { value, grads } = valueAndGrads(model.params, () => tf.tidy(() => weightedCrossEntropy(model.logits(batchTensors(padded)) as tf.Tensor2D, tf.tensor1d(padded.targets.flat(), "int32"))));
    assert.deepEqual(Object.keys(grads).sort(), names);
    const optimizer = new AdamW();
    optimizer.apply(model.params, grads, 1e-3);
    assert.deepEqual([...optimizer.state().m.keys()].sort(), names);
    tf.dispose([value, ...Object.values(grads)]);
    optimizer.dispose();
  } finally {
    model.dispose();
  }
});

test("fine-tuning trains the adapter and head, lowers the loss, and leaves every base weight bit-identical", () => {
  const model = randomPeft(5, (c) => new Lora(c, { r: 4, dropout: 0 }, new Rng(1)));
  try {
    const base = new Map([...model.bert.params].map(([n, v]) => [n, Array.from(v.dataSync())]));
    const data = examples(24);
    const before = trainingLoss(model, data);
    finetune(model, { train: data, padId: 0 }, () => ({ accuracy: 0 }), { epochs: 6, batchSize: 8, lr: 1e-2, warmupFraction: 0, keepBest: false });
    const after = trainingLoss(model, data);
    assert.ok(after < before - 0.02, `loss ${before} → ${after}`);
    for (const [n, v] of model.bert.params) assert.deepEqual(Array.from(v.dataSync()), base.get(n), n);
    const b = model.params.get("bert.encoder.layer.0.attention.self.query.lora_B.weight") as tf.Variable;
    assert.ok(Array.from(b.dataSync()).some((x) => x !== 0), "B moved off zero");
  } finally {
    model.dispose();
  }
});

test("no tensor leaks: wrapping, logits, merge/unmerge and dispose", () => {
  const before = tf.memory().numTensors;
  const model = randomPeft(6, (c) => new Lora(c, {}, new Rng(1)));
  logitsOf(model, batch);
  tf.tidy(() => {
    model.logits({ inputIds: tf.tensor2d([[2, 5, 3]], undefined, "int32") }, { rng: new Rng(1) });
  });
  const lora = model.adapter().method as Lora;
  lora.merge(model.bert.params);
  lora.unmerge();
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});
