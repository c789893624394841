import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/core";
import { Rng } from "../../lib/core/rng";
import { BertModel } from "../../lib/model";
import { BertForSequenceClassification, finetune, predictSequence, bestClass } from "../../lib/tasks";
import { tinyConfig } from "./helpers";

before(async () => {
  await initBackend({ backend: "wasm" });
});

// "good …" → 1, "bad …" → 0: learnable from the second token alone.
const train = [17, 18, 17, 18, 17, 18, 17, 18].map((word, i) => ({ inputIds: [2, word, 19 + (i % 3), 3], target: word === 17 ? 1 : 0 }));

test("keeps the best epoch by the validation metric and restores its parameters", () => {
  const model = new BertForSequenceClassification(BertModel.init(tinyConfig(), new Rng(1)), 2, new Rng(2));
  const scripted = [0.5, 0.9, 0.7]; // epoch 2 is best
  const seen: number[][] = [];
  let call = 0;
  const evaluate = () => {
    seen.push(Array.from(model.head.get("classifier.weight")!.dataSync()));
    return { accuracy: scripted[call++] as number };
  };
  const tensors = tf.memory().numTensors;
  const result = finetune(model, { train, padId: 0 }, evaluate, { epochs: 3, batchSize: 4, lr: 1e-2 });
  assert.equal(tf.memory().numTensors, tensors, "snapshots are freed");
  assert.equal(result.best.epoch, 2);
  assert.deepEqual(result.evaluations.map((e) => e.epoch), [1, 2, 3]);
  assert.equal(result.steps, 6);
  const now = Array.from(model.head.get("classifier.weight")!.dataSync());
  assert.deepEqual(now, seen[1], "holds epoch 2's parameters");
  assert.notDeepEqual(now, seen[2], "not the last epoch's");
  model.dispose();
});

test("learns a separable toy task; a metric the evaluation lacks is an error naming the keys", () => {
  const model = new BertForSequenceClassification(BertModel.init(tinyConfig(), new Rng(3)), 2, new Rng(4));
  const accuracy = () => {
    const predicted = predictSequence(model, train, 0).map(bestClass);
    return { accuracy: predicted.filter((p, i) => p === train[i]!.target).length / train.length };
  };
  const before = accuracy().accuracy;
  const result = finetune(model, { train, padId: 0 }, accuracy, { epochs: 15, batchSize: 4, lr: 3e-2, seed: 1 });
  assert.equal(result.best.metrics["accuracy"], 1, `accuracy ${before} → ${JSON.stringify(result.evaluations.map((e) => e.metrics["accuracy"]))}`);
  assert.ok(result.history.at(-1)!.loss < result.history[0]!.loss);
  assert.throws(() => finetune(model, { train, padId: 0 }, accuracy, { epochs: 1, metric: "f1" }), /metric "f1" is not among the evaluation's \(accuracy\)/);
  model.dispose();
});
